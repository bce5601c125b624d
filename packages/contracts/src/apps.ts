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
 * Kafka topics: one per publishing bounded context. Order-lifecycle events are
 * keyed by orderId, so one order's events on one topic stay in order.
 */
export const Topic = {
  /** Published by `order`: OrderPlaced, OrderCancellationRequested. */
  orderEvents: 'order-events',
  /** Published by `store` (the kitchen): OrderQueued, CookingStarted, DeliveryStarted, OrderDelivered, OrderCancelled, CancellationRejected. */
  storeEvents: 'store-events',
  /** Published by `pay`: PaymentApproved, PaymentRefunded. */
  paymentEvents: 'payment-events',
  /** Published by `select-store`: FavoriteStoreSelected (keyed by customerId). */
  customerEvents: 'customer-events',
} as const;
