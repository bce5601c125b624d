import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { daprdArgs, mtlsEndpoint, placementAddress, schedulerAddress, semverCompare } from '../src/cli-rules.js';
import { loadRunFile } from '../src/run-file.js';
import { ROOT } from '../src/paths.js';

/**
 * Each test pins one rule of how dapr/cli 1.18.0 starts daprd for `dapr run -f`
 * (function and file named in the test), which the launcher copies in src/cli-rules.ts.
 */
describe("daprd's command line, as `dapr run -f` builds it", () => {
  it('pkg/standalone/run.go mtlsEndpoint: --enable-mtls --sentry-address localhost:50001 iff the Configuration has spec.mtls.enabled: true', () => {
    const config = (yaml: string) => () => yaml;
    expect(mtlsEndpoint('c.yaml', config('spec:\n  mtls:\n    enabled: true\n'))).toBe('localhost:50001');
    expect(mtlsEndpoint('c.yaml', config('spec:\n  mtls:\n    enabled: false\n'))).toBe('');
    expect(mtlsEndpoint('c.yaml', config('spec: {}\n'))).toBe('');
    expect(
      mtlsEndpoint('c.yaml', () => {
        throw new Error('ENOENT');
      }),
    ).toBe('');
  });

  it('every Configuration dapr.yaml names switches mTLS on, so the CLI passes the sentry flags (pay access control needs the caller identity)', () => {
    for (const app of loadRunFile()) {
      expect(mtlsEndpoint(app.configFile), app.configFile).toBe('localhost:50001');
      expect(daprdArgs(app, '1.18.2')).toEqual(expect.arrayContaining(['--enable-mtls', '--sentry-address', 'localhost:50001']));
    }
  });

  it('pkg/standalone/run.go validatePlacementHostAddr: absent → localhost:50005, "" → no flag, a bare host gets :50005', () => {
    expect(placementAddress(undefined)).toBe('localhost:50005');
    expect(placementAddress('')).toBe('');
    expect(placementAddress('p')).toBe('p:50005');
    expect(placementAddress('p:1')).toBe('p:1');
  });

  it('cmd/run.go validateSchedulerHostAddress: for daprd > 1.15.0-rc.0, "" or absent becomes localhost:50006; older or `edge` keeps it', () => {
    expect(schedulerAddress('1.18.2', '')).toBe('localhost:50006');
    expect(schedulerAddress('1.18.2', undefined)).toBe('localhost:50006');
    expect(schedulerAddress('1.15.0', '')).toBe('localhost:50006');
    expect(schedulerAddress('1.15.0-rc.0', '')).toBe('');
    expect(schedulerAddress('1.14.4', '')).toBe('');
    expect(schedulerAddress('1.14.4', undefined)).toBeUndefined();
    expect(schedulerAddress('edge', '')).toBe('');
    expect(schedulerAddress('1.18.2', 'sched')).toBe('sched:50006');
  });

  it('golang.org/x/mod/semver.Compare as the CLI uses it', () => {
    expect(semverCompare('v1.18.2', 'v1.15.0-rc.0')).toBe(1);
    expect(semverCompare('v1.15.0-rc.1', 'v1.15.0-rc.0')).toBe(1);
    expect(semverCompare('v1.15.0-rc.0', 'v1.15.0')).toBe(-1);
    expect(semverCompare('vedge', 'v1.15.0-rc.0')).toBe(-1);
    expect(semverCompare('v1.15.0-rc.10', 'v1.15.0-rc.9')).toBe(1);
  });

  // Seen with `ps` under dapr 1.18.0 and daprd 1.18.2: first with dapr.yaml's app health checks, whose five flags
  // came after --read-buffer-size, and again on 2026-12-03 without them (dapr.yaml says why they went).
  it("pkg/standalone/run.go getArgs: pay's sidecar gets exactly the flags, in the order, the real CLI gave it", () => {
    const pay = loadRunFile().find((app) => app.appId === 'pay')!;
    expect(daprdArgs(pay, '1.18.2')).toEqual([
      '--config',
      join(ROOT, 'dapr-config', 'apps', 'pay.yaml'),
      '--app-protocol',
      'http',
      '--dapr-listen-addresses',
      '127.0.0.1',
      '--log-level',
      'info',
      '--app-max-concurrency',
      '-1',
      '--resources-path',
      join(ROOT, 'components'),
      '--resources-path',
      join(ROOT, 'dapr-config', 'resiliency'),
      '--max-body-size',
      '4Mi',
      '--read-buffer-size',
      '4Ki',
      '--scheduler-host-address',
      'localhost:50006',
      '--app-id',
      'pay',
      '--app-port',
      '3002',
      '--dapr-http-port',
      '3502',
      '--dapr-grpc-port',
      '4502',
      '--profile-port',
      '-1',
      '--metrics-port',
      '9192',
      '--dapr-internal-grpc-port',
      '4552',
      '--enable-mtls',
      '--sentry-address',
      'localhost:50001',
      // What `dapr run --log-as-json -f .` adds; the launcher's logs are JSON.
      '--log-as-json',
    ]);
  });
});

describe("files the sidecars open, from daprd's working directory (the app's folder, cmd/run.go startDaprdAndAppProcesses)", () => {
  const yamlFiles = ['components', 'components/brokers/redis-streams', 'dapr-config'].flatMap((dir) => readdirYaml(join(ROOT, dir)));

  it('every relative file path in a component or configuration reaches .run/ from every app folder', () => {
    const relativePaths = yamlFiles.flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8'))
        .flatMap((doc) => filePathsIn(doc.toJS()))
        .map((path) => ({ file, path })),
    );
    expect(relativePaths.length).toBeGreaterThanOrEqual(6);
    for (const app of loadRunFile()) {
      for (const { file, path } of relativePaths) {
        expect(path.startsWith('/') ? path : join(app.appDir, path), `${file} from ${app.appDir}`).toMatch(
          new RegExp(`^${join(ROOT, '.run')}/`),
        );
      }
    }
  });
});

function readdirYaml(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

/** secretsFile and SQLite connection strings, wherever they are in the document. */
function filePathsIn(doc: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (
      (record.name === 'secretsFile' || record.name === 'connectionString') &&
      typeof record.value === 'string' &&
      !record.value.includes('=')
    )
      found.push(record.value);
    if (typeof record.connectionString === 'string') found.push(record.connectionString);
    Object.values(record).forEach(visit);
  };
  visit(doc);
  return found;
}
