/**
 * iManage's OAuth 2.0 server (reference §2): /auth/oauth2/authorize, /token and /revoke-token on
 * the host root, and the check of the token every API request carries.
 *
 * Token rules (reference §2.5): an access token dies after `accessTokenIdleSeconds` without use,
 * each accepted use restarting the count; refresh tokens are only issued to apps that allow
 * them, live `refreshTokenSeconds`, and rotate on every use.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { OAuthError, unauthorized } from './errors.js';
import { escapeHtml, htmlReply, jsonReply, parseFormBody, redirectReply, type Reply, type RequestContext } from './http.js';
import type { Store, UserRecord } from './store.js';
import type { AppCredentials } from './types.js';

export interface OAuthApp extends AppCredentials {
  key: 'default' | 'noRefresh';
  displayName: string;
  /** Control Center's "Allow Refresh Token". */
  allowRefresh: boolean;
  /** What discovery reports as data.app.id. */
  appId: string;
}

/** Fixed credentials, so `npm run sandbox` users can configure them once. */
export const SANDBOX_APPS: Record<OAuthApp['key'], OAuthApp> = {
  default: {
    key: 'default',
    displayName: 'GraphQL facade (sandbox)',
    clientId: 'sandbox-graphql-app',
    clientSecret: 'sandbox-graphql-app-secret',
    allowRefresh: true,
    appId: '6f1c2d9a-4b7e-4e31-9a52-0c8d7b3e5a11',
  },
  noRefresh: {
    key: 'noRefresh',
    displayName: 'No-refresh app (sandbox)',
    clientId: 'sandbox-norefresh-app',
    clientSecret: 'sandbox-norefresh-app-secret',
    allowRefresh: false,
    appId: 'b2e84f07-91d3-4c6a-8f2e-5d1a0c9b7e42',
  },
};

export const SCOPES = ['user', 'admin'] as const;
const CODE_TTL_MS = 60_000;
const PKCE_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE_PATTERN = /^[A-Za-z0-9\-_]{43}$/;

export interface OAuthConfig {
  accessTokenIdleSeconds: number;
  refreshTokenSeconds: number;
  clock: () => number;
  /** Exact-match redirect URIs registered in addition to loopback ones. */
  redirectUris: string[];
}

interface AccessTokenRecord {
  userId: string;
  clientId: string;
  scope: string[];
  familyId: string;
  lastUsedAt: number;
  expired: boolean;
  revoked: boolean;
}

interface RefreshTokenRecord {
  userId: string;
  clientId: string;
  scope: string[];
  familyId: string;
  expiresAt: number;
  /** Replaced by a newer refresh token (rotation): refused from then on. */
  rotated: boolean;
  revoked: boolean;
}

interface AuthCodeRecord {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  userId: string;
  scope: string[];
  expiresAt: number;
  used: boolean;
  /** Tokens issued for this code share it, so a replayed code can revoke them. */
  familyId: string;
}

/** The caller of an API request, as established from its token. */
export interface Caller {
  user: UserRecord;
  clientId: string;
  scope: string[];
}

const newToken = (): string => randomBytes(32).toString('base64url');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Loopback redirect URIs are always registered, on any port and path (README "Choices"). */
function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1') && url.hash === '';
}

