import { MIGRATIONS } from '../../src/auth/store/migrations.js';
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDecryptionError } from '../../src/auth/store/crypto.js';
import { openSqliteStore, type TokenStore } from '../../src/auth/store/index.js';
import { describeTokenStoreContract } from './contract.js';
import { expectFixtureRows } from './fixtures/v3.js';
import { KEY_A, KEY_B, chanceToInterleave, closeAll, deferred, newConnection, secretToken, testCipher, uniqueId, within } from './helpers.js';

describeTokenStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'token-store-contract-'));
  const filename = join(dir, 'store.sqlite');
  return {
    async open(options = {}) {
      const store = openSqliteStore({ filename, cipher: options.cipher ?? testCipher(), ...(options.now ? { now: options.now } : {}) });
      await store.migrate();
      return store;
    },
    async appliedMigrations() {
      const db = new Database(filename, { readonly: true });
      try {
        return db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
      } finally {
        db.close();
      }
    },
    async rawText() {
      const db = new Database(filename, { readonly: true });
      try {
        const rows = ['pending_links', 'connect_tickets', 'oauth_states'].flatMap((table) => db.prepare(`SELECT * FROM ${table}`).all());
        return JSON.stringify(rows);
      } finally {
        db.close();
      }
    },
    async copyLinkTokens(fromId, toId) {
      const db = new Database(filename);
      try {
        db.prepare(
          'UPDATE pending_links SET (access_token_enc, refresh_token_enc) = (SELECT access_token_enc, refresh_token_enc FROM pending_links WHERE id = ?) WHERE id = ?',
        ).run(fromId, toId);
      } finally {
        db.close();
      }
    },
    async teardown() {
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite token store on disk', () => {
  let dir: string;
  const stores: TokenStore[] = [];
  const open = async (filename: string, cipher = testCipher()): Promise<TokenStore> => {
    const store = openSqliteStore({ filename, cipher });
    stores.push(store);
    await store.migrate();
    return store;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'token-store-sqlite-'));
  });
  afterAll(async () => {
    await closeAll(stores);
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing directories, an owner-only file, WAL mode, busy_timeout and foreign keys', async () => {
    const filename = join(dir, 'nested', 'deeper', 'store.sqlite');
    const store = await open(filename);
    await store.ping();
    expect((await stat(filename)).mode & 0o777).toBe(0o600);
    const db = new Database(filename);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: expect.any(Number) })),
      );
    } finally {
      db.close();
    }
    // Pragmas are per connection: read the store's own.
    const own = (store as unknown as { database: { db: Kysely<unknown> } }).database.db;
    const pragma = async (name: string) => Object.values((await sql.raw<Record<string, unknown>>(`PRAGMA ${name}`).execute(own)).rows[0]!)[0];
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it("migration 3 keeps each idempotency key for its user's current iManage account, and drops keys of users without one", async () => {
    const filename = join(dir, 'upgrade.sqlite');
    const raw = new Database(filename);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const migration of MIGRATIONS.filter((m) => m.version < 3)) {
      raw.exec(migration.sqlite);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    raw.prepare(`INSERT INTO imanage_connections VALUES ('alice', 'AKUMAR', '5948', NULL, 'h', 'a', '[]', 'x', 0, NULL, 'connected', 1, 0, 0)`).run();
    const key = (user: string) =>
      raw.prepare(`INSERT INTO idempotency_keys VALUES (?, 'k1', 'hash', 'done', 'r', ?, ?)`).run(user, Date.now(), Date.now() + 60_000);
    key('alice');
    key('bob');
    raw.close();

    const store = await open(filename);
    const claim = (appUserId: string, imanageUserId: string) =>
      store.idempotencyKeys.claimIdempotencyKey({ appUserId, customerId: '5948', imanageUserId, key: 'k1', requestHash: 'hash', ttlSeconds: 60 });
    expect(await claim('alice', 'AKUMAR')).toMatchObject({ claimed: false, existing: { response: 'r', imanageUserId: 'AKUMAR' } });
    expect(await claim('bob', 'AKUMAR')).toEqual({ claimed: true });
  });

  it('two instances migrating a new file at once apply each migration once', async () => {
    const filename = join(dir, 'race.sqlite');
    const a = openSqliteStore({ filename, cipher: testCipher() });
    const b = openSqliteStore({ filename, cipher: testCipher() });
    stores.push(a, b);
    await Promise.all([a.migrate(), b.migrate()]);
    await b.connections.save(newConnection('u1'));
    expect(await a.connections.get('u1')).not.toBeNull();
  });

  it('never writes a token or code verifier in clear: not in the database file, not in the WAL', async () => {
    const filename = join(dir, 'raw.sqlite');
    const store = await open(filename);
    const secrets: string[] = [];
    const marker = `JSMITH-${uniqueId('marker')}`; // plaintext metadata: proves the bytes read are the data
    for (let i = 0; i < 3; i++) {
      const connection = newConnection(uniqueId('raw'), { imanageUserId: marker });
      secrets.push(connection.accessToken, connection.refreshToken!);
      const saved = await store.connections.save(connection);
      const update = { accessToken: secretToken('a'), accessTokenExpiresAt: new Date(), refreshToken: secretToken('r') };
      secrets.push(update.accessToken, update.refreshToken);
      await store.connections.updateTokens(connection.appUserId, saved.version, update);
      const codeVerifier = secretToken('verifier');
      secrets.push(codeVerifier);
      await store.connectStates.saveState(
        { id: uniqueId('s'), appUserId: connection.appUserId, codeVerifier, returnTo: '/', expiresAt: new Date(Date.now() + 60_000) },
        { keep: 10 },
      );
    }

    const readAll = async (): Promise<Buffer> => {
      const names = (await readdir(dir)).filter((name) => name.startsWith('raw.sqlite'));
      expect(names).toContain('raw.sqlite');
      return Buffer.concat(await Promise.all(names.map((name) => readFile(join(dir, name)))));
    };
    const check = (bytes: Buffer): void => {
      expect(bytes.includes(marker)).toBe(true);
      for (const secret of secrets) expect(bytes.includes(secret), 'a token in clear').toBe(false);
    };

    // Before a checkpoint the new pages live in the -wal file; after it, in the main file.
    expect((await readdir(dir)).includes('raw.sqlite-wal')).toBe(true);
    check(await readAll());
    const raw = new Database(filename);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    check(await readAll());
  });

  it('each store on a file reads what another store of the process has just written', async () => {
    const filename = join(dir, 'shared.sqlite');
    const first = await open(filename);
    const second = await open(filename);
    const alice = newConnection(uniqueId('alice'));
    const saved = await first.connections.save(alice);
    expect(await first.connections.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken, version: 1 });

    // Another store on the file refreshes: the first store reads the new row.
    await second.connections.updateTokens(alice.appUserId, saved.version, {
      accessToken: 'rotated-access',
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
      refreshToken: 'rotated-refresh',
    });
    expect(await first.connections.get(alice.appUserId)).toMatchObject({ accessToken: 'rotated-access', refreshToken: 'rotated-refresh', version: 2 });

    // The first store's own compare-and-set with the old version fails and it then reads the winner.
    expect(await first.connections.updateTokens(alice.appUserId, 1, { accessToken: 'late', accessTokenExpiresAt: new Date(), refreshToken: null })).toBeNull();
    expect(await first.connections.get(alice.appUserId)).toMatchObject({ accessToken: 'rotated-access', version: 2 });
    await second.connections.markReauthRequired(alice.appUserId, 2);
    expect(await first.connections.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 3 });

    await second.connections.delete(alice.appUserId);
    expect(await first.connections.get(alice.appUserId)).toBeNull();
    // And the store's own writes are what it serves next.
    await first.connections.save(alice);
    expect(await second.connections.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken, version: 1 });
    await first.connections.markReauthRequired(alice.appUserId, 1);
    expect(await first.connections.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    expect(await second.connections.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    expect(await first.connections.delete(alice.appUserId)).toBe(true);
    expect(await first.connections.get(alice.appUserId)).toBeNull();
  });

  it('sees a write from outside the process at once, and under a refresh lock', async () => {
    const filename = join(dir, 'outside.sqlite');
    const store = await open(filename);
    const alice = newConnection(uniqueId('alice'));
    await store.connections.save(alice);
    expect(await store.connections.get(alice.appUserId)).toMatchObject({ status: 'connected', version: 1 });

    // A plain SQLite connection (another process, say) writes the row.
    const raw = new Database(filename);
    try {
      raw.prepare("UPDATE imanage_connections SET status = 'reauth_required', version = version + 1 WHERE app_user_id = ?").run(alice.appUserId);
    } finally {
      raw.close();
    }
    expect(await store.connections.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    expect(await store.connections.withRefreshLock(alice.appUserId, () => store.connections.get(alice.appUserId))).toMatchObject({
      status: 'reauth_required',
      version: 2,
    });
  });

  it('a token copied into another user row or column fails to decrypt, as a typed error', async () => {
    const filename = join(dir, 'copy.sqlite');
    const store = await open(filename);
    const alice = newConnection(uniqueId('alice'));
    const bob = newConnection(uniqueId('bob'));
    await store.connections.save(alice);
    await store.connections.save(bob);
    // Read both first: whatever a store might keep of a read must not let a moved envelope through.
    expect(await store.connections.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken });
    expect(await store.connections.get(bob.appUserId)).toMatchObject({ accessToken: bob.accessToken });

    const raw = new Database(filename);
    try {
      raw
        .prepare(
          'UPDATE imanage_connections SET access_token_enc = (SELECT access_token_enc FROM imanage_connections WHERE app_user_id = ?) WHERE app_user_id = ?',
        )
        .run(alice.appUserId, bob.appUserId);
      const error = await store.connections.get(bob.appUserId).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TokenDecryptionError);
      expect((error as TokenDecryptionError).reason).toBe('authentication_failed');
      expect(String(error)).not.toContain(alice.accessToken);
      expect(await store.connections.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken });

      // The other column of the same row: the field is part of the associated data too.
      raw.prepare('UPDATE imanage_connections SET refresh_token_enc = access_token_enc WHERE app_user_id = ?').run(alice.appUserId);
      await expect(store.connections.get(alice.appUserId)).rejects.toBeInstanceOf(TokenDecryptionError);

      // A code verifier moved to another state.
      const s1 = { id: uniqueId('s1'), appUserId: 'u', codeVerifier: 'v1', returnTo: '/', expiresAt: new Date(Date.now() + 60_000) };
      const s2 = { ...s1, id: uniqueId('s2'), codeVerifier: 'v2' };
      await store.connectStates.saveState(s1, { keep: 10 });
      await store.connectStates.saveState(s2, { keep: 10 });
      raw.prepare('UPDATE oauth_states SET code_verifier_enc = (SELECT code_verifier_enc FROM oauth_states WHERE id = ?) WHERE id = ?').run(s1.id, s2.id);
      await expect(store.connectStates.consumeState(s2.id)).rejects.toBeInstanceOf(TokenDecryptionError);
    } finally {
      raw.close();
    }
  });

  it('updateTokens rewrites both tokens under the newest key', async () => {
    const filename = join(dir, 'rotate.sqlite');
    const user = uniqueId('rotate');
    const saved = await (await open(filename, testCipher(KEY_A))).connections.save(newConnection(user));
    const rotated = await open(filename, testCipher(KEY_B, KEY_A));
    const keyIds = (): string[] => {
      const raw = new Database(filename, { readonly: true });
      try {
        const row = raw.prepare('SELECT access_token_enc, refresh_token_enc FROM imanage_connections WHERE app_user_id = ?').get(user) as Record<
          string,
          string
        >;
        return Object.values(row).map((envelope) => envelope.split('.')[1]!);
      } finally {
        raw.close();
      }
    };
    expect(keyIds()).toEqual(['key-a', 'key-a']);
    await rotated.connections.updateTokens(user, saved.version, { accessToken: 'a', accessTokenExpiresAt: new Date(), refreshToken: 'r' });
    expect(keyIds()).toEqual(['key-b', 'key-b']);
  });

  it('serialises refresh locks across two store instances on the same file (one process)', async () => {
    const filename = join(dir, 'locks.sqlite');
    const a = await open(filename);
    const b = await open(filename);
    const user = uniqueId('lock');
    const events: string[] = [];
    const entered = deferred();
    const release = deferred();
    const first = a.connections.withRefreshLock(user, async () => {
      events.push('a:start');
      entered.resolve();
      await release.promise;
      events.push('a:end');
    });
    await entered.promise;
    const second = b.connections.withRefreshLock(user, async () => {
      events.push('b:start');
    });
    try {
      await chanceToInterleave();
      expect(events).toEqual(['a:start']);
    } finally {
      release.resolve();
    }
    await within(Promise.all([first, second]), 10_000, 'lock holders');
    expect(events).toEqual(['a:start', 'a:end', 'b:start']);
  });

  it('works in memory, each :memory: store its own database and its own locks', async () => {
    const a = await open(':memory:');
    const b = await open(':memory:');
    await a.connections.save(newConnection('same-user'));
    expect(await b.connections.get('same-user')).toBeNull();
    const release = deferred();
    const held = a.connections.withRefreshLock('same-user', () => release.promise);
    try {
      await within(
        b.connections.withRefreshLock('same-user', async () => {}),
        10_000,
        'a lock on another in-memory database',
      );
    } finally {
      release.resolve();
    }
    await held;
  });

  it('close is idempotent', async () => {
    const store = openSqliteStore({ filename: ':memory:', cipher: testCipher() });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.ping()).rejects.toThrow();
  });
});

describe('a SQLite file written before Kysely (schema version 3)', () => {
  it('opens with every row readable, and migrates on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'token-store-v3-'));
    const filename = join(dir, 'v3.sqlite');
    await copyFile(fileURLToPath(new URL('./fixtures/v3.sqlite', import.meta.url)), filename);
    const store = openSqliteStore({ filename, cipher: testCipher(KEY_A), now: () => Date.parse('2027-01-01T00:00:00.000Z') });
    try {
      await store.migrate();
      await expectFixtureRows(store);
      const raw = new Database(filename, { readonly: true });
      try {
        expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        raw.close();
      }
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
