import fc from 'fast-check';

/**
 * Values for the public API, generated from its OpenAPI document (itself generated from the
 * zod schemas that validate the requests): valid ones from each schema, and hostile ones
 * (control and bidi characters, NUL, unknown references, wrong types, oversized strings).
 */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
};

/** Strings a hostile client tries in any field: controls, bidi overrides, look-alikes, traversal, injection, unknown references. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'gang\u0000nam',
  'gangnam\u202e',
  '\u202ebulgogi-burger',
  '\u2066kim\u2069',
  'kim\u200f',
  '\u001b[31mred',
  'line\r\nbreak',
  'tab\there',
  '\u0085',
  'ｇａｎｇｎａｍ',
  'GANGNAM',
  'atlantis',
  'pizza',
  'e\u0301',
  '\ud800',
  '🍔',
  '../../pay',
  '..%2F..%2Fpay',
  '%00',
  "'; DROP TABLE orders; --",
  '{{7*7}}',
  '<script>alert(1)</script>',
  'x'.repeat(65),
  'y'.repeat(5_000),
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }));
/** Any JSON value of the wrong kind somewhere. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, [], {}, [[[[[]]]]], { __proto__: { admin: true } }),
  fc.integer(),
  fc.array(hostileString, { maxLength: 3 }),
);

export function schemaArbitrary(schema: JsonSchema, doc: unknown): fc.Arbitrary<unknown> {
  if (schema.$ref) return schemaArbitrary(resolve(schema.$ref, doc), doc);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((option) => schemaArbitrary(option, doc)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 40) });
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? (schema.exclusiveMinimum ?? -1_000) + (schema.exclusiveMinimum === undefined ? 0 : 1),
        max: schema.maximum ?? 1_000,
      });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schemaArbitrary(schema.items ?? {}, doc), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 4),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, schemaArbitrary(property, doc)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
    }
    default:
      return hostileValue;
  }
}

/**
 * A valid-looking value with one part broken: a leaf (or the whole) replaced by a hostile value,
 * or a property the schema does not have (a sent price, someone else's customerId).
 */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), hostileValue, fc.constantFrom('customerId', 'priceCents', 'totalCents', '__proto__', 'constructor'))
    .map(([value, pick, hostile, extra]) => {
      const paths = leafPaths(value);
      if (pick % 5 === 0 || paths.length === 0)
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, [extra]: hostile } : hostile;
      return replaceAt(value, paths[pick % paths.length]!, hostile);
    });
}

function leafPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, i) => leafPaths(item, [...at, i]))];
  if (typeof value === 'object' && value !== null)
    return [at, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...at, key]))];
  return [at];
}

function replaceAt(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

function resolve(ref: string, doc: unknown): JsonSchema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: any, key) => node?.[key], doc) as JsonSchema;
}
