import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { AppId, LOCAL_PUBLIC_ORIGIN } from '@burger/contracts';
import { ROOT } from '../src/paths.js';
import { loadRunFile } from '../src/run-file.js';

/** The run file is the source of truth for app-ids and ports; the other descriptions of the system must agree with it. */
describe('tye.yaml and k8s/ agree with dapr.yaml', () => {
  const apps = loadRunFile();

  it('tye.yaml lists the same apps on the same ports', () => {
    const tye = parse(readFileSync(join(ROOT, 'tye.yaml'), 'utf8')) as {
      services: Array<{ name: string; bindings: Array<{ port: number }> }>;
    };
    expect(Object.fromEntries(tye.services.map((s) => [s.name, s.bindings[0]!.port]))).toEqual(
      Object.fromEntries(apps.map((a) => [a.appId, a.appPort])),
    );
  });

  it("tye.yaml gives each app the run file's own env and its APP_PORT (the apps have no fallback ports)", () => {
    const tye = parse(readFileSync(join(ROOT, 'tye.yaml'), 'utf8')) as {
      services: Array<{ name: string; env?: Array<{ name: string; value: string | number }> }>;
    };
    const runFile = parse(readFileSync(join(ROOT, 'dapr.yaml'), 'utf8')) as {
      apps: Array<{ appID: string; appPort: number; env?: Record<string, string> }>;
    };
    const tyeEnv = Object.fromEntries(
      tye.services.map((s) => [s.name, Object.fromEntries((s.env ?? []).map((e) => [e.name, String(e.value)]))]),
    );
    expect(tyeEnv).toEqual(Object.fromEntries(runFile.apps.map((a) => [a.appID, { APP_PORT: String(a.appPort), ...a.env }])));
  });

  it('each Kubernetes Deployment carries the app-id and app-port of the run file, and gives the app that port as APP_PORT', () => {
    for (const app of apps) {
      const docs = parseAllDocuments(readFileSync(join(ROOT, 'k8s/base/apps', `${app.appId}.yaml`), 'utf8')).map((d) => d.toJS());
      const deployment = docs.find((d) => d.kind === 'Deployment');
      const annotations = deployment.spec.template.metadata.annotations;
      expect(annotations['dapr.io/app-id']).toBe(app.appId);
      expect(annotations['dapr.io/app-port']).toBe(String(app.appPort));
      const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === app.appId);
      const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
      expect(env.APP_PORT, app.appId).toBe(String(app.appPort));
      // Every other port the app reads without a fallback (its gRPC or metrics listener, its rate-limit store).
      for (const name of Object.keys(app.env).filter((n) => n.endsWith('_PORT') || n === 'RATE_LIMIT_REDIS'))
        expect(env[name], `${app.appId} ${name}`).toBeDefined();
    }
  });

  it("sentry's Configuration states the mTLS settings every sidecar shares (dapr-config/config.yaml)", () => {
    // The per-app Configurations are generated from config.yaml (sidecar-configs.ts, tested in sidecar-access.test.ts);
    // sentry's own is the one other local file with an mtls block, and it must not drift (certificate TTL, clock skew).
    const read = (path: string) => (parse(readFileSync(join(ROOT, path), 'utf8')) as { spec: { mtls: unknown } }).spec.mtls;
    expect(read('dapr-config/sentry-config.yaml')).toEqual(read('dapr-config/config.yaml'));
  });

  it("the local public origin (contracts' LOCAL_PUBLIC_ORIGIN, the OpenID issuer's base) is the gateway's port in dapr.yaml", () => {
    const gateway = apps.find((app) => app.appId === AppId.gateway)!;
    expect(new URL(LOCAL_PUBLIC_ORIGIN).port).toBe(String(gateway.appPort));
  });

  it('the cluster Resiliency is the local one', () => {
    const read = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8'));
    expect(read('k8s/base/dapr/resiliency.yaml')).toEqual(read('dapr-config/resiliency/resiliency.yaml'));
  });
});
