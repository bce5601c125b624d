import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RunFile, resolveRunFile, type ResolveContext } from '../src/run-file.js';

/**
 * Each test pins one rule of dapr/cli 1.18.0 `pkg/runfileconfig/run_file_config_parser.go`
 * (function named in the test), which `dapr run -f` applies and the launcher copies
 * (src/run-file.ts). If the CLI changes a rule, change both and this test.
 */
const RUN_FILE = '/repo/dapr.yaml';
const app = {
  appDirPath: 'services/pay',
  appPort: 3002,
  daprHTTPPort: 3502,
  daprGRPCPort: 4502,
  daprInternalGRPCPort: 4552,
  metricsPort: 9192,
  command: ['node'],
};

function resolveWith(doc: unknown, files: string[], context: Partial<ResolveContext> = {}) {
  const existing = new Set(files);
  return resolveRunFile(RunFile.parse(doc), RUN_FILE, { homeDir: '/home/me', exists: (path) => existing.has(path), ...context });
}

describe('dapr.yaml path rules (dapr/cli pkg/runfileconfig)', () => {
  it('validateRunConfig: common paths resolve against the run file folder', () => {
    const [pay] = resolveWith(
      { version: 1, common: { resourcesPaths: ['components'], configFilePath: 'dapr-config/config.yaml' }, apps: [app] },
      ['/repo/components', '/repo/dapr-config/config.yaml', '/repo/services/pay'],
    );
    expect(pay!.resourcesPaths).toEqual(['/repo/components']);
    expect(pay!.configFile).toBe('/repo/dapr-config/config.yaml');
  });

  it("validateRunConfig: every per-app path resolves against that app's appDirPath, not the run file folder", () => {
    const files = ['/repo/services/pay', '/repo/dapr-config/pay-config.yaml', '/repo/components'];
    const [pay] = resolveWith(
      { version: 1, apps: [{ ...app, configFilePath: '../../dapr-config/pay-config.yaml', resourcesPaths: ['../../components'] }] },
      files,
    );
    expect(pay!.configFile).toBe('/repo/dapr-config/pay-config.yaml');
    expect(pay!.resourcesPaths).toEqual(['/repo/components']);
    // The failure: the same path written from the repository root is looked for under the app.
    expect(() => resolveWith({ version: 1, apps: [{ ...app, configFilePath: 'dapr-config/pay-config.yaml' }] }, files)).toThrow(
      '/repo/services/pay/dapr-config/pay-config.yaml does not exist',
    );
  });

  it('resolvePathToAbsAndValidate: a leading ~/ is the home folder, absolute paths stay, and a missing path is an error', () => {
    const [pay] = resolveWith({ version: 1, apps: [{ ...app, configFilePath: '~/cfg.yaml', resourcesPaths: ['/abs/res'] }] }, [
      '/repo/services/pay',
      '/home/me/cfg.yaml',
      '/abs/res',
    ]);
    expect(pay!.configFile).toBe('/home/me/cfg.yaml');
    expect(pay!.resourcesPaths).toEqual(['/abs/res']);
    expect(() => resolveWith({ version: 1, common: { resourcesPaths: ['nowhere'] }, apps: [app] }, ['/repo/services/pay'])).toThrow(
      '/repo/nowhere does not exist',
    );
  });

  it('resolveResourcesFilePath: apps[i].resourcesPaths > appDirPath/.dapr/resources > common.resourcesPaths > <runtime>/.dapr/components', () => {
    const common = { resourcesPaths: ['components'] };
    const base = ['/repo/services/pay', '/repo/components', '/repo/services/pay/own'];
    const local = '/repo/services/pay/.dapr/resources';
    expect(resolveWith({ version: 1, common, apps: [{ ...app, resourcesPaths: ['own'] }] }, [...base, local])[0]!.resourcesPaths).toEqual([
      '/repo/services/pay/own',
    ]);
    expect(resolveWith({ version: 1, common, apps: [app] }, [...base, local])[0]!.resourcesPaths).toEqual([local]);
    expect(resolveWith({ version: 1, common, apps: [app] }, base)[0]!.resourcesPaths).toEqual(['/repo/components']);
    expect(resolveWith({ version: 1, apps: [app] }, base)[0]!.resourcesPaths).toEqual(['/home/me/.dapr/components']);
  });

  it('resolveConfigFilePath: apps[i].configFilePath > appDirPath/.dapr/config.yaml > common.configFilePath > <runtime>/.dapr/config.yaml', () => {
    const common = { configFilePath: 'c.yaml' };
    const base = ['/repo/services/pay', '/repo/c.yaml', '/repo/services/pay/own.yaml'];
    const local = '/repo/services/pay/.dapr/config.yaml';
    expect(resolveWith({ version: 1, common, apps: [{ ...app, configFilePath: 'own.yaml' }] }, [...base, local])[0]!.configFile).toBe(
      '/repo/services/pay/own.yaml',
    );
    expect(resolveWith({ version: 1, common, apps: [app] }, [...base, local])[0]!.configFile).toBe(local);
    expect(resolveWith({ version: 1, common, apps: [app] }, base)[0]!.configFile).toBe('/repo/c.yaml');
    expect(resolveWith({ version: 1, apps: [app] }, base)[0]!.configFile).toBe('/home/me/.dapr/config.yaml');
  });

  it("standalone.GetDaprRuntimePath: Dapr's defaults live under runtimePath, else DAPR_RUNTIME_PATH, else $HOME, plus /.dapr", () => {
    const files = ['/repo/services/pay', '/opt/dapr'];
    expect(resolveWith({ version: 1, apps: [app] }, files, { daprRuntimePath: '/env/rt' })[0]!.configFile).toBe(
      '/env/rt/.dapr/config.yaml',
    );
    const [pay] = resolveWith({ version: 1, common: { runtimePath: '/opt/dapr' }, apps: [app] }, files, { daprRuntimePath: '/env/rt' });
    expect(pay!.resourcesPaths).toEqual(['/opt/dapr/.dapr/components']);
    expect(pay!.daprdPath).toBe('/opt/dapr/.dapr/bin/daprd');
  });

  it('mergeCommonAndAppsSharedRunConfig: a field the app leaves at its zero value (absent, false, 0, "") takes common\'s', () => {
    const common = { logLevel: 'warn' as const, enableAppHealthCheck: true, appHealthThreshold: 5, appHealthCheckPath: '/healthz' };
    const [pay] = resolveWith(
      {
        version: 1,
        common,
        apps: [{ ...app, logLevel: 'debug', enableAppHealthCheck: false, appHealthThreshold: 0, appHealthCheckPath: '' }],
      },
      ['/repo/services/pay'],
    );
    expect(pay!.logLevel).toBe('debug');
    // Go cannot tell false/0/"" from "not given": common wins.
    expect(pay!.enableAppHealthCheck).toBe(true);
    expect(pay!.appHealth.threshold).toBe(5);
    expect(pay!.appHealthCheckPath).toBe('/healthz');
  });

  it('mergeCommonAndAppsSharedRunConfig: placement/scheduler addresses are *string: an app\'s "" is kept (off), only an absent one takes common\'s', () => {
    const common = { placementHostAddress: 'p:1', schedulerHostAddress: 's:2' };
    const [pay, store] = resolveWith(
      {
        version: 1,
        common,
        apps: [
          { ...app, placementHostAddress: '', schedulerHostAddress: '' },
          { ...app, appID: 'store' },
        ],
      },
      ['/repo/services/pay'],
    );
    expect([pay!.placementHostAddress, pay!.schedulerHostAddress]).toEqual(['', '']);
    expect([store!.placementHostAddress, store!.schedulerHostAddress]).toEqual(['p:1', 's:2']);
  });

  it('mergeCommonAndAppsEnv: apps[i].env > common.env', () => {
    const [pay] = resolveWith({ version: 1, common: { env: { A: 'common', B: 'common' } }, apps: [{ ...app, env: { B: 'app' } }] }, [
      '/repo/services/pay',
    ]);
    expect(pay!.env).toEqual({ A: 'common', B: 'app' });
  });

  it('setAppIDIfEmpty: the app-id defaults to the folder name of appDirPath', () => {
    expect(resolveWith({ version: 1, apps: [app] }, ['/repo/services/pay'])[0]!.appId).toBe('pay');
  });

  it('resolves our own dapr.yaml to existing files, pay to its own configuration', async () => {
    const { loadRunFile } = await import('../src/run-file.js');
    const { ROOT } = await import('../src/paths.js');
    const pay = loadRunFile().find((a) => a.appId === 'pay')!;
    expect(pay.configFile).toBe(join(ROOT, 'dapr-config', 'apps', 'pay.yaml'));
  });
});
