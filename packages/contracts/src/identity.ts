import { z } from 'zod';
import { SafeId } from './identifiers.js';

/**
 * Who is calling, as the auth service asserts it in a signed access token and the
 * gateway passes on. Customers act for themselves; staff work in one branch's kitchen.
 */
export const Role = z.enum(['customer', 'staff']);
export type Role = z.infer<typeof Role>;

/** The audience of every access token the auth service issues for the burger API. */
export const API_AUDIENCE = 'urn:burger:api';
/** The scope of the burger API: auth grants it with the audience, the gateway requires it in every access token. */
export const API_SCOPE = 'burger';
/** The JOSE `typ` of an access token (RFC 9068), which an ID token (`JWT`) does not carry. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/**
 * How long an access token lives: auth's default lifetime, and the most the gateway accepts
 * (from `iat`, and from `iat` to `exp`), so a token minted for longer is refused.
 */
export const ACCESS_TOKEN_SECONDS = 900;
/** The browser app's OAuth client (public: authorization code + PKCE, refresh tokens). */
export const WEB_CLIENT_ID = 'burger-web';
/**
 * The public origin of the local run (the gateway's port in dapr.yaml); PUBLIC_ORIGIN overrides it
 * (the Ingress host on a cluster). The OpenID issuer is `<origin>/auth`.
 */
export const LOCAL_PUBLIC_ORIGIN = 'http://127.0.0.1:8080';
export const issuerOf = (publicOrigin: string) => `${publicOrigin}/auth`;

/** Where the gateway serves the browser app; its OAuth redirect lands under it. */
export const WEB_APP_PATH = '/app';

/** The claims the gateway reads from a verified access token (beyond iss/aud/exp). */
export const AccessClaims = z.object({
  sub: SafeId,
  role: Role,
  /** Staff only: the branch (storeId) whose kitchen they operate. */
  branch: SafeId.optional(),
  name: z.string().optional(),
});
export type AccessClaims = z.infer<typeof AccessClaims>;
