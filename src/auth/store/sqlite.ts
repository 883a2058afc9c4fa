import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import {
  envelopeKeyIds,
  checkId,
  checkKeep,
  checkNewConnection,
  checkPendingLink,
  checkScope,
  checkState,
  checkTicket,
  checkTokenUpdate,
  checkTtl,
  codeVerifierAad,
  ConnectionDecryptor,
  decryptPendingLink,
  encryptPendingLinkTokens,
  encryptTokens,
  KeyedMutex,
  PurgeSchedule,
  toConnectionStatus,
  toIdempotencyStatus,
  type StoredConnection,
} from './common.js';
import { TokenDecryptionError, type TokenCipher } from './crypto.js';
import { MIGRATIONS } from './migrations.js';
import type {
  ConnectionRecord,
  ConnectTicket,
  IdempotencyRecord,
  IdempotencyScope,
  KeepNewest,
  NewConnection,
  OAuthState,
  PendingLink,
  TokenStore,
  TokenUpdate,
} from './types.js';

export interface SqliteTokenStoreOptions {
  /** A file path (its directory is created if missing), or `:memory:`. */
  filename: string;
  cipher: TokenCipher;
  /** How long a write waits for another connection's lock on the file. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Clock for expiry and timestamps, in epoch milliseconds (tests). Default `Date.now`. */
  now?: () => number;
  /**
   * How often a read asks SQLite whether a connection outside this process (an operator's `sqlite3`
   * shell, a second process on the file) has written the file since the last time: remembered rows
   * it changed are served for at most this long. Writes through any store of this process are seen at
   * once, and reads under a refresh lock always ask. 0 asks on every read. Default 1000 ms.
   */
  outsideWriteCheckMs?: number;
}

/**
 * Refresh locks for SQLite are in-process: one mutex registry for the whole process, keyed by the
 * database file, so two stores opened on the same file in one process still exclude each other. A
 * SQLite file is meant to be owned by one process (the embedded default); several server processes
 * sharing a file would each refresh on their own, and the compare-and-set in `updateTokens` is what
 * keeps them from overwriting each other's tokens. Run PostgreSQL for more than one instance.
 */
const refreshLocks = new KeyedMutex();
let memoryDatabases = 0;
/** The stores of this process by database file: a write through one drops the row the others remember. */
const storesByFile = new Map<string, Set<SqliteTokenStore>>();

interface ConnectionRow {
  app_user_id: string;
  imanage_user_id: string;
  customer_id: string;
  preferred_library: string | null;
  host_url: string;
  api_base_url: string;
  scopes: string;
  access_token_enc: string;
  access_token_expires_at: number;
  refresh_token_enc: string | null;
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
}

interface StateRow {
  id: string;
  app_user_id: string;
  code_verifier_enc: string;
  return_to: string;
  expires_at: number;
  created_at: number;
}

interface TicketRow {
  id: string;
  app_user_id: string;
  return_to: string;
  expires_at: number;
  created_at: number;
}

interface PendingLinkRow {
  id: string;
  app_user_id: string;
  imanage_user_id: string;
  customer_id: string;
  preferred_library: string | null;
  host_url: string;
  api_base_url: string;
  scopes: string;
  access_token_enc: string;
  access_token_expires_at: number;
  refresh_token_enc: string | null;
  expires_at: number;
  created_at: number;
}

interface IdempotencyRow {
  app_user_id: string;
  customer_id: string;
  imanage_user_id: string;
  key: string;
  request_hash: string;
  status: string;
  response: string | null;
  created_at: number;
  expires_at: number;
}

/** Connection rows kept in memory (at most this many, of about this many characters in all); the least recently read is dropped first. */
const REMEMBERED_ROWS = 10_000;
const REMEMBERED_ROW_CHARS = 8 * 1024 * 1024;
const OUTSIDE_WRITE_CHECK_MS = 1000;

/**
 * The embedded token store: one SQLite file through better-sqlite3 (synchronous; each call runs to
 * completion before the returned promise settles). WAL journal, `busy_timeout`, foreign keys on.
 */
