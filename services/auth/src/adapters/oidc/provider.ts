import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { API_AUDIENCE, API_SCOPE, issuerOf, WEB_APP_PATH, WEB_CLIENT_ID } from '@burger/contracts';
import type { AccountDirectory } from '../../application/ports.js';
import { accessClaims } from '../../domain/account.js';

export interface ProviderSettings {
  /** Where the gateway is reached publicly: the issuer is `<origin>/auth`, the app's redirect URIs hang below it. */
  publicOrigin: string;
  /** One private JWK (ES256) that signs ID and access tokens. */
  signingKey: Record<string, unknown>;
  cookieKeys: string[];
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  adapter?: Configuration['adapter'];
}

/**
 * A standards-compliant OpenID Connect provider (oidc-provider): authorization code
 * with PKCE for the browser app (a public client), refresh tokens, JWT access tokens
 * for the burger API carrying the caller's role and branch, and discovery + JWKS.
 */
export function createProvider(settings: ProviderSettings, accounts: AccountDirectory): Provider {
  const issuer = issuerOf(settings.publicOrigin);
  const configuration: Configuration = {
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'Burger web app',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${settings.publicOrigin}${WEB_APP_PATH}/callback`],
        post_logout_redirect_uris: [`${settings.publicOrigin}${WEB_APP_PATH}/`],
      },
    ],
    jwks: { keys: [settings.signingKey] },
    // One key, EC P-256: every token is ES256 (the library's default would be RS256).
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'] },
    cookies: { keys: settings.cookieKeys },
    ...(settings.adapter ? { adapter: settings.adapter } : {}),
    // `burger` is not listed: it is the API's (resource) scope, granted below, not an OpenID one.
    scopes: ['openid', 'profile', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'] },
    async findAccount(_ctx, accountId) {
      const account = await accounts.byId(accountId);
      if (!account) return undefined;
      return { accountId, claims: async () => ({ sub: accountId, name: account.displayName }) };
    },
    // Our own login page (the library's development pages accept any username).
    interactions: { url: (_ctx, interaction) => `${new URL(issuer).pathname}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: API_SCOPE,
          audience: API_AUDIENCE,
          accessTokenTTL: settings.accessTokenSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    // The gateway's decisions need the role and, for staff, the branch.
    async extraTokenClaims(_ctx, token) {
      if (!('accountId' in token) || typeof token.accountId !== 'string') return undefined;
      const account = await accounts.byId(token.accountId);
      return account ? accessClaims(account) : undefined;
    },
    // The browser app is first-party: signing in is consent enough, no consent page.
    loadExistingGrant: firstPartyGrant,
    // Refresh tokens for the app without the offline_access/consent dance.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    ttl: {
      AccessToken: settings.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: settings.accessTokenSeconds,
      Interaction: 600,
      Session: settings.refreshTokenSeconds,
      Grant: settings.refreshTokenSeconds,
      RefreshToken: settings.refreshTokenSeconds,
    },
    enabledJWA: { authorizationSigningAlgValues: ['ES256'], idTokenSigningAlgValues: ['ES256'] },
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = { error: out.error, message: out.error_description ?? 'The sign-in request could not be completed' };
    },
  };
  const provider = new Provider(issuer, configuration);
  // Every request arrives through the gateway and a sidecar: URLs come from the issuer (set by the HTTP adapter).
  provider.proxy = true;
  return provider;
}

async function firstPartyGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  if (!oidc.client || !oidc.session?.accountId) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
  if (grantId) {
    const existing = await oidc.provider.Grant.find(grantId);
    if (existing) return existing;
  }
  const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
  grant.addOIDCScope('openid profile offline_access');
  grant.addResourceScope(API_AUDIENCE, API_SCOPE);
  await grant.save();
  return grant;
}
