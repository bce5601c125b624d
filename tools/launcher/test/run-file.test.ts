import { describe, expect, it } from 'vitest';
import { AppId } from '@burger/contracts';
import { loadRunFile } from '../src/run-file.js';
import { existsSync } from 'node:fs';

type App = ReturnType<typeof loadRunFile>[number];
/** Every port an app instance listens on: its own and its sidecar's, and the extra *_PORT it is given. */
const portsOf = (apps: App[]) =>
  apps.flatMap((a) => [
    a.appPort,
    a.daprHttpPort,
    a.daprGrpcPort,
    a.daprInternalGrpcPort,
    a.metricsPort,
    ...Object.entries(a.env)
      .filter(([name]) => name.endsWith('_PORT'))
      .map(([, port]) => Number(port)),
  ]);

describe('dapr.yaml, the run file', () => {
  const apps = loadRunFile();

  it('declares every app-id the contracts know, each once (plus teams the contracts need not know)', () => {
    const ids = apps.map((a) => a.appId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const appId of Object.values(AppId)) expect(ids).toContain(appId);
  });

  it('gives every app distinct ports', () => {
    const ports = portsOf(apps);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('points at directories and files that exist', () => {
    for (const app of apps) {
      expect(existsSync(app.appDir), app.appDir).toBe(true);
      expect(existsSync(app.configFile), app.configFile).toBe(true);
      for (const path of app.resourcesPaths) expect(existsSync(path), path).toBe(true);
    }
  });

  it('gives every app its own Configuration (its sidecar APIs, secrets and callers), none the shared base', () => {
    for (const app of apps) {
      expect(app.configFile, app.appId).toMatch(
        app.appId === 'marketing' ? /services\/marketing\/dapr-config\.yaml$/ : new RegExp(`dapr-config/apps/${app.appId}\\.yaml$`),
      );
    }
  });
});

describe('replicas', () => {
  it('give every extra replica ports of its own', async () => {
    const { withReplicas } = await import('../src/run-file.js');
    const apps = withReplicas(loadRunFile(), 'store=2,notification=3,order=2');
    expect(apps.map((a) => a.instance)).toEqual(
      expect.arrayContaining(['store', 'store-2', 'notification', 'notification-2', 'notification-3']),
    );
    const ports = portsOf(apps);
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.max(...ports)).toBeLessThan(32_768); // below the ephemeral range
  });
});
