import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './paths.js';

export const SECRETS_FILE = join(RUN_DIR, 'secrets', 'local-secrets.json');

/** Local secrets, made once per machine checkout and kept under .run/ (never committed). */
export interface LocalSecrets {
  'postgres-password': string;
  'orderstore-connection-string': string;
  'redis-password': string;
  /** Apps present it to their sidecar (Dapr API token). */
  'dapr-api-token': string;
  /** Sidecars present it to their app, so only the sidecar can call an app. */
  'app-api-token': string;
  /** The auth service's token-signing key: a private EC P-256 JWK, as JSON. */
  'auth-signing-key': string;
  /** Signs the auth service's session and interaction cookies. */
  'auth-cookie-key': string;
  /** The demo accounts' password (README: "Sign in"). */
  'demo-password': string;
}

export const POSTGRES = { port: 5432, user: 'burger', database: 'burger' } as const;
export const REDIS = { port: 6379 } as const;

export function loadOrCreateSecrets(): LocalSecrets {
  const existing = existsSync(SECRETS_FILE) ? (JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Partial<LocalSecrets>) : {};
  const secrets = { ...newSecrets(), ...existing };
  // A checkout from before a secret existed gets just the missing ones; existing passwords stay.
  if (Object.keys(secrets).length !== Object.keys(existing).length) {
    mkdirSync(join(RUN_DIR, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    chmodSync(SECRETS_FILE, 0o600);
  }
  return secrets;
}

function newSecrets(): LocalSecrets {
  const token = () => randomBytes(24).toString('base64url');
  const postgresPassword = token();
  return {
    'postgres-password': postgresPassword,
    'orderstore-connection-string': `host=127.0.0.1 port=${POSTGRES.port} user=${POSTGRES.user} password=${postgresPassword} dbname=${POSTGRES.database} sslmode=disable`,
    'redis-password': token(),
    'dapr-api-token': token(),
    'app-api-token': token(),
    'auth-signing-key': JSON.stringify(signingJwk()),
    'auth-cookie-key': token(),
    'demo-password': token().slice(0, 12),
  };
}

function signingJwk(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}
