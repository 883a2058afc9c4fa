import { isAbsolute, resolve } from 'node:path';
import type { TokenCipher } from './crypto.js';
import { PostgresTokenStore } from './postgres.js';
import { SqliteTokenStore } from './sqlite.js';
import type { TokenStore } from './types.js';

export { TokenCipher, TokenDecryptionError, parseEncryptionKeys, deriveKeyId } from './crypto.js';
export type { EncryptionKey, TokenCipherOptions, TokenDecryptionFailure } from './crypto.js';
export { SqliteTokenStore } from './sqlite.js';
export type { SqliteTokenStoreOptions } from './sqlite.js';
export { PostgresTokenStore } from './postgres.js';
export type { PostgresTokenStoreOptions } from './postgres.js';
export type * from './types.js';

export type DatabaseTarget =
  | { kind: 'sqlite'; /** absolute path, or `:memory:` */ filename: string }
  | { kind: 'postgres'; connectionString: string };

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
  if (text.endsWith('/')) throw new Error(`${ACCEPTED}; the path names a directory, not a file`);
  return { kind: 'sqlite', filename: resolve(cwd, text) };
}

/**
 * Opens the token store `DATABASE_URL` names and applies pending migrations, so the store is ready to
 * use. SQLite: the file's directory is created if missing.
 */
export async function createTokenStore(
  databaseUrl: string,
  cipher: TokenCipher,
  options: { postgresSchema?: string; now?: () => number } = {},
): Promise<TokenStore> {
  const target = parseDatabaseUrl(databaseUrl);
  const clock = options.now ? { now: options.now } : {};
  const store: TokenStore =
    target.kind === 'sqlite'
      ? new SqliteTokenStore({ filename: target.filename, cipher, ...clock })
      : new PostgresTokenStore({
          connectionString: target.connectionString,
          cipher,
          ...(options.postgresSchema === undefined ? {} : { schema: options.postgresSchema }),
          ...clock,
        });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
