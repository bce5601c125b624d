import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PublisherOf, Topic, type TopicName } from '@burger/contracts';
import { brokerGrants } from './broker-access.js';
import { ROOT } from './paths.js';
import { loadRunFile } from './run-file.js';
import { grantOf } from './sidecar-configs.js';

/**
 * ARCHITECTURE.md, drawn from the single sources instead of by hand: the apps from dapr.yaml, the
 * topics and their publishers from packages/contracts (`Topic`, `PublisherOf`), who reads what from
 * the broker grants (contracts' `SubscribedTopics`, plus a team's own broker-access.json), who may
 * invoke whom from the sidecar grants (`SidecarGrants`, plus a team's own in sidecar-configs.ts), and
 * each store and binding from components/ (its type and the apps it is scoped to).
 * `npm run architecture` writes it; a unit test fails when the committed file differs.
 */
export const ARCHITECTURE_FILE = join(ROOT, 'ARCHITECTURE.md');

interface ComponentDoc {
  kind: string;
  metadata: { name: string };
  spec: { type: string; metadata?: Array<{ name: string; value?: unknown }> };
  scopes?: string[];
}

/** What a component is, in words a newcomer knows. Secret stores and the broker are left out: every app has them. */
function storeLabel(component: ComponentDoc): string | undefined {
  const field = (name: string) => component.spec.metadata?.find((m) => m.name === name)?.value;
  switch (component.spec.type) {
    case 'state.postgresql':
      return 'PostgreSQL';
    case 'state.redis':
      return `Redis db ${String(field('redisDB') ?? 0)}`;
    case 'state.sqlite':
      return 'SQLite';
    case 'bindings.http':
      return 'HTTP output binding';
    default:
      return undefined;
  }
}

/** The stores and bindings under components/ (not the swap-in brokers under components/brokers/). */
function components(): Array<{ name: string; label: string; apps: string[] }> {
  const dir = join(ROOT, 'components');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as ComponentDoc))
    .flatMap((doc) => {
      const label = doc?.kind === 'Component' ? storeLabel(doc) : undefined;
      return label ? [{ name: doc.metadata.name, label, apps: doc.scopes ?? [] }] : [];
    });
}

const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
const list = (items: readonly string[]) => (items.length > 0 ? items.map((item) => `\`${item}\``).join(', ') : '—');

export function architectureMarkdown(): string {
  const apps = [...new Set(loadRunFile().map((app) => app.appId))];
  const grants = new Map(brokerGrants(loadRunFile()).map((grant) => [grant.appId, grant]));
  const topics = Object.values(Topic) as TopicName[];
  const readsOf = (appId: string) => (grants.get(appId)?.reads ?? []).filter((topic) => (topics as string[]).includes(topic));
  const publishesOf = (appId: string) => topics.filter((topic) => PublisherOf[topic] === appId);
  const invokedByOf = (appId: string): readonly string[] => grantOf(appId)?.invokedBy ?? [];
  const stores = components();
  // The gateway's rate-limit counters are the one store an app reaches without its sidecar (dapr.yaml: RATE_LIMIT_REDIS).
  const direct = loadRunFile()
    .filter((app) => app.env.RATE_LIMIT_REDIS)
    .map((app) => app.appId);
  const entry = apps.find((appId) => invokedByOf(appId).length === 0 && apps.some((other) => invokedByOf(other).includes(appId)));

  const diagram = [
    'flowchart LR',
    ...(entry ? [`  client(["browser, API client"]) -->|HTTP| ${id('app', entry)}`] : []),
    '  subgraph apps ["apps, each beside its own Dapr sidecar"]',
    ...apps.map((appId) => `    ${id('app', appId)}["${appId}"]`),
    '  end',
    '  subgraph broker ["Kafka topics"]',
    ...topics.map((topic) => `    ${id('topic', topic)}[["${topic}"]]`),
    '  end',
    '  subgraph stores ["stores and bindings (components/), each scoped to its app"]',
    ...stores.map((store) => `    ${id('store', store.name)}[("${store.name}<br/>${store.label}")]`),
    ...direct.map((appId) => `    ${id('direct', appId)}[("rate-limit counters<br/>Redis, without the sidecar")]`),
    '  end',
    ...apps.flatMap((callee) => invokedByOf(callee).map((caller) => `  ${id('app', caller)} -->|may invoke| ${id('app', callee)}`)),
    ...apps.flatMap((appId) => publishesOf(appId).map((topic) => `  ${id('app', appId)} -.->|publishes| ${id('topic', topic)}`)),
    ...apps.flatMap((appId) => readsOf(appId).map((topic) => `  ${id('topic', topic)} -.-> ${id('app', appId)}`)),
    ...stores.flatMap((store) => store.apps.map((appId) => `  ${id('app', appId)} --- ${id('store', store.name)}`)),
    ...direct.map((appId) => `  ${id('app', appId)} --- ${id('direct', appId)}`),
  ];

  const table = [
    '| app | may be invoked by | publishes | subscribes to | its stores and bindings |',
    '|---|---|---|---|---|',
    ...apps.map((appId) => {
      const own = stores.filter((store) => store.apps.includes(appId)).map((store) => `${store.name} (${store.label})`);
      return `| \`${appId}\` | ${list(invokedByOf(appId))} | ${list(publishesOf(appId))} | ${list(readsOf(appId))} | ${list([...own, ...(direct.includes(appId) ? ['rate-limit counters (Redis, without the sidecar)'] : [])])} |`;
    }),
  ];

  return [
    '# Architecture',
    '',
    '<!-- GENERATED by `npm run architecture` (tools/launcher/src/architecture.ts): edit the sources below, then regenerate. -->',
    '',
    'The services, the topics that connect them and the stores each one owns, drawn from the single sources: the apps',
    'from `dapr.yaml`; the topics and their one publisher each from `packages/contracts` (`Topic`, `PublisherOf`); who',
    "reads which topic from the broker grants (contracts' `SubscribedTopics`, plus a team's own `broker-access.json`);",
    "who may invoke whom from the sidecar grants (contracts' `SidecarGrants`, plus a team's own grant in",
    '`tools/launcher/src/sidecar-configs.ts`); each store and binding from `components/` (its type and its scopes).',
    'A unit test (`tools/launcher/test/architecture.test.ts`) fails when this file is not what the generator makes.',
    '',
    "Solid arrows are the service invocations a sidecar's access control admits (mTLS identity; resiliency on the way); dotted arrows are",
    'events through the broker (the publisher writes each change and its event in one record, service-kit `outbox.ts`;',
    "every consumer is idempotent on `eventId`). No app reads another app's store. Every app also has the secret stores",
    'and its sidecar; the dead-letter topics (`<topic>-dead-letter`) are left out.',
    '',
    '```mermaid',
    ...diagram,
    '```',
    '',
    ...table,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(ARCHITECTURE_FILE, architectureMarkdown());
  console.log('wrote ARCHITECTURE.md');
}
