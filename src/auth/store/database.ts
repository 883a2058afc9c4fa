/**
 * The database under the stores: one Kysely instance over SQLite (better-sqlite3) or PostgreSQL (pg),
 * the row types both hold, how values differ between them (`Codec`), and the migration runner.
 * The stores are written once against `Database`; what only PostgreSQL can do is in postgres.ts.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type ColumnType, type Transaction } from 'kysely';
import pg from 'pg';
import { KeyedMutex } from './common.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresLocks } from './postgres.js';

/** SQLite keeps times as epoch milliseconds and scopes as JSON text; PostgreSQL as timestamptz and text[]. */
type Time = number | Date;
type Scopes = string | string[];

/** The columns of an iManage account's tokens, in a connection row and in a pending link alike. */
export interface AccountColumns {
  app_user_id: string;
  imanage_user_id: string;
  customer_id: string;
  preferred_library: string | null;
  host_url: string;
  api_base_url: string;
  scopes: Scopes;
  access_token_enc: string;
  access_token_expires_at: Time;
  refresh_token_enc: string | null;
}

/** The account columns, read into the stores' normalised shape (tokens still encrypted). */
export function readAccountColumns(codec: Codec, row: AccountColumns) {
  return {
    appUserId: row.app_user_id,
    imanageUserId: row.imanage_user_id,
    customerId: row.customer_id,
    preferredLibrary: row.preferred_library,
    hostUrl: row.host_url,
    apiBaseUrl: row.api_base_url,
    scopes: codec.readScopes(row.scopes),
    accessTokenEnc: row.access_token_enc,
    accessTokenExpiresAt: codec.date(row.access_token_expires_at),
    refreshTokenEnc: row.refresh_token_enc,
  };
}

export interface ConnectionsTable extends AccountColumns {
  status: string;
  version: number;
  created_at: Time;
  updated_at: Time;
}

export interface OAuthStatesTable {
  id: string;
  app_user_id: string;
  code_verifier_enc: string;
  return_to: string;
  expires_at: Time;
  created_at: Time;
}

export interface ConnectTicketsTable {
  id: string;
  app_user_id: string;
  return_to: string;
  expires_at: Time;
  created_at: Time;
}

export interface PendingLinksTable extends AccountColumns {
  id: string;
  expires_at: Time;
  created_at: Time;
}

export interface IdempotencyKeysTable {
  app_user_id: string;
  customer_id: string;
  imanage_user_id: string;
  key: string;
  request_hash: string;
  status: string;
  response: string | null;
  created_at: Time;
  expires_at: Time;
}

export interface UsedDownloadLinksTable {
  jti: string;
  app_user_id: string;
  used_at: Time;
  expires_at: Time;
}

export interface AuditEventsTable {
  id: string;
  at: Time;
  app_user_id: string;
  customer_id: string | null;
  imanage_user_id: string | null;
  kind: string;
  operation: string;
  /** SQLite: a JSON array; PostgreSQL: text[] (as scopes). */
  target_ids: Scopes;
  outcome: string;
  imanage_status: number | null;
  error_code: string | null;
  request_id: string | null;
}

interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: ColumnType<Time, Time | undefined, never>;
}

export interface Tables {
  imanage_connections: ConnectionsTable;
  oauth_states: OAuthStatesTable;
  connect_tickets: ConnectTicketsTable;
  pending_links: PendingLinksTable;
  idempotency_keys: IdempotencyKeysTable;
  used_download_links: UsedDownloadLinksTable;
  audit_events: AuditEventsTable;
  schema_migrations: SchemaMigrationsTable;
}

/** Values as each database stores them, and back. */
export interface Codec {
  time(value: Date | number): Time;
  date(value: Time): Date;
  scopes(value: string[]): Scopes;
  readScopes(value: Scopes): string[];
}

const sqliteCodec: Codec = {
  time: (value) => (typeof value === 'number' ? value : value.getTime()),
  date: (value) => new Date(value),
  scopes: (value) => JSON.stringify(value),
  readScopes: (value) => {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (!Array.isArray(parsed) || !parsed.every((s): s is string => typeof s === 'string'))
      throw new Error('Token store: a connection row has malformed scopes');
    return parsed;
  },
};

const postgresCodec: Codec = {
  time: (value) => (typeof value === 'number' ? new Date(value) : value),
  date: (value) => (value instanceof Date ? value : new Date(value)),
  scopes: (value) => value,
  readScopes: (value) => (Array.isArray(value) ? value : sqliteCodec.readScopes(value)),
};

/** What the stores need from the database: the query builder and the few things that differ. */
export interface Database {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Kysely<Tables>;
  readonly codec: Codec;
  /** The column that orders a user's tickets, states and links by insertion (SQLite's rowid, PostgreSQL's identity). */
  readonly insertionOrder: 'rowid' | 'seq';
  /** A per-user lock across every instance on this database (see `ConnectionStore.withRefreshLock`). */
  withUserLock<T>(appUserId: string, fn: () => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** The highest migration recorded in `schema_migrations`; 0 when there is none (or no such table). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export interface SqliteOptions {
  /** A file path (its directory is created if missing), or `:memory:`. */
  filename: string;
  /** How long a write waits for another connection's lock on the file. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Clock for `schema_migrations.applied_at` (tests). */
  now?: () => number;
  /**
   * Opened only to read (the audit CLI): the file must exist, nothing is created, written or migrated,
   * and its journal mode is left as it is.
   */
  readOnly?: boolean;
}

/**
 * Refresh locks for SQLite are in-process: one registry for the whole process, keyed by the database
 * file. A SQLite file is meant to be owned by one process (the embedded default); several processes
 * sharing a file would each refresh on their own, and the compare-and-set in `updateTokens` is what
 * keeps them from overwriting each other's tokens. Run PostgreSQL for more than one instance.
 */
const sqliteLocks = new KeyedMutex();
let memoryDatabases = 0;

/**
 * Stores opened on one file in this process share its connection: Kysely runs one query or
 * transaction at a time on it, so two stores' transactions cannot block each other inside one thread
 * (better-sqlite3 waits for a file lock synchronously, which would stall the holder too).
 */
const sqliteFiles = new Map<string, { database: Database; users: number }>();

export function openSqlite(options: SqliteOptions): Database {
  if (options.filename === ':memory:') return createSqlite(':memory:', `memory:${++memoryDatabases}`, options);
  const filename = resolve(options.filename);
  if (options.readOnly) return createSqlite(filename, `file:${filename}`, options);
  const shared = sqliteFiles.get(filename);
  if (shared) {
    shared.users += 1;
    return shared.database;
  }
  mkdirSync(dirname(filename), { recursive: true });
  // Create the file owner-only before SQLite does (SQLite gives its -wal/-shm files the same mode).
  closeSync(openSync(filename, 'a', 0o600));
  const database = createSqlite(filename, `file:${filename}`, options);
  const entry = {
    database: {
      ...database,
      close: async () => {
        if (--entry.users > 0) return;
        if (sqliteFiles.get(filename) === entry) sqliteFiles.delete(filename);
        await database.close();
      },
    },
    users: 1,
  };
  sqliteFiles.set(filename, entry);
  return entry.database;
}

function createSqlite(filename: string, lockScope: string, options: SqliteOptions): Database {
  const raw = new BetterSqlite3(filename, options.readOnly ? { readonly: true, fileMustExist: true } : {});
  try {
    raw.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    if (!options.readOnly) {
      if (filename !== ':memory:') raw.pragma('journal_mode = WAL');
      raw.pragma('foreign_keys = ON');
      raw.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode
    }
  } catch (error) {
    raw.close();
    throw error;
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) });
  const now = options.now ?? Date.now;
  let closed = false;
  return {
    kind: 'sqlite',
    db,
    codec: sqliteCodec,
    insertionOrder: 'rowid',
    withUserLock: (appUserId, fn) => sqliteLocks.run(`${lockScope}\u0000${appUserId}`, fn),
    migrate: () =>
      runMigrations(db, {
        createBookkeeping: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
        // IMMEDIATE takes the write lock first, so a second process starting at the same moment waits
        // (busy_timeout), then sees the version recorded and skips it.
        begin: 'BEGIN IMMEDIATE',
        // A migration is several statements; Kysely prepares one at a time, better-sqlite3's exec runs a script.
        script: async (_trx, migration) => void raw.exec(migration.sqlite),
        appliedAt: () => now(),
      }),
    schemaVersion: () => schemaVersion(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"),
    close: async () => {
      if (closed) return;
      closed = true;
      // All Kysely's SQLite driver would do on destroy; a query after it then fails as better-sqlite3
      // says (the connection is not open), not with Kysely's word for a destroyed driver.
      if (raw.open) raw.close();
    },
  };
}

export interface PostgresOptions {
  /** `postgres://` or `postgresql://` URL. */
  connectionString: string;
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
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ignore = (): void => {};

export function openPostgres(options: PostgresOptions): Database {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error('PostgreSQL token store: schema must be 1-63 lower-case letters, digits or "_", not starting with a digit');
  }
  const schema = options.schema;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle connection that drops is removed from the pool; the next query reports the problem.
  // Without a listener, node would treat the event as an uncaught error and exit.
  pool.on('error', ignore);
  const locks = new PostgresLocks(options.connectionString, schema ?? '', options.lockPoolSize ?? 4);
  const unqualified = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const db = schema === undefined ? unqualified : unqualified.withSchema(schema);
  const table = (name: string) => (schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`);
  let closed = false;
  return {
    kind: 'postgres',
    db,
    codec: postgresCodec,
    insertionOrder: 'seq',
    withUserLock: (appUserId, fn) => locks.withUserLock(appUserId, fn),
    migrate: () =>
      locks.whileMigrating(async () => {
        if (schema !== undefined) await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).execute(unqualified);
        await runMigrations(db, {
          createBookkeeping: `CREATE TABLE IF NOT EXISTS ${table('schema_migrations')} (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )`,
          begin: 'BEGIN',
          // Without parameters pg sends a simple query, which may hold several statements.
          script: async (trx, migration) => void (await sql.raw(migration.postgres(table)).execute(trx)),
          appliedAt: () => undefined,
        });
      }),
    schemaVersion: () =>
      schemaVersion(
        db,
        `SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations' AND schemaname = ${schema === undefined ? 'current_schema()' : `'${schema}'`}`,
      ),
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([unqualified.destroy(), locks.close()]);
    },
  };
}

interface MigrationSteps {
  createBookkeeping: string;
  begin: string;
  script(trx: Kysely<Tables>, migration: (typeof MIGRATIONS)[number]): Promise<void>;
  appliedAt(): number | undefined;
}

/**
 * Applies MIGRATIONS not yet recorded in `schema_migrations` (the table and its rows are the same as
 * before the stores moved to Kysely, so a database made then opens as it is). Each migration runs in
 * its own transaction on one connection, checked again inside it, so two instances starting at once
 * apply each migration once.
 */
async function runMigrations(db: Kysely<Tables>, steps: MigrationSteps): Promise<void> {
  await sql.raw(steps.createBookkeeping).execute(db);
  await db.connection().execute(async (connection) => {
    for (const migration of MIGRATIONS) {
      await sql.raw(steps.begin).execute(connection);
      try {
        const applied = await connection.selectFrom('schema_migrations').select('version').where('version', '=', migration.version).executeTakeFirst();
        if (!applied) {
          await steps.script(connection as Transaction<Tables>, migration);
          const appliedAt = steps.appliedAt();
          await connection
            .insertInto('schema_migrations')
            .values({ version: migration.version, name: migration.name, ...(appliedAt === undefined ? {} : { applied_at: appliedAt }) })
            .execute();
        }
        await sql.raw('COMMIT').execute(connection);
      } catch (error) {
        await sql.raw('ROLLBACK').execute(connection).catch(ignore);
        throw error;
      }
    }
  });
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `Database.schemaVersion`: the highest recorded migration, once `exists` (a query with a row when the table does) says there is a table. */
async function schemaVersion(db: Kysely<Tables>, exists: string): Promise<number> {
  const table = await sql.raw(exists).execute(db);
  if (table.rows.length === 0) return 0;
  const row = await db
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max<number | string | null>('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}
