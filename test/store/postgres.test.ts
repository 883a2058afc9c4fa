import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDecryptionError } from '../../src/auth/store/crypto.js';
import { MIGRATIONS } from '../../src/auth/store/migrations.js';
import { openPostgresStore, type TokenStore } from '../../src/auth/store/index.js';
import { advisoryKey } from '../../src/auth/store/postgres.js';
import { describeTokenStoreContract } from './contract.js';
import { expectFixtureRows } from './fixtures/v3.js';
import {
  KEY_A,
  KEY_B,
  POSTGRES_URL,
  closeAll,
  deferred,
  dropSchema,
  newConnection,
  postgresAvailable,
  secretToken,
  testCipher,
  testSchemaName,
  uniqueId,
  within,
} from './helpers.js';

// Outside CI a developer without PostgreSQL gets these tests skipped, by name; CI always runs them.
const available = await postgresAvailable();
const describePostgres = available ? describe : describe.skip;
if (!available) describe.skip(`PostgreSQL unreachable at ${POSTGRES_URL}: PostgreSQL token store tests skipped`, () => {});

async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

if (available) {
  describeTokenStoreContract('PostgreSQL', async () => {
    const schema = testSchemaName('contract');
    return {
      async open(options = {}) {
        const store = openPostgresStore({
          connectionString: POSTGRES_URL,
          schema,
          cipher: options.cipher ?? testCipher(),
          poolSize: 4,
          lockPoolSize: 2,
          ...(options.now ? { now: options.now } : {}),
        });
        await store.migrate();
        return store;
      },
      async appliedMigrations() {
        const rows = await query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
        return rows.map((row) => row.version);
      },
      async rawText() {
        const rows = await Promise.all(['pending_links', 'connect_tickets', 'oauth_states'].map((table) => query(`SELECT * FROM "${schema}".${table}`)));
        return JSON.stringify(rows.flat());
      },
      async copyLinkTokens(fromId, toId) {
        await query(
          `UPDATE "${schema}".pending_links SET (access_token_enc, refresh_token_enc) = (SELECT access_token_enc, refresh_token_enc FROM "${schema}".pending_links WHERE id = $1) WHERE id = $2`,
          [fromId, toId],
        );
      },
      async teardown() {
        await dropSchema(schema);
      },
    };
  });
}

