import { issuerOf, LOCAL_PUBLIC_ORIGIN } from '@burger/contracts';
import { attemptSignIn as attempt, refresh as refreshAt, signIn as signInAt, type Tokens } from '../../tools/launcher/src/sign-in.js';
import { readBody } from './api.js';
import { stackInfo } from './stack-info.js';

export type { Tokens };

/** The gateway's public origin (its first replica, or another) and the issuer behind it. */
export const gatewayUrl = (instance = 'gateway') => `http://127.0.0.1:${stackInfo().apps[instance]!.appPort}`;
export const ISSUER = issuerOf(LOCAL_PUBLIC_ORIGIN);

export const signIn = (username: string, password = stackInfo().secrets['demo-password']) => signInAt(username, password, gatewayUrl());
export const attemptSignIn = (username: string, password: string) => attempt(username, password, gatewayUrl());
export const refresh = (refreshToken: string) => refreshAt(refreshToken, gatewayUrl());

/** A call to the public API as a signed-in user (or anonymously), answering status, body and headers. */
export async function api(method: string, path: string, token?: string, body?: unknown, instance = 'gateway') {
  const response = await fetch(`${gatewayUrl(instance)}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await readBody(response)) as Record<string, unknown>, headers: response.headers };
}
