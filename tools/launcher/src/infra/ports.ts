/**
 * Where the local infrastructure listens: all on loopback, each on its product's usual port (so a
 * PostgreSQL, Redis or Zipkin already running there is reused, and the component files read as in
 * Dapr's docs). The one list of these ports: the launcher starts each service on its entry, and the
 * component YAML (components/), dapr.yaml's env, the Configurations' tracing endpoint and the test
 * support name the same ones (tools/launcher/test/infra-ports.test.ts compares them).
 * The Dapr control plane's ports are not here: the Dapr CLI fixes them (cli-rules.ts).
 */
export const INFRA_HOST = '127.0.0.1';

export const INFRA_PORTS = {
  /** `orderstore` (state.postgresql). */
  postgres: 5432,
  /** The stores on Redis (storequeue, notificationstore, viewstore, authstore) and the gateway's rate limits. */
  redis: 6379,
  /** `pubsub` (pubsub.kafka): the SASL listener the sidecars use. */
  kafka: 9092,
  /** KRaft's controller listener: the broker's own, no client dials it. */
  kafkaController: 9093,
  /** The KakaoTalk stand-in `kakao-binding` posts to (tools/kakao-sink). */
  kakaoSink: 3900,
  /** Zipkin's port: the Configurations send every sidecar's spans to the local trace sink (tools/trace-sink). */
  traceSink: 9411,
} as const;

export const infraAddress = (port: number) => `${INFRA_HOST}:${port}`;
