/**
 * Dapr app-ids of the core system and the names of the Dapr components and topics the apps address.
 * Ports live in dapr.yaml (the launcher hands them to each app as env vars),
 * so this file holds names only and nothing here can drift from the run file.
 */
export const AppId = {
  order: 'order',
  pay: 'pay',
  store: 'store',
  selectStore: 'select-store',
  notification: 'notification',
  orderView: 'order-view',
  /** The front door: the only app reachable from outside (issue 5). */
  gateway: 'gateway',
  /** OpenID Connect provider: signs the JWTs the gateway verifies. */
  auth: 'auth',
} as const;
export type AppId = (typeof AppId)[keyof typeof AppId];

export const Component = {
  orderStore: 'orderstore',
  paymentStore: 'paymentstore',
  storeQueue: 'storequeue',
  favoriteStore: 'favoritestore',
  notificationStore: 'notificationstore',
  viewStore: 'viewstore',
  pubsub: 'pubsub',
  kakaoBinding: 'kakao-binding',
  /** auth's OpenID provider storage (sessions, grants, refresh tokens). */
  authStore: 'authstore',
  /** Secrets reach apps through their sidecar; locally a JSON file, on Kubernetes the `kubernetes` store. */
  secretStore: 'localsecretstore',
} as const;

/**
 * Kafka topics: each has one publishing bounded context, and a context splits its events over
 * topics by who reads them, so no sidecar is handed an event its app ignores (issue 18: an ignored
 * delivery costs a broker fetch, a sidecar round trip and a parse, for nothing). Order-lifecycle
 * events are keyed by orderId, so one order's events on one topic stay in order; readers of several
 * topics (order-view) fold events in any order.
 */
export const Topic = {
  /** Published by `order`: OrderPlaced, OrderCancellationRequested. */
  orderEvents: 'order-events',
  /** Published by `store` (the kitchen): CookingStarted, DeliveryStarted, OrderDelivered, OrderCancelled, CancellationRejected. */
  storeEvents: 'store-events',
  /** Published by `store`: OrderQueued, which only the view shows (order, pay and notification have nothing to do with it). */
  storeQueueEvents: 'store-queue-events',
  /** Published by `pay`: PaymentRefunded. */
  paymentEvents: 'payment-events',
  /** Published by `pay`: PaymentApproved, which only the view shows (OrderPlaced already tells the customer it is paid). */
  paymentApprovalEvents: 'payment-approval-events',
  /** Published by `select-store`: FavoriteStoreSelected (keyed by customerId). */
  customerEvents: 'customer-events',
} as const;
