import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { crdValidators, haveSchemas, SCHEMAS } from '../support/schemas.js';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
if (!haveSchemas) console.warn(`!! SKIPPING schema validation of Dapr resources and tye.yaml: ${SCHEMAS} is missing`);

interface Resource {
  file: string;
  doc: { apiVersion?: string; kind?: string; metadata?: { name?: string }; scopes?: string[]; spec?: Record<string, unknown> };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function resources(...dirs: string[]): Resource[] {
  return dirs.flatMap((dir) =>
    yamlFiles(join(ROOT, dir)).flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8'))
        .map((d) => ({ file: relative(ROOT, file), doc: d.toJS() as Resource['doc'] }))
        .filter((r) => r.doc),
    ),
  );
}

describe.skipIf(!haveSchemas)('Dapr resources against the Dapr CRD schemas', () => {
  // services/marketing holds the new team's own sidecar Configuration (nothing shared may name the team).
  const all = resources('components', 'dapr-config', 'k8s/base/dapr', 'services/marketing').filter((r) =>
    r.doc.apiVersion?.startsWith('dapr.io/'),
  );
  const validators = haveSchemas ? crdValidators() : new Map();

  it('finds every kind of resource we ship', () => {
    expect(new Set(all.map((r) => r.doc.kind))).toEqual(new Set(['Component', 'Configuration', 'Resiliency']));
  });

  for (const resource of all) {
    it(`${resource.file}: ${resource.doc.kind} ${resource.doc.metadata?.name}`, () => {
      const validate = validators.get(`${resource.doc.apiVersion}/${resource.doc.kind}`);
      expect(validate, `no CRD schema for ${resource.doc.apiVersion} ${resource.doc.kind}`).toBeDefined();
      const ok = validate!(resource.doc);
      expect(ok, JSON.stringify(validate!.errors, null, 1)).toBe(true);
    });
  }
});

describe.skipIf(!haveSchemas)('tye.yaml against the Tye schema', () => {
  it('is valid', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'tye-schema.json'), 'utf8')));
    const ok = validate(parse(readFileSync(join(ROOT, 'tye.yaml'), 'utf8')));
    expect(ok, JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
});

describe('component scopes', () => {
  const components = resources('components').filter((r) => r.doc.kind === 'Component' && !r.file.startsWith('components/brokers/'));

  // The one unscoped component: each sidecar's own credentials, a file per app-id ({appID} in its path).
  const perApp = (doc: Resource['doc']) => JSON.stringify(doc.spec?.metadata ?? []).includes('{appID}.json');

  it('every component is scoped to the apps that use it, and only to known apps', () => {
    const appIds = new Set(parse(readFileSync(join(ROOT, 'dapr.yaml'), 'utf8')).apps.map((a: { appID: string }) => a.appID));
    expect(components.filter((r) => !r.doc.scopes).map((r) => r.file)).toEqual(['components/app-credentials.yaml']);
    for (const { file, doc } of components) {
      if (!doc.scopes && perApp(doc)) continue;
      expect(doc.scopes?.length, `${file} has no scopes: every app would load it`).toBeGreaterThan(0);
      for (const scope of doc.scopes!) expect(appIds, `${file} scopes unknown app ${scope}`).toContain(scope);
    }
  });

  it('every component an app addresses in its code is scoped to it', () => {
    const names = new Map(components.map((r) => [r.doc.metadata!.name!, r.doc.scopes ?? []]));
    const uses: Array<[string, string]> = [
      ['order', 'orderstore'],
      ['order', 'pubsub'],
      ['pay', 'paymentstore'],
      ['pay', 'pubsub'],
      ['store', 'storequeue'],
      ['store', 'pubsub'],
      ['select-store', 'favoritestore'],
      ['select-store', 'pubsub'],
      ['notification', 'notificationstore'],
      ['notification', 'kakao-binding'],
      ['notification', 'pubsub'],
      ['order-view', 'viewstore'],
      ['order-view', 'pubsub'],
      ['marketing', 'marketingstore'],
      ['marketing', 'marketing-pubsub'],
    ];
    for (const [app, component] of uses) expect(names.get(component), `${component} not scoped to ${app}`).toContain(app);
    // …and components referencing the local secret store are only loaded by apps that may use it.
    for (const { file, doc } of components) {
      const store = (doc as { auth?: { secretStore?: string } }).auth?.secretStore;
      const unscoped = components.find((r) => r.doc.metadata?.name === store && !r.doc.scopes);
      if (store && !unscoped)
        for (const scope of doc.scopes!) expect(names.get(store), `${file}: ${scope} needs ${store}`).toContain(scope);
    }
  });
});

describe('backing-store logins: a user per app-id (issue 20)', () => {
  // Kafka and Redis components of both brokers, locally and on Kubernetes.
  const all = resources('components', 'k8s/base/dapr').filter((r) => r.doc.kind === 'Component');
  const meta = (doc: Resource['doc']) =>
    new Map(
      ((doc.spec?.metadata ?? []) as Array<{ name: string; value?: string; secretKeyRef?: { name: string } }>).map((m) => [m.name, m]),
    );
  const store = (doc: Resource['doc']) => (doc as { auth?: { secretStore?: string } }).auth?.secretStore;

  it('every Kafka component logs in with SCRAM as its own app-id, password from its own credentials', () => {
    const kafka = all.filter((r) => r.doc.spec?.type === 'pubsub.kafka');
    expect(kafka.length).toBeGreaterThanOrEqual(4);
    for (const { file, doc } of kafka) {
      const m = meta(doc);
      expect([m.get('authType')?.value, m.get('saslMechanism')?.value, m.get('saslUsername')?.value], file).toEqual([
        'password',
        'SHA-512',
        '{appID}',
      ]);
      expect(m.get('saslPassword')?.secretKeyRef?.name, file).toBe('kafka-password');
      expect(store(doc), file).toBe('app-credentials');
    }
  });

  it("every Redis component logs in as its own app-id, and every Redis state store keeps Dapr's `<app-id>||` key prefix (the ACL key pattern)", () => {
    const redis = all.filter((r) => /^(state|pubsub)\.redis$/.test(String(r.doc.spec?.type)));
    expect(redis.length).toBeGreaterThanOrEqual(8);
    for (const { file, doc } of redis) {
      const m = meta(doc);
      expect(m.get('redisUsername')?.value, file).toBe('{appID}');
      expect(m.get('redisPassword')?.secretKeyRef?.name, file).toBe('redis-password');
      expect(store(doc), file).toBe('app-credentials');
      if (doc.spec?.type === 'state.redis') expect(m.get('keyPrefix')?.value ?? 'appid', file).toBe('appid');
    }
  });
});
