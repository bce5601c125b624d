import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

/** The Dapr CRD and Tye schemas live in the shared folder beside the repository (the team's source of truth). */
export const SCHEMAS = join(import.meta.dirname, '..', '..', '..', 'shared', 'schemas');
export const haveSchemas = existsSync(SCHEMAS);

/**
 * A CRD's openAPIV3Schema, made strict the way `kubectl apply --validate=strict`
 * is: an object with declared properties rejects any other field (unless the
 * CRD preserves unknown fields there), so a typo in a manifest fails here.
 */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (copy.properties && !copy['x-kubernetes-preserve-unknown-fields'] && copy.additionalProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}

/** Validators keyed `<group>/<version>/<kind>`, from every CRD in the shared schemas. */
export function crdValidators(): Map<string, ValidateFunction> {
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