export class OAuthServer {
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthCodeRecord>();
  private readonly revokedFamilies = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly config: OAuthConfig,
  ) {}

  private now(): number {
    return this.config.clock();
  }

  private app(clientId: string | undefined): OAuthApp | undefined {
    return Object.values(SANDBOX_APPS).find((a) => a.clientId === clientId);
  }

  private isRegisteredRedirect(uri: string): boolean {
    return isLoopbackRedirect(uri) || this.config.redirectUris.includes(uri);
  }

  // ---- API authentication -------------------------------------------------------------

  /**
   * The caller of an API request. X-Auth-Token is iManage's own header and wins when both are
   * sent; `Authorization: Bearer` is accepted too (reference §2.4). Any failure is a 401.
   */
  authenticate(headers: IncomingHttpHeaders): Caller {
    const token = this.headerToken(headers);
    if (!token) throw unauthorized('Authentication required: send X-Auth-Token or Authorization: Bearer.');
    const record = this.accessTokens.get(token);
    if (!record || record.revoked || this.revokedFamilies.has(record.familyId)) throw unauthorized('The access token is invalid.');
    const now = this.now();
    if (record.expired || now - record.lastUsedAt > this.config.accessTokenIdleSeconds * 1000) {
      record.expired = true;
      throw unauthorized('The access token has expired.');
    }
    const user = this.store.users.get(record.userId);
    if (!user) throw unauthorized('The access token is invalid.');
    record.lastUsedAt = now; // idle expiry: every accepted use restarts the count
    return { user, clientId: record.clientId, scope: record.scope };
  }

  /** The access token a request carries: X-Auth-Token, else `Authorization: Bearer`. */
  private headerToken(headers: IncomingHttpHeaders): string | undefined {
    const token = header(headers, 'x-auth-token')?.trim();
    if (token) return token;
    const auth = header(headers, 'authorization');
    return (auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null)?.[1];
  }

  expireAllTokens(): void {
    for (const record of this.accessTokens.values()) record.expired = true;
  }

  revokeRefreshTokens(userId?: string): void {
    for (const record of this.refreshTokens.values()) {
      if (userId === undefined || record.userId === userId.toUpperCase()) record.revoked = true;
    }
  }

  /** How many of that user's tokens would still be accepted: what a revocation left live (tests). */
  liveTokens(userId: string): { access: number; refresh: number } {
    const id = userId.toUpperCase();
    const now = this.now();
    const idleMs = this.config.accessTokenIdleSeconds * 1000;
    const dead = (record: { userId: string; familyId: string; revoked: boolean }) =>
      record.userId !== id || record.revoked || this.revokedFamilies.has(record.familyId);
    let access = 0;
    let refresh = 0;
    for (const record of this.accessTokens.values()) if (!dead(record) && !record.expired && now - record.lastUsedAt <= idleMs) access += 1;
    for (const record of this.refreshTokens.values()) if (!dead(record) && !record.rotated && now <= record.expiresAt) refresh += 1;
    return { access, refresh };
  }

  appById(clientId: string): OAuthApp | undefined {
    return this.app(clientId);
  }

  // ---- authorize ----------------------------------------------------------------------

  /** GET: the login form, after the checks that decide whether redirecting is safe. */
  authorizeGet(ctx: RequestContext): Reply {
    const checked = this.checkAuthorizeRequest(new URLSearchParams(ctx.query));
    if ('reply' in checked) return checked.reply;
    return this.loginForm(checked.params, checked.app);
  }

  /** POST from the login form: Deny, or Allow with credentials. */
  authorizePost(ctx: RequestContext): Reply {
    const form = parseFormBody(ctx);
    if (!form) return errorPage(400, 'The sign-in form must be posted as application/x-www-form-urlencoded.');
    const checked = this.checkAuthorizeRequest(form);
    if ('reply' in checked) return checked.reply;
    const { params, app, redirectUri, scope } = checked;
    const action = form.get('action') ?? 'allow';
    if (action === 'deny') return redirectWith(redirectUri, { error: 'access_denied', error_description: 'The user denied access.' }, params.state);
    if (action !== 'allow') return errorPage(400, 'Unknown action.');
    const username = (form.get('username') ?? '').trim();
    const user = this.store.users.get(username.toUpperCase());
    if (!user || !safeEqual(form.get('password') ?? '', user.password)) {
      return this.loginForm(params, app, 'Incorrect user name or password.', username);
    }
    if (scope.includes('admin') && !user.isAdmin) {
      return redirectWith(redirectUri, { error: 'invalid_scope', error_description: 'The admin scope needs an administrator.' }, params.state);
    }
    ctx.userId = user.id;
    const code = newToken();
    this.codes.set(code, {
      clientId: app.clientId,
      redirectUri,
      challenge: params.code_challenge,
      userId: user.id,
      scope,
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
      familyId: randomUUID(),
    });
    this.sweep();
    return redirectWith(redirectUri, { code }, params.state);
  }

  /**
   * Unknown client or unregistered redirect URI: a 400 page and never a redirect (RFC 6749
   * §4.1.2.1). Anything else wrong is reported to the redirect URI.
   */
  private checkAuthorizeRequest(input: URLSearchParams): { reply: Reply } | { params: AuthorizeParams; app: OAuthApp; redirectUri: string; scope: string[] } {
    const params = authorizeParams(input);
    const app = this.app(params.client_id);
    if (!app) return { reply: errorPage(400, 'Unknown client_id: this application is not registered.') };
    const redirectUri = params.redirect_uri;
    if (!redirectUri || !this.isRegisteredRedirect(redirectUri)) {
      return { reply: errorPage(400, 'The redirect_uri is missing or not registered for this application.') };
    }
    const fail = (error: string, description: string): { reply: Reply } => ({
      reply: redirectWith(redirectUri, { error, error_description: description }, params.state),
    });
    if (params.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
    const scope = parseScope(params.scope);
    if (!scope) return fail('invalid_scope', `Scopes are: ${SCOPES.join(', ')}.`);
    if (params.code_challenge !== undefined) {
      if ((params.code_challenge_method ?? 'plain') !== 'S256') return fail('invalid_request', 'Only code_challenge_method=S256 is supported.');
      if (!CHALLENGE_PATTERN.test(params.code_challenge)) return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest.');
    } else if (params.code_challenge_method !== undefined) {
      return fail('invalid_request', 'code_challenge_method without code_challenge.');
    }
    return { params, app, redirectUri, scope };
  }

  private loginForm(params: AuthorizeParams, app: OAuthApp, error?: string, username = ''): Reply {
    const hidden = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v as string)}">`)
      .join('\n      ');
    const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>iManage Work – Sign in (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;color:#222}
label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.4rem}
.error{color:#b00020}button{margin:1rem .5rem 0 0;padding:.4rem 1.2rem}</style></head>
<body>
  <h1>iManage Work</h1>
  <p><strong>${escapeHtml(app.displayName)}</strong> asks for access to your iManage Work account
  (scope: ${escapeHtml((params.scope ?? 'user').trim() || 'user')}).</p>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="/auth/oauth2/authorize">
      ${hidden}
    <label for="username">User name</label>
    <input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(username)}">
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password">
    <button type="submit" name="action" value="allow">Allow</button>
    <button type="submit" name="action" value="deny">Deny</button>
  </form>
