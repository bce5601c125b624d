import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The Dapr components an app's sidecar would load (its resources paths, its scopes), read by the twin so
 * the same YAML says where each store and broker is and which login to use. `{appID}` is replaced by the
 * app-id as daprd does, and `secretKeyRef`s are resolved from the component's local-file secret store.
 */
export interface TwinComponent {
  name: string;
  type: string;
  metadata: Record<string, string>;
}

interface ComponentDoc {
  kind?: string;
  metadata?: { name?: string };
  spec?: { type?: string; metadata?: Array<{ name: string; value?: unknown; secretKeyRef?: { name: string; key?: string } }> };
  auth?: { secretStore?: string };
  scopes?: string[];
}

export function loadComponents(resourcesPaths: string[], appId: string, appDir: string): Map<string, TwinComponent> {
  const docs = resourcesPaths.flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS() as ComponentDoc)),
  );
  const mine = docs.filter((doc) => doc?.kind === 'Component' && (!doc.scopes || doc.scopes.includes(appId)));
  const withAppId = (text: string) => text.replaceAll('{appID}', appId);
  const plain = (doc: ComponentDoc): TwinComponent => ({
    name: doc.metadata!.name!,
    type: doc.spec!.type!,
    metadata: Object.fromEntries(
      (doc.spec!.metadata ?? []).filter((item) => item.value !== undefined).map((item) => [item.name, withAppId(String(item.value))]),
    ),
  });
  const byName = new Map(mine.map((doc) => [doc.metadata!.name!, plain(doc)]));
  for (const doc of mine) {
    const refs = (doc.spec!.metadata ?? []).filter((item) => item.secretKeyRef);
    if (refs.length === 0) continue;
    const store = byName.get(doc.auth?.secretStore ?? 'kubernetes');
    if (!store) throw new Error(`${doc.metadata!.name}: secret store ${doc.auth?.secretStore} is not loaded for ${appId}`);
    const secrets = readLocalSecrets(store, appDir);
    for (const item of refs) {
      const ref = item.secretKeyRef!;
      const value = secrets[ref.key ?? ref.name] ?? secrets[ref.name];
      if (value === undefined) throw new Error(`${doc.metadata!.name}: secret ${ref.name} not in ${store.name}`);
      byName.get(doc.metadata!.name!)!.metadata[item.name] = value;
    }
  }
  return byName;
}

/** A secretstores.local.file store's secrets, nested keys joined with its separator, as daprd flattens them. */
export function readLocalSecrets(store: TwinComponent, appDir: string): Record<string, string> {
  if (store.type !== 'secretstores.local.file') throw new Error(`${store.name}: the twin reads local-file secret stores only`);
  const separator = store.metadata.nestedSeparator ?? ':';
  const flat: Record<string, string> = {};
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}${separator}${key}` : key);
    } else flat[prefix] = String(value);
  };
  walk(JSON.parse(readFileSync(resolve(appDir, store.metadata.secretsFile!), 'utf8')), '');
  return flat;
}
