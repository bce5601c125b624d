import { describe, expect, it } from 'vitest';
import { countersIn, opsPerOrder } from './sidecar-ops.js';

// As daprd 1.18 exposes them (read off pay's sidecar after one order).
const exposition = (state: number, deliveries: number) => `# HELP dapr_http_server_request_count The number of HTTP requests
# TYPE dapr_http_server_request_count counter
dapr_http_server_request_count{app_id="pay",method="GET",path="/v1.0/healthz",status="500"} 46
dapr_http_server_request_count{app_id="pay",method="POST",path="/v1.0/publish/pubsub/payment-approval-events",status="204"} 1
dapr_http_server_request_count{app_id="pay",method="POST",path="/v1.0/state/paymentstore",status="200"} ${state - 4}
dapr_http_server_request_count{app_id="pay",method="POST",path="/v1.0/state/paymentstore",status="204"} 4
dapr_http_server_request_count{app_id="pay",method="GET",path="/v1.0/secrets/localsecretstore/x",status="200"} 1
dapr_http_server_latency_bucket{app_id="pay",le="1"} 999
dapr_runtime_service_invocation_req_recv_total{app_id="pay",src_app_id="order"} 3
dapr_component_pubsub_ingress_count{app_id="pay",component="pubsub",namespace="",process_status="success",status="success",topic="a"} ${deliveries}
dapr_component_pubsub_egress_count{app_id="pay",component="pubsub",namespace="",success="true",topic="a"} 2
`;

describe("a sidecar's operations from its metrics", () => {
  it("sorts the app's calls by API, leaves the health probes out, and counts invocations and deliveries", () => {
    expect(countersIn(exposition(24, 4))).toEqual({ state: 24, publish: 1, invoke: 0, other: 1, invocations: 3, deliveries: 4 });
  });

  it('divides what changed in the window by the orders', () => {
    const before = new Map([['pay', countersIn(exposition(24, 4))]]);
    const after = new Map([['pay', countersIn(exposition(44, 8))]]);
    expect(opsPerOrder(before, after, 4)).toEqual({ pay: { state: 5, publish: 0, invoke: 0, other: 0, invocations: 0, deliveries: 1 } });
  });
});
