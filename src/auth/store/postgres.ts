import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
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

export interface PostgresTokenStoreOptions {
  /** `postgres://` or `postgresql://` URL. */
  connectionString: string;
  cipher: TokenCipher;
  /**
   * Schema holding the tables (created by `migrate` if missing). Unset: unqualified names, resolved by
   * the connection's search_path. Tests give each file its own schema.
   */
  schema?: string;
  /** Connections for queries. Default 10. */
  poolSize?: number;
  /**
   * Connections that hold refresh locks, a pool of their own so that lock holders waiting on queries
   * can never starve the query pool. At most this many users refresh at once per instance. Default 4.
   */
  lockPoolSize?: number;
  /** Clock for expiry and timestamps, in epoch milliseconds (tests). Default `Date.now`. */
  now?: () => number;
  /**
   * How long a connection row read from the database may answer `getRemembered`, in ms (0: never).
   * Rows are forgotten at once when any instance changes them (a trigger NOTIFYs, every instance
   * LISTENs); this bounds how stale a row can be should a notification ever go missing unnoticed.
   * Default 10 000.
   */
  rememberMs?: number;
  /** How long to wait before listening again after the listening connection was lost, in ms. Default 1000. */
  relistenMs?: number;
}

/** Connection rows remembered at most (about 1 KB each). */
const REMEMBERED_ROWS = 10_000;
/** The channel the `imanage_connections` trigger (migration 2) notifies, with the app user id as payload. */
const CHANNEL = 'imanage_connections';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ignore = (): void => {};

interface ConnectionRow {
  app_user_id: string;
  imanage_user_id: string;
  customer_id: string;
  preferred_library: string | null;
  host_url: string;
  api_base_url: string;
  scopes: string[];
  access_token_enc: string;
  access_token_expires_at: Date;
  refresh_token_enc: string | null;
  status: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface StateRow {
  id: string;
  app_user_id: string;
  code_verifier_enc: string;
  return_to: string;
  expires_at: Date;
  created_at: Date;
}

interface TicketRow {
  id: string;
  app_user_id: string;
  return_to: string;
  expires_at: Date;
  created_at: Date;
}

interface PendingLinkRow {
  id: string;
  app_user_id: string;
  imanage_user_id: string;
  customer_id: string;
  preferred_library: string | null;
  host_url: string;
  api_base_url: string;
  scopes: string[];
  access_token_enc: string;
  access_token_expires_at: Date;
  refresh_token_enc: string | null;
  expires_at: Date;
  created_at: Date;
}

interface IdempotencyRow {
  app_user_id: string;
  customer_id: string;
  imanage_user_id: string;
  key: string;
  request_hash: string;
  status: string;
  response: string | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * The token store on PostgreSQL, for several server instances sharing one database. Refresh locks are
 * transaction-scoped advisory locks, so they are released by the server if an instance dies.
 */
export class PostgresTokenStore implements TokenStore {
  private readonly pool: pg.Pool;
  private readonly lockPool: pg.Pool;
  private readonly cipher: TokenCipher;
  private readonly decryptor: ConnectionDecryptor;
  private readonly schema: string | undefined;
  private readonly now: () => number;
  /** Same-user callers in this instance queue here first, so they hold one lock connection, not many. */
  private readonly localLocks = new KeyedMutex();
  private readonly purge = new PurgeSchedule();
  private closed = false;
  private readonly connectionString: string;
  private readonly rememberMs: number;
  private readonly relistenMs: number;
  /** Rows read lately, with when to stop trusting them (performance.now()); only while `listening`. */
  private readonly remembered = new LRUCache<string, { record: ConnectionRecord | null; until: number }>({ max: REMEMBERED_ROWS });
  /** The connection that LISTENs for changes; rows are remembered only while it does. */
  private listener: pg.Client | null = null;
  private listening = false;
  /** Counts notifications and listener changes: a read that saw it move while in flight is not remembered. */
  private changes = 0;
  private relistenTimer: NodeJS.Timeout | null = null;

