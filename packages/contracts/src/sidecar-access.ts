import { AppId, Topic } from './apps.js';
import { PublisherOf } from './event-catalogue.js';

/**
 * What each app may do through its own sidecar: the one source of truth for topic ownership
 * (the pub/sub components' publishingScopes / subscriptionScopes), the Dapr APIs each sidecar
 * serves (its Configuration's `spec.api.allowed`), the secrets it may read (`spec.secrets.scopes`)
 * and who may invoke it (`spec.accessControl`). Unit tests hold the component and Configuration
 * YAML (local and Kubernetes) to these tables, so widening an app's rights is a change here.
 */
type TopicName = (typeof Topic)[keyof typeof Topic];

/** Where a subscription sends a poison message. The subscriber's sidecar publishes it, so it needs that right too. */
export const deadLetterTopicOf = (topic: string) => `${topic}-dead-letter`;

/** Topics each app subscribes to on `pubsub` (the services declare the same in their subscriptions; a test compares). */
export const SubscribedTopics: Partial<Record<AppId, readonly TopicName[]>> = {
  [AppId.order]: [Topic.storeEvents, Topic.customerEvents],
  [AppId.pay]: [Topic.storeEvents],
  [AppId.store]: [Topic.orderEvents],
  [AppId.notification]: [Topic.orderEvents, Topic.storeEvents, Topic.paymentEvents],
  [AppId.orderView]: [Topic.orderEvents, Topic.storeEvents, Topic.storeQueueEvents, Topic.paymentEvents, Topic.paymentApprovalEvents],
};

/** What an app may publish: the topics it owns, and the dead letters of the topics it reads. */
export function publishableTopics(appId: string, subscribed: readonly string[] = SubscribedTopics[appId as AppId] ?? []): string[] {
  const owned = Object.entries(PublisherOf)
    .filter(([, owner]) => owner === appId)
    .map(([topic]) => topic);
  return [...owned, ...subscribed.map(deadLetterTopicOf)];
}

/** `app1=topic1,topic2;app2=topic3`, Dapr's format (dapr/pkg/scopes). Every app gets an entry: an app without one may publish anything. */
export function scopesValue(apps: readonly string[], topicsOf: (appId: string) => readonly string[]): string {
  return apps.map((appId) => `${appId}=${topicsOf(appId).join(',')}`).join(';');
}

export const publishingScopesOf = (apps: readonly string[]) => scopesValue(apps, (appId) => publishableTopics(appId));
export const subscriptionScopesOf = (apps: readonly string[]) => scopesValue(apps, (appId) => SubscribedTopics[appId as AppId] ?? []);
/** Every business topic is protected: an app absent from the scopes may neither publish nor subscribe to it. */
export const protectedTopicsValue = () => Object.values(Topic).join(',');

/** The apps on the shared `pubsub` component, in its `scopes` order. */
export const PubsubApps: readonly AppId[] = [AppId.order, AppId.pay, AppId.store, AppId.selectStore, AppId.notification, AppId.orderView];

/** A Dapr API group as `spec.api.allowed` names it (dapr pkg/api/http/endpoints/endpointgroup.go). */
export type SidecarApi = 'invoke' | 'state' | 'publish' | 'bindings' | 'secrets' | 'metadata';

export interface SidecarGrant {
  /** The Dapr APIs the app calls on its sidecar (healthz is always served). */
  apis: readonly SidecarApi[];
  /** Secret store → the keys the app reads through the secrets API (none listed: the store is closed to it). */
  secrets: Readonly<Record<string, readonly string[]>>;
  /** App-ids whose sidecars may invoke this app (mTLS identity; everyone else is denied). */
  invokedBy: readonly AppId[];
}

/** auth's own secret store (components/authsecrets.yaml). */
export const AuthSecretStore = 'authsecrets';
/**
 * Each sidecar's own logins to Kafka and Redis (components/app-credentials.yaml: the file of the
 * sidecar's own app-id; on Kubernetes the app's own Secret mounted into its sidecar). Components
 * resolve them whatever the scopes say: the scopes govern only what the app may read through the API.
 */
export const AppCredentialsStore = 'app-credentials';

/*
 * No app is granted `metadata` any more: only the Dapr SDK's client read it (to wait for its sidecar), and every
 * sidecar call now goes through service-kit's own client (SidecarHttp), which waits on /v1.0/healthz/outbound.
 */
export const SidecarGrants: Record<AppId, SidecarGrant> = {
  [AppId.order]: { apis: ['invoke', 'state', 'publish'], secrets: {}, invokedBy: [AppId.gateway] },
  // pay asks the kitchen whether an order really was cancelled before it refunds (invoke).
  [AppId.pay]: { apis: ['invoke', 'state', 'publish'], secrets: {}, invokedBy: [AppId.order] },
  [AppId.store]: { apis: ['state', 'publish'], secrets: {}, invokedBy: [AppId.gateway, AppId.pay] },
  [AppId.selectStore]: { apis: ['state', 'publish'], secrets: {}, invokedBy: [AppId.gateway] },
  [AppId.notification]: { apis: ['state', 'bindings'], secrets: {}, invokedBy: [AppId.gateway] },
  [AppId.orderView]: { apis: ['state'], secrets: {}, invokedBy: [AppId.gateway] },
  [AppId.auth]: {
    apis: ['state', 'secrets'],
    secrets: { [AuthSecretStore]: ['auth-signing-key', 'auth-cookie-key', 'demo-password'] },
    invokedBy: [AppId.gateway],
  },
  // The gateway needs invocation and its rate limiter's own Redis login (user `gateway`): no state, no publish.
  [AppId.gateway]: { apis: ['invoke', 'secrets'], secrets: { [AppCredentialsStore]: ['redis-password'] }, invokedBy: [] },
};

/** The sidecar through which an app is normally reached (its first admitted caller; itself if none is listed). */
export function usualCallerOf(appId: string): string {
  return SidecarGrants[appId as AppId]?.invokedBy[0] ?? appId;
}
