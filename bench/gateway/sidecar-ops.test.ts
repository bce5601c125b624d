import { describe, expect, it } from 'vitest';
import { countersIn, opsPerOrder } from './sidecar-ops.js';

const exposition = (calls: number, deliveries: number) => `# HELP dapr_http_server_request_count The number of HTTP requests
# TYPE dapr_http_server_request_count counter
dapr_http_server_request_count{app_id="order",method="POST",path="",status="204"} ${calls - 1}
dapr_http_server_request_count{app_id="order",method="GET",path="",status="200"} 1
dapr_http_server_request_latency_ms_bucket{app_id="order",le="1"} 999
dapr_component_pubsub_ingress_count{app_id="order",component="pubsub",process_status="success",topic="a"} ${deliveries}
dapr_component_pubsub_egress_count{app_id="order",component="pubsub",success="true",topic="a"} 2
dapr_grpc_io_server_completed_rpcs{app_id="order",grpc_server_method="/dapr.proto.internals.v1.ServiceInvocation/CallLocal",grpc_server_status="OK"} 3
`;

describe("a sidecar's operations from its metrics", () => {
  it('adds up every sample of each counter, and nothing else', () => {
    expect(countersIn(exposition(10, 4))).toEqual({ calls: 10, invocations: 3, deliveries: 4, publishes: 2 });
  });

  it('divides what changed in the window by the orders', () => {
    const before = new Map([['order', countersIn(exposition(10, 4))]]);
    const after = new Map([['order', countersIn(exposition(30, 8))]]);
    expect(opsPerOrder(before, after, 4)).toEqual({ order: { calls: 5, invocations: 0, deliveries: 1, publishes: 0 } });
  });
});
