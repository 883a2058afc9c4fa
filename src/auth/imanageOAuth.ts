import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { IManageProtocolError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';

/** iManage's OAuth 2.0 endpoints, on the host root: `/auth/oauth2/{authorize,token,revoke-token}`. */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

const tokenReply = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.coerce.number().int().positive().nullish(),
  refresh_token: z.string().min(1).nullish(),
  scope: z.string().nullish(),
});

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /**
   * When the access token dies if it is not used: issue time + `expires_in`. iManage counts idle
   * time (reference §2.5), each call restarting the count, so a token in use lives longer.
   */
  expiresAt: Date;
  scopes: string[];
}

/** iManage does not document `expires_in`; clients assume 30 idle minutes when it is absent. */
const DEFAULT_EXPIRES_IN_SECONDS = 1800;

function endpoint(hostUrl: string, name: string): URL {
  return new URL(`${hostUrl.replace(/\/+$/, '')}/auth/oauth2/${name}`);
}

/** `POST /auth/oauth2/token` (form-encoded) for any grant. */
export async function requestToken(
  transport: IManageTransport,
  hostUrl: string,
  form: Record<string, string>,
  requestedScopes: readonly string[],
  options: { signal?: AbortSignal; now?: () => number } = {},
): Promise<TokenSet> {
  const { signal, now = Date.now } = options;
  const operation = `POST /auth/oauth2/token (${form.grant_type ?? 'unknown'})`;
  const response = await transport.send({ method: 'POST', url: endpoint(hostUrl, 'token'), operation, body: { form }, signal });
  const parsed = tokenReply.safeParse(response.body);
  if (!parsed.success) throw new IManageProtocolError(operation, 'token reply lacks access_token');
  const reply = parsed.data;
  return {
    accessToken: reply.access_token,
    refreshToken: reply.refresh_token ?? null,
    expiresAt: new Date(now() + (reply.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000),
    scopes: reply.scope ? reply.scope.split(/\s+/).filter(Boolean) : [...requestedScopes],
  };
}

/**
 * `POST /auth/oauth2/revoke-token` for an access token: the form field `access_token` (reference
 * §2.1), the token also as `X-Auth-Token` as iManage's own clients send it, and the app's credentials.
 * Answers iManage's (2xx) status; any other is thrown.
 */
export async function revokeToken(transport: IManageTransport, hostUrl: string, client: OAuthClient, accessToken: string): Promise<number> {
  const reply = await transport.send({
    method: 'POST',
    url: endpoint(hostUrl, 'revoke-token'),
    operation: 'POST /auth/oauth2/revoke-token',
    token: accessToken,
    body: { form: { access_token: accessToken, client_id: client.clientId, client_secret: client.clientSecret } },
  });
  return reply.status;
}

/**
 * The same endpoint for a refresh token. The reference documents no field for it, so it is sent the
 * RFC 7009 way: `token` with `token_type_hint=refresh_token`.
 */
export async function revokeRefreshToken(transport: IManageTransport, hostUrl: string, client: OAuthClient, refreshToken: string): Promise<number> {
  const reply = await transport.send({
    method: 'POST',
    url: endpoint(hostUrl, 'revoke-token'),
    operation: 'POST /auth/oauth2/revoke-token (refresh_token)',
    body: { form: { token: refreshToken, token_type_hint: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret } },
  });
  return reply.status;
}

/** PKCE (RFC 7636): a fresh verifier and its S256 challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(
  hostUrl: string,
  params: { clientId: string; redirectUri: string; scopes: readonly string[]; state: string; codeChallenge: string },
): URL {
  const url = endpoint(hostUrl, 'authorize');
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    scope: params.scopes.join(' '),
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url;
}

/**
 * iManage's password grant for one user: how sandbox mode, the tests and the benchmarks obtain the
 * tokens they then store through `StoreConnections.connect`, like the connect flow's callback.
 */
export function passwordGrant(
  transport: IManageTransport,
  hostUrl: string,
  client: OAuthClient,
  user: { username: string; password: string },
  scopes: readonly string[],
  now?: () => number,
): Promise<TokenSet> {
  return requestToken(
    transport,
    hostUrl,
    {
      grant_type: 'password',
      username: user.username,
      password: user.password,
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: scopes.join(' '),
    },
    scopes,
    now ? { now } : {},
  );
}
