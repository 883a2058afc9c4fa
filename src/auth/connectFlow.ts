import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditEntry, AuditOutcome, AuditRecorder } from '../audit/trail.js';
import { IManageError, IManageHttpError, IManageUntrustedApiError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';
import type { StoreConnections, UserConnection } from './connections.js';
import { authorizeUrl, createPkce, requestToken, type OAuthClient, type TokenSet } from './imanageOAuth.js';
import { isAllowedReturnUrl } from './returnUrls.js';
import type { ConnectStateStore, PendingLink } from './store/types.js';

/**
 * Connecting an app user's iManage account (CONTRACT §4), in four steps:
 *
 *   startIManageConnection(returnTo)          -> a ticket URL: single-use, minutes, bound to the app user and returnTo
 *   GET /connect/imanage?ticket=…             -> 302 to iManage's authorize page (PKCE S256, `state` bound to this browser)
 *   GET /connect/imanage/callback?code&state  -> token exchange, discovery, a *pending* link, 302 to returnTo?imanage=pending&link=…
 *   confirmIManageConnection(link)            -> the link becomes the app user's connection, if that app user started it
 *
 * Why the confirmation: the state cookie proves which browser went through iManage, not which app
 * user owns that browser. An attacker who sends a victim's browser through the flow with the
 * attacker's own ticket ends with the victim's tokens in a link started by the attacker; its id
 * reaches only the victim's browser (returnTo is within ALLOWED_RETURN_URLS), whose app session
 * confirming it is refused (FORBIDDEN) and discards it. The attacker never sees the id.
 *
 * No app token travels in a URL: the ticket replaces it. Failures after the state is known redirect to
 * its returnTo with `imanage=error&reason=…`; before that there is nowhere safe to go: 400.
 */

export const CONNECT_PATH = '/connect/imanage';
export const CALLBACK_PATH = '/connect/imanage/callback';
const COOKIE = 'imanage_connect';
/** Tickets, states and link ids: 32 random bytes, base64url. */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * How long each step's row lives, and how many one app user may have waiting at once: one more drops
 * the user's oldest of its kind (a user who pressed "Connect" many times can still finish the newest
 * attempt; a dropped link's tokens are revoked).
 */
export const CONNECT_LIMITS = Object.freeze({
  ticketTtlMs: 5 * 60_000,
  stateTtlMs: 10 * 60_000,
  linkTtlMs: 5 * 60_000,
  pendingPerUser: 10,
  /** How often expired links are looked for and revoked, and how many per pass. */
  sweepEveryMs: 60_000,
  sweepBatch: 100,
});

export type ConnectFlowErrorKind = 'return_to_not_allowed' | 'unknown_link' | 'foreign_link' | 'not_configured';

/** A refusal of `start` or `confirm`; the caller (a resolver) turns it into its error code. */
export class ConnectFlowError extends Error {
  constructor(
    readonly kind: ConnectFlowErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectFlowError';
  }
}

export interface ConnectFlowOptions {
  hostUrl: string;
  /** This server's external base URL: tickets are `${publicUrl}/connect/imanage?ticket=…`. */
  publicUrl: string;
  oauth: OAuthClient;
  scopes: readonly string[];
  redirectUri: string;
  allowedReturnUrls: readonly URL[];
  /**
   * Sign the browser-binding cookie: the first signs, every one is accepted, so a flow started on an
   * instance that lists the keys in another order (a rolling key rotation) ends on any other.
   */
  cookieKeys: readonly Buffer[];
  secureCookie: boolean;
  store: ConnectStateStore;
  connections: StoreConnections;
  transport: IManageTransport;
  logger: Logger;
  /** Where the callback and the confirmation are recorded (the audit trail). */
  audit?: AuditRecorder;
  /** Clock for expiry times, in epoch ms (tests); the store's own clock decides what has expired. */
  now?: () => number;
}

export class ConnectFlow {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: ConnectFlowOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Step 1: a ticket URL for this app user, coming back to `returnTo`. */
  async start(appUserId: string, returnTo: string): Promise<{ url: string; expiresAt: Date }> {
    const target = isAllowedReturnUrl(returnTo, this.options.allowedReturnUrls);
    if (!target)
      throw new ConnectFlowError(
        'return_to_not_allowed',
        '`returnTo` is not within ALLOWED_RETURN_URLS: same origin, and a path at or below one of the configured prefixes.',
      );
    const id = randomId();
    const expiresAt = new Date(this.now() + CONNECT_LIMITS.ticketTtlMs);
    await this.options.store.saveTicket({ id, appUserId, returnTo: target.href, expiresAt }, { keep: CONNECT_LIMITS.pendingPerUser });
    const url = new URL(`${this.options.publicUrl}${CONNECT_PATH}`);
    url.searchParams.set('ticket', id);
    return { url: url.href, expiresAt };
  }

  /**
   * Step 4: the pending link becomes `appUserId`'s connection, if they started it. Another user's link
   * is discarded (its tokens revoked) and refused; unknown, used or expired ones are refused too.
   *
   * Audit (`connect`): the connection made (ok), a foreign link refused (refused, FORBIDDEN) or an
   * expired one discarded (user_error, BAD_USER_INPUT), each with the link's iManage identity and the
   * access token's revocation status. A link id that names no link reached nothing and is not recorded.
   */
  async confirm(appUserId: string, linkId: string): Promise<UserConnection> {
    const unknown = () => new ConnectFlowError('unknown_link', 'This iManage link is unknown, expired or already used. Connect again.');
    if (!ID_PATTERN.test(linkId)) throw unknown();
    const link = await this.options.store.takePendingLink(linkId);
    if (!link) throw unknown();
    const audit = (outcome: AuditOutcome, imanageStatus: number | null, errorCode: string | null) =>
      this.audit({ appUserId, customerId: link.customerId, imanageUserId: link.imanageUserId, operation: 'connect', outcome, imanageStatus, errorCode });
    if (link.appUserId !== appUserId) {
      this.options.logger.warn({ appUserId, startedBy: link.appUserId }, 'iManage link confirmed by another app user than the one who started it: discarded');
      const revoked = await this.discard(link);
      audit('refused', revoked.access, 'FORBIDDEN');
      throw new ConnectFlowError('foreign_link', 'This iManage link was started by another user. It has been discarded: connect again from your own session.');
    }
    if (link.expiresAt.getTime() <= this.now()) {
      const revoked = await this.discard(link);
      audit('user_error', revoked.access, 'BAD_USER_INPUT');
      throw unknown();
    }
    const { id: _id, expiresAt: _expiresAt, ...connection } = link;
    let saved: UserConnection;
    try {
      saved = await this.options.connections.save(connection);
    } catch (error) {
      // The link is taken and the connection not stored: its tokens would be live with nobody holding them.
      await this.discard(link);
      throw error;
    }
    this.options.logger.info({ appUserId }, 'iManage connected');
    audit('ok', null, null);
    return saved;
  }

  /** Revokes and deletes links nobody confirmed in time. Answers how many it took. */
  async sweep(): Promise<number> {
    let taken = 0;
    for (;;) {
      const expired = await this.options.store.takeExpiredPendingLinks(CONNECT_LIMITS.sweepBatch);
      for (const link of expired) await this.discard(link);
      taken += expired.length;
      if (expired.length < CONNECT_LIMITS.sweepBatch) return taken;
    }
  }

  /** Sweeps every `sweepEveryMs` until `close`; a failed pass is logged and the next one tries again. */
  startSweeping(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => this.options.logger.warn({ err: { message: (error as Error).message } }, 'sweeping expired iManage links failed'));
    }, CONNECT_LIMITS.sweepEveryMs);
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Routes the two connect paths; null for any other request. */
  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (url.pathname !== CONNECT_PATH && url.pathname !== CALLBACK_PATH) return null;
    if (request.method !== 'GET') return text(405, 'Method not allowed.', { allow: 'GET' });
    try {
      return url.pathname === CONNECT_PATH ? await this.redirectToIManage(url) : await this.callback(request, url);
    } catch (error) {
      this.options.logger.error(
        { err: error instanceof IManageError ? { kind: error.kind, operation: error.operation } : { message: (error as Error).message } },
        'connect flow failed',
      );
      return text(500, 'The iManage connection could not be completed. Try again.');
    }
  }

  /** Step 2: a valid ticket, used once, sends this browser to iManage with a state bound to it. */
  private async redirectToIManage(url: URL): Promise<Response> {
    const { options } = this;
    if (url.searchParams.has('token')) {
      return text(
        400,
        'BAD_USER_INPUT: app user tokens are not accepted in a URL. Ask `mutation { startIManageConnection(returnTo: …) { url } }` and send the browser to its url.',
      );
    }
    const ticketId = url.searchParams.get('ticket') ?? '';
    const ticket = ID_PATTERN.test(ticketId) ? await options.store.consumeTicket(ticketId) : null;
    if (!ticket) return text(400, 'BAD_USER_INPUT: unknown, expired or already used ticket. Ask startIManageConnection for a new one.');

    const state = randomId();
    const pkce = createPkce();
    await options.store.saveState(
      {
        id: state,
        appUserId: ticket.appUserId,
        codeVerifier: pkce.verifier,
        returnTo: ticket.returnTo,
        expiresAt: new Date(this.now() + CONNECT_LIMITS.stateTtlMs),
      },
      { keep: CONNECT_LIMITS.pendingPerUser },
    );
    const location = authorizeUrl(options.hostUrl, {
      clientId: options.oauth.clientId,
      redirectUri: options.redirectUri,
      scopes: options.scopes,
      state,
      codeChallenge: pkce.challenge,
    });
    return redirect(location.href, this.cookie(this.bind(state), CONNECT_LIMITS.stateTtlMs / 1000));
  }

  /**
   * Step 3: iManage's answer becomes a pending link, whose id goes back to returnTo.
   *
   * Audit (`connect callback`), once the state names its app user: tokens issued and kept pending
   * (ok, with the iManage identity), or why not, as the `reason` the browser is sent back with:
   * `state_mismatch` and `untrusted_api_url` refused, the user declining at iManage or iManage
   * refusing the code a user_error, iManage failing an error (with its status). An unknown state names
   * nobody and is not recorded.
   */
  private async callback(request: Request, url: URL): Promise<Response> {
    const { options } = this;
    const stateId = url.searchParams.get('state') ?? '';
    if (!ID_PATTERN.test(stateId)) return text(400, 'BAD_USER_INPUT: missing or malformed state. Start again from startIManageConnection.');
    const state = await options.store.consumeState(stateId);
    if (!state) return text(400, 'BAD_USER_INPUT: unknown, expired or already used state. Start again from startIManageConnection.');
    const audit = (outcome: AuditOutcome, entry: { reason?: string; status?: number | null; identity?: { customerId: string; imanageUserId: string } }) =>
      this.audit({
        appUserId: state.appUserId,
        customerId: entry.identity?.customerId ?? null,
        imanageUserId: entry.identity?.imanageUserId ?? null,
        operation: 'connect callback',
        outcome,
        imanageStatus: entry.status ?? null,
        errorCode: entry.reason ?? null,
      });
    const back = (outcome: { link: string } | { reason: string }) => {
      const target = new URL(state.returnTo);
      target.searchParams.delete('link');
      target.searchParams.delete('reason');
      if ('link' in outcome) {
        target.searchParams.set('imanage', 'pending');
        target.searchParams.set('link', outcome.link);
      } else {
        target.searchParams.set('imanage', 'error');
        target.searchParams.set('reason', outcome.reason);
      }
      return redirect(target.href, this.cookie('', 0));
    };

    const refusedHere = (outcome: AuditOutcome, reason: string) => {
      audit(outcome, { reason });
      return back({ reason });
    };
    if (!this.isBound(request, stateId)) return refusedHere('refused', 'state_mismatch');
    const error = url.searchParams.get('error');
    if (error) return refusedHere('user_error', error === 'access_denied' ? 'access_denied' : 'authorization_failed');
    const code = url.searchParams.get('code');
    if (!code || code.length > 4096) return refusedHere('user_error', 'missing_code');

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
      const reason = this.reason(failure, 'exchange_failed');
      audit(outcomeOf(reason), { reason, status: statusOf(failure) });
      return back({ reason });
    }
    let link: PendingLink;
    try {
      const connection = await options.connections.identify(state.appUserId, options.hostUrl, tokens);
      link = { ...connection, id: randomId(), expiresAt: new Date(this.now() + CONNECT_LIMITS.linkTtlMs) };
    } catch (failure) {
      // Revoked first: `reason` throws what is not iManage's failure, and the tokens must not outlive it.
      await options.connections.revokeUnused({
        appUserId: state.appUserId,
        hostUrl: options.hostUrl,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
      });
      const reason = this.reason(failure, 'discovery_failed');
      audit(outcomeOf(reason), { reason, status: statusOf(failure) });
      return back({ reason });
    }
    let dropped: PendingLink[];
    try {
      dropped = await options.store.savePendingLink(link, { keep: CONNECT_LIMITS.pendingPerUser });
    } catch (error) {
      // Not stored: nobody can confirm these tokens, so they are revoked rather than left live at iManage.
      await this.discard(link);
      throw error;
    }
    for (const old of dropped) await this.discard(old);
    options.logger.info({ appUserId: state.appUserId }, 'iManage link pending confirmation');
    audit('ok', { identity: link });
    return back({ link: link.id });
  }

  /** A link that will never be confirmed: both its tokens are revoked at iManage (retried in the background). */
  private discard(link: PendingLink) {
    return this.options.connections.revokeUnused(link);
  }

  private audit(entry: Omit<AuditEntry, 'kind' | 'targetIds'>): void {
    this.options.audit?.record({ ...entry, kind: 'connect', targetIds: [] });
  }

  /** iManage refusing is one reason; iManage being unreachable or broken is another. */
  private reason(failure: unknown, refused: string): string {
    if (!(failure instanceof IManageError)) throw failure;
    this.options.logger.warn({ kind: failure.kind, operation: failure.operation }, 'connect flow step failed');
    if (failure instanceof IManageUntrustedApiError) return 'untrusted_api_url';
    return failure instanceof IManageHttpError && failure.status < 500 ? refused : 'imanage_unavailable';
  }

  private bind(state: string, key = this.options.cookieKeys[0]!): string {
    return createHmac('sha256', key).update(`imanage-connect:${state}`).digest('base64url');
  }

  private isBound(request: Request, state: string): boolean {
    const cookies = request.headers.get('cookie') ?? '';
    const value = cookies
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([name]) => name === COOKIE)?.[1];
    if (!value) return false;
    const actual = Buffer.from(value);
    return this.options.cookieKeys.some((key) => {
      const expected = Buffer.from(this.bind(state, key));
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    });
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return `${COOKIE}=${value}; Path=${CONNECT_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${this.options.secureCookie ? '; Secure' : ''}`;
  }
}

/** A callback's failure as the audit trail counts it: this service's refusal, iManage refusing, or failing. */
function outcomeOf(reason: string): AuditOutcome {
  if (reason === 'untrusted_api_url') return 'refused';
  return reason === 'imanage_unavailable' ? 'error' : 'user_error';
}

function statusOf(failure: unknown): number | null {
  return failure instanceof IManageHttpError ? failure.status : null;
}

function randomId(): string {
  return randomBytes(32).toString('base64url');
}

function redirect(location: string, cookie: string): Response {
  return new Response(null, { status: 302, headers: { location, 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}