export class SqliteTokenStore implements TokenStore {
  private readonly db: Database.Database;
  private readonly cipher: TokenCipher;
  private readonly decryptor: ConnectionDecryptor;
  /** The record of each remembered row, decrypted once: the same record while the row is the same. */
  private readonly records = new WeakMap<StoredConnection, ConnectionRecord>();
  /** Connection rows as stored (tokens encrypted), valid while `data_version` stays `dataVersion`. */
  private readonly rows = new LRUCache<string, StoredConnection>({
    max: REMEMBERED_ROWS,
    maxSize: REMEMBERED_ROW_CHARS,
    sizeCalculation: (row) => 256 + row.accessTokenEnc.length + (row.refreshTokenEnc?.length ?? 0),
  });
  private dataVersion = -1;
  /** When `data_version` was last read (`performance.now()`); -Infinity: read it on the next read. */
  private dataVersionCheckedAt = -Infinity;
  private readonly outsideWriteCheckMs: number;
  private readonly now: () => number;
  private readonly lockScope: string;
  private readonly purge = new PurgeSchedule();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(options: SqliteTokenStoreOptions) {
    this.cipher = options.cipher;
    this.decryptor = new ConnectionDecryptor(options.cipher);
    this.now = options.now ?? Date.now;
    this.outsideWriteCheckMs = Math.max(0, options.outsideWriteCheckMs ?? OUTSIDE_WRITE_CHECK_MS);
    const inMemory = options.filename === ':memory:';
    let filename = options.filename;
    if (inMemory) {
      this.lockScope = `memory:${++memoryDatabases}`;
    } else {
      filename = resolve(options.filename);
      mkdirSync(dirname(filename), { recursive: true });
      // Create the file owner-only before SQLite does (SQLite gives its -wal/-shm files the same mode).
      closeSync(openSync(filename, 'a', 0o600));
      this.lockScope = `file:${filename}`;
    }
    this.db = new Database(filename);
    try {
      if (!inMemory) this.db.pragma('journal_mode = WAL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode
    } catch (error) {
      this.db.close();
      throw error;
    }
    let siblings = storesByFile.get(this.lockScope);
    if (!siblings) storesByFile.set(this.lockScope, (siblings = new Set()));
    siblings.add(this);
  }

  async migrate(): Promise<void> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    for (const migration of MIGRATIONS) {
      // IMMEDIATE takes the write lock first, so a second process starting at the same moment waits
      // (busy_timeout), then sees the version recorded and skips it.
      this.db
        .transaction(() => {
          const applied = this.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
          if (applied) return;
          this.db.exec(migration.sqlite);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, this.now());
        })
        .immediate();
    }
  }

  /**
   * Read on every GraphQL request, so rows are remembered (encrypted, as stored) and served from
   * memory while nothing else has written them: this store's own writes replace or drop the row they
   * change, a write through another store of this process on the same file drops it here too, and
   * SQLite's `data_version`, which changes whenever another connection commits, is read at most every
   * `outsideWriteCheckMs` (each read of it is three system calls, the largest part of a request that
   * calls no iManage), and when it has changed every remembered row is forgotten.
   */
  async get(appUserId: string): Promise<ConnectionRecord | null> {
    if (this.outsideWriteCheckDue()) this.forgetRowsIfChangedElsewhere();
    let stored = this.rows.get(appUserId);
    if (!stored) {
      const row = this.statement('SELECT * FROM imanage_connections WHERE app_user_id = ?').get(appUserId) as
        | ConnectionRow
        | undefined;
      if (!row) return null;
      stored = toStored(row);
      this.rows.set(appUserId, stored);
    }
    return this.recordOf(stored);
  }

  getRemembered(appUserId: string): ConnectionRecord | null | undefined {
    if (this.outsideWriteCheckDue()) return undefined;
    const stored = this.rows.get(appUserId);
    if (!stored) return undefined;
    try {
      return this.recordOf(stored);
    } catch {
      return undefined;
    }
  }

  async save(connection: NewConnection): Promise<ConnectionRecord> {
    checkNewConnection(connection);
    const encrypted = encryptTokens(this.cipher, connection.appUserId, connection);
    const now = this.now();
    const row = this.statement(`
      INSERT INTO imanage_connections (
        app_user_id, imanage_user_id, customer_id, preferred_library, host_url, api_base_url, scopes,
        access_token_enc, access_token_expires_at, refresh_token_enc, status, version, created_at, updated_at
      ) VALUES (
        @appUserId, @imanageUserId, @customerId, @preferredLibrary, @hostUrl, @apiBaseUrl, @scopes,
        @accessTokenEnc, @accessTokenExpiresAt, @refreshTokenEnc, 'connected', 1, @now, @now
      )
      ON CONFLICT (app_user_id) DO UPDATE SET
        imanage_user_id = excluded.imanage_user_id,
        customer_id = excluded.customer_id,
        preferred_library = excluded.preferred_library,
        host_url = excluded.host_url,
        api_base_url = excluded.api_base_url,
        scopes = excluded.scopes,
        access_token_enc = excluded.access_token_enc,
        access_token_expires_at = excluded.access_token_expires_at,
        refresh_token_enc = excluded.refresh_token_enc,
        status = 'connected',
        version = imanage_connections.version + 1,
        updated_at = excluded.updated_at
      RETURNING *`).get({
      appUserId: connection.appUserId,
      imanageUserId: connection.imanageUserId,
      customerId: connection.customerId,
      preferredLibrary: connection.preferredLibrary,
      hostUrl: connection.hostUrl,
      apiBaseUrl: connection.apiBaseUrl,
      scopes: JSON.stringify(connection.scopes),
      accessTokenEnc: encrypted.accessTokenEnc,
      accessTokenExpiresAt: connection.accessTokenExpiresAt.getTime(),
      refreshTokenEnc: encrypted.refreshTokenEnc,
      now,
    }) as ConnectionRow;
    this.statement('DELETE FROM idempotency_keys WHERE app_user_id = ? AND NOT (customer_id = ? AND imanage_user_id = ?)').run(
      connection.appUserId,
      connection.customerId,
      connection.imanageUserId,
    );
    return this.remember(row);
  }

  async updateTokens(appUserId: string, expectedVersion: number, update: TokenUpdate): Promise<ConnectionRecord | null> {
    checkTokenUpdate(update);
    const encrypted = encryptTokens(this.cipher, appUserId, update);
    const row = this.statement(`
      UPDATE imanage_connections SET
        access_token_enc = @accessTokenEnc,
        access_token_expires_at = @accessTokenExpiresAt,
        refresh_token_enc = @refreshTokenEnc,
        scopes = coalesce(@scopes, scopes),
        version = version + 1,
        updated_at = @now
      WHERE app_user_id = @appUserId AND version = @expectedVersion
      RETURNING *`).get({
      appUserId,
      expectedVersion,
      accessTokenEnc: encrypted.accessTokenEnc,
      accessTokenExpiresAt: update.accessTokenExpiresAt.getTime(),
      refreshTokenEnc: encrypted.refreshTokenEnc,
      scopes: update.scopes === undefined ? null : JSON.stringify(update.scopes),
      now: this.now(),
    }) as ConnectionRow | undefined;
    return this.rememberOrForget(appUserId, row);
  }

  async markReauthRequired(appUserId: string, expectedVersion: number): Promise<ConnectionRecord | null> {
    const row = this.statement(`
      UPDATE imanage_connections SET status = 'reauth_required', version = version + 1, updated_at = @now
      WHERE app_user_id = @appUserId AND version = @expectedVersion
      RETURNING *`).get({ appUserId, expectedVersion, now: this.now() }) as ConnectionRow | undefined;
    return this.rememberOrForget(appUserId, row);
  }

  async delete(appUserId: string): Promise<boolean> {
    this.rows.delete(appUserId);
    const deleted = this.db.transaction(() => {
      this.statement('DELETE FROM idempotency_keys WHERE app_user_id = ?').run(appUserId);
      return this.statement('DELETE FROM imanage_connections WHERE app_user_id = ?').run(appUserId).changes > 0;
    })();
    this.siblingsForget(appUserId);
    return deleted;
  }

  /** Whoever holds the lock reads the row as it is now: the first read under it asks SQLite. */
  withRefreshLock<T>(appUserId: string, fn: () => Promise<T>): Promise<T> {
    return refreshLocks.run(`${this.lockScope}\u0000${appUserId}`, () => {
      this.dataVersionCheckedAt = -Infinity;
      return fn();
    });
  }

  async saveTicket(ticket: ConnectTicket, limit: KeepNewest): Promise<void> {
    checkTicket(ticket);
    checkKeep(limit);
    const now = this.now();
    this.purgeExpired(now);
    this.db.transaction(() => {
      this.statement('INSERT INTO connect_tickets (id, app_user_id, return_to, expires_at, created_at) VALUES (?, ?, ?, ?, ?)').run(
        ticket.id,
        ticket.appUserId,
        ticket.returnTo,
        ticket.expiresAt.getTime(),
        now,
      );
      this.dropOldest('connect_tickets', ticket.appUserId, limit.keep);
    })();
  }

  async consumeTicket(id: string): Promise<ConnectTicket | null> {
    const row = this.statement('DELETE FROM connect_tickets WHERE id = ? RETURNING *').get(id) as TicketRow | undefined;
    if (!row || row.expires_at <= this.now()) return null;
    return { id: row.id, appUserId: row.app_user_id, returnTo: row.return_to, expiresAt: new Date(row.expires_at) };
  }

  async saveState(state: OAuthState, limit: KeepNewest): Promise<void> {
    checkState(state);
    checkKeep(limit);
    const now = this.now();
    this.purgeExpired(now);
    this.db.transaction(() => {
      this.statement(`
        INSERT INTO oauth_states (id, app_user_id, code_verifier_enc, return_to, expires_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?)`).run(
        state.id,
        state.appUserId,
        this.cipher.encrypt(state.codeVerifier, codeVerifierAad(state.id)),
        state.returnTo,
        state.expiresAt.getTime(),
        now,
      );
      this.dropOldest('oauth_states', state.appUserId, limit.keep);
    })();
  }

  async consumeState(id: string): Promise<OAuthState | null> {
    // Deleting and reading in one statement makes the state single-use even under concurrent callbacks.
    const row = this.statement('DELETE FROM oauth_states WHERE id = ? RETURNING *').get(id) as StateRow | undefined;
    if (!row || row.expires_at <= this.now()) return null;
    return {
      id: row.id,
      appUserId: row.app_user_id,
      codeVerifier: this.cipher.decrypt(row.code_verifier_enc, codeVerifierAad(row.id)),
      returnTo: row.return_to,
      expiresAt: new Date(row.expires_at),
    };
  }

  async savePendingLink(link: PendingLink, limit: KeepNewest): Promise<PendingLink[]> {
    checkPendingLink(link);
    checkKeep(limit);
    const encrypted = encryptPendingLinkTokens(this.cipher, link);
    const dropped = this.db.transaction(() => {
      this.statement(`
        INSERT INTO pending_links (
          id, app_user_id, imanage_user_id, customer_id, preferred_library, host_url, api_base_url, scopes,
          access_token_enc, access_token_expires_at, refresh_token_enc, expires_at, created_at
        ) VALUES (
          @id, @appUserId, @imanageUserId, @customerId, @preferredLibrary, @hostUrl, @apiBaseUrl, @scopes,
          @accessTokenEnc, @accessTokenExpiresAt, @refreshTokenEnc, @expiresAt, @now
        )`).run({
        id: link.id,
        appUserId: link.appUserId,
        imanageUserId: link.imanageUserId,
        customerId: link.customerId,
        preferredLibrary: link.preferredLibrary,
        hostUrl: link.hostUrl,
        apiBaseUrl: link.apiBaseUrl,
        scopes: JSON.stringify(link.scopes),
        accessTokenEnc: encrypted.accessTokenEnc,
        accessTokenExpiresAt: link.accessTokenExpiresAt.getTime(),
        refreshTokenEnc: encrypted.refreshTokenEnc,
        expiresAt: link.expiresAt.getTime(),
        now: this.now(),
      });
      return this.dropOldest('pending_links', link.appUserId, limit.keep) as PendingLinkRow[];
    })();
    return this.decryptLinks(dropped);
  }

  async takePendingLink(id: string): Promise<PendingLink | null> {
    const row = this.statement('DELETE FROM pending_links WHERE id = ? RETURNING *').get(id) as PendingLinkRow | undefined;
    return row ? (this.decryptLinks([row])[0] ?? null) : null;
  }

  async takeExpiredPendingLinks(max: number): Promise<PendingLink[]> {
    const rows = this.statement(`
      DELETE FROM pending_links WHERE id IN (
        SELECT id FROM pending_links WHERE expires_at <= ? ORDER BY expires_at LIMIT ?
      ) RETURNING *`).all(this.now(), Math.max(0, Math.trunc(max))) as PendingLinkRow[];
    return this.decryptLinks(rows);
  }

  async claimIdempotencyKey(record: IdempotencyScope & {
    key: string;
    requestHash: string;
    ttlSeconds: number;
  }): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    checkScope(record);
    checkId('idempotency key', record.key);
    checkTtl(record.ttlSeconds);
    const now = this.now();
    this.purgeExpired(now);
    const where = 'app_user_id = @appUserId AND customer_id = @customerId AND imanage_user_id = @imanageUserId AND key = @key';
    const scope = { appUserId: record.appUserId, customerId: record.customerId, imanageUserId: record.imanageUserId, key: record.key };
    return this.db
      .transaction((): { claimed: true } | { claimed: false; existing: IdempotencyRecord } => {
        this.statement(`DELETE FROM idempotency_keys WHERE ${where} AND expires_at <= @now`).run({ ...scope, now });
        const inserted = this.statement(`
          INSERT INTO idempotency_keys (app_user_id, customer_id, imanage_user_id, key, request_hash, status, response, created_at, expires_at)
          VALUES (@appUserId, @customerId, @imanageUserId, @key, @requestHash, 'pending', NULL, @now, @expiresAt)
          ON CONFLICT (app_user_id, customer_id, imanage_user_id, key) DO NOTHING`).run({
          ...scope,
          requestHash: record.requestHash,
          now,
          expiresAt: now + Math.ceil(record.ttlSeconds * 1000),
        });
        if (inserted.changes > 0) return { claimed: true };
        const row = this.statement(`SELECT * FROM idempotency_keys WHERE ${where}`).get(scope) as IdempotencyRow;
        return { claimed: false, existing: toIdempotencyRecord(row) };
      })
      .immediate();
  }

  async completeIdempotencyKey(scope: IdempotencyScope, key: string, response: string): Promise<void> {
    this.statement(`
      UPDATE idempotency_keys SET status = 'done', response = @response
      WHERE app_user_id = @appUserId AND customer_id = @customerId AND imanage_user_id = @imanageUserId AND key = @key`).run({
      appUserId: scope.appUserId,
      customerId: scope.customerId,
      imanageUserId: scope.imanageUserId,
      key,
      response,
    });
  }

  async releaseIdempotencyKey(scope: IdempotencyScope, key: string): Promise<void> {
    this.statement(`
      DELETE FROM idempotency_keys
      WHERE app_user_id = @appUserId AND customer_id = @customerId AND imanage_user_id = @imanageUserId AND key = @key
        AND status = 'pending'`).run({ appUserId: scope.appUserId, customerId: scope.customerId, imanageUserId: scope.imanageUserId, key });
  }

  async connectionKeys(): Promise<Array<{ appUserId: string; keyIds: string[] }>> {
    const rows = this.statement('SELECT app_user_id, access_token_enc, refresh_token_enc FROM imanage_connections ORDER BY app_user_id').all() as Array<{
      app_user_id: string;
      access_token_enc: string;
      refresh_token_enc: string | null;
    }>;
    return rows.map((row) => ({ appUserId: row.app_user_id, keyIds: envelopeKeyIds(row.access_token_enc, row.refresh_token_enc) }));
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    const siblings = storesByFile.get(this.lockScope);
    siblings?.delete(this);
    if (siblings?.size === 0) storesByFile.delete(this.lockScope);
    if (this.db.open) this.db.close();
  }

  /** Statements are prepared on first use: before `migrate` the tables they name may not exist. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Deletes (and answers) the user's rows of `table` beyond the newest `keep`; rowid orders them. */
  private dropOldest(table: 'connect_tickets' | 'oauth_states' | 'pending_links', appUserId: string, keep: number): unknown[] {
    return this.statement(`
      DELETE FROM ${table} WHERE app_user_id = @appUserId AND rowid NOT IN (
        SELECT rowid FROM ${table} WHERE app_user_id = @appUserId ORDER BY rowid DESC LIMIT @keep
      ) RETURNING *`).all({ appUserId, keep });
  }

  /** Links as records; one whose tokens do not decrypt (tampered, key removed) is left out: it was deleted already. */
  private decryptLinks(rows: PendingLinkRow[]): PendingLink[] {
    const links: PendingLink[] = [];
    for (const row of rows) {
      try {
        links.push(
          decryptPendingLink(this.cipher, {
            id: row.id,
            appUserId: row.app_user_id,
            imanageUserId: row.imanage_user_id,
            customerId: row.customer_id,
            preferredLibrary: row.preferred_library,
            hostUrl: row.host_url,
            apiBaseUrl: row.api_base_url,
            scopes: parseScopes(row.scopes),
            accessTokenEnc: row.access_token_enc,
            accessTokenExpiresAt: new Date(row.access_token_expires_at),
            refreshTokenEnc: row.refresh_token_enc,
            expiresAt: new Date(row.expires_at),
          }),
        );
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
      }
    }
    return links;
  }

  private purgeExpired(now: number): void {
    if (!this.purge.due(now)) return;
    this.statement('DELETE FROM connect_tickets WHERE expires_at <= ?').run(now);
    this.statement('DELETE FROM oauth_states WHERE expires_at <= ?').run(now);
    this.statement('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(now);
  }

  /** A row this store has just written: remembered as written, and returned decrypted. */
  private remember(row: ConnectionRow): ConnectionRecord {
    this.forgetRowsIfChangedElsewhere();
    const stored = toStored(row);
    this.rows.set(stored.appUserId, stored);
    this.siblingsForget(stored.appUserId);
    return this.recordOf(stored);
  }

  /** A compare-and-set either wrote the row (remember it) or found it changed or gone (forget it). */
  private rememberOrForget(appUserId: string, row: ConnectionRow | undefined): ConnectionRecord | null {
    if (row) return this.remember(row);
    this.rows.delete(appUserId);
    this.siblingsForget(appUserId);
    return null;
  }

  /** After a write: the other stores of this process on the file drop the row they remember. */
  private siblingsForget(appUserId: string): void {
    for (const sibling of storesByFile.get(this.lockScope) ?? []) if (sibling !== this) sibling.rows.delete(appUserId);
  }

  /** A stored row as a record; throws `TokenDecryptionError` when a token does not belong to it. */
  private recordOf(stored: StoredConnection): ConnectionRecord {
    let record = this.records.get(stored);
    if (!record) {
      record = this.decryptor.decrypt(stored);
      this.records.set(stored, record);
    }
    return record;
  }

  private outsideWriteCheckDue(): boolean {
    return performance.now() - this.dataVersionCheckedAt >= this.outsideWriteCheckMs;
  }

  private forgetRowsIfChangedElsewhere(): void {
    this.dataVersionCheckedAt = performance.now();
    const version = this.statement('PRAGMA data_version').pluck().get() as number;
    if (version !== this.dataVersion) {
      this.rows.clear();
      this.dataVersion = version;
    }
  }
}

function toStored(row: ConnectionRow): StoredConnection {
  return {
    appUserId: row.app_user_id,
    imanageUserId: row.imanage_user_id,
    customerId: row.customer_id,
    preferredLibrary: row.preferred_library,
    hostUrl: row.host_url,
    apiBaseUrl: row.api_base_url,
    scopes: parseScopes(row.scopes),
    accessTokenEnc: row.access_token_enc,
    accessTokenExpiresAt: new Date(row.access_token_expires_at),
    refreshTokenEnc: row.refresh_token_enc,
    status: toConnectionStatus(row.status),
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function parseScopes(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((s): s is string => typeof s === 'string')) {
    throw new Error('Token store: a connection row has malformed scopes');
  }
  return value;
}

function toIdempotencyRecord(row: IdempotencyRow): IdempotencyRecord {
  return {
    appUserId: row.app_user_id,
    customerId: row.customer_id,
    imanageUserId: row.imanage_user_id,
    key: row.key,
    requestHash: row.request_hash,
    status: toIdempotencyStatus(row.status),
    response: row.response,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}
