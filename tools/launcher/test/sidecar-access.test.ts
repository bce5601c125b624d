import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  AppCredentialsStore,
  AppId,
  protectedTopicsValue,
  publishableTopics,
  PubsubApps,
  publishingScopesOf,
  scopesValue,
  SidecarGrants,
  SubscribedTopics,
  subscriptionScopesOf,
  Topic,
} from '@burger/contracts';
import { ROOT } from '../src/paths.js';
import { loadRunFile } from '../src/run-file.js';
import { configurationName, generatedFiles, grantOf } from '../src/sidecar-configs.js';

/**
 * Topic ownership and each sidecar's rights are written once (packages/contracts/src/sidecar-access.ts)
 * and must say the same in every YAML Dapr reads: the pub/sub components of both brokers, locally and on
 * Kubernetes, and every app's Configuration.
 */
type Doc = { kind: string; metadata: { name: string }; spec: any; scopes?: string[] };
const docsOf = (path: string): Doc[] => parseAllDocuments(readFileSync(join(ROOT, path), 'utf8')).map((d) => d.toJS() as Doc);
const metadataOf = (component: Doc) =>
  Object.fromEntries((component.spec.metadata as Array<{ name: string; value: string }>).map((m) => [m.name, m.value]));
const component = (path: string, name: string) => {
  const found = docsOf(path).find((d) => d.kind === 'Component' && d.metadata.name === name);
  if (!found) throw new Error(`${path} has no component ${name}`);
  return found;
};

const PUBSUB_FILES = ['components/pubsub.yaml', 'components/brokers/redis-streams/pubsub.yaml', 'k8s/base/dapr/components.yaml'];
/** marketing joined with a component of its own; contracts do not name it (the new-team test), so its topics are stated here. */
const MARKETING_FILES = [
  'components/marketing-pubsub.yaml',
  'components/brokers/redis-streams/marketing-pubsub.yaml',
  'k8s/base/dapr/marketing.yaml',
];
const MARKETING_READS = [Topic.orderEvents];

describe('topic ownership: the pub/sub components say what packages/contracts says', () => {
  for (const path of PUBSUB_FILES) {
    it(`${path}: only the owner publishes a topic, each app reads only what it subscribes to`, () => {
      const pubsub = component(path, 'pubsub');
      expect(pubsub.scopes).toEqual([...PubsubApps]);
      const metadata = metadataOf(pubsub);
      expect(metadata.publishingScopes).toBe(publishingScopesOf(PubsubApps));
      expect(metadata.subscriptionScopes).toBe(subscriptionScopesOf(PubsubApps));
      expect(metadata.protectedTopics).toBe(protectedTopicsValue());
    });
  }

  for (const path of MARKETING_FILES) {
    it(`${path}: marketing's own component lets it read order-events and publish only that subscription's dead letters`, () => {
      const metadata = metadataOf(component(path, 'marketing-pubsub'));
      expect(metadata.publishingScopes).toBe(scopesValue(['marketing'], (app) => publishableTopics(app, MARKETING_READS)));
      expect(metadata.subscriptionScopes).toBe(scopesValue(['marketing'], () => MARKETING_READS));
      expect(metadata.protectedTopics).toBe(protectedTopicsValue());
    });
  }

  it('the owner of each topic is the one app whose scope lists it (dead letters aside)', () => {
    const value = publishingScopesOf(PubsubApps);
    for (const topic of Object.values(Topic)) {
      const publishers = value
        .split(';')
        .filter((entry) => entry.split('=')[1]!.split(',').includes(topic))
        .map((entry) => entry.split('=')[0]);
      expect(publishers, topic).toHaveLength(1);
    }
  });

  it("the table's subscriptions are the ones the services declare", () => {
    for (const appId of PubsubApps) {
      const dir = join(ROOT, 'services', appId, 'src', 'adapters', 'events');
      const source = existsSync(dir)
        ? readdirSync(dir)
            .map((file) => readFileSync(join(dir, file), 'utf8'))
            .join('\n')
        : '';
      const declared = [...source.matchAll(/topic: Topic\.(\w+)/g)].map((m) => Topic[m[1] as keyof typeof Topic]);
      expect(new Set(declared), appId).toEqual(new Set(SubscribedTopics[appId] ?? []));
    }
  });
});

describe("each sidecar's Configuration is generated from the table", () => {
  it('every generated file is committed as the generator writes it (run `npm run dapr-configs` after a change)', () => {
    for (const [file, text] of generatedFiles()) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });

  it('every app runs with its own Configuration, locally and on Kubernetes', () => {
    for (const app of loadRunFile()) {
      const [configuration] = docsOf(app.configFile.slice(ROOT.length + 1));
      expect(configuration!.metadata.name, app.appId).toBe(configurationName(app.appId));
      const deployment = docsOf(`k8s/base/apps/${app.appId}.yaml`).find((d) => d.kind === 'Deployment')!;
      expect(deployment.spec.template.metadata.annotations['dapr.io/config'], app.appId).toBe(configurationName(app.appId));
    }
  });

  it('serves only the APIs the app needs, on HTTP and gRPC, lets it read only its own secrets, and admits only its callers', () => {
    for (const app of loadRunFile()) {
      const grant = grantOf(app.appId)!;
      const [configuration] = docsOf(app.configFile.slice(ROOT.length + 1));
      const spec = configuration!.spec;
      for (const protocol of ['http', 'grpc']) {
        expect(
          spec.api.allowed.filter((r: { protocol: string }) => r.protocol === protocol).map((r: { name: string }) => r.name),
          `${app.appId} ${protocol}`,
        ).toEqual([...grant.apis]);
      }
      for (const scope of spec.secrets.scopes) expect(scope.defaultAccess, app.appId).toBe('deny');
      expect(spec.accessControl.defaultAction).toBe('deny');
      expect(
        spec.accessControl.policies.map((p: { appId: string }) => p.appId),
        app.appId,
      ).toEqual([...grant.invokedBy]);
    }
  });

  it('the gateway may invoke and read its own Redis login, nothing else; auth alone reads its signing key', () => {
    expect(SidecarGrants[AppId.gateway].apis).toEqual(['invoke', 'secrets']);
    expect(SidecarGrants[AppId.gateway].secrets).toEqual({ [AppCredentialsStore]: ['redis-password'] });
    const readers = Object.entries(SidecarGrants).filter(([, grant]) =>
      Object.values(grant.secrets).some((keys) => keys.includes('auth-signing-key')),
    );
    expect(readers.map(([appId]) => appId)).toEqual([AppId.auth]);
    expect(SidecarGrants[AppId.pay].invokedBy).toEqual([AppId.order]);
  });
});
