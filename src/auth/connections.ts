import type { Logger } from 'pino';
import type { AuditRecorder } from '../audit/trail.js';
import type { AccessTokenSource } from '../imanage/client.js';
import { discover } from '../imanage/client.js';
import { IManageError, IManageHttpError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';
import { requestToken, revokeRefreshToken, revokeToken, type OAuthClient, type TokenSet } from './imanageOAuth.js';
import { TokenDecryptionError } from './store/crypto.js';
import type { ConnectionRecord, ConnectionStore, NewConnection } from './store/types.js';

/**
 * An app user's link to their iManage account, as the rest of the service sees it. Where tokens are
 * stored and how they are refreshed is this module's business; resolvers and the client see only this.
 */
export interface UserConnection {
  /** Scope of every cache and loader key: one user's one connection. */
  readonly id: string;
  readonly appUserId: string;
  readonly status: 'connected' | 'reauth_required';
  readonly imanageUserId: string;
  readonly customerId: string;
  readonly preferredLibrary: string | null;
  /** The v2 API base from discovery. */
  readonly apiBaseUrl: string;
  readonly scopes: readonly string[];
  readonly tokens: AccessTokenSource;
  /**
   * When the current access token dies if it is not used: issued + `expires_in`. iManage's expiry is
   * idle time (reference §2.5), so a token in use outlives it; only a refusal (401) ends a connection.
   */
  expiresAt(): Date;
}

export interface ConnectionProvider {
  /** The user's connection, or null when they have none. */
  forUser(appUserId: string): Promise<UserConnection | null>;
}

/** Refresh this long before the recorded expiry rather than send a token about to die. */
const REFRESH_AHEAD_MS = 60_000;

/**
 * Waits between attempts to revoke a token at iManage after the first one failed for a passing reason
 * (5xx, 429, timeout, network): five more attempts over about 13 minutes, then it is given up (logged
 * as an error). The retries live in this process only: a restart forgets them.
 */
export const REVOKE_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];

/** Waits `ms`, or rejects when `signal` aborts (the service is closing). */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

const timerWait: Wait = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** iManage's status for the first attempt at revoking each token; null when none came back (or there was no such token). */
export interface RevocationStatus {
  access: number | null;
  refresh: number | null;
}

/** Tokens to revoke at one iManage host, and whose they were (for the log, never the tokens). */
interface Revocation {
  appUserId: string;
  hostUrl: string;
  accessToken: string;
  refreshToken: string | null;
  /** Why they are revoked: the user disconnected, a reconnect replaced them, or a connect link was never confirmed. */
  why: 'disconnect' | 'reconnect' | 'unconfirmed';
}

/**
 * Connections kept in the token store. A refresh is shared by every concurrent request of the user in
 * this process (single flight) and serialised across processes by the store's per-user lock; inside
 * the lock the row is read again, so whoever comes second uses the winner's tokens instead of
 * refreshing twice (iManage rotates refresh tokens: a second refresh with the old one would fail).
 */
export class StoreConnections implements ConnectionProvider {
  private readonly refreshes = new Map<string, Promise<ConnectionRecord | null>>();
  /** Revocations still being retried in the background. */
  private readonly revoking = new Set<Promise<void>>();
  /** Aborted by `close()`: pending retries stop waiting. */
  private readonly closing = new AbortController();