  constructor(options: PostgresTokenStoreOptions) {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new Error('PostgresTokenStore: schema must be 1-63 lower-case letters, digits or "_", not starting with a digit');
    }
    this.cipher = options.cipher;
    this.decryptor = new ConnectionDecryptor(options.cipher);
    this.schema = options.schema;
    this.now = options.now ?? Date.now;
    this.connectionString = options.connectionString;
    this.rememberMs = Math.max(0, options.rememberMs ?? 10_000);
    this.relistenMs = Math.max(10, options.relistenMs ?? 1000);
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    this.lockPool = new pg.Pool({ connectionString: options.connectionString, max: options.lockPoolSize ?? 4 });
    // An idle connection that drops is removed from the pool; the next query reports the problem.
    // Without a listener, node would treat the event as an uncaught error and exit.
    this.pool.on('error', ignore);
    this.lockPool.on('error', ignore);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const lockKey = advisoryKey('migrate', this.schema ?? '');
    try {
      // A session lock around the whole run: a second instance starting at once waits here, then finds
      // every migration recorded. Taken before CREATE SCHEMA, which is not safe to race.
      await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
      try {
        if (this.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${this.table('schema_migrations')} (
          version    integer     PRIMARY KEY,
          name       text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
        const applied = await client.query<{ version: number }>(`SELECT version FROM ${this.table('schema_migrations')}`);
        const done = new Set(applied.rows.map((row) => row.version));
        for (const migration of MIGRATIONS) {
          if (done.has(migration.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(migration.postgres((name) => this.table(name)));
            await client.query(`INSERT INTO ${this.table('schema_migrations')} (version, name) VALUES ($1, $2)`, [
              migration.version,
              migration.name,
            ]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(ignore);
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch((error: Error) => {
          broken = error; // the session is unusable: destroy it, which also drops the lock
        });
      }
    } catch (error) {
      broken = error instanceof Error ? error : new Error('migration failed');
      throw error;
    } finally {
      client.release(broken);
    }
    // The trigger exists now: listen for changes, so that rows read can be remembered.
    if (this.rememberMs > 0) await this.listen();
  }

  /** Always reads the database (a refresher re-reads under its lock through here); remembers what it read. */
  async get(appUserId: string): Promise<ConnectionRecord | null> {
    const changesBefore = this.changes;
    const result = await this.pool.query<ConnectionRow>(
      `SELECT * FROM ${this.table('imanage_connections')} WHERE app_user_id = $1`,
      [appUserId],
    );
    const row = result.rows[0];
    const record = row ? this.decrypt(row) : null;
    // Not if a change was announced while the query ran: what it read may be the older row.
    if (this.listening && this.changes === changesBefore) this.remembered.set(appUserId, { record, until: performance.now() + this.rememberMs });
    return record;
  }

  /**
   * The row `get` read last, while this instance listens for changes and nothing has changed it since
   * (every write, by any instance, NOTIFYs through migration 2's trigger), and for at most
   * `rememberMs`; otherwise `undefined`, and the caller reads it with `get`.
   */
  getRemembered(appUserId: string): ConnectionRecord | null | undefined {
    if (!this.listening) return undefined;
    const entry = this.remembered.get(appUserId);
    if (!entry || performance.now() >= entry.until) return undefined;
    return entry.record;
  }

  async save(connection: NewConnection): Promise<ConnectionRecord> {
    checkNewConnection(connection);
    const encrypted = encryptTokens(this.cipher, connection.appUserId, connection);
    const now = new Date(this.now());
    const table = this.table('imanage_connections');
    const result = await this.pool.query<ConnectionRow>(
      `INSERT INTO ${table} (
        app_user_id, imanage_user_id, customer_id, preferred_library, host_url, api_base_url, scopes,
        access_token_enc, access_token_expires_at, refresh_token_enc, status, version, created_at, updated_at
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'connected', 1, $11, $11)
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
        version = ${table}.version + 1,
        updated_at = excluded.updated_at
      RETURNING *`,
      [
        connection.appUserId,
        connection.imanageUserId,
        connection.customerId,
        connection.preferredLibrary,
        connection.hostUrl,
        connection.apiBaseUrl,
        connection.scopes,
        encrypted.accessTokenEnc,
        connection.accessTokenExpiresAt,
        encrypted.refreshTokenEnc,
        now,
      ],
    );
    this.forget(connection.appUserId);
    // After the connection is written: should this fail, the keys still cannot be replayed, since
    // they are looked up by identity too.
    await this.pool.query(
      `DELETE FROM ${this.table('idempotency_keys')} WHERE app_user_id = $1 AND NOT (customer_id = $2 AND imanage_user_id = $3)`,
      [connection.appUserId, connection.customerId, connection.imanageUserId],
    );
    return this.decrypt(firstRow(result));
  }

  async updateTokens(appUserId: string, expectedVersion: number, update: TokenUpdate): Promise<ConnectionRecord | null> {
    checkTokenUpdate(update);
    const encrypted = encryptTokens(this.cipher, appUserId, update);
    const result = await this.pool.query<ConnectionRow>(
      `UPDATE ${this.table('imanage_connections')} SET
        access_token_enc = $3,
        access_token_expires_at = $4,
        refresh_token_enc = $5,
        scopes = coalesce($6::text[], scopes),
        version = version + 1,
        updated_at = $7
      WHERE app_user_id = $1 AND version = $2
      RETURNING *`,
      [
        appUserId,
        expectedVersion,
        encrypted.accessTokenEnc,
        update.accessTokenExpiresAt,
        encrypted.refreshTokenEnc,
        update.scopes ?? null,
        new Date(this.now()),
      ],
    );
    this.forget(appUserId);
    const row = result.rows[0];
    return row ? this.decrypt(row) : null;
  }

  async markReauthRequired(appUserId: string, expectedVersion: number): Promise<ConnectionRecord | null> {
    const result = await this.pool.query<ConnectionRow>(
      `UPDATE ${this.table('imanage_connections')}
      SET status = 'reauth_required', version = version + 1, updated_at = $3
      WHERE app_user_id = $1 AND version = $2
      RETURNING *`,
      [appUserId, expectedVersion, new Date(this.now())],
    );
    this.forget(appUserId);
    const row = result.rows[0];
    return row ? this.decrypt(row) : null;
  }

  async delete(appUserId: string): Promise<boolean> {
    // One statement, so both go or neither does.
    const result = await this.pool.query<{ deleted: number }>(
      `WITH keys AS (DELETE FROM ${this.table('idempotency_keys')} WHERE app_user_id = $1),
        gone AS (DELETE FROM ${this.table('imanage_connections')} WHERE app_user_id = $1 RETURNING 1)
      SELECT count(*)::int AS deleted FROM gone`,
      [appUserId],
    );
    this.forget(appUserId);
    return (result.rows[0]?.deleted ?? 0) > 0;
  }

  /**
   * Holds `pg_advisory_xact_lock(hash of schema and app user id)` in a transaction on a connection from
   * the lock pool while `fn` runs; `fn`'s own queries go through the query pool and commit on their own.
   * If the lock's connection drops while `fn` runs, the lock is gone early: the compare-and-set in
   * `updateTokens` still keeps a second refresher from overwriting newer tokens.
   */
  withRefreshLock<T>(appUserId: string, fn: () => Promise<T>): Promise<T> {
    return this.localLocks.run(appUserId, async () => {
      const client = await this.lockPool.connect();
      // While fn runs the client sits idle in a transaction; a drop then is an 'error' event, not a rejection.
      client.on('error', ignore);
      let broken: Error | undefined;
      try {
        try {
          await client.query('BEGIN');
          await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey('refresh', this.schema ?? '', appUserId)]);
        } catch (error) {
          broken = error instanceof Error ? error : new Error('refresh lock failed'); // state unknown: discard
          throw error;
        }
        let result: T;
        try {
          result = await fn();
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        }
        await client.query('COMMIT').catch((commitError: Error) => {
          broken = commitError; // only the lock's empty transaction is lost; fn's work stands
        });
        return result;
      } finally {
        client.off('error', ignore);
        client.release(broken);
      }
    });
  }

  async saveTicket(ticket: ConnectTicket, limit: KeepNewest): Promise<void> {
    checkTicket(ticket);
    checkKeep(limit);
    const now = this.now();
    await this.purgeExpired(now);
    await this.pool.query(
      `INSERT INTO ${this.table('connect_tickets')} (id, app_user_id, return_to, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [ticket.id, ticket.appUserId, ticket.returnTo, ticket.expiresAt, new Date(now)],
    );
    await this.dropOldest('connect_tickets', ticket.appUserId, limit.keep);
  }

  async consumeTicket(id: string): Promise<ConnectTicket | null> {
    const result = await this.pool.query<TicketRow>(`DELETE FROM ${this.table('connect_tickets')} WHERE id = $1 RETURNING *`, [id]);
    const row = result.rows[0];
    if (!row || row.expires_at.getTime() <= this.now()) return null;
    return { id: row.id, appUserId: row.app_user_id, returnTo: row.return_to, expiresAt: row.expires_at };
  }

  async saveState(state: OAuthState, limit: KeepNewest): Promise<void> {
    checkState(state);
    checkKeep(limit);
    const now = this.now();
    await this.purgeExpired(now);
    await this.pool.query(
      `INSERT INTO ${this.table('oauth_states')} (id, app_user_id, code_verifier_enc, return_to, expires_at, created_at)
      VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        state.id,
        state.appUserId,
        this.cipher.encrypt(state.codeVerifier, codeVerifierAad(state.id)),
        state.returnTo,
        state.expiresAt,
        new Date(now),
      ],
    );
    await this.dropOldest('oauth_states', state.appUserId, limit.keep);
  }

  async consumeState(id: string): Promise<OAuthState | null> {
    // DELETE ... RETURNING: of two concurrent consumers exactly one gets the row.
    const result = await this.pool.query<StateRow>(`DELETE FROM ${this.table('oauth_states')} WHERE id = $1 RETURNING *`, [id]);
    const row = result.rows[0];
    if (!row || row.expires_at.getTime() <= this.now()) return null;
    return {
      id: row.id,
      appUserId: row.app_user_id,
      codeVerifier: this.cipher.decrypt(row.code_verifier_enc, codeVerifierAad(row.id)),
      returnTo: row.return_to,
      expiresAt: row.expires_at,
    };
  }

  async savePendingLink(link: PendingLink, limit: KeepNewest): Promise<PendingLink[]> {
    checkPendingLink(link);
    checkKeep(limit);
    const encrypted = encryptPendingLinkTokens(this.cipher, link);
    await this.pool.query(
      `INSERT INTO ${this.table('pending_links')} (
        id, app_user_id, imanage_user_id, customer_id, preferred_library, host_url, api_base_url, scopes,
        access_token_enc, access_token_expires_at, refresh_token_enc, expires_at, created_at
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        link.id,
        link.appUserId,
        link.imanageUserId,
        link.customerId,
        link.preferredLibrary,
        link.hostUrl,
        link.apiBaseUrl,
        link.scopes,
        encrypted.accessTokenEnc,
        link.accessTokenExpiresAt,
        encrypted.refreshTokenEnc,
        link.expiresAt,
        new Date(this.now()),
      ],
    );
    return this.decryptLinks(await this.dropOldest<PendingLinkRow>('pending_links', link.appUserId, limit.keep));
  }

  async takePendingLink(id: string): Promise<PendingLink | null> {
    const result = await this.pool.query<PendingLinkRow>(`DELETE FROM ${this.table('pending_links')} WHERE id = $1 RETURNING *`, [id]);
    return this.decryptLinks(result.rows)[0] ?? null;
  }

  async takeExpiredPendingLinks(max: number): Promise<PendingLink[]> {
    const table = this.table('pending_links');
    // SKIP LOCKED: instances sweeping at once take different links, and each link is revoked once.
    const result = await this.pool.query<PendingLinkRow>(
      `DELETE FROM ${table} WHERE id IN (
        SELECT id FROM ${table} WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
      ) RETURNING *`,
      [new Date(this.now()), Math.max(0, Math.trunc(max))],
    );
    return this.decryptLinks(result.rows);
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
    await this.purgeExpired(now);
    const table = this.table('idempotency_keys');
    const scope = [record.appUserId, record.customerId, record.imanageUserId, record.key];
    const where = 'app_user_id = $1 AND customer_id = $2 AND imanage_user_id = $3 AND key = $4';
    // Each statement is atomic on its own; the loop covers a row released or expiring between the
    // INSERT that found it and the SELECT that reads it.
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.pool.query(`DELETE FROM ${table} WHERE ${where} AND expires_at <= $5`, [...scope, new Date(now)]);
      const inserted = await this.pool.query(
        `INSERT INTO ${table} (app_user_id, customer_id, imanage_user_id, key, request_hash, status, response, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, 'pending', NULL, $6, $7)
        ON CONFLICT (app_user_id, customer_id, imanage_user_id, key) DO NOTHING`,
        [...scope, record.requestHash, new Date(now), new Date(now + Math.ceil(record.ttlSeconds * 1000))],
      );
      if ((inserted.rowCount ?? 0) > 0) return { claimed: true };
      const existing = await this.pool.query<IdempotencyRow>(`SELECT * FROM ${table} WHERE ${where} AND expires_at > $5`, [...scope, new Date(now)]);
      const row = existing.rows[0];
      if (row) return { claimed: false, existing: toIdempotencyRecord(row) };
    }
    throw new Error('Token store: the idempotency key kept changing while it was claimed; try again');
  }

  async completeIdempotencyKey(scope: IdempotencyScope, key: string, response: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.table('idempotency_keys')} SET status = 'done', response = $5
      WHERE app_user_id = $1 AND customer_id = $2 AND imanage_user_id = $3 AND key = $4`,
      [scope.appUserId, scope.customerId, scope.imanageUserId, key, response],
    );
  }

  async releaseIdempotencyKey(scope: IdempotencyScope, key: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.table('idempotency_keys')}
      WHERE app_user_id = $1 AND customer_id = $2 AND imanage_user_id = $3 AND key = $4 AND status = 'pending'`,
      [scope.appUserId, scope.customerId, scope.imanageUserId, key],
    );
  }

  async connectionKeys(): Promise<Array<{ appUserId: string; keyIds: string[] }>> {
    const result = await this.pool.query<{ app_user_id: string; access_token_enc: string; refresh_token_enc: string | null }>(
      `SELECT app_user_id, access_token_enc, refresh_token_enc FROM ${this.table('imanage_connections')} ORDER BY app_user_id`,
    );
    return result.rows.map((row) => ({ appUserId: row.app_user_id, keyIds: envelopeKeyIds(row.access_token_enc, row.refresh_token_enc) }));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.relistenTimer) clearTimeout(this.relistenTimer);
    const listener = this.listener;
    this.stopRemembering();
    await Promise.all([this.pool.end(), this.lockPool.end(), listener?.end().catch(ignore)]);
  }

  /**
   * A notification: "<version> <app user id>" (migration 2). The remembered row is forgotten unless it
   * is that version or newer (this instance's own write, read back); version 0 is a deletion.
   */
  private noticeChange(payload: string): void {
    const space = payload.indexOf(' ');
    const version = Number(payload.slice(0, space));
    if (space < 1 || !Number.isSafeInteger(version)) {
      this.remembered.clear(); // not from migration 2's trigger: who knows what changed
      return;
    }
    const appUserId = payload.slice(space + 1);
    const entry = this.remembered.get(appUserId);
    if (entry && (version === 0 || entry.record === null || entry.record.version < version)) this.remembered.delete(appUserId);
  }

  /** This instance's own write: forgotten at once (its notification comes back too, a little later). */
  private forget(appUserId: string): void {
    this.changes += 1;
    this.remembered.delete(appUserId);
  }

  private stopRemembering(): void {
    this.listener = null;
    this.listening = false;
    this.changes += 1;
    this.remembered.clear();
  }

  /**
   * LISTENs on a connection of its own. While it does, rows read are remembered; when it is lost (an
   * error, the server ending it), everything remembered is forgotten, rows are read from the database
   * again, and it listens anew after `relistenMs`: notifications sent meanwhile were missed.
   */
  private async listen(): Promise<void> {
    if (this.closed || this.listener) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      keepAlive: true,
      application_name: `imanage-graphql listen ${this.schema ?? ''}`.trim(),
    });
    this.listener = client;
    const lost = () => {
      if (this.listener !== client) return;
      this.stopRemembering();
      client.end().catch(ignore);
      if (!this.closed) this.relistenTimer = setTimeout(() => void this.listen(), this.relistenMs).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      this.changes += 1;
      this.noticeChange(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.listener !== client) return;
      this.changes += 1;
      this.listening = true;
    } catch {
      lost();
    }
  }

  private table(name: string): string {
    return this.schema === undefined ? quoteIdent(name) : `${quoteIdent(this.schema)}.${quoteIdent(name)}`;
  }

  /** Deletes (and answers) the user's rows of `table` beyond the newest `keep`, by insertion order. */
  private async dropOldest<R extends pg.QueryResultRow>(table: 'connect_tickets' | 'oauth_states' | 'pending_links', appUserId: string, keep: number): Promise<R[]> {
    const name = this.table(table);
    const result = await this.pool.query<R>(
      `DELETE FROM ${name} WHERE app_user_id = $1 AND seq NOT IN (
        SELECT seq FROM ${name} WHERE app_user_id = $1 ORDER BY seq DESC LIMIT $2
      ) RETURNING *`,
      [appUserId, keep],
    );
    return result.rows;
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
            scopes: row.scopes,
            accessTokenEnc: row.access_token_enc,
            accessTokenExpiresAt: row.access_token_expires_at,
            refreshTokenEnc: row.refresh_token_enc,
            expiresAt: row.expires_at,
          }),
        );
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
      }
    }
    return links;
  }

  private async purgeExpired(now: number): Promise<void> {
    if (!this.purge.due(now)) return;
    const at = new Date(now);
    await this.pool.query(`DELETE FROM ${this.table('connect_tickets')} WHERE expires_at <= $1`, [at]);
    await this.pool.query(`DELETE FROM ${this.table('oauth_states')} WHERE expires_at <= $1`, [at]);
    await this.pool.query(`DELETE FROM ${this.table('idempotency_keys')} WHERE expires_at <= $1`, [at]);
  }

  private decrypt(row: ConnectionRow): ConnectionRecord {
    return this.decryptor.decrypt({
      appUserId: row.app_user_id,
      imanageUserId: row.imanage_user_id,
      customerId: row.customer_id,
      preferredLibrary: row.preferred_library,
      hostUrl: row.host_url,
      apiBaseUrl: row.api_base_url,
      scopes: row.scopes,
      accessTokenEnc: row.access_token_enc,
      accessTokenExpiresAt: row.access_token_expires_at,
      refreshTokenEnc: row.refresh_token_enc,
      status: toConnectionStatus(row.status),
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
}

/** A signed 64-bit advisory lock key (as a decimal string) from SHA-256 of the parts. */
export function advisoryKey(...parts: string[]): string {
  const digest = createHash('sha256').update(['imanage-token-store', ...parts].join('\u0000')).digest();
  return digest.readBigInt64BE(0).toString();
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function firstRow<R extends pg.QueryResultRow>(result: pg.QueryResult<R>): R {
  const row = result.rows[0];
  if (!row) throw new Error('Token store: the database returned no row');
  return row;
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
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
