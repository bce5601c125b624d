import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './paths.js';

/** The secret store every app's components use (components/secretstore.yaml). */
export const SECRETS_FILE = join(RUN_DIR, 'secrets', 'local-secrets.json');
/** auth's own secret store (components/authsecrets.yaml, scoped to auth): no other sidecar can read these. */
export const AUTH_SECRETS_FILE = join(RUN_DIR, 'secrets', 'auth-secrets.json');
const AUTH_KEYS = ['auth-signing-key', 'auth-cookie-key', 'demo-password'] as const;

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
  const read = (file: string) => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {});
  const existing = { ...read(SECRETS_FILE), ...read(AUTH_SECRETS_FILE) };
  // A checkout from before a secret existed gets just the missing ones; existing passwords stay.
  const secrets = { ...newSecrets(), ...existing };
  const isAuthKey = (key: string) => (AUTH_KEYS as readonly string[]).includes(key);
  const shared = Object.fromEntries(Object.entries(secrets).filter(([key]) => !isAuthKey(key)));
  const auth = Object.fromEntries(Object.entries(secrets).filter(([key]) => isAuthKey(key)));
  mkdirSync(join(RUN_DIR, 'secrets'), { recursive: true, mode: 0o700 });
  for (const [file, content] of [[SECRETS_FILE, shared], [AUTH_SECRETS_FILE, auth]] as const) {
    const text = JSON.stringify(content, null, 2);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text, { mode: 0o600 });
    chmodSync(file, 0o600);
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
