import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
/** The Dapr CRD and Tye schemas live in the shared folder beside the repository (the team's source of truth). */
const SCHEMAS = join(ROOT, '..', 'shared', 'schemas');
const haveSchemas = existsSync(SCHEMAS);
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
      parseAllDocuments(readFileSync(file, 'utf8')).map((d) => ({ file: relative(ROOT, file), doc: d.toJS() as Resource['doc'] })).filter((r) => r.doc),
    ),
  );
}

/**
 * A CRD's openAPIV3Schema, made strict the way `kubectl apply --validate=strict`
 * is: an object with declared properties rejects any other field (unless the
 * CRD preserves unknown fields there), so a typo in a manifest fails here.
 */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (copy.properties && !copy['x-kubernetes-preserve-unknown-fields'] && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

function crdValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its default export arrives wrapped under NodeNext typing.
  (ajvFormats as unknown as (ajv: Ajv) => void)(ajv);
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(join(SCHEMAS, 'dapr-crds'))) {
    for (const crd of parseAllDocuments(readFileSync(join(SCHEMAS, 'dapr-crds', file), 'utf8')).map((d) => d.toJS())) {
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        const schema = strict(version.schema.openAPIV3Schema);
        // Metadata is Kubernetes' ObjectMeta, not described by the CRD.
        if (schema.properties?.metadata) schema.properties.metadata = { type: 'object' };
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

describe.skipIf(!haveSchemas)('Dapr resources against the Dapr CRD schemas', () => {
  const all = resources('components', 'dapr-config', 'k8s/base/dapr').filter((r) => r.doc.apiVersion?.startsWith('dapr.io/'));
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

  it('every component is scoped to the apps that use it, and only to known apps', () => {
    const appIds = new Set(parse(readFileSync(join(ROOT, 'dapr.yaml'), 'utf8')).apps.map((a: { appID: string }) => a.appID));
    for (const { file, doc } of components) {
      expect(doc.scopes?.length, `${file} has no scopes: every app would load it`).toBeGreaterThan(0);
      for (const scope of doc.scopes!) expect(appIds, `${file} scopes unknown app ${scope}`).toContain(scope);
    }
  });

  it('every component an app addresses in its code is scoped to it', () => {
    const names = new Map(components.map((r) => [r.doc.metadata!.name!, r.doc.scopes ?? []]));
    const uses: Array<[string, string]> = [
      ['order', 'orderstore'], ['order', 'pubsub'], ['pay', 'paymentstore'], ['pay', 'pubsub'], ['store', 'storequeue'], ['store', 'pubsub'],
      ['select-store', 'favoritestore'], ['select-store', 'pubsub'], ['notification', 'notificationstore'], ['notification', 'kakao-binding'],
      ['notification', 'pubsub'], ['order-view', 'viewstore'], ['order-view', 'pubsub'], ['marketing', 'marketingstore'], ['marketing', 'marketing-pubsub'],
    ];
    for (const [app, component] of uses) expect(names.get(component), `${component} not scoped to ${app}`).toContain(app);
    // …and components referencing the local secret store are only loaded by apps that may use it.
    for (const { file, doc } of components) {
      const store = (doc as { auth?: { secretStore?: string } }).auth?.secretStore;
      if (store) for (const scope of doc.scopes!) expect(names.get(store), `${file}: ${scope} needs ${store}`).toContain(scope);
    }
  });
});
