import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { createTokenStore, parseDatabaseUrl, StoreStartupError, type TokenStore } from '../../src/auth/store/index.js';
import { POSTGRES_URL, closeAll, dropSchema, newConnection, postgresAvailable, testCipher, testSchemaName } from './helpers.js';

const pgAvailable = await postgresAvailable();

describe('parseDatabaseUrl', () => {
  const cwd = '/srv/app';

  it('accepts file paths, sqlite: URLs and postgres URLs', () => {
    const cases: Array<[string, ReturnType<typeof parseDatabaseUrl>]> = [
      ['./data/imanage-graphql.sqlite', { kind: 'sqlite', filename: '/srv/app/data/imanage-graphql.sqlite' }],
      ['data/x.sqlite', { kind: 'sqlite', filename: '/srv/app/data/x.sqlite' }],
      ['/var/lib/app/x.sqlite', { kind: 'sqlite', filename: '/var/lib/app/x.sqlite' }],
      ['sqlite:///var/lib/app/x.sqlite', { kind: 'sqlite', filename: '/var/lib/app/x.sqlite' }],
      ['sqlite:relative.sqlite', { kind: 'sqlite', filename: '/srv/app/relative.sqlite' }],
      ['sqlite:./data/x.sqlite', { kind: 'sqlite', filename: '/srv/app/data/x.sqlite' }],
      ['sqlite:/abs/x.sqlite', { kind: 'sqlite', filename: '/abs/x.sqlite' }],
      ['SQLITE::memory:', { kind: 'sqlite', filename: ':memory:' }],
      ['sqlite::memory:', { kind: 'sqlite', filename: ':memory:' }],
      [':memory:', { kind: 'sqlite', filename: ':memory:' }],
      ['  ./padded.sqlite \n', { kind: 'sqlite', filename: '/srv/app/padded.sqlite' }],
      ['postgres://app:pw@db.internal:5432/imanage', { kind: 'postgres', connectionString: 'postgres://app:pw@db.internal:5432/imanage' }],
      ['postgresql://db/imanage?sslmode=require', { kind: 'postgres', connectionString: 'postgresql://db/imanage?sslmode=require' }],
      ['postgres:///imanage?host=/var/run/postgresql', { kind: 'postgres', connectionString: 'postgres:///imanage?host=/var/run/postgresql' }],
    ];
    for (const [value, expected] of cases) expect(parseDatabaseUrl(value, cwd), value).toEqual(expected);
    expect(parseDatabaseUrl('x.sqlite')).toEqual({ kind: 'sqlite', filename: resolve('x.sqlite') });
  });

  it('refuses anything else, naming DATABASE_URL and never repeating a password', () => {
    const bad = [
      '',
      '   ',
      'mysql://root:hunter2-secret@db/app',
      'https://user:hunter2-secret@example.com/db',
      'postgres://user:hunter2-secret@',
      'postgres://user:hunter2-secret@[::1/db',
      'sqlite://hunter2-secret/x.sqlite',
      'sqlite:',
      'sqlite:///',
      './data/',
      'file:///tmp/hunter2-secret.sqlite',
      '::not a url::',
      'db.internal:5432/app',
    ];
    for (const value of bad) {
      let message = '';
      try {
        parseDatabaseUrl(value, cwd);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, value).toMatch(/^DATABASE_URL must be a SQLite file path/);
      expect(message, value).toContain('postgres://');
      expect(message, value).not.toContain('hunter2');
    }
  });
});

describe('createTokenStore', () => {
  let dir: string;
  const stores: TokenStore[] = [];
  const schemas: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'token-store-index-'));
  });
  afterAll(async () => {
    await closeAll(stores);
    for (const schema of schemas) await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  it('opens and migrates a SQLite file, creating its directory when asked to (the default location)', async () => {
    const filename = join(dir, 'not', 'yet', 'there.sqlite');
    const store = await createTokenStore(filename, testCipher(), { createFolder: true });
    stores.push(store);
    await store.connections.save(newConnection('u1'));
    expect((await store.connections.get('u1'))?.appUserId).toBe('u1');
    expect((await stat(filename)).isFile()).toBe(true);

    const again = await createTokenStore(`sqlite://${filename}`, testCipher());
    stores.push(again);
    expect((await again.connections.get('u1'))?.appUserId).toBe('u1');
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await createTokenStore('sqlite::memory:', testCipher());
    stores.push(store);
    await store.ping();
    expect(await store.connections.get('nobody')).toBeNull();
  });

  it.skipIf(!pgAvailable)('opens and migrates PostgreSQL', async () => {
    const schema = testSchemaName('index');
    schemas.push(schema);
    const store = await createTokenStore(POSTGRES_URL, testCipher(), { postgresSchema: schema });
    stores.push(store);
    await store.connections.save(newConnection('u1'));
    expect((await store.connections.get('u1'))?.appUserId).toBe('u1');
  });

  it('rejects without a password in the message when PostgreSQL cannot be reached', async () => {
    const error = await createTokenStore('postgres://app:hunter2-secret@127.0.0.1:1/db', testCipher()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(`${String(error)} ${(error as Error).stack ?? ''}`).not.toContain('hunter2');
  });

  /** What createTokenStore rejected with: its class and its one line. */
  const refusal = (databaseUrl: string, options?: { createFolder?: boolean }) =>
    createTokenStore(databaseUrl, testCipher(), options).then(
      (store) => {
        stores.push(store);
        return null;
      },
      (error: unknown) => error as Error,
    );

  it('refuses, in one line naming DATABASE_URL, what an operator must fix: a folder, a missing folder, a file that is not SQLite', async () => {
    const folder = await refusal(dir);
    expect(folder).toBeInstanceOf(StoreStartupError);
    expect(folder!.message).toBe(`DATABASE_URL is invalid: ${dir} is a folder; name a SQLite file in it.`);

    const missing = await refusal(join(dir, 'typo', 'x.sqlite'));
    expect(missing).toBeInstanceOf(StoreStartupError);
    expect(missing!.message).toMatch(/^DATABASE_URL is invalid: the folder .*typo does not exist/);
    await expect(stat(join(dir, 'typo'))).rejects.toThrow(); // nothing was created

    const text = join(dir, 'notes.txt');
    await writeFile(text, 'these are not the pages of a SQLite database, just text that is long enough to be read '.repeat(20));
    const notSqlite = await refusal(text);
    expect(notSqlite).toBeInstanceOf(StoreStartupError);
    expect(notSqlite!.message).toBe(`DATABASE_URL is invalid: ${text} is not a SQLite database.`);
    for (const error of [folder, missing, notSqlite]) expect(error!.message).not.toContain('\n');
  });

  it('refuses an unreachable PostgreSQL in one line, without the password', async () => {
    const error = await refusal('postgres://app:hunter2-secret@127.0.0.1:1/db');
    expect(error).toBeInstanceOf(StoreStartupError);
    expect(error!.message).toBe('DATABASE_URL: PostgreSQL at 127.0.0.1:1 refused the connection; is the server running?');
  });

  it.skipIf(!pgAvailable)('refuses a PostgreSQL database that does not exist in one line', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = '/no_such_database_for_this_test';
    const error = await refusal(url.toString());
    expect(error).toBeInstanceOf(StoreStartupError);
    expect(error!.message).toBe(
      `DATABASE_URL: PostgreSQL at ${url.hostname}:${url.port || '5432'} has no database "no_such_database_for_this_test"; create it first.`,
    );
  });
});
