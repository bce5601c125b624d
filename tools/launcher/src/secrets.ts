import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BrokerGrant } from '@burger/contracts';
import { INFRA_PORTS } from './infra/ports.js';
import { ROOT, RUN_DIR } from './paths.js';

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
/**
 * The backing stores' administrator passwords: the launcher and the tests' own clients use them (Redis's
 * `default` user, Kafka's super users). In a file that no secret store loads, so no sidecar can read them.
 */
export const ADMIN_SECRETS_FILE = join(RUN_DIR, 'secrets', 'admin-secrets.json');
const ADMIN_KEYS = ['redis-password', 'kafka-admin-password', 'kafka-controller-password'] as const;

/** Local secrets, made once per machine checkout and kept under .run/ (never committed). */
export interface LocalSecrets {
  'postgres-password': string;
  'orderstore-connection-string': string;
  /** Redis's `default` user (every command, every key): operators and tests only, never an app. */
  'redis-password': string;
  /** Kafka's super user `admin`: creates topics, users and ACLs; the broker's own inter-broker login. */
  'kafka-admin-password': string;
  /** The KRaft controller listener's login (PLAIN: SCRAM credentials live in the metadata the controller serves). */
  'kafka-controller-password': string;
  /** The auth service's token-signing key: a private EC P-256 JWK, as JSON. */
  'auth-signing-key': string;
  /** Signs the auth service's session and interaction cookies. */
  'auth-cookie-key': string;
  /** The demo accounts' password (README: "Sign in"). */
  'demo-password': string;
}

export const POSTGRES = { port: INFRA_PORTS.postgres, user: 'burger', database: 'burger' } as const;
export const REDIS = { port: INFRA_PORTS.redis } as const;

export function loadOrCreateSecrets(): LocalSecrets {
  const read = (file: string) => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {});
  const existing = { ...read(SECRETS_FILE), ...read(AUTH_SECRETS_FILE), ...read(ADMIN_SECRETS_FILE) };
  // A checkout from before a secret existed gets just the missing ones; existing passwords stay
  // (and one that moved file, like redis-password into the admin file, moves with its value).
  const secrets = { ...newSecrets(), ...existing };
  // The shared tokens of earlier checkouts are gone: each app-id has its own pair now (TOKENS_FILE).
  for (const legacy of ['dapr-api-token', 'app-api-token']) delete (secrets as Record<string, string>)[legacy];
  const groupOf = (key: string) =>
    (AUTH_KEYS as readonly string[]).includes(key)
      ? AUTH_SECRETS_FILE
      : (ADMIN_KEYS as readonly string[]).includes(key)
        ? ADMIN_SECRETS_FILE
        : SECRETS_FILE;
  mkdirSync(join(RUN_DIR, 'secrets'), { recursive: true, mode: 0o700 });
  for (const file of [SECRETS_FILE, AUTH_SECRETS_FILE, ADMIN_SECRETS_FILE]) {
    writeSecretFile(file, Object.fromEntries(Object.entries(secrets).filter(([key]) => groupOf(key) === file)));
  }
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

/** One app-id's own logins to the backing stores: user name = app-id (`{appID}` in the components). */
export interface AppCredentials {
  'kafka-password': string;
  'redis-password': string;
}

/** What a backing store needs to know to create its users: its admin password, each app-id's login, and each app's grant. */
export interface StoreLogins {
  secrets: LocalSecrets;
  users: ReadonlyMap<string, AppCredentials>;
  grants: readonly BrokerGrant[];
}

/**
 * Where the sidecar of one app finds its credentials: `components/app-credentials.yaml` names
 * `.run/secrets/apps/{appID}.json`, and Dapr puts the sidecar's own app-id into the path, so each
 * sidecar loads only its own file (on Kubernetes: the app's own Secret, mounted into its sidecar).
 */
export const appCredentialsFile = (appId: string) => join(RUN_DIR, 'secrets', 'apps', `${appId}.json`);

/** Made once per app-id and kept; an app-id seen for the first time gets new ones. */
export function loadOrCreateAppCredentials(appIds: readonly string[]): Map<string, AppCredentials> {
  mkdirSync(join(RUN_DIR, 'secrets', 'apps'), { recursive: true, mode: 0o700 });
  const all = new Map<string, AppCredentials>();
  for (const appId of new Set(appIds)) {
    const file = appCredentialsFile(appId);
    const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<AppCredentials>) : {};
    const credentials: AppCredentials = { 'kafka-password': token(), 'redis-password': token(), ...existing };
    writeSecretFile(file, credentials);
    all.set(appId, credentials);
  }
  return all;
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
    'kafka-admin-password': token(),
    'kafka-controller-password': token(),
    'auth-signing-key': JSON.stringify(signingJwk()),
    'auth-cookie-key': token(),
    'demo-password': token().slice(0, 12),
  };
}

function signingJwk(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

/** An app instance's pair: every replica of an app-id shares it, as pods of one Deployment share its Secrets. */
export function tokensOf(tokens: TokensByApp, app: { appId: string }): AppTokens {
  const pair = tokens[app.appId];
  if (!pair) throw new Error(`no tokens for app-id ${app.appId} (${relative(ROOT, TOKENS_FILE)})`);
  return pair;
}

/** One app-id's pair, for tools that were not handed the stack (benchmarks). */
export function tokensOfApp(appId: string): AppTokens {
  return loadOrCreateTokens([appId])[appId]!;
}
