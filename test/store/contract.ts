import { MIGRATIONS } from '../../src/auth/store/migrations.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenDecryptionError, type TokenCipher } from '../../src/auth/store/crypto.js';
import type { TokenStore } from '../../src/auth/store/types.js';
import {
  KEY_A,
  KEY_B,
  TestClock,
  chanceToInterleave,
  deferred,
  newConnection,
  secretToken,
  testCipher,
  uniqueId,
  within,
  closeAll,
} from './helpers.js';

/** One database per test file, shared by its tests (each uses its own user ids). */
export interface StoreHarness {
  /** A new store instance on this file's database, already migrated. Closed after each test. */
  open(options?: { cipher?: TokenCipher; now?: () => number }): Promise<TokenStore>;
  /** Versions recorded in `schema_migrations`, read with raw SQL. */
  appliedMigrations(): Promise<number[]>;
  /** Drops what `setup` created. */
  teardown(): Promise<void>;
}

/**
 * The behaviour every `TokenStore` must have, run against each implementation. Implementation
 * details (raw bytes, raw rows, locks across processes or pools) are tested in each store's own file.
 */
export function describeTokenStoreContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`TokenStore contract: ${name}`, () => {
    let harness: StoreHarness;
    const opened: TokenStore[] = [];
    const open = async (options?: { cipher?: TokenCipher; now?: () => number }): Promise<TokenStore> => {
      const store = await harness.open(options);
      opened.push(store);
      return store;
    };

    beforeAll(async () => {
      harness = await setup();
    });
    afterEach(async () => {
      await closeAll(opened);
      vi.restoreAllMocks();
    });
    afterAll(async () => {
      await harness?.teardown();
    });

    describe('migrations', () => {
      it('running migrate again is a no-op that keeps the data', async () => {
        const store = await open();
        const user = uniqueId('migrate');
        await store.save(newConnection(user));
        await store.migrate();
        await Promise.all([store.migrate(), store.migrate()]);
        expect(await harness.appliedMigrations()).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await store.get(user)).not.toBeNull();
      });

      it('answers ping', async () => {
        const store = await open();
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('connections', () => {
      it('round-trips a connection, encrypting nothing it shows', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const user = uniqueId('user');
        const input = newConnection(user, { scopes: ['user', 'admin'] });
        const saved = await store.save(input);
        const expected = {
          ...input,
          status: 'connected',
          version: 1,
          createdAt: new Date(clock.t),
          updatedAt: new Date(clock.t),
        };
        expect(saved).toEqual(expected);
        expect(await store.get(user)).toEqual(expected);
        expect(await store.get(uniqueId('nobody'))).toBeNull();
      });

      it('keeps a null refresh token, a null preferred library and empty scopes', async () => {
        const store = await open();
        const user = uniqueId('user');
        const input = newConnection(user, { refreshToken: null, preferredLibrary: null, scopes: [] });
        await store.save(input);
        const got = await store.get(user);
        expect(got).toMatchObject({ refreshToken: null, preferredLibrary: null, scopes: [] });
        expect(got?.accessToken).toBe(input.accessToken);
      });

      it('keeps ids and tokens with unusual characters intact', async () => {
        const store = await open();
        const user = `user:with:colons/ünïcödé ${uniqueId('x')}`;
        const input = newConnection(user, { accessToken: 'tök€n with spaces\nand "quotes"', refreshToken: '🔑' });
        await store.save(input);
        expect(await store.get(user)).toMatchObject({ appUserId: user, accessToken: input.accessToken, refreshToken: '🔑' });
      });

      it('a reconnect replaces the connection, keeps createdAt and continues the version', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const user = uniqueId('user');
        const first = await store.save(newConnection(user));
        clock.advance(1000);
        await store.markReauthRequired(user, first.version);
        clock.advance(1000);
        const again = newConnection(user, { imanageUserId: 'JDOE', customerId: '7', scopes: ['admin'] });
        const second = await store.save(again);
        expect(second).toEqual({
          ...again,
          status: 'connected',
          version: 3,
          createdAt: first.createdAt,
          updatedAt: new Date(clock.t),
        });
        expect(await store.get(user)).toEqual(second);
      });

      it('updateTokens is a compare-and-set on the version', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const user = uniqueId('user');
        const saved = await store.save(newConnection(user, { scopes: ['user'] }));

        clock.advance(5000);
        const fresh = { accessToken: secretToken('a2'), accessTokenExpiresAt: new Date('2030-01-01T02:00:00Z'), refreshToken: secretToken('r2') };
        const updated = await store.updateTokens(user, saved.version, fresh);
        expect(updated).toEqual({ ...saved, ...fresh, version: saved.version + 1, updatedAt: new Date(clock.t) });

        // A second refresher still holding the old version loses, and writes nothing.
        const stale = { accessToken: secretToken('stale'), accessTokenExpiresAt: new Date('2030-01-01T03:00:00Z'), refreshToken: null };
        expect(await store.updateTokens(user, saved.version, stale)).toBeNull();
        expect(await store.get(user)).toEqual(updated);

        // Scopes: left out keeps them, given replaces them. refreshToken null clears it.
        const third = await store.updateTokens(user, updated!.version, { ...fresh, refreshToken: null, scopes: ['user', 'admin'] });
        expect(third).toMatchObject({ version: saved.version + 2, scopes: ['user', 'admin'], refreshToken: null });
        expect(await store.get(user)).toEqual(third);

        expect(await store.updateTokens(uniqueId('nobody'), 1, fresh)).toBeNull();
      });

      it('markReauthRequired is a compare-and-set, keeps the tokens, and a reconnect clears it', async () => {
        const store = await open();
        const user = uniqueId('user');
        const saved = await store.save(newConnection(user));
        const marked = await store.markReauthRequired(user, saved.version);
        expect(marked).toEqual({ ...saved, status: 'reauth_required', version: saved.version + 1, updatedAt: marked!.updatedAt });
        expect(await store.get(user)).toEqual(marked);

        // Stale versions lose: neither a second mark nor a late refresher can write.
        expect(await store.markReauthRequired(user, saved.version)).toBeNull();
        const late = { accessToken: secretToken('late'), accessTokenExpiresAt: new Date(), refreshToken: null };
        expect(await store.updateTokens(user, saved.version, late)).toBeNull();
        expect((await store.get(user))?.status).toBe('reauth_required');

        const reconnected = await store.save(newConnection(user));
        expect(reconnected).toMatchObject({ status: 'connected', version: saved.version + 2 });
        expect(await store.markReauthRequired(uniqueId('nobody'), 1)).toBeNull();
      });

      it('deletes a connection once', async () => {
        const store = await open();
        const user = uniqueId('user');
        const saved = await store.save(newConnection(user));
        expect(await store.delete(user)).toBe(true);
        expect(await store.get(user)).toBeNull();
        expect(await store.delete(user)).toBe(false);
        expect(await store.updateTokens(user, saved.version, { accessToken: 'x', accessTokenExpiresAt: new Date(), refreshToken: null })).toBeNull();
        expect(await store.markReauthRequired(user, saved.version)).toBeNull();
        expect((await store.save(newConnection(user))).version).toBe(1);
      });

      it('refuses malformed input without echoing values', async () => {
        const store = await open();
        const token = secretToken('bad-input');
        const invalid = [
          newConnection('', { accessToken: token }),
          newConnection(uniqueId('u'), { accessToken: '' }),
          newConnection(uniqueId('u'), { accessToken: token, accessTokenExpiresAt: new Date('nope') }),
        ];
        for (const connection of invalid) {
          const error = await store.save(connection).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(TypeError);
          expect(String(error)).not.toContain(token);
        }
      });
    });

    describe('encryption through the store', () => {
      it('reads rows written with an older key and re-encrypts them on updateTokens (key rotation)', async () => {
        const user = uniqueId('rotate');
        const oldStore = await open({ cipher: testCipher(KEY_A) });
        const saved = await oldStore.save(newConnection(user));

        const newOnly = await open({ cipher: testCipher(KEY_B) });
        await expect(newOnly.get(user)).rejects.toBeInstanceOf(TokenDecryptionError);

        const rotated = await open({ cipher: testCipher(KEY_B, KEY_A) });
        const read = await rotated.get(user);
        expect(read).toEqual(saved);
        const update = { accessToken: secretToken('a'), accessTokenExpiresAt: new Date('2030-02-01T00:00:00Z'), refreshToken: secretToken('r') };
        await rotated.updateTokens(user, saved.version, update);

        // Only the new key is needed now: both tokens were rewritten with it.
        expect(await newOnly.get(user)).toMatchObject(update);
      });

      it('surfaces an undecryptable row as a TokenDecryptionError that names no secret', async () => {
        const user = uniqueId('wrong-key');
        const connection = newConnection(user);
        await (await open({ cipher: testCipher(KEY_A) })).save(connection);
        const other = await open({ cipher: testCipher(KEY_B) });
        const error = await other.get(user).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TokenDecryptionError);
        const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
        expect(shown).not.toContain(connection.accessToken);
        expect(shown).not.toContain(connection.refreshToken!);
        expect(shown).not.toContain(KEY_A.key.toString('base64'));
        expect(shown).not.toContain(KEY_B.key.toString('base64'));
      });
    });

    describe('refresh lock', () => {
      it('runs two callers for the same user one after the other', async () => {
        const store = await open();
        const user = uniqueId('lock');
        const events: string[] = [];
        const firstEntered = deferred();
        const releaseFirst = deferred();
        const first = store.withRefreshLock(user, async () => {
          events.push('first:start');
          firstEntered.resolve();
          await releaseFirst.promise;
          events.push('first:end');
          return 'first';
        });
        await firstEntered.promise;
        const second = store.withRefreshLock(user, async () => {
          events.push('second:start');
          events.push('second:end');
          return 'second';
        });
        try {
          await chanceToInterleave();
          expect(events).toEqual(['first:start']);
        } finally {
          releaseFirst.resolve();
        }
        expect(await within(Promise.all([first, second]), 10_000, 'the two lock holders')).toEqual(['first', 'second']);
        expect(events).toEqual(['first:start', 'first:end', 'second:start', 'second:end']);
      });

      it('runs callers for different users in parallel', async () => {
        const store = await open();
        const releaseFirst = deferred();
        const first = store.withRefreshLock(uniqueId('lock'), async () => {
          await releaseFirst.promise;
          return 1;
        });
        try {
          // Completes while the first user's lock is still held: it would deadlock if users shared a lock.
          const second = await within(
            store.withRefreshLock(uniqueId('lock'), async () => 2),
            10_000,
            'a second user waiting behind the first',
          );
          expect(second).toBe(2);
        } finally {
          releaseFirst.resolve();
        }
        expect(await first).toBe(1);
      });

      it('releases the lock when fn throws, and lets fn read and write the store', async () => {
        const store = await open();
        const user = uniqueId('lock');
        const saved = await store.save(newConnection(user));
        await expect(
          store.withRefreshLock(user, async () => {
            throw new Error('refresh failed');
          }),
        ).rejects.toThrow('refresh failed');
        const result = await within(
          store.withRefreshLock(user, async () => {
            const current = await store.get(user);
            return store.updateTokens(user, current!.version, { accessToken: 'next', accessTokenExpiresAt: new Date('2030-03-01T00:00:00Z'), refreshToken: null });
          }),
          10_000,
          'the lock after a failed holder',
        );
        expect(result).toMatchObject({ accessToken: 'next', version: saved.version + 1 });
      });
    });

    describe('OAuth state', () => {
      it('is consumed once, with its code verifier', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const state = {
          id: uniqueId('state'),
          appUserId: uniqueId('user'),
          codeVerifier: secretToken('verifier'),
          returnTo: 'https://app.example/settings?tab=imanage',
          expiresAt: new Date(clock.t + 600_000),
        };
        await store.saveState(state);
        expect(await store.consumeState(state.id)).toEqual(state);
        expect(await store.consumeState(state.id)).toBeNull();
        expect(await store.consumeState(uniqueId('never-saved'))).toBeNull();
      });

      it('returns null for an expired state, and does not let it come back', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const expired = { id: uniqueId('state'), appUserId: 'u', codeVerifier: 'v', returnTo: '/', expiresAt: new Date(clock.t - 1) };
        await store.saveState(expired);
        expect(await store.consumeState(expired.id)).toBeNull();

        const live = { ...expired, id: uniqueId('state'), expiresAt: new Date(clock.t + 60_000) };
        await store.saveState(live);
        clock.advance(60_000); // expiresAt is exclusive
        expect(await store.consumeState(live.id)).toBeNull();
        clock.t -= 120_000;
        expect(await store.consumeState(live.id)).toBeNull();
      });

      it('refuses to save the same state id twice', async () => {
        const store = await open();
        const state = { id: uniqueId('state'), appUserId: 'u', codeVerifier: 'v', returnTo: '/', expiresAt: new Date(Date.now() + 60_000) };
        await store.saveState(state);
        await expect(store.saveState({ ...state, codeVerifier: 'other' })).rejects.toThrow();
        expect((await store.consumeState(state.id))?.codeVerifier).toBe('v');
      });

      it('gives exactly one of two concurrent consumers the state', async () => {
        const store = await open();
        const state = { id: uniqueId('state'), appUserId: 'u', codeVerifier: 'v', returnTo: '/', expiresAt: new Date(Date.now() + 60_000) };
        await store.saveState(state);
        const results = await Promise.all([store.consumeState(state.id), store.consumeState(state.id)]);
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe('idempotency keys', () => {
      it('claims once, then returns the pending and then the completed record', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        expect(await store.claimIdempotencyKey({ appUserId, key, requestHash: 'h1', ttlSeconds: 3600 })).toEqual({ claimed: true });

        const pending = await store.claimIdempotencyKey({ appUserId, key, requestHash: 'h2', ttlSeconds: 3600 });
        expect(pending).toEqual({
          claimed: false,
          existing: {
            appUserId,
            key,
            requestHash: 'h1',
            status: 'pending',
            response: null,
            createdAt: new Date(clock.t),
            expiresAt: new Date(clock.t + 3_600_000),
          },
        });

        await store.completeIdempotencyKey(appUserId, key, '{"folder":{"id":"ACTIVE_US!1"}}');
        await store.releaseIdempotencyKey(appUserId, key); // a completed key stays
        const done = await store.claimIdempotencyKey({ appUserId, key, requestHash: 'h1', ttlSeconds: 3600 });
        expect(done).toMatchObject({ claimed: false, existing: { status: 'done', response: '{"folder":{"id":"ACTIVE_US!1"}}' } });
      });

      it('release frees a pending key for a retry', async () => {
        const store = await open();
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        await store.claimIdempotencyKey({ appUserId, key, requestHash: 'h', ttlSeconds: 60 });
        await store.releaseIdempotencyKey(appUserId, key);
        expect(await store.claimIdempotencyKey({ appUserId, key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });
      });

      it('treats expired keys as absent', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        await store.claimIdempotencyKey({ appUserId, key, requestHash: 'old', ttlSeconds: 60 });
        await store.completeIdempotencyKey(appUserId, key, 'old response');
        clock.advance(60_000);
        expect(await store.claimIdempotencyKey({ appUserId, key, requestHash: 'new', ttlSeconds: 60 })).toEqual({ claimed: true });
        const existing = await store.claimIdempotencyKey({ appUserId, key, requestHash: 'x', ttlSeconds: 60 });
        expect(existing).toMatchObject({ claimed: false, existing: { requestHash: 'new', status: 'pending', response: null } });
      });

      it('scopes keys to the user, and lets exactly one of concurrent claims win', async () => {
        const store = await open();
        const key = uniqueId('key');
        const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
        expect(await store.claimIdempotencyKey({ appUserId: alice, key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });
        expect(await store.claimIdempotencyKey({ appUserId: bob, key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });

        const contested = uniqueId('key');
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.claimIdempotencyKey({ appUserId: alice, key: contested, requestHash: 'h', ttlSeconds: 60 })),
        );
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
      });

      it('complete on a missing key does nothing, and a bad ttl is refused', async () => {
        const store = await open();
        await expect(store.completeIdempotencyKey(uniqueId('u'), uniqueId('k'), 'r')).resolves.toBeUndefined();
        await expect(store.releaseIdempotencyKey(uniqueId('u'), uniqueId('k'))).resolves.toBeUndefined();
        for (const ttlSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(store.claimIdempotencyKey({ appUserId: 'u', key: 'k', requestHash: 'h', ttlSeconds })).rejects.toBeInstanceOf(RangeError);
        }
      });
    });

    it('never writes to the console', async () => {
      const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
        vi.spyOn(console, method).mockImplementation(() => {}),
      );
      const store = await open();
      const user = uniqueId('quiet');
      const saved = await store.save(newConnection(user));
      await store.updateTokens(user, saved.version, { accessToken: 'a', accessTokenExpiresAt: new Date(), refreshToken: null });
      await store.updateTokens(user, saved.version, { accessToken: 'b', accessTokenExpiresAt: new Date(), refreshToken: null });
      await (await open({ cipher: testCipher(KEY_B) })).get(user).catch(() => {});
      await store.withRefreshLock(user, async () => store.get(user));
      await store.delete(user);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });
  });
}