</body>
</html>`;
    return htmlReply(200, html);
  }

  // ---- token ----------------------------------------------------------------------------

  /** POST /auth/oauth2/token. OAuthError is turned into the RFC 6749 error body by the router. */
  token(ctx: RequestContext): Reply {
    const form = parseFormBody(ctx);
    if (!form) throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
    const client = clientCredentials(ctx.headers, form);
    const grantType = form.get('grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
    switch (grantType) {
      case 'authorization_code':
        return this.authorizationCodeGrant(ctx, form, this.requireClient(client));
      case 'password':
        return this.passwordGrant(ctx, form, this.requireClient(client));
      case 'refresh_token':
        return this.refreshTokenGrant(ctx, form, client);
      default:
        throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
    }
  }

  /** Confidential clients: id and secret are both required for code and password grants. */
  private requireClient(client: ClientCredentials): OAuthApp {
    if (!client.id || client.secret === undefined) {
      throw new OAuthError('invalid_client', 'Client authentication is required (client_id and client_secret).', client.basic);
    }
    const app = this.app(client.id);
    if (!app || !safeEqual(client.secret, app.clientSecret)) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', client.basic);
    }
    return app;
  }

  private authorizationCodeGrant(ctx: RequestContext, form: URLSearchParams, app: OAuthApp): Reply {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code) throw new OAuthError('invalid_request', 'code is required.');
    if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required.');
    const record = this.codes.get(code);
    if (!record) throw new OAuthError('invalid_grant', 'The authorization code is invalid.');
    if (record.used) {
      // RFC 6749 §4.1.2: a replayed code revokes what was issued for it.
      this.revokedFamilies.add(record.familyId);
      throw new OAuthError('invalid_grant', 'The authorization code has already been used.');
    }
    record.used = true; // single use, whatever the outcome of this attempt
    if (this.now() > record.expiresAt) throw new OAuthError('invalid_grant', 'The authorization code has expired.');
    if (record.clientId !== app.clientId) throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.');
    if (record.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request.');
    const verifier = form.get('code_verifier');
    if (record.challenge !== undefined) {
      if (!verifier || !PKCE_PATTERN.test(verifier)) throw new OAuthError('invalid_grant', 'A valid code_verifier is required.');
      const digest = createHash('sha256').update(verifier).digest('base64url');
      if (!safeEqual(digest, record.challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match code_challenge.');
    } else if (verifier !== null) {
      throw new OAuthError('invalid_grant', 'code_verifier sent, but the authorization request had no code_challenge.');
    }
    const user = this.store.users.get(record.userId);
    if (!user) throw new OAuthError('invalid_grant', 'The user no longer exists.');
    return this.issue(ctx, app, user, record.scope, record.familyId);
  }

  private passwordGrant(ctx: RequestContext, form: URLSearchParams, app: OAuthApp): Reply {
    const username = form.get('username');
    const password = form.get('password');
    if (!username || password === null) throw new OAuthError('invalid_request', 'username and password are required.');
    const user = this.store.users.get(username.trim().toUpperCase());
    if (!user || !safeEqual(password, user.password)) throw new OAuthError('invalid_grant', 'Invalid user name or password.');
    const scope = parseScope(form.get('scope') ?? undefined);
    if (!scope) throw new OAuthError('invalid_scope', `Scopes are: ${SCOPES.join(', ')}.`);
    if (scope.includes('admin') && !user.isAdmin) throw new OAuthError('invalid_scope', 'The admin scope needs an administrator.');
    return this.issue(ctx, app, user, scope, randomUUID());
  }

  /** Where client credentials are optional: nothing sent is fine, anything sent must be right. */
  private optionalClient(client: ClientCredentials): OAuthApp | undefined {
    if (!client.id) {
      if (client.secret !== undefined) throw new OAuthError('invalid_client', 'client_secret without client_id.', client.basic);
      return undefined;
    }
    const app = this.app(client.id);
    if (!app) throw new OAuthError('invalid_client', 'Unknown client_id.', client.basic);
    if (client.secret !== undefined && !safeEqual(client.secret, app.clientSecret)) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', client.basic);
    }
    return app;
  }

  /** Client credentials are optional here (reference §2.2), but checked when sent. */
  private refreshTokenGrant(ctx: RequestContext, form: URLSearchParams, client: ClientCredentials): Reply {
    const app = this.optionalClient(client);
    const token = form.get('refresh_token');
    if (!token) throw new OAuthError('invalid_request', 'refresh_token is required.');
    const record = this.refreshTokens.get(token);
    if (!record || record.revoked || this.revokedFamilies.has(record.familyId)) {
      throw new OAuthError('invalid_grant', 'The refresh token is invalid or revoked.');
    }
    if (record.rotated) throw new OAuthError('invalid_grant', 'The refresh token has already been used.');
    if (this.now() > record.expiresAt) throw new OAuthError('invalid_grant', 'The refresh token has expired.');
    if (app && app.clientId !== record.clientId) throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
    const tokenApp = app ?? this.app(record.clientId);
    const user = this.store.users.get(record.userId);
    if (!tokenApp || !user) throw new OAuthError('invalid_grant', 'The refresh token is invalid.');
    let scope = record.scope;
    const asked = form.get('scope');
    if (asked !== null) {
      const parsed = parseScope(asked);
      if (!parsed || parsed.some((s) => !record.scope.includes(s))) {
        throw new OAuthError('invalid_scope', 'A refresh cannot widen the granted scope.');
      }
      scope = parsed;
    }
    record.rotated = true;
    return this.issue(ctx, tokenApp, user, scope, record.familyId);
  }

  private issue(ctx: RequestContext, app: OAuthApp, user: UserRecord, scope: string[], familyId: string): Reply {
    const now = this.now();
    const accessToken = newToken();
    this.accessTokens.set(accessToken, {
      userId: user.id,
      clientId: app.clientId,
      scope,
      familyId,
      lastUsedAt: now,
      expired: false,
      revoked: false,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.config.accessTokenIdleSeconds,
      scope: scope.join(' '),
    };
    if (app.allowRefresh) {
      const refreshToken = newToken();
      this.refreshTokens.set(refreshToken, {
        userId: user.id,
        clientId: app.clientId,
        scope,
        familyId,
        expiresAt: now + this.config.refreshTokenSeconds * 1000,
        rotated: false,
        revoked: false,
      });
      body.refresh_token = refreshToken;
    }
    ctx.userId = user.id;
    this.sweep();
    return jsonReply(200, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  // ---- revoke ---------------------------------------------------------------------------

  /**
   * POST /auth/oauth2/revoke-token (reference §2.1). The token to revoke is named by the form field
   * `access_token` (what iManage clients send [c]), or RFC 7009's `token` with an optional
   * `token_type_hint` (`access_token` | `refresh_token`): the form chosen for refresh tokens, which
   * the reference does not document. With neither, the `X-Auth-Token` (or Bearer) header's access
   * token is revoked: public clients send the token there as well as in the form.
   *
   * Exactly the named token stops working: revoking an access token leaves its refresh token alive,
   * and revoking a refresh token leaves access tokens already issued alive until idle. The reference
   * says nothing of either reaching further, so a client that wants both gone must revoke both.
   * Unknown tokens also answer 200 (RFC 7009 §2.2).
   */
  revoke(ctx: RequestContext): Reply {
    const form = parseFormBody(ctx) ?? (ctx.body.length === 0 ? new URLSearchParams() : undefined);
    if (!form) throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
    this.optionalClient(clientCredentials(ctx.headers, form));
    const hint = form.get('token_type_hint');
    let token = form.get('access_token') ?? form.get('token') ?? undefined;
    let kinds: Array<'access' | 'refresh'> = hint === 'refresh_token' ? ['refresh', 'access'] : ['access', 'refresh'];
    if (form.get('access_token') !== null) kinds = ['access'];
    if (!token) {
      token = this.headerToken(ctx.headers);
      kinds = ['access'];
    }
    if (!token) throw new OAuthError('invalid_request', 'access_token (or token) is required.');
    for (const kind of kinds) {
      const record = kind === 'access' ? this.accessTokens.get(token) : this.refreshTokens.get(token);
      if (!record) continue;
      record.revoked = true;
      ctx.userId = record.userId;
      break;
    }
    return { status: 200, headers: { 'cache-control': 'no-store' }, body: Buffer.alloc(0) };
  }

  /** Keeps memory flat under benchmarks that log in thousands of times. */
  private sweep(): void {
    const now = this.now();
    if (this.codes.size > 10_000) {
      for (const [k, v] of this.codes) if (v.used || now > v.expiresAt) this.codes.delete(k);
    }
    if (this.accessTokens.size > 50_000) {
      const idleMs = this.config.accessTokenIdleSeconds * 1000;
      for (const [k, v] of this.accessTokens) {
        if (v.expired || v.revoked || now - v.lastUsedAt > idleMs || this.revokedFamilies.has(v.familyId)) this.accessTokens.delete(k);
      }
    }
    if (this.refreshTokens.size > 50_000) {
      for (const [k, v] of this.refreshTokens) if (v.rotated || v.revoked || now > v.expiresAt) this.refreshTokens.delete(k);
    }
  }
}

// ---- helpers --------------------------------------------------------------------------------

interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

function authorizeParams(input: URLSearchParams): AuthorizeParams {
  const get = (k: string): string | undefined => input.get(k) ?? undefined;
  return {
    response_type: get('response_type'),
    client_id: get('client_id'),
    redirect_uri: get('redirect_uri'),
    scope: get('scope'),
    state: get('state'),
    code_challenge: get('code_challenge'),
    code_challenge_method: get('code_challenge_method'),
  };
}

/** Space-separated scopes; absent or empty means `user`; undefined when one is unknown. */
function parseScope(raw: string | undefined): string[] | undefined {
  const parts = (raw ?? '').split(/[\s+]+/).filter((s) => s !== '');
  if (parts.length === 0) return ['user'];
  if (parts.some((s) => !(SCOPES as readonly string[]).includes(s))) return undefined;
  return [...new Set(parts)];
}

interface ClientCredentials {
  id?: string;
  secret?: string;
  /** Sent with HTTP Basic: a 401 then carries a Basic challenge. */
  basic: boolean;
}

/** HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or form fields; both only if they agree. */
function clientCredentials(headers: IncomingHttpHeaders, form: URLSearchParams): ClientCredentials {
  const auth = header(headers, 'authorization');
  const formId = form.get('client_id') ?? undefined;
  const formSecret = form.get('client_secret') ?? undefined;
  if (auth && /^Basic\s/i.test(auth)) {
    const decoded = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials.', true);
    let id: string;
    let secret: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials.', true);
    }
    if ((formId !== undefined && formId !== id) || (formSecret !== undefined && formSecret !== secret)) {
      throw new OAuthError('invalid_request', 'Client credentials in the form differ from HTTP Basic.');
    }
    return { id, secret, basic: true };
  }
  return { id: formId, secret: formSecret, basic: false };
}

function redirectWith(redirectUri: string, params: Record<string, string>, state: string | undefined): Reply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (state !== undefined) url.searchParams.set('state', state);
  return redirectReply(url.toString());
}

function errorPage(status: number, message: string): Reply {
  return htmlReply(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iManage Work – Error</title></head>` +
      `<body><h1>Sign-in error</h1><p>${escapeHtml(message)}</p></body></html>`,
  );
}

export function oauthErrorReply(err: OAuthError): Reply {
  const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
  if (err.status === 401 && err.basicChallenge) headers['www-authenticate'] = 'Basic realm="iManage Work"';
  return jsonReply(err.status, { error: err.error, error_description: err.description }, headers);
}
