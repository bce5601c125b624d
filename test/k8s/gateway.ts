import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signIn as signInAt } from '../../tools/launcher/src/sign-in.js';
import { readBody } from '../support/api.js';
import { secretValue } from './cluster.js';
import { GATEWAY_PORT } from './global-setup.js';

/** The system's one way in on the cluster: the gateway Service, port-forwarded by the global setup. */
export const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}`;

export async function signIn(username: string) {
  return signInAt(username, await secretValue('auth-secrets', 'demo-password'), gatewayUrl);
}

export async function api(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${gatewayUrl}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await readBody(response)) as Record<string, any> };
}

/** pay's record as its sidecar wrote it, in the SQLite file on the payments volume (scripts/k8s/volumes.yaml). */
export async function paymentRecord(orderId: string): Promise<Record<string, unknown> | undefined> {
  const db = join(process.env.K8S_STATE!, 'volumes', 'payments', 'payments.db');
  const key = `pay||payment-${orderId}`.replace(/'/g, "''");
  const { stdout } = await promisify(execFile)('sqlite3', ['-readonly', db, `SELECT value FROM payments WHERE key = '${key}'`]);
  return stdout.trim() ? (JSON.parse(stdout.trim()) as Record<string, unknown>) : undefined;
}
