import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { INFRA_HOST, INFRA_PORTS, infraAddress } from '../src/infra/ports.js';
import { ROOT } from '../src/paths.js';
import { loadRunFile } from '../src/run-file.js';

/**
 * tools/launcher/src/infra/ports.ts is the one list of local infrastructure ports; everything else that
 * names one of those listeners must name the same address. A component pointing at another port would
 * reach nothing (or somebody else's Redis), and the sidecar would only say so at start-up.
 */
const filesUnder = (dir: string, ext: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, ext) : path.endsWith(ext) ? [path] : [];
  });

type Component = { kind: string; metadata: { name: string }; spec: { type: string; metadata?: Array<{ name: string; value?: unknown }> } };

/** Which listener a component's field points at, by what the field is. */
function expectedPort(component: Component, field: string): number | undefined {
  if (field === 'redisHost') return INFRA_PORTS.redis;
  if (component.spec.type === 'pubsub.kafka' && field === 'brokers') return INFRA_PORTS.kafka;
  if (component.spec.type === 'bindings.http' && field === 'url') return INFRA_PORTS.kakaoSink;
  return undefined;
}

const LOOPBACK = /(?:127\.0\.0\.1|localhost):(\d+)/g;

describe('the local infrastructure ports have one source (tools/launcher/src/infra/ports.ts)', () => {
  it('every component under components/ that names a loopback address names the launcher port for that kind of store', () => {
    const seen = new Set<number>();
    for (const file of filesUnder(join(ROOT, 'components'), '.yaml')) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Component)) {
        if (doc?.kind !== 'Component') continue;
        for (const { name, value } of doc.spec.metadata ?? []) {
          for (const [address, port] of String(value ?? '').matchAll(LOOPBACK)) {
            const where = `${relative(ROOT, file)} ${doc.metadata.name}.${name} (${address})`;
            expect(expectedPort(doc, name), `${where}: no entry in infra/ports.ts says what listens there`).toBeDefined();
            expect(Number(port), where).toBe(expectedPort(doc, name));
            expect(address, where).toBe(infraAddress(Number(port)));
            seen.add(Number(port));
          }
        }
      }
    }
    // The files are where they are expected: each kind was found at least once.
    expect([...seen].sort()).toEqual([INFRA_PORTS.redis, INFRA_PORTS.kafka, INFRA_PORTS.kakaoSink].sort());
  });

  it("the sidecars' shared Configuration sends spans to the trace sink's port", () => {
    const config = parse(readFileSync(join(ROOT, 'dapr-config', 'config.yaml'), 'utf8')) as {
      spec: { tracing: { zipkin: { endpointAddress: string } } };
    };
    expect(new URL(config.spec.tracing.zipkin.endpointAddress).host).toBe(infraAddress(INFRA_PORTS.traceSink));
  });

  it("dapr.yaml gives the gateway the launcher's Redis for its rate limits", () => {
    const gateway = loadRunFile().find((app) => app.appId === 'gateway')!;
    expect(gateway.env.RATE_LIMIT_REDIS).toBe(infraAddress(INFRA_PORTS.redis));
  });

  it('the test support and the benchmarks take the ports from the launcher, never a literal', () => {
    const ports = Object.values(INFRA_PORTS).join('|');
    // `:6379`, `port: 6379`, `port=5432`: a port in an address or an option, in code or in a comment.
    const literal = new RegExp(`(?::\\s*|port\\W{0,4})(?:${ports})(?!\\d)`, 'i');
    const sources = ['test/support', 'test/integration', 'bench'].flatMap((dir) => filesUnder(join(ROOT, dir), '.ts'));
    expect(sources.length).toBeGreaterThan(20);
    const offenders = sources.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (literal.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
    expect(INFRA_HOST).toBe('127.0.0.1');
  });
});
