import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './paths.js';

/** The secret store every app's components use (components/secretstore.yaml). */
export const SECRETS_FILE = join(RUN_DIR, 'secrets', 'local-secrets.json');
/** auth's own secret store (components/authsecrets.yaml, scoped to auth): no other sidecar can read these. */
export const AUTH_SECRETS_FILE = join(RUN_DIR, 'secrets', 'auth-secrets.json');
const AUTH_KEYS = ['auth-signing-key', 'auth-cookie-key', 'demo-password'] as const;
/**
 * Each app-id's two tokens, in a file no secret store loads: no sidecar can hand them out.
 * The launcher gives an app and its sidecar that app's pair only, so a leaked token opens one sidecar
 * (or one app), never all of them.
 */
export const TOKENS_FILE = join(RUN_DIR, 'secrets', 'app-tokens.json');

/** Local secrets, made once per machine checkout and kept under .run/ (never committed). */
export interface LocalSecrets {
  'postgres-password': string;
  'orderstore-connection-string': string;
  'redis-password': string;
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
  // The shared tokens of earlier checkouts are gone: each app-id has its own pair now (TOKENS_FILE).
  for (const legacy of ['dapr-api-token', 'app-api-token']) delete (secrets as Record<string, string>)[legacy];
  const isAuthKey = (key: string) => (AUTH_KEYS as readonly string[]).includes(key);
  const shared = Object.fromEntries(Object.entries(secrets).filter(([key]) => !isAuthKey(key)));
  const auth = Object.fromEntries(Object.entries(secrets).filter(([key]) => isAuthKey(key)));
  writeSecretFile(SECRETS_FILE, shared);
  writeSecretFile(AUTH_SECRETS_FILE, auth);
  return secrets;
}

/** The pair `dapr run -f` shares between all its apps (cli-env.ts): not an app-id's. */
export const CLI_TOKENS = 'dapr-cli';

/** An app-id's pair: the Dapr API token (app → its sidecar) and the app API token (sidecar → its app). */
export interface AppTokens {
  'dapr-api-token': string;
  'app-api-token': string;
}
export type TokensByApp = Record<string, AppTokens>;

/** Every app-id's tokens, made once (an app-id new to the checkout gets a fresh pair; existing ones stay). */
export function loadOrCreateTokens(appIds: readonly string[]): TokensByApp {
  const existing = existsSync(TOKENS_FILE) ? (JSON.parse(readFileSync(TOKENS_FILE, 'utf8')) as TokensByApp) : {};
  const tokens: TokensByApp = Object.fromEntries(
    [...new Set(appIds)].map((appId) => [appId, existing[appId] ?? { 'dapr-api-token': token(), 'app-api-token': token() }]),
  );
  writeSecretFile(TOKENS_FILE, { ...existing, ...tokens });
  return tokens;
}

function writeSecretFile(file: string, content: object): void {
  mkdirSync(join(RUN_DIR, 'secrets'), { recursive: true, mode: 0o700 });
  const text = JSON.stringify(content, null, 2);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

const token = () => randomBytes(24).toString('base64url');

function newSecrets(): LocalSecrets {
  const postgresPassword = token();
  return {
    'postgres-password': postgresPassword,
    'orderstore-connection-string': `host=127.0.0.1 port=${POSTGRES.port} user=${POSTGRES.user} password=${postgresPassword} dbname=${POSTGRES.database} sslmode=disable`,
    'redis-password': token(),
    'auth-signing-key': JSON.stringify(signingJwk()),
    'auth-cookie-key': token(),
    'demo-password': token().slice(0, 12),
  };
}

function signingJwk(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

/** One app-id's pair, for tools that were not handed the stack (benchmarks). */
export function tokensOfApp(appId: string): AppTokens {
  return loadOrCreateTokens([appId])[appId]!;
}
