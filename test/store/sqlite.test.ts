import { MIGRATIONS } from '../../src/auth/store/migrations.js';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDecryptionError } from '../../src/auth/store/crypto.js';
import { SqliteTokenStore } from '../../src/auth/store/sqlite.js';
import { describeTokenStoreContract } from './contract.js';
import { KEY_A, KEY_B, chanceToInterleave, closeAll, deferred, newConnection, secretToken, testCipher, uniqueId, within } from './helpers.js';

describeTokenStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'token-store-contract-'));
  const filename = join(dir, 'store.sqlite');
  return {
    async open(options = {}) {
      const store = new SqliteTokenStore({ filename, cipher: options.cipher ?? testCipher(), ...(options.now ? { now: options.now } : {}) });
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

describe('SqliteTokenStore on disk', () => {
  let dir: string;
  const stores: SqliteTokenStore[] = [];
  const open = async (filename: string, cipher = testCipher(), outsideWriteCheckMs?: number): Promise<SqliteTokenStore> => {
    const store = new SqliteTokenStore({ filename, cipher, ...(outsideWriteCheckMs === undefined ? {} : { outsideWriteCheckMs }) });
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
    const own = (store as unknown as { db: Database.Database }).db;
    expect(own.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(own.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('migration 3 keeps each idempotency key for its user\'s current iManage account, and drops keys of users without one', async () => {
    const filename = join(dir, 'upgrade.sqlite');
    const raw = new Database(filename);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const migration of MIGRATIONS.filter((m) => m.version < 3)) {
      raw.exec(migration.sqlite);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    raw.prepare(`INSERT INTO imanage_connections VALUES ('alice', 'AKUMAR', '5948', NULL, 'h', 'a', '[]', 'x', 0, NULL, 'connected', 1, 0, 0)`).run();
    const key = (user: string) => raw.prepare(`INSERT INTO idempotency_keys VALUES (?, 'k1', 'hash', 'done', 'r', ?, ?)`).run(user, Date.now(), Date.now() + 60_000);
    key('alice');
    key('bob');
    raw.close();

    const store = await open(filename);
    const claim = (appUserId: string, imanageUserId: string) => store.claimIdempotencyKey({ appUserId, customerId: '5948', imanageUserId, key: 'k1', requestHash: 'hash', ttlSeconds: 60 });
    expect(await claim('alice', 'AKUMAR')).toMatchObject({ claimed: false, existing: { response: 'r', imanageUserId: 'AKUMAR' } });
    expect(await claim('bob', 'AKUMAR')).toEqual({ claimed: true });
  });

  it('two instances migrating a new file at once apply each migration once', async () => {
    const filename = join(dir, 'race.sqlite');
    const a = new SqliteTokenStore({ filename, cipher: testCipher() });
    const b = new SqliteTokenStore({ filename, cipher: testCipher() });
    stores.push(a, b);
    await Promise.all([a.migrate(), b.migrate()]);
    await b.save(newConnection('u1'));
    expect(await a.get('u1')).not.toBeNull();
  });

  it('never writes a token or code verifier in clear: not in the database file, not in the WAL', async () => {
    const filename = join(dir, 'raw.sqlite');
    const store = await open(filename);
    const secrets: string[] = [];
    const marker = `JSMITH-${uniqueId('marker')}`; // plaintext metadata: proves the bytes read are the data
    for (let i = 0; i < 3; i++) {
      const connection = newConnection(uniqueId('raw'), { imanageUserId: marker });
      secrets.push(connection.accessToken, connection.refreshToken!);
      const saved = await store.save(connection);
      const update = { accessToken: secretToken('a'), accessTokenExpiresAt: new Date(), refreshToken: secretToken('r') };
      secrets.push(update.accessToken, update.refreshToken);
      await store.updateTokens(connection.appUserId, saved.version, update);
      const codeVerifier = secretToken('verifier');
      secrets.push(codeVerifier);
      await store.saveState({ id: uniqueId('s'), appUserId: connection.appUserId, codeVerifier, returnTo: '/', expiresAt: new Date(Date.now() + 60_000) }, { keep: 10 });
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

  it('serves rows from memory only while no other store of the process has written them', async () => {
    const filename = join(dir, 'shared.sqlite');
    const first = await open(filename);
    const second = await open(filename);
    const alice = newConnection(uniqueId('alice'));
    const saved = await first.save(alice);
    expect(await first.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken, version: 1 });

    // Another store on the file refreshes: the first store's remembered row is stale and must not be served.
    await second.updateTokens(alice.appUserId, saved.version, { accessToken: 'rotated-access', accessTokenExpiresAt: new Date(Date.now() + 3_600_000), refreshToken: 'rotated-refresh' });
    expect(await first.get(alice.appUserId)).toMatchObject({ accessToken: 'rotated-access', refreshToken: 'rotated-refresh', version: 2 });

    // The first store's own compare-and-set with the old version fails and it then reads the winner.
    expect(await first.updateTokens(alice.appUserId, 1, { accessToken: 'late', accessTokenExpiresAt: new Date(), refreshToken: null })).toBeNull();
    expect(await first.get(alice.appUserId)).toMatchObject({ accessToken: 'rotated-access', version: 2 });
    await second.markReauthRequired(alice.appUserId, 2);
    expect(await first.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 3 });

    await second.delete(alice.appUserId);
    expect(await first.get(alice.appUserId)).toBeNull();
    // And the store's own writes are what it serves next.
    await first.save(alice);
    expect(await second.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken, version: 1 });
    await first.markReauthRequired(alice.appUserId, 1);
    expect(await first.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    expect(await second.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    expect(await first.delete(alice.appUserId)).toBe(true);
    expect(await first.get(alice.appUserId)).toBeNull();
  });

  it('sees a write from outside the process within outsideWriteCheckMs, and at once under a refresh lock', async () => {
    const filename = join(dir, 'outside.sqlite');
    const everyRead = await open(filename, testCipher(), 0);
    const everyMinute = await open(filename, testCipher(), 60_000);
    const soon = await open(filename, testCipher(), 100);
    const alice = newConnection(uniqueId('alice'));
    await everyRead.save(alice);
    for (const store of [everyRead, everyMinute, soon]) expect(await store.get(alice.appUserId)).toMatchObject({ status: 'connected', version: 1 });

    // A plain SQLite connection (another process, say) writes the row.
    const raw = new Database(filename);
    try {
      raw.prepare("UPDATE imanage_connections SET status = 'reauth_required', version = version + 1 WHERE app_user_id = ?").run(alice.appUserId);
    } finally {
      raw.close();
    }
    expect(await everyRead.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    // Within its minute the remembered row is what it serves, except to the holder of a refresh lock.
    expect(await everyMinute.get(alice.appUserId)).toMatchObject({ status: 'connected', version: 1 });
    expect(await everyMinute.withRefreshLock(alice.appUserId, () => everyMinute.get(alice.appUserId))).toMatchObject({ status: 'reauth_required', version: 2 });
    expect(await everyMinute.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await soon.get(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
  });

  it('answers from memory (getRemembered) what get would answer, and only while no check is due', async () => {
    const filename = join(dir, 'remembered.sqlite');
    const minute = await open(filename, testCipher(), 60_000);
    const always = await open(filename, testCipher(), 0);
    const alice = newConnection(uniqueId('alice'));
    expect(minute.getRemembered(alice.appUserId)).toBeUndefined();
    await minute.save(alice);
    expect(minute.getRemembered(alice.appUserId)).toEqual(await minute.get(alice.appUserId));
    // Asking on every read: never from memory alone.
    expect(await always.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken });
    expect(always.getRemembered(alice.appUserId)).toBeUndefined();
    // A write through another store of the process: forgotten here, so get (which reads it) must answer.
    await always.markReauthRequired(alice.appUserId, 1);
    expect(minute.getRemembered(alice.appUserId)).toBeUndefined();
    expect(await minute.get(alice.appUserId)).toMatchObject({ status: 'reauth_required' });
    expect(minute.getRemembered(alice.appUserId)).toMatchObject({ status: 'reauth_required', version: 2 });
  });

  it('a token copied into another user row or column fails to decrypt, as a typed error', async () => {
    const filename = join(dir, 'copy.sqlite');
    // Asks SQLite on every read: the rows are changed below behind the store's back.
    const store = await open(filename, testCipher(), 0);
    const alice = newConnection(uniqueId('alice'));
    const bob = newConnection(uniqueId('bob'));
    await store.save(alice);
    await store.save(bob);
    // Read both first, so that the store has decrypted (and remembers) every envelope it is shown below.
    expect(await store.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken });
    expect(await store.get(bob.appUserId)).toMatchObject({ accessToken: bob.accessToken });

    const raw = new Database(filename);
    try {
      raw
        .prepare('UPDATE imanage_connections SET access_token_enc = (SELECT access_token_enc FROM imanage_connections WHERE app_user_id = ?) WHERE app_user_id = ?')
        .run(alice.appUserId, bob.appUserId);
      const error = await store.get(bob.appUserId).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TokenDecryptionError);
      expect((error as TokenDecryptionError).reason).toBe('authentication_failed');
      expect(String(error)).not.toContain(alice.accessToken);
      expect(await store.get(alice.appUserId)).toMatchObject({ accessToken: alice.accessToken });

      // The other column of the same row: the field is part of the associated data too.
      raw
        .prepare('UPDATE imanage_connections SET refresh_token_enc = access_token_enc WHERE app_user_id = ?')
        .run(alice.appUserId);
      await expect(store.get(alice.appUserId)).rejects.toBeInstanceOf(TokenDecryptionError);

      // A code verifier moved to another state.
      const s1 = { id: uniqueId('s1'), appUserId: 'u', codeVerifier: 'v1', returnTo: '/', expiresAt: new Date(Date.now() + 60_000) };
      const s2 = { ...s1, id: uniqueId('s2'), codeVerifier: 'v2' };
      await store.saveState(s1, { keep: 10 });
      await store.saveState(s2, { keep: 10 });
      raw
        .prepare('UPDATE oauth_states SET code_verifier_enc = (SELECT code_verifier_enc FROM oauth_states WHERE id = ?) WHERE id = ?')
        .run(s1.id, s2.id);
      await expect(store.consumeState(s2.id)).rejects.toBeInstanceOf(TokenDecryptionError);
    } finally {
      raw.close();
    }
  });

  it('updateTokens rewrites both tokens under the newest key', async () => {
    const filename = join(dir, 'rotate.sqlite');
    const user = uniqueId('rotate');
    const saved = await (await open(filename, testCipher(KEY_A))).save(newConnection(user));
    const rotated = await open(filename, testCipher(KEY_B, KEY_A));
    const keyIds = (): string[] => {
      const raw = new Database(filename, { readonly: true });
      try {
        const row = raw.prepare('SELECT access_token_enc, refresh_token_enc FROM imanage_connections WHERE app_user_id = ?').get(user) as Record<string, string>;
        return Object.values(row).map((envelope) => envelope.split('.')[1]!);
      } finally {
        raw.close();
      }
    };
    expect(keyIds()).toEqual(['key-a', 'key-a']);
    await rotated.updateTokens(user, saved.version, { accessToken: 'a', accessTokenExpiresAt: new Date(), refreshToken: 'r' });
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
    const first = a.withRefreshLock(user, async () => {
      events.push('a:start');
      entered.resolve();
      await release.promise;
      events.push('a:end');
    });
    await entered.promise;
    const second = b.withRefreshLock(user, async () => {
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
    await a.save(newConnection('same-user'));
    expect(await b.get('same-user')).toBeNull();
    const release = deferred();
    const held = a.withRefreshLock('same-user', () => release.promise);
    try {
      await within(b.withRefreshLock('same-user', async () => {}), 10_000, 'a lock on another in-memory database');
    } finally {
      release.resolve();
    }
    await held;
  });

  it('close is idempotent', async () => {
    const store = new SqliteTokenStore({ filename: ':memory:', cipher: testCipher() });
    await store.migrate();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.close()).resolves.toBeUndefined();
    // ...and the store stays closed.
    await expect(store.get('anyone')).rejects.toThrow(/not open/);
  });
});
