import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore, parseDatabaseUrl, type TokenStore } from '../../src/auth/store/index.js';
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

  it('opens and migrates a SQLite file, creating its directory', async () => {
    const filename = join(dir, 'not', 'yet', 'there.sqlite');
    const store = await createTokenStore(filename, testCipher());
    stores.push(store);
    await store.save(newConnection('u1'));
    expect((await store.get('u1'))?.appUserId).toBe('u1');
    expect((await stat(filename)).isFile()).toBe(true);

    const again = await createTokenStore(`sqlite://${filename}`, testCipher());
    stores.push(again);
    expect((await again.get('u1'))?.appUserId).toBe('u1');
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await createTokenStore('sqlite::memory:', testCipher());
    stores.push(store);
    await store.ping();
    expect(await store.get('nobody')).toBeNull();
  });

  it.skipIf(!pgAvailable)('opens and migrates PostgreSQL', async () => {
    const schema = testSchemaName('index');
    schemas.push(schema);
    const store = await createTokenStore(POSTGRES_URL, testCipher(), { postgresSchema: schema });
    stores.push(store);
    await store.save(newConnection('u1'));
    expect((await store.get('u1'))?.appUserId).toBe('u1');
  });

  it('rejects without a password in the message when PostgreSQL cannot be reached', async () => {
    const error = await createTokenStore('postgres://app:hunter2-secret@127.0.0.1:1/db', testCipher()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(`${String(error)} ${(error as Error).stack ?? ''}`).not.toContain('hunter2');
  });
});
