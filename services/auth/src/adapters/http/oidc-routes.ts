import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, Hono } from 'hono';
import { errors, type default as Provider } from 'oidc-provider';
import { FreeText } from '@burger/contracts';
import { Problem, type Logger } from '@burger/service-kit';
import type { AccountDirectory } from '../../application/ports.js';
import { loginPage } from './login-page.js';

const MAX_FORM_BYTES = 4_096;
/** What a person types as their username: NFC, no control or bidi characters (they would reach the logs as typed). */
const SignInName = FreeText(64);

/** Built once the secrets have arrived; routes exist from the start (Hono's router is fixed at the first request). */
export interface OidcParts {
  provider: Provider;
  accounts: AccountDirectory;
}

/**
 * Hands everything under the issuer's path to oidc-provider (a Node request
 * handler) and serves the sign-in interaction. Requests come from the gateway
 * through two sidecars, so the public host and scheme are taken from the issuer,
 * never from headers a caller could set.
 */
export function mountOidcRoutes(app: Hono, ready: Promise<OidcParts>, issuer: string, logger: Logger): void {
  const issuerUrl = new URL(issuer);
  const mountPath = issuerUrl.pathname.replace(/\/$/, '');

  /** A route handed the raw Node request (with the issuer's host and scheme) once the provider is built. */
  const viaProvider = (handler: (req: IncomingMessage, res: ServerResponse, parts: OidcParts) => Promise<void>) => (c: Context) =>
    raw(c, async (req, res) => {
      req.headers['x-forwarded-host'] = issuerUrl.host;
      req.headers['x-forwarded-proto'] = issuerUrl.protocol.replace(':', '');
      delete req.headers['x-forwarded-for'];
      await handler(req, res, await ready);
    });
  const loginAction = (uid: string) => `${mountPath}/interaction/${uid}/login`;

  app.get(
    `${mountPath}/interaction/:uid`,
    viaProvider(async (req, res, { provider }) => {
      const details = await interactionOf(provider, req, res);
      if (details.prompt.name === 'consent') {
        // Only when a client insists (prompt=consent): the first-party app's grant covers what it asks for.
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId: await grantAll(provider, details) } },
          { mergeWithLastSubmission: true },
        );
        return;
      }
      send(res, 200, loginPage({ action: loginAction(details.uid) }));
    }),
  );

  app.post(
    `${mountPath}/interaction/:uid/login`,
    viaProvider(async (req, res, { provider, accounts }) => {
      const details = await interactionOf(provider, req, res);
      const form = new URLSearchParams(await readBody(req));
      const username = SignInName.safeParse(form.get('username') ?? '');
      if (!username.success) {
        send(
          res,
          400,
          loginPage({
            action: loginAction(details.uid),
            error: 'The username may not contain control or bidirectional-formatting characters.',
          }),
        );
        return;
      }
      const account = await accounts.authenticate(username.data, form.get('password') ?? '');
      if (!account) {
        logger.info({ username: username.data }, 'sign-in refused');
        send(res, 401, loginPage({ action: loginAction(details.uid), error: 'Wrong username or password.' }));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: account.accountId } }, { mergeWithLastSubmission: false });
    }),
  );

  const handle = ready.then(({ provider }) => provider.callback());
  app.all(
    `${mountPath}/*`,
    viaProvider(async (req, res) => {
      // oidc-provider finds its mount path from originalUrl versus url, as under Express.
      Object.assign(req, { originalUrl: req.url });
      req.url = req.url!.slice(mountPath.length) || '/';
      await (await handle)(req, res);
    }),
  );
}

/**
 * The sign-in in progress, found by its cookie. Without the cookie, or after it expired (10 min),
 * there is none: the caller's problem (400), not a failure of ours, so not the 500 it used to be.
 */
async function interactionOf(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  try {
    return await provider.interactionDetails(req, res);
  } catch (error) {
    if (error instanceof errors.SessionNotFound) {
      throw new Problem(400, 'sign_in_expired', 'This sign-in has expired or its cookie is missing: start signing in again from the app');
    }
    throw error;
  }
}

/** Runs a Node-style handler on the raw request and response Hono's Node adapter exposes. */
async function raw(c: Context, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Response> {
  const { incoming, outgoing } = c.env as HttpBindings;
  await handler(incoming, outgoing);
  return RESPONSE_ALREADY_SENT;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('sign-in form too large');
  }
  return body;
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Grants everything the prompt says is missing (scopes, claims, resource scopes) to the interaction's grant. */
async function grantAll(provider: Provider, details: InteractionDetails): Promise<string> {
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || typeof clientId !== 'string') throw new Error('consent without a signed-in account');
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error(`grant ${details.grantId} vanished`);
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  return grant.save();
}