  constructor(
    private readonly deps: {
      store: ConnectionStore;
      transport: IManageTransport;
      oauth: OAuthClient;
      logger: Logger;
      now?: () => number;
      /** Discovery may name a plain-http API base: sandbox mode, and an iManage on loopback (`discover`). */
      allowHttp?: boolean;
      /** How revocation retries wait (tests pass one that needs no clock). */
      wait?: Wait;
      /** Where a disconnect is recorded (the audit trail). */
      audit?: AuditRecorder;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async forUser(appUserId: string): Promise<UserConnection | null> {
    const row = await this.read(appUserId);
    return row ? this.toConnection(row) : null;
  }

  /**
   * Completes a connection once iManage has issued tokens (the connect flow's callback, and sandbox
   * mode's demo user): discovery for who the user is and where their API lives, then one write. The
   * tokens of a connection this one replaces are revoked at iManage (in the background, retried).
   */
  async connect(appUserId: string, hostUrl: string, tokens: TokenSet, signal?: AbortSignal): Promise<UserConnection> {
    return this.save(await this.identify(appUserId, hostUrl, tokens, signal));
  }

  /**
   * Discovery for tokens iManage has just issued: who the user is and where their API lives, as the
   * connection to store. Stores nothing (the connect flow keeps it as a pending link until confirmed).
   */
  async identify(appUserId: string, hostUrl: string, tokens: TokenSet, signal?: AbortSignal): Promise<NewConnection> {
    const identity = await discover(this.deps.transport, hostUrl, tokens.accessToken, { signal, allowHttp: this.deps.allowHttp === true });
    return {
      appUserId,
      imanageUserId: identity.userId,
      customerId: identity.customerId,
      preferredLibrary: identity.preferredLibrary,
      hostUrl,
      apiBaseUrl: identity.apiBaseUrl,
      scopes: tokens.scopes,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken,
    };
  }

  /**
   * Stores a connection `identify` described, replacing any the user had; the tokens it replaces are
   * revoked at iManage (in the background, retried).
   */
  async save(connection: NewConnection): Promise<UserConnection> {
    // Under the user's refresh lock: a refresh in flight writes the tokens it rotated before they are
    // read here to be revoked, rather than after the row is replaced (and they live on at iManage).
    const { replaced, row } = await this.deps.store.withRefreshLock(connection.appUserId, async () => {
      // Tokens that no longer decrypt cannot be revoked: nothing to do for them.
      const before = await this.deps.store.get(connection.appUserId).catch((error: unknown) => {
        if (error instanceof TokenDecryptionError) return null;
        throw error;
      });
      return { replaced: before, row: await this.deps.store.save(connection) };
    });
    if (replaced && replaced.accessToken !== connection.accessToken) {
      const refreshToken = replaced.refreshToken !== connection.refreshToken ? replaced.refreshToken : null;
      this.track(
        this.revoke({ appUserId: connection.appUserId, hostUrl: replaced.hostUrl, accessToken: replaced.accessToken, refreshToken, why: 'reconnect' }).then(
          () => undefined,
        ),
      );
    }
    return this.toConnection(row);
  }

  /**
   * Deletes the connection and revokes its refresh and access tokens at iManage. The row goes
   * whatever iManage answers: the user asked to disconnect, and keeping their tokens because iManage
   * is unreachable would be worse. The first attempt is awaited; a revocation that fails for a passing
   * reason is logged and retried in the background (`REVOKE_RETRY_DELAYS_MS`).
   *
   * A connection deleted is recorded in the audit trail (`disconnect`, ok, with the access token's
   * revocation status); a user with no connection has nothing to disconnect, and nothing is recorded.
   */
  async disconnect(appUserId: string): Promise<void> {
    // Under the user's refresh lock, as `save`: the tokens revoked are the last ones issued.
    const { row, unreadable, deleted } = await this.deps.store.withRefreshLock(appUserId, async () => {
      let current: ConnectionRecord | null = null;
      let undecryptable = false;
      try {
        current = await this.deps.store.get(appUserId);
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
        undecryptable = true;
      }
      return { row: current, unreadable: undecryptable, deleted: await this.deps.store.delete(appUserId) };
    });
    const revoked = row
      ? await this.revoke({ appUserId, hostUrl: row.hostUrl, accessToken: row.accessToken, refreshToken: row.refreshToken, why: 'disconnect' })
      : null;
    if (row || unreadable || deleted) {
      this.deps.audit?.record({
        appUserId,
        customerId: row?.customerId ?? null,
        imanageUserId: row?.imanageUserId ?? null,
        kind: 'disconnect',
        operation: 'disconnect',
        targetIds: [],
        outcome: 'ok',
        imanageStatus: revoked?.access ?? null,
        errorCode: null,
      });
    }
  }

  /** Resolves once no revocation is being retried (tests; a graceful stop could wait on it). */
  async revocationsSettled(): Promise<void> {
    while (this.revoking.size > 0) await Promise.allSettled([...this.revoking]);
  }

  /**
   * Revokes tokens this service will never use (a connect link discarded or never confirmed): both
   * tokens, each retried in the background like a disconnect's.
   */
  async revokeUnused(tokens: { appUserId: string; hostUrl: string; accessToken: string; refreshToken: string | null }): Promise<RevocationStatus> {
    return this.revoke({ ...tokens, why: 'unconfirmed' });
  }

  /** Stops waiting retries: what has not been revoked by now is logged as given up. */
  close(): void {
    this.closing.abort(new Error('closing'));
  }

  /**
   * Revokes the refresh token and the access token, each on its own (iManage's revoke takes one
   * token), side by side so that a stalled iManage holds a disconnect up for one timeout, not two.
   * Resolves after the first attempt at both, with iManage's status for each; retries continue in
   * the background.
   */
  private async revoke(revocation: Revocation): Promise<RevocationStatus> {
    const { transport, oauth } = this.deps;
    const { hostUrl } = revocation;
    const attempts: Array<[kind: 'refresh' | 'access', send: () => Promise<number>]> = [];
    if (revocation.refreshToken !== null) {
      const refreshToken = revocation.refreshToken;
      attempts.push(['refresh', () => revokeRefreshToken(transport, hostUrl, oauth, refreshToken)]);
    }
    attempts.push(['access', () => revokeToken(transport, hostUrl, oauth, revocation.accessToken)]);
    const statuses: RevocationStatus = { access: null, refresh: null };
    await Promise.all(
      attempts.map(async ([kind, send]) => {
        const first = await this.tryRevoke(revocation, kind, send, 1);
        statuses[kind] = first.status;
        if (!first.done) this.track(this.retryRevoke(revocation, kind, send));
      }),
    );
    return statuses;
  }

  /** Keeps a background revocation in `revoking` until it settles; it never rejects (failures are logged). */
  private track(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => this.deps.logger.error({ err: { message: (error as Error).message } }, 'iManage token revocation failed unexpectedly'))
      .finally(() => this.revoking.delete(tracked));
    this.revoking.add(tracked);
  }

  private async retryRevoke(revocation: Revocation, kind: 'refresh' | 'access', send: () => Promise<number>): Promise<void> {
    const wait = this.deps.wait ?? timerWait;
    for (const [i, delay] of REVOKE_RETRY_DELAYS_MS.entries()) {
      try {
        await wait(delay, this.closing.signal);
      } catch {
        break; // closing
      }
      if ((await this.tryRevoke(revocation, kind, send, i + 2)).done) return;
    }
    this.deps.logger.error(
      { appUserId: revocation.appUserId, token: kind, why: revocation.why },
      'iManage token revocation given up: the token stays valid at iManage until it expires',
    );
  }

  /**
   * One attempt: done when revoked or refused for good, not done when worth retrying; with iManage's
   * status, null when none came back. Every failure is logged with what failed, never the token.
   */
  private async tryRevoke(
    revocation: Revocation,
    kind: 'refresh' | 'access',
    send: () => Promise<number>,
    attempt: number,
  ): Promise<{ done: boolean; status: number | null }> {
    try {
      const status = await send();
      if (attempt > 1) this.deps.logger.info({ appUserId: revocation.appUserId, token: kind, attempt }, 'iManage token revoked after a retry');
      return { done: true, status };
    } catch (error) {
      const status = error instanceof IManageHttpError ? error.status : undefined;
      const passing = status === undefined || status >= 500 || status === 429;
      const fields = {
        appUserId: revocation.appUserId,
        token: kind,
        why: revocation.why,
        attempt,
        err:
          error instanceof IManageError
            ? { kind: error.kind, status, code: error instanceof IManageHttpError ? error.code : undefined }
            : { kind: 'unexpected' },
      };
      if (passing) {
        this.deps.logger.warn(fields, 'iManage token revocation failed; retrying later');
        return { done: false, status: status ?? null };
      }
      this.deps.logger.error(fields, 'iManage refused to revoke the token; not retrying');
      return { done: true, status: status ?? null };
    }
  }

  /** A row whose tokens no longer decrypt (key removed, row tampered) is treated as needing a reconnect. */
  private async read(appUserId: string): Promise<ConnectionRecord | null> {
    try {
      return await this.deps.store.get(appUserId);
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      this.deps.logger.warn({ appUserId, reason: error.reason }, 'stored iManage tokens cannot be decrypted; user must reconnect');
      return null;
    }
  }

  private toConnection(initial: ConnectionRecord): UserConnection {
    let row = initial;
    const statusOf = (r: ConnectionRecord) => this.statusOf(r);
    const expiringSoon = (r: ConnectionRecord) => r.accessTokenExpiresAt.getTime() - this.now() < REFRESH_AHEAD_MS;
    return {
      id: `${row.appUserId}\u0001${row.customerId}\u0001${row.imanageUserId}`,
      appUserId: row.appUserId,
      // Read when asked: a refresh during the request replaces the row.
      get status() {
        return statusOf(row);
      },
      imanageUserId: row.imanageUserId,
      customerId: row.customerId,
      preferredLibrary: row.preferredLibrary,
      apiBaseUrl: row.apiBaseUrl,
      scopes: row.scopes,
      expiresAt: () => row.accessTokenExpiresAt,
      tokens: {
        current: async () => {
          // Without a refresh token there is nothing to refresh ahead with: iManage counts idle time, so
          // the token may well still be alive; let iManage decide.
          if (row.refreshToken && expiringSoon(row)) {
            const fresh = await this.refresh(row.appUserId, row.accessToken);
            if (fresh) row = fresh;
          }
          return row.accessToken;
        },
        renew: async (rejected) => {
          const fresh = await this.refresh(row.appUserId, rejected);
          if (!fresh) return null;
          row = fresh;
          return fresh.accessToken === rejected ? null : fresh.accessToken;
        },
      },
    };
  }

  /**
   * Usable until iManage refuses the token and no refresh can replace it (`refreshLocked` then marks
   * the row). Never judged by the clock: iManage's expiry counts idle minutes (reference §2.5), so a
   * token used within them stays valid long past `expires_in`.
   */
  private statusOf(row: ConnectionRecord): UserConnection['status'] {
    return row.status;
  }

  /** One refresh per user at a time in this process; the store's lock orders processes. */
  private refresh(appUserId: string, staleAccessToken: string): Promise<ConnectionRecord | null> {
    let flight = this.refreshes.get(appUserId);
    if (!flight) {
      flight = this.deps.store
        .withRefreshLock(appUserId, () => this.refreshLocked(appUserId, staleAccessToken))
        .finally(() => this.refreshes.delete(appUserId));
      this.refreshes.set(appUserId, flight);
    }
    return flight;
  }

  private async refreshLocked(appUserId: string, staleAccessToken: string): Promise<ConnectionRecord | null> {
    const row = await this.read(appUserId);
    if (!row || row.status === 'reauth_required') return null;
    // Someone else (another request, another instance, a reconnect) replaced the token while we waited
    // for the lock: use theirs, unless it is one to refresh ahead too.
    if (row.accessToken !== staleAccessToken && !(row.refreshToken && row.accessTokenExpiresAt.getTime() - this.now() < REFRESH_AHEAD_MS)) return row;
    if (!row.refreshToken) {
      // iManage issued no refresh token (the firm's admin did not allow it): a normal end, not an error.
      await this.deps.store.markReauthRequired(appUserId, row.version);
      return null;
    }
    let tokens: TokenSet;
    try {
      tokens = await requestToken(
        this.deps.transport,
        row.hostUrl,
        { grant_type: 'refresh_token', refresh_token: row.refreshToken, client_id: this.deps.oauth.clientId, client_secret: this.deps.oauth.clientSecret },
        row.scopes,
        { now: () => this.now() },
      );
    } catch (error) {
      if (!(error instanceof IManageHttpError) || error.status >= 500 || error.status === 429) throw error;
      // invalid_grant and friends: maybe another instance rotated the token first. Read again before
      // telling the user to reconnect.
      const again = await this.read(appUserId);
      if (again && again.version !== row.version) return again.status === 'connected' ? again : null;
      if (again) await this.deps.store.markReauthRequired(appUserId, again.version);
      this.deps.logger.info({ appUserId, code: error.code }, 'iManage refused the refresh token; user must reconnect');
      return null;
    }
    // Stored before it is used: if this process died now, the rotated refresh token is not lost.
    const fresh = {
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken ?? row.refreshToken,
      scopes: tokens.scopes,
    };
    let version = row.version;
    for (let attempt = 0; attempt < 3; attempt++) {
      const updated = await this.deps.store.updateTokens(appUserId, version, fresh);
      if (updated) return updated;
      // The row changed while iManage answered. If it still holds the refresh token just spent (the
      // key rotation re-encrypted it, say), the new tokens are written over it: dropping them would
      // leave only a refresh token iManage has used up, and the user would have to connect again.
      // Anything else (a reconnect, a disconnect) stands.
      const now = await this.read(appUserId);
      if (!now || now.hostUrl !== row.hostUrl || now.refreshToken !== row.refreshToken || now.status !== 'connected') return now;
      version = now.version;
    }
    return this.read(appUserId);
  }
}
