import { ACCESS_TOKEN_SECONDS, AppId, issuerOf, LOCAL_PUBLIC_ORIGIN } from '@burger/contracts';
import {
  createLogger,
  createServiceApp,
  readSecret,
  requiredPort,
  serveGracefully,
  sidecarReady,
  whenSidecarReady,
} from '@burger/service-kit';
import { DEMO_ACCOUNTS, loadTestAccounts } from './domain/account.js';
import { DaprStateAdapter } from './adapters/dapr/oidc-state-adapter.js';
import { DemoDirectory } from './adapters/directory/demo-directory.js';
import { mountOidcRoutes, type OidcParts } from './adapters/http/oidc-routes.js';
import { createProvider } from './adapters/oidc/provider.js';
import { signingJwk } from './adapters/oidc/signing-key.js';

/** Composition root. The secrets come through the sidecar, so the listener starts first and readiness waits for them. */
const logger = createLogger(AppId.auth);
const publicOrigin = process.env.PUBLIC_ORIGIN ?? LOCAL_PUBLIC_ORIGIN;
const issuer = issuerOf(publicOrigin);
let configured = false;

const { app, markDraining } = createServiceApp({
  logger,
  readiness: { sidecar: sidecarReady, secrets: async () => configured },
  appApiToken: process.env.APP_API_TOKEN,
  // The provider's routes read the raw Node request (oidc-provider counts up to 56 KiB as it reads,
  // the sign-in form 4 KiB): here only the declared length is checked. The gateway counts 16 KiB.
  maxBodyBytes: 16_384,
  countBodyWhileStreaming: false,
});

async function configure(): Promise<OidcParts> {
  await whenSidecarReady();
  const [signingKey, cookieKey, demoPassword] = await Promise.all([
    readSecret('auth-signing-key'),
    readSecret('auth-cookie-key'),
    readSecret('demo-password'),
  ]);
  const accounts = new DemoDirectory([...DEMO_ACCOUNTS, ...loadTestAccounts(Number(process.env.LOAD_TEST_ACCOUNTS ?? 0))], demoPassword);
  const provider = createProvider(
    {
      publicOrigin,
      signingKey: signingJwk(signingKey),
      cookieKeys: [cookieKey],
      accessTokenSeconds: Number(process.env.ACCESS_TOKEN_SECONDS ?? ACCESS_TOKEN_SECONDS),
      refreshTokenSeconds: Number(process.env.REFRESH_TOKEN_SECONDS ?? 86_400),
      adapter: DaprStateAdapter,
    },
    accounts,
  );
  configured = true;
  logger.info({ issuer }, 'OpenID provider ready');
  return { provider, accounts };
}

const ready = configure();
ready.catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not configure the OpenID provider');
  process.exit(1);
});
mountOidcRoutes(app, ready, issuer, logger);
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining });
