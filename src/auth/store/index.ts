import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { sql } from 'kysely';
import { SqlAuditEventStore } from './auditEventStore.js';
import { SqlConnectionStore } from './connectionStore.js';
import { SqlConnectStateStore } from './connectStateStore.js';
import type { TokenCipher } from './crypto.js';
import { openPostgres, openSqlite, type Database, type PostgresOptions, type SqliteOptions } from './database.js';
import { SqlDownloadLinkStore } from './downloadLinkStore.js';
import { SqlIdempotencyKeyStore } from './idempotencyKeyStore.js';
import { MIGRATIONS } from './migrations.js';
import type { AuditEventStore, TokenStore } from './types.js';

export { TokenCipher, TokenDecryptionError, parseEncryptionKeys, deriveKeyId } from './crypto.js';
export type { EncryptionKey, TokenCipherOptions, TokenDecryptionFailure } from './crypto.js';
export type * from './types.js';

/** Clock for expiry and timestamps, in epoch milliseconds (tests). Default `Date.now`. */
interface StoreClock {
  cipher: TokenCipher;
  now?: () => number;
}

/** The five stores over one database, which it owns. Not migrated: call `migrate` (or use `createTokenStore`). */
class SqlTokenStore implements TokenStore {
  readonly connections: SqlConnectionStore;
  readonly connectStates: SqlConnectStateStore;
  readonly idempotencyKeys: SqlIdempotencyKeyStore;
  readonly downloadLinks: SqlDownloadLinkStore;
  readonly auditEvents: SqlAuditEventStore;

  constructor(
    private readonly database: Database,
    options: StoreClock,
  ) {
    const now = options.now ?? Date.now;
    this.connections = new SqlConnectionStore(database, options.cipher, now);
    this.connectStates = new SqlConnectStateStore(database, options.cipher, now);
    this.idempotencyKeys = new SqlIdempotencyKeyStore(database, now);
    this.downloadLinks = new SqlDownloadLinkStore(database, now);
    this.auditEvents = new SqlAuditEventStore(database, now);
  }

  migrate(): Promise<void> {
    return this.database.migrate();
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.database.db);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

/** The stores on a SQLite file (or `:memory:`), not yet migrated. */
export function openSqliteStore(options: SqliteOptions & StoreClock): TokenStore {
  return new SqlTokenStore(openSqlite(options), options);
}

/** The stores on PostgreSQL, not yet migrated. */
export function openPostgresStore(options: PostgresOptions & StoreClock): TokenStore {
  return new SqlTokenStore(openPostgres(options), options);
}

/** Where the token store lives when `DATABASE_URL` is not set, outside sandbox mode. */
export const DEFAULT_DATABASE_URL = './data/imanage-graphql.sqlite';

export type DatabaseTarget = { kind: 'sqlite'; /** absolute path, or `:memory:` */ filename: string } | { kind: 'postgres'; connectionString: string };

const ACCEPTED =
  'DATABASE_URL must be a SQLite file path (./data/imanage-graphql.sqlite), a sqlite: URL ' +
  '(sqlite:///absolute/path.sqlite, sqlite:relative/path.sqlite, sqlite::memory:) ' +
  'or a postgres:// or postgresql:// URL';

/**
 * Reads `DATABASE_URL`. Errors name the variable and the accepted forms; they repeat at most the
 * scheme of the value, never the rest (a PostgreSQL URL may carry a password).
 */
export function parseDatabaseUrl(value: string, cwd: string = process.cwd()): DatabaseTarget {
  const text = value.trim();
  if (text === '') throw new Error(`${ACCEPTED}; it is empty`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();

  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`${ACCEPTED}; the ${scheme}: URL could not be parsed`);
    }
    if (!url.host && !url.searchParams.has('host')) throw new Error(`${ACCEPTED}; the ${scheme}: URL has no host`);
    return { kind: 'postgres', connectionString: text };
  }

  if (scheme === 'sqlite') {
    const rest = text.slice('sqlite:'.length);
    if (rest === ':memory:') return { kind: 'sqlite', filename: ':memory:' };
    let path = rest;
    if (rest.startsWith('//')) {
      // sqlite:///abs/path: an empty authority followed by an absolute path. A host is not a thing here.
      path = rest.slice(2);
      if (!path.startsWith('/')) throw new Error(`${ACCEPTED}; a sqlite:// URL must be followed by an absolute path (three slashes)`);
    }
    if (path === '' || path.endsWith('/')) throw new Error(`${ACCEPTED}; the sqlite: URL names no file`);
    return { kind: 'sqlite', filename: isAbsolute(path) ? path : resolve(cwd, path) };
  }

  // One-letter "schemes" are left to be paths only on Windows, which this service does not target.
  if (scheme !== undefined) throw new Error(`${ACCEPTED}; got a "${scheme}:" URL`);
  if (text === ':memory:') return { kind: 'sqlite', filename: ':memory:' };
  // A colon is legal in a file name, but here it means a URL gone wrong (`::not a url::`): a file named
  // after it would be created silently. A sqlite: URL still reaches such a file on purpose.
  if (text.includes(':')) throw new Error(`${ACCEPTED}; it is neither a URL nor a path (a path with ":" must be given as a sqlite: URL)`);
  if (text.endsWith('/')) throw new Error(`${ACCEPTED}; the path names a directory, not a file`);
  return { kind: 'sqlite', filename: resolve(cwd, text) };
}

/**
 * The token store cannot be opened: one line for the operator, naming `DATABASE_URL` and what is wrong,
 * never the URL's password.
 */
export class StoreStartupError extends Error {}

/**
 * Opens the token store `DATABASE_URL` names and applies pending migrations, so the store is ready to
 * use. SQLite: the file's folder must exist, unless `createFolder` (the default location's `./data`).
 * Every way of failing that an operator can fix (a folder, a missing folder, a file that is not SQLite,
 * PostgreSQL unreachable, no such database, refused credentials) is a `StoreStartupError`.
 */
export async function createTokenStore(
  databaseUrl: string,
  cipher: TokenCipher,
  options: { postgresSchema?: string; createFolder?: boolean; now?: () => number } = {},
): Promise<TokenStore> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'sqlite' && target.filename !== ':memory:') checkSqlitePath(target.filename, options.createFolder ?? false);
  const clock = options.now ? { now: options.now } : {};
  let store: TokenStore;
  try {
    store =
      target.kind === 'sqlite'
        ? openSqliteStore({ filename: target.filename, cipher, ...clock })
        : openPostgresStore({
            connectionString: target.connectionString,
            cipher,
            ...(options.postgresSchema === undefined ? {} : { schema: options.postgresSchema }),
            ...clock,
          });
  } catch (error) {
    throw startupError(target, error);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw startupError(target, error);
  }
  return store;
}

/** The migration that made the audit trail's table. */
const AUDIT_MIGRATION = MIGRATIONS.find((migration) => migration.name === 'audit events')!.version;

/**
 * The audit trail of the database `DATABASE_URL` names, opened only to read it (`npm run audit`):
 * nothing is created or migrated, so a database role that may only read (`GRANT SELECT`) will do, and
 * a database the service has not yet migrated is refused as it is, not changed. SQLite: the file is
 * opened read-only and must exist.
 */
export async function openAuditReader(databaseUrl: string): Promise<{ auditEvents: Pick<AuditEventStore, 'list'>; close(): Promise<void> }> {
  const target = parseDatabaseUrl(databaseUrl);
  let database: Database;
  try {
    database =
      target.kind === 'sqlite'
        ? openSqlite({ filename: target.filename, readOnly: true })
        : openPostgres({ connectionString: target.connectionString, poolSize: 1, lockPoolSize: 1 });
  } catch (error) {
    throw startupError(target, error);
  }
  try {
    const version = await database.schemaVersion();
    if (version < AUDIT_MIGRATION) {
      throw new StoreStartupError(
        `DATABASE_URL: the database has no audit trail yet (schema version ${version}, the trail comes with ${AUDIT_MIGRATION}): start the service on it once to migrate it.`,
      );
    }
    return { auditEvents: new SqlAuditEventStore(database, Date.now), close: () => database.close() };
  } catch (error) {
    await database.close().catch(() => {});
    throw startupError(target, error);
  }
}

function checkSqlitePath(filename: string, createFolder: boolean): void {
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'missing';
    }
  };
  if (kind(filename) === 'folder') throw new StoreStartupError(`DATABASE_URL is invalid: ${filename} is a folder; name a SQLite file in it.`);
  const folder = kind(dirname(filename));
  if (folder === 'file') throw new StoreStartupError(`DATABASE_URL is invalid: ${dirname(filename)} is a file, not a folder.`);
  if (folder === 'missing' && !createFolder) {
    throw new StoreStartupError(`DATABASE_URL is invalid: the folder ${dirname(filename)} does not exist; create it or name a file in an existing folder.`);
  }
}

/** What went wrong opening the store, in one line; anything not recognised is passed on as it is. */
function startupError(target: DatabaseTarget, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (target.kind === 'sqlite') {
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      return new StoreStartupError(`DATABASE_URL is invalid: ${target.filename} is not a SQLite database.`);
    if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'SQLITE_READONLY') {
      return new StoreStartupError(`DATABASE_URL is invalid: ${target.filename} cannot be opened for writing (${String(code)}).`);
    }
    return error;
  }
  // Host, port and database only: the URL may carry a password.
  const url = new URL(target.connectionString);
  const where = `PostgreSQL at ${url.hostname || url.searchParams.get('host') || 'localhost'}:${url.port || '5432'}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || '(default)';
  switch (code) {
    case 'ECONNREFUSED':
      return new StoreStartupError(`DATABASE_URL: ${where} refused the connection; is the server running?`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StoreStartupError(`DATABASE_URL: the host of ${where} could not be resolved.`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new StoreStartupError(`DATABASE_URL: ${where} could not be reached (${code}).`);
    case '3D000':
      return new StoreStartupError(`DATABASE_URL: ${where} has no database "${database}"; create it first.`);
    case '28P01':
    case '28000':
      return new StoreStartupError(`DATABASE_URL: ${where} refused the user name or password.`);
    case '42501':
      return new StoreStartupError(
        `DATABASE_URL: the user lacks a permission it needs in "${database}" (permission denied): the service needs to create and write the token store's tables; npm run audit needs to read schema_migrations and audit_events.`,
      );
    default:
      return error;
  }
}
