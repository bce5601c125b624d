/**
 * Settings a process must be given, read once at start-up. Ports have one home, dapr.yaml: the launcher
 * and `dapr run -f` hand them to each app (APP_PORT, DAPR_HTTP_PORT and the run file's `env`), and on
 * Kubernetes the Deployment's env and the sidecar injector do. A literal fallback in the code would be a
 * second copy that drifts silently (an app listening where its sidecar never calls), so a missing or
 * malformed value stops the process at once, naming the variable.
 */
export class SettingMissing extends Error {
  override readonly name = 'SettingMissing';
}

const WHERE_PORTS_COME_FROM =
  'ports come from dapr.yaml (the launcher and `dapr run -f` set it; on Kubernetes the Deployment or the sidecar injector does)';

/** A TCP port from the environment variable `name`. */
export function requiredPort(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const value = env[name]?.trim();
  if (!value) throw new SettingMissing(`${name} is not set: ${WHERE_PORTS_COME_FROM}`);
  return portOf(name, value);
}

/** A `host:port` address from the environment variable `name` (another process's listener, e.g. a Redis). */
export function requiredAddress(name: string, env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
  const value = env[name]?.trim();
  if (!value) throw new SettingMissing(`${name} is not set (host:port): ${WHERE_PORTS_COME_FROM}`);
  const colon = value.lastIndexOf(':');
  const host = value.slice(0, colon);
  if (colon <= 0 || !host) throw new SettingMissing(`${name}=${value} is not host:port`);
  return { host, port: portOf(name, value.slice(colon + 1)) };
}

function portOf(name: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535) throw new SettingMissing(`${name}: ${value} is not a TCP port (1-65535)`);
  return port;
}
