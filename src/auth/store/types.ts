/**
 * What the service keeps in its database, as five stores over one database: connections (who is
 * connected to which iManage account, with which tokens), connect states (the connect flow's
 * short-lived tickets, OAuth `state`s and pending links), idempotency keys for mutations, the
 * download links already used, and the audit trail. `TokenStore` owns the database and hands out the five.
 *
 * Secrets (access and refresh tokens, PKCE code verifiers) are plaintext only in memory: the stores
 * encrypt them with a `TokenCipher` before they reach the database. A stored secret that cannot be
 * decrypted (wrong key, copied from another row, tampered) makes the read reject with
 * `TokenDecryptionError`; callers should treat that user as needing to reconnect.
 */

export type ConnectionStatus = 'connected' | 'reauth_required';

export interface ConnectionRecord {
  appUserId: string; // the app's user id (JWT sub), primary key
  imanageUserId: string; // e.g. JSMITH
  customerId: string; // iManage customer id as a string
  preferredLibrary: string | null;
  hostUrl: string; // iManage host, e.g. https://cloudimanage.com
  apiBaseUrl: string; // v2 base from discovery
  scopes: string[];
  accessToken: string; // plaintext in memory only; encrypted in the database
  accessTokenExpiresAt: Date;
  refreshToken: string | null; // plaintext in memory only; encrypted in the database
  status: ConnectionStatus;
  version: number; // row version, incremented on every write
  createdAt: Date;
  updatedAt: Date;
}

export type NewConnection = Omit<ConnectionRecord, 'version' | 'createdAt' | 'updatedAt' | 'status'>;

/**
 * New tokens after a refresh. Every field is written as given: `refreshToken: null` clears the stored
 * refresh token, so when iManage's response has no new refresh token pass the current one back.
 * `scopes` left out keeps the stored scopes.
 */
export interface TokenUpdate {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string | null;
  scopes?: string[];
}

export interface OAuthState {
  id: string;
  appUserId: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: Date;
}

/** A connect ticket (`startIManageConnection`): single-use, bound to the app user and where to return. */
export interface ConnectTicket {
  id: string;
  appUserId: string;
  returnTo: string;
  expiresAt: Date;
}

/**
 * Tokens iManage issued at the end of a connect flow, waiting for the app user who started it to
 * confirm them (`confirmIManageConnection`). Tokens are plaintext in memory only, as for connections.
 */
export interface PendingLink extends NewConnection {
  id: string;
  expiresAt: Date;
}

/**
 * How many unused tickets, states and pending links one app user may have at once: saving one more
 * drops that user's oldest of the kind.
 */
export interface KeepNewest {
  keep: number;
}

/** Whose idempotency keys: the app user, and the iManage identity the key was used with. */
export interface IdempotencyScope {
  appUserId: string;
  customerId: string;
  imanageUserId: string;
}

