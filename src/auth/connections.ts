import type { Logger } from 'pino';
import type { AccessTokenSource } from '../imanage/client.js';
import { discover } from '../imanage/client.js';
import { IManageHttpError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';
import { requestToken, revokeToken, type OAuthClient, type TokenSet } from './imanageOAuth.js';
import { TokenDecryptionError } from './store/crypto.js';
import type { ConnectionRecord, NewConnection, TokenStore } from './store/types.js';

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
  /** When the current access token expires unless used or refreshed. */
  expiresAt(): Date;
}

export interface ConnectionProvider {
  /** The user's connection, or null when they have none. */
  forUser(appUserId: string): Promise<UserConnection | null>;
}

/** Refresh this long before the recorded expiry rather than send a token about to die. */
const REFRESH_AHEAD_MS = 60_000;

/**
 * Connections kept in the token store. A refresh is shared by every concurrent request of the user in
 * this process (single flight) and serialised across processes by the store's per-user lock; inside
 * the lock the row is read again, so whoever comes second uses the winner's tokens instead of
 * refreshing twice (iManage rotates refresh tokens: a second refresh with the old one would fail).
 */
export class StoreConnections implements ConnectionProvider {
  private readonly refreshes = new Map<string, Promise<ConnectionRecord | null>>();
  /** The connection made for a remembered record, kept while the store hands out that same record. */
  private readonly remembered = new WeakMap<ConnectionRecord, UserConnection>();

  constructor(
    private readonly deps: {
      store: TokenStore;
      transport: IManageTransport;
      oauth: OAuthClient;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async forUser(appUserId: string): Promise<UserConnection | null> {
    const row = await this.read(appUserId);
    return row ? this.toConnection(row) : null;
  }

  /** `forUser`'s answer when the store has it in memory (`TokenStore.getRemembered`), else `undefined`. */
  rememberedForUser(appUserId: string): UserConnection | null | undefined {
    const row = this.deps.store.getRemembered?.(appUserId);
    if (!row) return row;
    let connection = this.remembered.get(row);
    if (!connection) {
      connection = this.toConnection(row);
      this.remembered.set(row, connection);
    }
    return connection;
  }

  /**
   * Completes a connection once iManage has issued tokens (the connect flow's callback, and sandbox
   * mode's demo user): discovery for who the user is and where their API lives, then one write.
   */
  async connect(appUserId: string, hostUrl: string, tokens: TokenSet, signal?: AbortSignal): Promise<UserConnection> {
    return this.save(await this.identify(appUserId, hostUrl, tokens, signal));
  }

  /**
   * Discovery for tokens iManage has just issued: who the user is and where their API lives, as the
   * connection to store. Stores nothing (the connect flow keeps it as a pending link until confirmed).
   */
  async identify(appUserId: string, hostUrl: string, tokens: TokenSet, signal?: AbortSignal): Promise<NewConnection> {
    const identity = await discover(this.deps.transport, hostUrl, tokens.accessToken, signal);
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

  /** Stores a connection `identify` described, replacing any the user had. */
  async save(connection: NewConnection): Promise<UserConnection> {
    return this.toConnection(await this.deps.store.save(connection));
  }

  /** Revokes the access token at iManage (best effort) and deletes the connection. */
  async disconnect(appUserId: string): Promise<void> {
    let row: ConnectionRecord | null = null;
    try {
      row = await this.deps.store.get(appUserId);
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
    }
    if (row) {
      try {
        await revokeToken(this.deps.transport, row.hostUrl, this.deps.oauth, row.accessToken);
      } catch (error) {
        // The user asked to disconnect: keeping their tokens because iManage is unreachable would be worse.
        this.deps.logger.warn({ appUserId, err: { kind: (error as { kind?: string }).kind } }, 'token revocation failed; deleting the connection anyway');
      }
    }
    await this.deps.store.delete(appUserId);
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
    const connections = this;
    const expiringSoon = (r: ConnectionRecord) => r.accessTokenExpiresAt.getTime() - this.now() < REFRESH_AHEAD_MS;
    return {
      id: `${row.appUserId}\u0001${row.customerId}\u0001${row.imanageUserId}`,
      appUserId: row.appUserId,
      // Read when asked: one connection may serve several requests (rememberedForUser).
      get status() {
        return connections.statusOf(row);
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
   * A connection is usable unless the store says otherwise, or it has no refresh token and its access
   * token has outlived its lifetime (iManage's idle timeout makes that a sure sign of expiry only if
   * unused, but no refresh is possible either way, so the user has to reconnect).
   */
  private statusOf(row: ConnectionRecord): UserConnection['status'] {
    if (row.status === 'reauth_required') return 'reauth_required';
    if (!row.refreshToken && row.accessTokenExpiresAt.getTime() <= this.now()) return 'reauth_required';
    return 'connected';
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
    // Someone else (another request, another instance) refreshed while we waited for the lock.
    if (row.accessToken !== staleAccessToken && row.accessTokenExpiresAt.getTime() - this.now() >= REFRESH_AHEAD_MS) return row;
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
    const updated = await this.deps.store.updateTokens(appUserId, row.version, {
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken ?? row.refreshToken,
      scopes: tokens.scopes,
    });
    return updated ?? (await this.read(appUserId));
  }
}