describePostgres('PostgreSQL token store', () => {
  const schema = testSchemaName('pg');
  const stores: TokenStore[] = [];
  const open = async (options: { cipher?: ReturnType<typeof testCipher>; schema?: string; lockPoolSize?: number } = {}): Promise<TokenStore> => {
    const store = openPostgresStore({
      connectionString: POSTGRES_URL,
      schema: options.schema ?? schema,
      cipher: options.cipher ?? testCipher(),
      poolSize: 4,
      lockPoolSize: options.lockPoolSize ?? 2,
    });
    stores.push(store);
    await store.migrate();
    return store;
  };
  const extraSchemas: string[] = [];

  beforeAll(async () => {
    await open(); // creates the schema
  });
  afterAll(async () => {
    await closeAll(stores);
    for (const name of [schema, ...extraSchemas]) await dropSchema(name);
  });

  it("migration 3 keeps each idempotency key for its user's current iManage account, and drops keys of users without one", async () => {
    const fresh = testSchemaName('upgrade');
    extraSchemas.push(fresh);
    const table = (name: string) => `"${fresh}"."${name}"`;
    await query(`CREATE SCHEMA "${fresh}"`);
    await query(`CREATE TABLE ${table('schema_migrations')} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const migration of MIGRATIONS.filter((m) => m.version < 3)) {
      await query(migration.postgres(table));
      await query(`INSERT INTO ${table('schema_migrations')} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
    await query(
      `INSERT INTO ${table('imanage_connections')} VALUES ('alice', 'AKUMAR', '5948', NULL, 'h', 'a', '{}', 'x', now(), NULL, 'connected', 1, now(), now())`,
    );
    for (const user of ['alice', 'bob']) {
      await query(`INSERT INTO ${table('idempotency_keys')} VALUES ($1, 'k1', 'hash', 'done', 'r', now(), now() + interval '1 minute')`, [user]);
    }

    const store = await open({ schema: fresh });
    const claim = (appUserId: string, imanageUserId: string) =>
      store.idempotencyKeys.claimIdempotencyKey({ appUserId, customerId: '5948', imanageUserId, key: 'k1', requestHash: 'hash', ttlSeconds: 60 });
    expect(await claim('alice', 'AKUMAR')).toMatchObject({ claimed: false, existing: { response: 'r', imanageUserId: 'AKUMAR' } });
    expect(await claim('bob', 'AKUMAR')).toEqual({ claimed: true });
  });

  it('two instances migrating a new schema at once apply each migration once', async () => {
    const fresh = testSchemaName('race');
    extraSchemas.push(fresh);
    const make = (): TokenStore => {
      const store = openPostgresStore({ connectionString: POSTGRES_URL, schema: fresh, cipher: testCipher(), poolSize: 2, lockPoolSize: 1 });
      stores.push(store);
      return store;
    };
    const [a, b, c] = [make(), make(), make()];
    await Promise.all([a.migrate(), b.migrate(), c.migrate()]);
    const rows = await query<{ version: number; name: string; applied_at: Date }>(`SELECT * FROM "${fresh}".schema_migrations ORDER BY version`);
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: expect.any(Date) })));
    await a.connections.save(newConnection('u1'));
    expect(await c.connections.get('u1')).not.toBeNull();
  });

  it('never stores a token or code verifier in clear (SELECT * of every table)', async () => {
    const store = await open();
    const secrets: string[] = [];
    const marker = `JSMITH-${uniqueId('marker')}`;
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
    const dump = JSON.stringify(
      await Promise.all(
        ['imanage_connections', 'oauth_states', 'idempotency_keys', 'schema_migrations'].map((table) => query(`SELECT * FROM "${schema}".${table}`)),
      ),
    );
    expect(dump).toContain(marker);
    for (const secret of secrets) expect(dump.includes(secret), 'a token in clear').toBe(false);
  });

  it('a token copied into another user row or column fails to decrypt, as a typed error', async () => {
    const store = await open();
    const alice = newConnection(uniqueId('alice'));
    const bob = newConnection(uniqueId('bob'));
    await store.connections.save(alice);
    await store.connections.save(bob);
    // Read both first: whatever a store might keep of a read must not let a moved envelope through.
    expect(await store.connections.get(alice.appUserId)).toMatchObject({ refreshToken: alice.refreshToken });
    expect(await store.connections.get(bob.appUserId)).toMatchObject({ refreshToken: bob.refreshToken });
    const table = `"${schema}".imanage_connections`;
    await query(`UPDATE ${table} SET refresh_token_enc = (SELECT refresh_token_enc FROM ${table} WHERE app_user_id = $1) WHERE app_user_id = $2`, [
      alice.appUserId,
      bob.appUserId,
    ]);
    const error = await store.connections.get(bob.appUserId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenDecryptionError);
    expect(String(error)).not.toContain(alice.refreshToken!);
    expect(await store.connections.get(alice.appUserId)).toMatchObject({ refreshToken: alice.refreshToken });

    await query(`UPDATE ${table} SET access_token_enc = refresh_token_enc WHERE app_user_id = $1`, [alice.appUserId]);
    await expect(store.connections.get(alice.appUserId)).rejects.toBeInstanceOf(TokenDecryptionError);
  });

  it('updateTokens rewrites both tokens under the newest key', async () => {
    const user = uniqueId('rotate');
    const saved = await (await open({ cipher: testCipher(KEY_A) })).connections.save(newConnection(user));
    const keyIds = async (): Promise<string[]> => {
      const [row] = await query<{ a: string; r: string }>(
        `SELECT access_token_enc a, refresh_token_enc r FROM "${schema}".imanage_connections WHERE app_user_id = $1`,
        [user],
      );
      return [row!.a, row!.r].map((envelope) => envelope.split('.')[1]!);
    };
    expect(await keyIds()).toEqual(['key-a', 'key-a']);
    await (
      await open({ cipher: testCipher(KEY_B, KEY_A) })
    ).connections.updateTokens(user, saved.version, { accessToken: 'a', accessTokenExpiresAt: new Date(), refreshToken: 'r' });
    expect(await keyIds()).toEqual(['key-b', 'key-b']);
  });

  describe('refresh lock across instances (two pools, one schema)', () => {
    /** Waits until some session is blocked on this user's advisory lock: proof that it is waiting in the database. */
    const waitForBlockedLocker = async (appUserId: string): Promise<void> => {
      const key = BigInt(advisoryKey('refresh', schema, appUserId));
      const unsigned = BigInt.asUintN(64, key);
      const classid = Number(unsigned >> 32n);
      const objid = Number(unsigned & 0xffffffffn);
      for (;;) {
        const rows = await query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2 AND objsubid = 1`, [
          classid,
          objid,
        ]);
        if (rows.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('runs same-user holders on different instances one after the other', async () => {
      const [a, b] = [await open(), await open()];
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
        await within(waitForBlockedLocker(user), 10_000, 'instance b blocking on the advisory lock');
        expect(events).toEqual(['a:start']);
      } finally {
        release.resolve();
      }
      await within(Promise.all([first, second]), 10_000, 'lock holders');
      expect(events).toEqual(['a:start', 'a:end', 'b:start']);
    });

    it('runs different users on different instances in parallel', async () => {
      const [a, b] = [await open(), await open()];
      const release = deferred();
      const held = a.connections.withRefreshLock(uniqueId('lock'), () => release.promise);
      try {
        await expect(
          within(
            b.connections.withRefreshLock(uniqueId('lock'), async () => 'ran'),
            10_000,
            'another user on another instance',
          ),
        ).resolves.toBe('ran');
      } finally {
        release.resolve();
      }
      await held;
    });

    it('does not starve: more concurrent users than lock connections, each holder querying the store', async () => {
      const store = await open({ lockPoolSize: 1 });
      const users = Array.from({ length: 6 }, () => uniqueId('many'));
      for (const user of users) await store.connections.save(newConnection(user));
      const results = await within(
        Promise.all(users.map((user) => store.connections.withRefreshLock(user, async () => (await store.connections.get(user))?.appUserId))),
        15_000,
        'six refreshes through one lock connection',
      );
      expect(results).toEqual(users);
    });

    it('lets another instance in when a holder fails', async () => {
      const [a, b] = [await open(), await open()];
      const user = uniqueId('lock');
      await expect(a.connections.withRefreshLock(user, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(
        await within(
          b.connections.withRefreshLock(user, async () => 'ok'),
          10_000,
          'the lock after a failure',
        ),
      ).toBe('ok');
    });
  });

  it('reads what another instance, or an operator with plain SQL, has just written', async () => {
    const cipher = testCipher();
    const [a, b] = [await open({ cipher }), await open({ cipher })];
    const user = uniqueId('instances');
    expect(await a.connections.get(user)).toBeNull();
    const saved = await b.connections.save(newConnection(user));
    expect((await a.connections.get(user))?.version).toBe(saved.version);
    const refreshed = await b.connections.updateTokens(user, saved.version, {
      accessToken: secretToken('new'),
      accessTokenExpiresAt: new Date(Date.now() + 3600_000),
      refreshToken: null,
    });
    expect((await a.connections.get(user))?.accessToken).toBe(refreshed!.accessToken);
    await b.connections.markReauthRequired(user, refreshed!.version);
    expect((await a.connections.get(user))?.status).toBe('reauth_required');
    await query(`UPDATE "${schema}".imanage_connections SET status = 'connected', version = version + 1 WHERE app_user_id = $1`, [user]);
    expect(await a.connections.get(user)).toMatchObject({ status: 'connected', version: refreshed!.version + 2 });
    await b.connections.delete(user);
    expect(await a.connections.get(user)).toBeNull();
  });

  it('opens a schema written before Kysely (version 3) with every row readable, and drops its notify trigger', async () => {
    const fresh = testSchemaName('v3');
    extraSchemas.push(fresh);
    const dump = await readFile(fileURLToPath(new URL('./fixtures/v3.postgres.sql', import.meta.url)), 'utf8');
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(dump.replaceAll('token_store_v3_fixture', fresh));
    } finally {
      await client.end();
    }
    const store = openPostgresStore({
      connectionString: POSTGRES_URL,
      schema: fresh,
      cipher: testCipher(KEY_A),
      poolSize: 2,
      lockPoolSize: 1,
      now: () => Date.parse('2027-01-01T00:00:00.000Z'),
    });
    stores.push(store);
    await store.migrate();
    await expectFixtureRows(store);
    expect((await query<{ version: number }>(`SELECT version FROM "${fresh}".schema_migrations ORDER BY version`)).map((r) => r.version)).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    expect(
      await query(
        `SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
        [fresh],
      ),
    ).toEqual([]);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    for (const bad of ['Public', 'a-b', 'a;drop', '1abc', '']) {
      expect(() => openPostgresStore({ connectionString: POSTGRES_URL, schema: bad, cipher: testCipher() })).toThrow(/schema/);
    }
  });
});