export interface IdempotencyRecord extends IdempotencyScope {
  key: string;
  requestHash: string;
  status: 'pending' | 'done';
  response: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface ConnectionStore {
  /** The user's connection, or null. Rejects with `TokenDecryptionError` when a stored token cannot be decrypted. */
  get(appUserId: string): Promise<ConnectionRecord | null>;
  /**
   * Insert or replace the user's connection (a (re)connect): status 'connected', version bumped.
   * Replacing keeps `createdAt` and continues the row's version (1 for a new row), so a refresher
   * holding the old version cannot overwrite the new tokens. The user's idempotency keys recorded
   * for another iManage identity (customer or user) are deleted: they can never apply again.
   */
  save(connection: NewConnection): Promise<ConnectionRecord>;
  /**
   * Compare-and-set: writes only if the row's version is still `expectedVersion`; returns the new row, or
   * null when it changed (or is gone). Re-encrypts with the newest key. Leaves `status` as it is: only
   * `save` (a reconnect) makes a connection 'connected' again.
   */
  updateTokens(appUserId: string, expectedVersion: number, update: TokenUpdate): Promise<ConnectionRecord | null>;
  /**
   * Compare-and-set to status 'reauth_required'; null when the version changed (or the row is gone).
   * The encrypted tokens are kept (ConnectionRecord.accessToken is never null); they are overwritten
   * by the next `save` and removed by `delete`.
   */
  markReauthRequired(appUserId: string, expectedVersion: number): Promise<ConnectionRecord | null>;
  /** Deletes the connection and every idempotency key of the user. True when a connection was deleted. */
  delete(appUserId: string): Promise<boolean>;
  /**
   * Runs `fn` while holding a cross-instance lock on this user's refresh. PostgreSQL: a transaction-scoped
   * advisory lock (pg_advisory_xact_lock on a hash of the app user id) held for fn's duration, on a dedicated
   * client; SQLite: an in-process per-user mutex (one process owns the file).
   * fn should re-read the row after acquiring. fn's own reads and writes are not part of the lock's
   * transaction: they commit at once, whatever fn does afterwards.
   */
  withRefreshLock<T>(appUserId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Which encryption keys the stored connections' tokens are under: per app user, the key ids of the
   * access token and (when there is one) the refresh token, read from the envelopes without decrypting.
   */
  connectionKeys(): Promise<Array<{ appUserId: string; keyIds: string[] }>>;
}

export interface ConnectStateStore {
  /**
   * Connect tickets: saved once (then the user's oldest beyond `keep` are deleted), consumed once (a
   * second consume returns null); expired ones return null.
   */
  saveTicket(ticket: ConnectTicket, limit: KeepNewest): Promise<void>;
  consumeTicket(id: string): Promise<ConnectTicket | null>;
  /**
   * OAuth `state` for the connect flow: saved once (then the user's oldest beyond `keep` are
   * deleted), consumed once (a second consume returns null); expired ones return null.
   */
  saveState(state: OAuthState, limit: KeepNewest): Promise<void>;
  consumeState(id: string): Promise<OAuthState | null>;
  /**
   * Pending links, tokens encrypted like connections. `savePendingLink` answers the user's oldest
   * links it deleted to stay within `keep`, so that their tokens can be revoked. `takePendingLink`
   * deletes and answers the link, expired or not (its tokens still need revoking), or null; of two
   * concurrent takers exactly one gets it. `takeExpiredPendingLinks` deletes and answers at most
   * `max` links expired at the store's now. A link whose tokens do not decrypt is deleted and left out.
   */
  savePendingLink(link: PendingLink, limit: KeepNewest): Promise<PendingLink[]>;
  takePendingLink(id: string): Promise<PendingLink | null>;
  takeExpiredPendingLinks(max: number): Promise<PendingLink[]>;
}

/**
 * Idempotency keys for mutations, per app user and iManage identity: `claim` inserts a pending row if
 * none exists and returns {claimed:true}, else returns the existing record (claimed:false); `complete`
 * stores the response; expired rows are treated as absent and purged lazily. `complete` on a missing
 * row does nothing; `release` deletes a pending claim (so the request can be retried) and leaves a
 * completed one in place. A key used by the same app user under another iManage identity is another key.
 */
export interface IdempotencyKeyStore {
  claimIdempotencyKey(
    record: IdempotencyScope & { key: string; requestHash: string; ttlSeconds: number },
  ): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }>;
  completeIdempotencyKey(scope: IdempotencyScope, key: string, response: string): Promise<void>;
  releaseIdempotencyKey(scope: IdempotencyScope, key: string): Promise<void>;
}

/**
 * Download links used (issue 17), by their `jti`, so that each serves one download: `use` records a
 * link and answers true for the first use only, atomically across instances (of concurrent uses
 * exactly one wins); `isUsed` reads without recording (HEAD); `release` forgets a use that delivered
 * nothing (iManage failed before the first byte), so the link may be tried again. Rows are kept until
 * `expiresAt` (when the link is no longer valid anyway) and purged lazily.
 */
export interface DownloadLinkStore {
  use(link: { jti: string; appUserId: string; expiresAt: Date }): Promise<boolean>;
  isUsed(jti: string): Promise<boolean>;
  release(jti: string): Promise<void>;
}

/** What an audit event is about: a GraphQL mutation field, a passthrough call, a connect or a disconnect. */
export type AuditKind = 'graphql' | 'passthrough' | 'connect' | 'disconnect';

/**
 * How it ended: `ok`; `user_error` (bad input, or iManage refused it for this user: the mutation's
 * userErrors, a 4xx); `error` (iManage or this service failed: 5xx, no answer, INTERNAL); `refused`
 * (this service refused it for security: a link started by another app user, a state bound to
 * another browser, an API base not on the iManage host).
 */
export type AuditOutcome = 'ok' | 'user_error' | 'error' | 'refused';

/**
 * One write that reached iManage, as the audit trail keeps it. Ids, codes and numbers only: no
 * request or response body, no name, no token.
 */
export interface NewAuditEvent {
  appUserId: string;
  /** The iManage customer and user it was done as; null when no iManage identity was reached. */
  customerId: string | null;
  imanageUserId: string | null;
  kind: AuditKind;
  /** `mutation CreateFolder { createSubfolder }`, `POST /work/api/v2/customers/{customerId}/…`, `connect`, `disconnect`. */
  operation: string;
  /** iManage ids the write named or produced (a parent and the folder created), in that order. */
  targetIds: string[];
  outcome: AuditOutcome;
  /** iManage's HTTP status for the write, or null when none came back (or none was sent). */
  imanageStatus: number | null;
  /** The API's error code (`UPSTREAM_UNAVAILABLE`, a userError's `FORBIDDEN`, …) or the connect flow's reason; null when ok. */
  errorCode: string | null;
  /** The HTTP request's `x-request-id`; null for work no request asked for. */
  requestId: string | null;
}

export interface AuditEvent extends NewAuditEvent {
  id: string;
  at: Date;
}

/** Which events to read: one app user's (or everyone's), from `since` (inclusive) to `until` (exclusive). */
export interface AuditEventFilter {
  appUserId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** At most this many, the oldest first. Default 1000. */
  limit?: number | undefined;
}

/**
 * The audit trail's rows: `append` stamps an event with an id and the store's now; `list` reads them
 * oldest first; `purge` deletes those older than `retentionMs` at the store's now and answers how many.
 */
export interface AuditEventStore {
  append(event: NewAuditEvent): Promise<AuditEvent>;
  list(filter: AuditEventFilter): Promise<AuditEvent[]>;
  purge(retentionMs: number): Promise<number>;
}

/** The database and the stores over it. */
export interface TokenStore {
  readonly connections: ConnectionStore;
  readonly connectStates: ConnectStateStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly downloadLinks: DownloadLinkStore;
  /** The audit trail's rows (src/audit/ decides what goes in). */
  readonly auditEvents: AuditEventStore;
  /** Applies pending versioned migrations (idempotent, safe when two instances start at once). */
  migrate(): Promise<void>;
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>;
  /** Closes the database (and pools). Safe to call twice. */
  close(): Promise<void>;
}
