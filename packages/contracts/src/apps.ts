/**
 * Dapr app-ids and the names of the Dapr components the apps address.
 * Ports live in dapr.yaml (the launcher hands them to each app as env vars),
 * so this file holds names only and nothing here can drift from the run file.
 */
export const AppId = {
  order: 'order',
  pay: 'pay',
  store: 'store',
} as const;
export type AppId = (typeof AppId)[keyof typeof AppId];

export const Component = {
  orderStore: 'orderstore',
  paymentStore: 'paymentstore',
  storeQueue: 'storequeue',
  pubsub: 'pubsub',
} as const;

/** Kafka topics (Dapr pub/sub topics). One topic per publishing bounded context keeps per-order ordering on the orderId key. */
export const Topic = {
  orderEvents: 'order-events',
} as const;
