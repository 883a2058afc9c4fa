import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { IManageError, IManageHttpError, IManageUntrustedApiError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';
import { InvalidAppTokenError, type AppTokenVerifier } from './appTokens.js';
import type { StoreConnections } from './connections.js';
import { authorizeUrl, createPkce, requestToken, type OAuthClient, type TokenSet } from './imanageOAuth.js';
import { isAllowedReturnUrl } from './returnUrls.js';
import type { TokenStore } from './store/types.js';

/**
 * The OAuth 2.0 authorization-code flow that connects an app user's iManage account (CONTRACT §4):
 *
 *   GET /connect/imanage?token=<app jwt>&return_to=<url>   -> 302 to iManage's authorize page
 *   GET /connect/imanage/callback?code=…&state=…            -> token exchange, discovery, store, 302 back
 *
 * `state` is random, stored once (with the PKCE verifier, encrypted) for ten minutes and consumed once.
 * It is also bound to the browser that started the flow by an HttpOnly cookie carrying an HMAC of it,
 * so a victim cannot be made to complete an attacker's flow. Failures after the state is known redirect
 * to its `return_to` with `imanage=error&reason=…`; before that there is nowhere safe to go: 400.
 */

export const CONNECT_PATH = '/connect/imanage';
export const CALLBACK_PATH = '/connect/imanage/callback';
const COOKIE = 'imanage_connect';
const STATE_TTL_MS = 10 * 60_000;
const STATE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ConnectFlowOptions {
  hostUrl: string;
  oauth: OAuthClient;
  scopes: readonly string[];
  redirectUri: string;
  allowedReturnUrls: readonly URL[];
  /** Signs the browser-binding cookie; the same on every instance. */
  cookieKey: Buffer;
  secureCookie: boolean;
  verifier: AppTokenVerifier;
  store: TokenStore;
  connections: StoreConnections;
  transport: IManageTransport;
  logger: Logger;
}

export class ConnectFlow {
  constructor(private readonly options: ConnectFlowOptions) {}

  /** Routes the two connect paths; null for any other request. */
  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (url.pathname !== CONNECT_PATH && url.pathname !== CALLBACK_PATH) return null;
    if (request.method !== 'GET') return text(405, 'Method not allowed.', { allow: 'GET' });
    try {
      return url.pathname === CONNECT_PATH ? await this.start(request, url) : await this.callback(request, url);
    } catch (error) {
      this.options.logger.error({ err: error instanceof IManageError ? { kind: error.kind, operation: error.operation } : { message: (error as Error).message } }, 'connect flow failed');
      return text(500, 'The iManage connection could not be completed. Try again.');
    }
  }

  private async start(request: Request, url: URL): Promise<Response> {
    const { options } = this;
    const header = /^Bearer (\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const token = url.searchParams.get('token') ?? header;
    if (!token) return text(401, 'UNAUTHENTICATED: pass the app user token as ?token=…');
    let appUserId: string;
    try {
      appUserId = (await options.verifier.verify(token)).id;
    } catch (error) {
      if (error instanceof InvalidAppTokenError) return text(401, 'UNAUTHENTICATED: the app user token is not valid.');
      throw error;
    }
    const requested = url.searchParams.get('return_to') ?? options.allowedReturnUrls[0]!.href;
    const returnTo = isAllowedReturnUrl(requested, options.allowedReturnUrls);
    if (!returnTo) return text(400, 'BAD_USER_INPUT: return_to is not within ALLOWED_RETURN_URLS.');

    const state = randomBytes(32).toString('base64url');
    const pkce = createPkce();
    await options.store.saveState({ id: state, appUserId, codeVerifier: pkce.verifier, returnTo: returnTo.href, expiresAt: new Date(Date.now() + STATE_TTL_MS) });
    const location = authorizeUrl(options.hostUrl, {
      clientId: options.oauth.clientId,
      redirectUri: options.redirectUri,
      scopes: options.scopes,
      state,
      codeChallenge: pkce.challenge,
    });
    return redirect(location.href, this.cookie(this.bind(state), STATE_TTL_MS / 1000));
  }

  private async callback(request: Request, url: URL): Promise<Response> {
    const { options } = this;
    const stateId = url.searchParams.get('state') ?? '';
    if (!STATE_PATTERN.test(stateId)) return text(400, 'BAD_USER_INPUT: missing or malformed state. Start again from /connect/imanage.');
    const state = await options.store.consumeState(stateId);
    if (!state) return text(400, 'BAD_USER_INPUT: unknown, expired or already used state. Start again from /connect/imanage.');
    const back = (reason: string | null) => {
      const target = new URL(state.returnTo);
      target.searchParams.set('imanage', reason ? 'error' : 'connected');
      if (reason) target.searchParams.set('reason', reason);
      else target.searchParams.delete('reason');
      return redirect(target.href, this.cookie('', 0));
    };

    if (!this.isBound(request, stateId)) return back('state_mismatch');
    const error = url.searchParams.get('error');
    if (error) return back(error === 'access_denied' ? 'access_denied' : 'authorization_failed');
    const code = url.searchParams.get('code');
    if (!code || code.length > 4096) return back('missing_code');

    let tokens: TokenSet;
    try {
      tokens = await requestToken(
        options.transport,
        options.hostUrl,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: options.redirectUri,
          client_id: options.oauth.clientId,
          client_secret: options.oauth.clientSecret,
          code_verifier: state.codeVerifier,
        },
        options.scopes,
      );
    } catch (failure) {
      return back(this.reason(failure, 'exchange_failed'));
    }
    try {
      await options.connections.connect(state.appUserId, options.hostUrl, tokens);
    } catch (failure) {
      return back(this.reason(failure, 'discovery_failed'));
    }
    options.logger.info({ appUserId: state.appUserId }, 'iManage connected');
    return back(null);
  }

  /** iManage refusing is one reason; iManage being unreachable or broken is another. */
  private reason(failure: unknown, refused: string): string {
    if (!(failure instanceof IManageError)) throw failure;
    this.options.logger.warn({ kind: failure.kind, operation: failure.operation }, 'connect flow step failed');
    if (failure instanceof IManageUntrustedApiError) return 'untrusted_api_url';
    return failure instanceof IManageHttpError && failure.status < 500 ? refused : 'imanage_unavailable';
  }

  private bind(state: string): string {
    return createHmac('sha256', this.options.cookieKey).update(`imanage-connect:${state}`).digest('base64url');
  }

  private isBound(request: Request, state: string): boolean {
    const cookies = request.headers.get('cookie') ?? '';
    const value = cookies
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([name]) => name === COOKIE)?.[1];
    if (!value) return false;
    const expected = Buffer.from(this.bind(state));
    const actual = Buffer.from(value);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return `${COOKIE}=${value}; Path=${CONNECT_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${this.options.secureCookie ? '; Secure' : ''}`;
  }
}

function redirect(location: string, cookie: string): Response {
  return new Response(null, { status: 302, headers: { location, 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}
