import { MIGRATIONS } from '../../src/auth/store/migrations.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenDecryptionError, type TokenCipher } from '../../src/auth/store/crypto.js';
import type { IdempotencyScope, NewAuditEvent, PendingLink, TokenStore } from '../../src/auth/store/types.js';
import { KEY_A, KEY_B, TestClock, chanceToInterleave, deferred, newConnection, secretToken, testCipher, uniqueId, within, closeAll } from './helpers.js';

/** Room enough that no test's rows are dropped by the per-user cap unless it means to. */
const KEEP = { keep: 100 };

const scope = (appUserId: string, imanageUserId = 'JSMITH', customerId = '5948'): IdempotencyScope => ({ appUserId, customerId, imanageUserId });

/** One database per test file, shared by its tests (each uses its own user ids). */
export interface StoreHarness {
  /** A new store instance on this file's database, already migrated. Closed after each test. */
  open(options?: { cipher?: TokenCipher; now?: () => number }): Promise<TokenStore>;
  /** Versions recorded in `schema_migrations`, read with raw SQL. */
  appliedMigrations(): Promise<number[]>;
  /** Every text value of the connect flow's tables, joined: what someone reading the database sees. */
  rawText(): Promise<string>;
  /** Copies one pending link's encrypted tokens over another's, with raw SQL. */
  copyLinkTokens(fromId: string, toId: string): Promise<void>;
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
        await store.connections.save(newConnection(user));
        await store.migrate();
        await Promise.all([store.migrate(), store.migrate()]);
        expect(await harness.appliedMigrations()).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await store.connections.get(user)).not.toBeNull();
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
        const saved = await store.connections.save(input);
        const expected = {
          ...input,
          status: 'connected',
          version: 1,
          createdAt: new Date(clock.t),
          updatedAt: new Date(clock.t),
        };
        expect(saved).toEqual(expected);
        expect(await store.connections.get(user)).toEqual(expected);
        expect(await store.connections.get(uniqueId('nobody'))).toBeNull();
      });

      it('keeps a null refresh token, a null preferred library and empty scopes', async () => {
        const store = await open();
        const user = uniqueId('user');
        const input = newConnection(user, { refreshToken: null, preferredLibrary: null, scopes: [] });
        await store.connections.save(input);
        const got = await store.connections.get(user);
        expect(got).toMatchObject({ refreshToken: null, preferredLibrary: null, scopes: [] });
        expect(got?.accessToken).toBe(input.accessToken);
      });

      it('keeps ids and tokens with unusual characters intact', async () => {
        const store = await open();
        const user = `user:with:colons/ünïcödé ${uniqueId('x')}`;
        const input = newConnection(user, { accessToken: 'tök€n with spaces\nand "quotes"', refreshToken: '🔑' });
        await store.connections.save(input);
        expect(await store.connections.get(user)).toMatchObject({ appUserId: user, accessToken: input.accessToken, refreshToken: '🔑' });
      });

      it('a reconnect replaces the connection, keeps createdAt and continues the version', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const user = uniqueId('user');
        const first = await store.connections.save(newConnection(user));
        clock.advance(1000);
        await store.connections.markReauthRequired(user, first.version);
        clock.advance(1000);
        const again = newConnection(user, { imanageUserId: 'JDOE', customerId: '7', scopes: ['admin'] });
        const second = await store.connections.save(again);
        expect(second).toEqual({
          ...again,
          status: 'connected',
          version: 3,
          createdAt: first.createdAt,
          updatedAt: new Date(clock.t),
        });
        expect(await store.connections.get(user)).toEqual(second);
      });

      it('updateTokens is a compare-and-set on the version', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const user = uniqueId('user');
        const saved = await store.connections.save(newConnection(user, { scopes: ['user'] }));

        clock.advance(5000);
        const fresh = { accessToken: secretToken('a2'), accessTokenExpiresAt: new Date('2030-01-01T02:00:00Z'), refreshToken: secretToken('r2') };
        const updated = await store.connections.updateTokens(user, saved.version, fresh);
        expect(updated).toEqual({ ...saved, ...fresh, version: saved.version + 1, updatedAt: new Date(clock.t) });

        // A second refresher still holding the old version loses, and writes nothing.
        const stale = { accessToken: secretToken('stale'), accessTokenExpiresAt: new Date('2030-01-01T03:00:00Z'), refreshToken: null };
        expect(await store.connections.updateTokens(user, saved.version, stale)).toBeNull();
        expect(await store.connections.get(user)).toEqual(updated);

        // Scopes: left out keeps them, given replaces them. refreshToken null clears it.
        const third = await store.connections.updateTokens(user, updated!.version, { ...fresh, refreshToken: null, scopes: ['user', 'admin'] });
        expect(third).toMatchObject({ version: saved.version + 2, scopes: ['user', 'admin'], refreshToken: null });
        expect(await store.connections.get(user)).toEqual(third);

        expect(await store.connections.updateTokens(uniqueId('nobody'), 1, fresh)).toBeNull();
      });

      it('markReauthRequired is a compare-and-set, keeps the tokens, and a reconnect clears it', async () => {
        const store = await open();
        const user = uniqueId('user');
        const saved = await store.connections.save(newConnection(user));
        const marked = await store.connections.markReauthRequired(user, saved.version);
        expect(marked).toEqual({ ...saved, status: 'reauth_required', version: saved.version + 1, updatedAt: marked!.updatedAt });
        expect(await store.connections.get(user)).toEqual(marked);

        // Stale versions lose: neither a second mark nor a late refresher can write.
        expect(await store.connections.markReauthRequired(user, saved.version)).toBeNull();
        const late = { accessToken: secretToken('late'), accessTokenExpiresAt: new Date(), refreshToken: null };
        expect(await store.connections.updateTokens(user, saved.version, late)).toBeNull();
        expect((await store.connections.get(user))?.status).toBe('reauth_required');

        const reconnected = await store.connections.save(newConnection(user));
        expect(reconnected).toMatchObject({ status: 'connected', version: saved.version + 2 });
        expect(await store.connections.markReauthRequired(uniqueId('nobody'), 1)).toBeNull();
      });

      it('deletes a connection once', async () => {
        const store = await open();
        const user = uniqueId('user');
        const saved = await store.connections.save(newConnection(user));
        expect(await store.connections.delete(user)).toBe(true);
        expect(await store.connections.get(user)).toBeNull();
        expect(await store.connections.delete(user)).toBe(false);
        expect(
          await store.connections.updateTokens(user, saved.version, { accessToken: 'x', accessTokenExpiresAt: new Date(), refreshToken: null }),
        ).toBeNull();
        expect(await store.connections.markReauthRequired(user, saved.version)).toBeNull();
        expect((await store.connections.save(newConnection(user))).version).toBe(1);
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
          const error = await store.connections.save(connection).then(
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
        const saved = await oldStore.connections.save(newConnection(user));

        const newOnly = await open({ cipher: testCipher(KEY_B) });
        await expect(newOnly.connections.get(user)).rejects.toBeInstanceOf(TokenDecryptionError);

        const rotated = await open({ cipher: testCipher(KEY_B, KEY_A) });
        const read = await rotated.connections.get(user);
        expect(read).toEqual(saved);
        const update = { accessToken: secretToken('a'), accessTokenExpiresAt: new Date('2030-02-01T00:00:00Z'), refreshToken: secretToken('r') };
        await rotated.connections.updateTokens(user, saved.version, update);

        // Only the new key is needed now: both tokens were rewritten with it.
        expect(await newOnly.connections.get(user)).toMatchObject(update);
      });

      it('surfaces an undecryptable row as a TokenDecryptionError that names no secret', async () => {
        const user = uniqueId('wrong-key');
        const connection = newConnection(user);
        await (await open({ cipher: testCipher(KEY_A) })).connections.save(connection);
        const other = await open({ cipher: testCipher(KEY_B) });
        const error = await other.connections.get(user).then(
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
        const first = store.connections.withRefreshLock(user, async () => {
          events.push('first:start');
          firstEntered.resolve();
          await releaseFirst.promise;
          events.push('first:end');
          return 'first';
        });
        await firstEntered.promise;
        const second = store.connections.withRefreshLock(user, async () => {
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
        const first = store.connections.withRefreshLock(uniqueId('lock'), async () => {
          await releaseFirst.promise;
          return 1;
        });
        try {
          // Completes while the first user's lock is still held: it would deadlock if users shared a lock.
          const second = await within(
            store.connections.withRefreshLock(uniqueId('lock'), async () => 2),
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
        const saved = await store.connections.save(newConnection(user));
        await expect(
          store.connections.withRefreshLock(user, async () => {
            throw new Error('refresh failed');
          }),
        ).rejects.toThrow('refresh failed');
        const result = await within(
          store.connections.withRefreshLock(user, async () => {
            const current = await store.connections.get(user);
            return store.connections.updateTokens(user, current!.version, {
              accessToken: 'next',
              accessTokenExpiresAt: new Date('2030-03-01T00:00:00Z'),
              refreshToken: null,
            });
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
        await store.connectStates.saveState(state, KEEP);
        expect(await store.connectStates.consumeState(state.id)).toEqual(state);
        expect(await store.connectStates.consumeState(state.id)).toBeNull();
        expect(await store.connectStates.consumeState(uniqueId('never-saved'))).toBeNull();
      });

      it('returns null for an expired state, and does not let it come back', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const expired = { id: uniqueId('state'), appUserId: 'u', codeVerifier: 'v', returnTo: '/', expiresAt: new Date(clock.t - 1) };
        await store.connectStates.saveState(expired, KEEP);
        expect(await store.connectStates.consumeState(expired.id)).toBeNull();

        const live = { ...expired, id: uniqueId('state'), expiresAt: new Date(clock.t + 60_000) };
        await store.connectStates.saveState(live, KEEP);
        clock.advance(60_000); // expiresAt is exclusive
        expect(await store.connectStates.consumeState(live.id)).toBeNull();
        clock.t -= 120_000;
        expect(await store.connectStates.consumeState(live.id)).toBeNull();
      });

      it('refuses to save the same state id twice', async () => {
        const store = await open();
        const state = { id: uniqueId('state'), appUserId: 'u', codeVerifier: 'v', returnTo: '/', expiresAt: new Date(Date.now() + 60_000) };
        await store.connectStates.saveState(state, KEEP);
        await expect(store.connectStates.saveState({ ...state, codeVerifier: 'other' }, KEEP)).rejects.toThrow();
        expect((await store.connectStates.consumeState(state.id))?.codeVerifier).toBe('v');
      });

      it('gives exactly one of two concurrent consumers the state', async () => {
        const store = await open();
        const state = { id: uniqueId('state'), appUserId: 'u', codeVerifier: 'v', returnTo: '/', expiresAt: new Date(Date.now() + 60_000) };
        await store.connectStates.saveState(state, KEEP);
        const results = await Promise.all([store.connectStates.consumeState(state.id), store.connectStates.consumeState(state.id)]);
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe('connect tickets', () => {
      it('are consumed once; expired and unknown ones are null', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const ticket = {
          id: uniqueId('ticket'),
          appUserId: uniqueId('user'),
          returnTo: 'https://app.example/settings',
          expiresAt: new Date(clock.t + 300_000),
        };
        await store.connectStates.saveTicket(ticket, KEEP);
        expect(await store.connectStates.consumeTicket(ticket.id)).toEqual(ticket);
        expect(await store.connectStates.consumeTicket(ticket.id)).toBeNull();
        expect(await store.connectStates.consumeTicket(uniqueId('never-saved'))).toBeNull();

        const late = { ...ticket, id: uniqueId('ticket') };
        await store.connectStates.saveTicket(late, KEEP);
        clock.advance(300_000);
        expect(await store.connectStates.consumeTicket(late.id)).toBeNull();
      });

      it('keep only the newest per user, and two concurrent consumers get one ticket', async () => {
        const store = await open();
        const [user, other] = [uniqueId('user'), uniqueId('other')];
        const ticket = (appUserId: string) => ({ id: uniqueId('ticket'), appUserId, returnTo: '/', expiresAt: new Date(Date.now() + 60_000) });
        const theirs = ticket(other);
        await store.connectStates.saveTicket(theirs, { keep: 3 });
        const mine = Array.from({ length: 5 }, () => ticket(user));
        for (const t of mine) await store.connectStates.saveTicket(t, { keep: 3 });
        const consumed = await Promise.all(mine.map((t) => store.connectStates.consumeTicket(t.id)));
        expect(consumed.map((t) => t !== null)).toEqual([false, false, true, true, true]);
        expect(await store.connectStates.consumeTicket(theirs.id)).not.toBeNull();

        const contested = ticket(user);
        await store.connectStates.saveTicket(contested, KEEP);
        const results = await Promise.all([store.connectStates.consumeTicket(contested.id), store.connectStates.consumeTicket(contested.id)]);
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe('OAuth state cap', () => {
      it('keeps only the newest states per user', async () => {
        const store = await open();
        const user = uniqueId('user');
        const states = Array.from({ length: 4 }, () => ({
          id: uniqueId('state'),
          appUserId: user,
          codeVerifier: 'v',
          returnTo: '/',
          expiresAt: new Date(Date.now() + 60_000),
        }));
        for (const state of states) await store.connectStates.saveState(state, { keep: 2 });
        const consumed = await Promise.all(states.map((state) => store.connectStates.consumeState(state.id)));
        expect(consumed.map((state) => state !== null)).toEqual([false, false, true, true]);
      });
    });

    describe('pending links', () => {
      const link = (appUserId: string, expiresAt: Date, overrides: Partial<PendingLink> = {}): PendingLink => ({
        ...newConnection(appUserId),
        id: uniqueId('link'),
        expiresAt,
        ...overrides,
      });

      it('are taken once, expired or not, with their tokens; nothing readable is stored', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const live = link(uniqueId('user'), new Date(clock.t + 300_000), { refreshToken: null, preferredLibrary: null, scopes: [] });
        const expired = link(uniqueId('user'), new Date(clock.t - 1));
        expect(await store.connectStates.savePendingLink(live, KEEP)).toEqual([]);
        expect(await store.connectStates.savePendingLink(expired, KEEP)).toEqual([]);
        expect(await harness.rawText()).not.toContain(live.accessToken);
        expect(await harness.rawText()).not.toContain(expired.refreshToken);
        expect(await store.connectStates.takePendingLink(live.id)).toEqual(live);
        expect(await store.connectStates.takePendingLink(live.id)).toBeNull();
        expect(await store.connectStates.takePendingLink(expired.id)).toEqual(expired);
        expect(await store.connectStates.takePendingLink(uniqueId('never-saved'))).toBeNull();
      });

      it('keep only the newest per user, answering the dropped ones so their tokens can be revoked', async () => {
        const store = await open();
        const user = uniqueId('user');
        const links = Array.from({ length: 4 }, () => link(user, new Date(Date.now() + 60_000)));
        const dropped: PendingLink[] = [];
        for (const l of links) dropped.push(...(await store.connectStates.savePendingLink(l, { keep: 2 })));
        expect(dropped).toEqual([links[0], links[1]]);
        expect(await store.connectStates.takePendingLink(links[0]!.id)).toBeNull();
        expect(await store.connectStates.takePendingLink(links[3]!.id)).toEqual(links[3]);
      });

      it('takeExpiredPendingLinks takes each expired link once, at most max at a time', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const user = uniqueId('user');
        const soon = [link(user, new Date(clock.t + 1000)), link(user, new Date(clock.t + 2000)), link(user, new Date(clock.t + 3000))];
        const later = link(user, new Date(clock.t + 600_000));
        // Other tests' links share the database, expired by this clock: out of the way first.
        while ((await store.connectStates.takeExpiredPendingLinks(100)).length > 0);
        for (const l of [...soon, later]) await store.connectStates.savePendingLink(l, KEEP);
        expect(await store.connectStates.takeExpiredPendingLinks(10)).toEqual([]);
        clock.advance(3000);
        const first = await store.connectStates.takeExpiredPendingLinks(2);
        const second = await store.connectStates.takeExpiredPendingLinks(2);
        expect(first).toHaveLength(2);
        expect([...first, ...second].map((l) => l.id).sort()).toEqual(soon.map((l) => l.id).sort());
        expect(await store.connectStates.takeExpiredPendingLinks(10)).toEqual([]);
        expect(await store.connectStates.takePendingLink(later.id)).toEqual(later);
      });

      it('drops a link whose tokens were moved from another link (they do not decrypt)', async () => {
        const store = await open();
        const [a, b] = [link(uniqueId('user'), new Date(Date.now() + 60_000)), link(uniqueId('user'), new Date(Date.now() + 60_000))];
        await store.connectStates.savePendingLink(a, KEEP);
        await store.connectStates.savePendingLink(b, KEEP);
        await harness.copyLinkTokens(a.id, b.id);
        expect(await store.connectStates.takePendingLink(b.id)).toBeNull();
        expect(await store.connectStates.takePendingLink(a.id)).toEqual(a);
      });
    });

    describe('idempotency keys', () => {
      it('claims once, then returns the pending and then the completed record', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h1', ttlSeconds: 3600 })).toEqual({ claimed: true });

        const pending = await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h2', ttlSeconds: 3600 });
        expect(pending).toEqual({
          claimed: false,
          existing: {
            ...scope(appUserId),
            key,
            requestHash: 'h1',
            status: 'pending',
            response: null,
            createdAt: new Date(clock.t),
            expiresAt: new Date(clock.t + 3_600_000),
          },
        });

        await store.idempotencyKeys.completeIdempotencyKey(scope(appUserId), key, '{"folder":{"id":"ACTIVE_US!1"}}');
        await store.idempotencyKeys.releaseIdempotencyKey(scope(appUserId), key); // a completed key stays
        const done = await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h1', ttlSeconds: 3600 });
        expect(done).toMatchObject({ claimed: false, existing: { status: 'done', response: '{"folder":{"id":"ACTIVE_US!1"}}' } });
      });

      it('release frees a pending key for a retry', async () => {
        const store = await open();
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h', ttlSeconds: 60 });
        await store.idempotencyKeys.releaseIdempotencyKey(scope(appUserId), key);
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });
      });

      it('treats expired keys as absent', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'old', ttlSeconds: 60 });
        await store.idempotencyKeys.completeIdempotencyKey(scope(appUserId), key, 'old response');
        clock.advance(60_000);
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'new', ttlSeconds: 60 })).toEqual({ claimed: true });
        const existing = await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'x', ttlSeconds: 60 });
        expect(existing).toMatchObject({ claimed: false, existing: { requestHash: 'new', status: 'pending', response: null } });
      });

      it('scopes keys to the user, and lets exactly one of concurrent claims win', async () => {
        const store = await open();
        const key = uniqueId('key');
        const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(alice), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(bob), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });

        const contested = uniqueId('key');
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.idempotencyKeys.claimIdempotencyKey({ ...scope(alice), key: contested, requestHash: 'h', ttlSeconds: 60 })),
        );
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
      });

      it('complete on a missing key does nothing, and a bad ttl is refused', async () => {
        const store = await open();
        await expect(store.idempotencyKeys.completeIdempotencyKey(scope(uniqueId('u')), uniqueId('k'), 'r')).resolves.toBeUndefined();
        await expect(store.idempotencyKeys.releaseIdempotencyKey(scope(uniqueId('u')), uniqueId('k'))).resolves.toBeUndefined();
        for (const ttlSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(store.idempotencyKeys.claimIdempotencyKey({ ...scope('u'), key: 'k', requestHash: 'h', ttlSeconds })).rejects.toBeInstanceOf(RangeError);
        }
      });

      it('keeps a key per iManage identity: the same app user under another customer or user claims afresh', async () => {
        const store = await open();
        const appUserId = uniqueId('user');
        const key = uniqueId('key');
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({ claimed: true });
        await store.idempotencyKeys.completeIdempotencyKey(scope(appUserId), key, 'JSMITH folder');
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId, 'AKUMAR'), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({
          claimed: true,
        });
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId, 'JSMITH', '7000'), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({
          claimed: true,
        });
        // Completing or releasing under one identity leaves the others alone.
        await store.idempotencyKeys.releaseIdempotencyKey(scope(appUserId, 'AKUMAR'), key);
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId), key, requestHash: 'h', ttlSeconds: 60 })).toMatchObject({
          claimed: false,
          existing: { response: 'JSMITH folder' },
        });
        expect(await store.idempotencyKeys.claimIdempotencyKey({ ...scope(appUserId, 'AKUMAR'), key, requestHash: 'h', ttlSeconds: 60 })).toEqual({
          claimed: true,
        });
      });

      it('deletes the keys of another identity on a reconnect, and every key of the user on delete', async () => {
        const store = await open();
        const [appUserId, other] = [uniqueId('user'), uniqueId('other')];
        const claim = (user: string, imanageUser: string, key: string) =>
          store.idempotencyKeys.claimIdempotencyKey({ ...scope(user, imanageUser), key, requestHash: 'h', ttlSeconds: 60 });
        await store.connections.save(newConnection(appUserId, { imanageUserId: 'JSMITH', customerId: '5948' }));
        await store.connections.save(newConnection(other, { imanageUserId: 'JSMITH', customerId: '5948' }));
        await claim(appUserId, 'JSMITH', 'kept');
        await claim(appUserId, 'AKUMAR', 'gone');
        await claim(other, 'AKUMAR', 'theirs');

        await store.connections.save(newConnection(appUserId, { imanageUserId: 'JSMITH', customerId: '5948' })); // the same identity again
        expect((await claim(appUserId, 'JSMITH', 'kept')).claimed).toBe(false);
        expect((await claim(appUserId, 'AKUMAR', 'gone')).claimed).toBe(true);

        await store.connections.save(newConnection(appUserId, { imanageUserId: 'AKUMAR', customerId: '5948' })); // relinked to another user
        expect((await claim(appUserId, 'JSMITH', 'kept')).claimed).toBe(true);
        await claim(appUserId, 'AKUMAR', 'gone');

        expect(await store.connections.delete(appUserId)).toBe(true);
        expect((await claim(appUserId, 'AKUMAR', 'gone')).claimed).toBe(true);
        expect((await claim(other, 'AKUMAR', 'theirs')).claimed).toBe(false);
      });
    });

    describe('used download links', () => {
      const link = (appUserId: string, expiresAt = new Date(Date.now() + 60_000)) => ({ jti: uniqueId('jti'), appUserId, expiresAt });

      it('are used once; isUsed reads without using; release frees a use for a retry', async () => {
        const store = await open();
        const one = link(uniqueId('user'));
        expect(await store.downloadLinks.isUsed(one.jti)).toBe(false);
        expect(await store.downloadLinks.isUsed(one.jti)).toBe(false);
        expect(await store.downloadLinks.use(one)).toBe(true);
        expect(await store.downloadLinks.isUsed(one.jti)).toBe(true);
        expect(await store.downloadLinks.use(one)).toBe(false);
        // Another instance on the same database sees the use.
        expect(await (await open()).downloadLinks.use(one)).toBe(false);
        await store.downloadLinks.release(one.jti);
        expect(await store.downloadLinks.use(one)).toBe(true);
        await expect(store.downloadLinks.release(uniqueId('unknown'))).resolves.toBeUndefined();
      });

      it('gives exactly one of concurrent uses the link, from one instance or two', async () => {
        const [a, b] = [await open(), await open()];
        const contested = link(uniqueId('user'));
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).downloadLinks.use(contested)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('keeps a use until the link expires, then purges it', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const used = link(uniqueId('user'), new Date(clock.t + 60_000));
        expect(await store.downloadLinks.use(used)).toBe(true);
        clock.advance(59_000);
        expect(await store.downloadLinks.use({ ...link(uniqueId('user')), expiresAt: new Date(clock.t + 60_000) })).toBe(true); // a purge ran, kept it
        expect(await store.downloadLinks.isUsed(used.jti)).toBe(true);
        clock.advance(61_000);
        await store.downloadLinks.use({ ...link(uniqueId('user')), expiresAt: new Date(clock.t + 60_000) });
        expect(await store.downloadLinks.isUsed(used.jti)).toBe(false);
      });

      it('refuses malformed input', async () => {
        const store = await open();
        await expect(store.downloadLinks.use({ jti: '', appUserId: 'u', expiresAt: new Date() })).rejects.toBeInstanceOf(TypeError);
        await expect(store.downloadLinks.use({ jti: 'j', appUserId: 'u', expiresAt: new Date(Number.NaN) })).rejects.toBeInstanceOf(TypeError);
      });
    });

    describe('audit events', () => {
      const event = (appUserId: string, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
        appUserId,
        customerId: '5948',
        imanageUserId: 'JSMITH',
        kind: 'graphql',
        operation: 'mutation Create { createSubfolder }',
        targetIds: ['ACTIVE_US!52811', 'ACTIVE_US!60001'],
        outcome: 'ok',
        imanageStatus: 201,
        errorCode: null,
        requestId: 'req-00000001',
        ...overrides,
      });

      it('round-trip, stamped with an id and the clock of the store, read oldest first by user and time', async () => {
        const clock = new TestClock();
        const store = await open({ now: clock.now });
        const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
        const first = await store.auditEvents.append(event(alice));
        clock.advance(1_000);
        // Two in the same millisecond keep the order they were written in.
        const second = await store.auditEvents.append(
          event(alice, { kind: 'disconnect', operation: 'disconnect', targetIds: [], imanageStatus: null, requestId: null }),
        );
        const third = await store.auditEvents.append(event(alice, { outcome: 'user_error', imanageStatus: 403, errorCode: 'FORBIDDEN' }));
        await store.auditEvents.append(event(bob));
        expect(first).toEqual({ ...event(alice), id: expect.any(String), at: new Date(clock.t - 1_000) });
        expect(await store.auditEvents.list({ appUserId: alice })).toEqual([first, second, third]);
        expect(await store.auditEvents.list({ appUserId: alice, since: new Date(clock.t) })).toEqual([second, third]);
        expect(await store.auditEvents.list({ appUserId: alice, until: new Date(clock.t) })).toEqual([first]);
        expect(await store.auditEvents.list({ appUserId: alice, limit: 2 })).toEqual([first, second]);
        // Another instance on the same database reads them alike.
        expect(await (await open()).auditEvents.list({ appUserId: alice })).toEqual([first, second, third]);
      });

      it('purge deletes what is older than the retention by the clock of the store, and answers how many', async () => {
        const clock = new TestClock(Date.parse('2031-01-01T00:00:00.000Z'));
        const store = await open({ now: clock.now });
        const user = uniqueId('purge');
        const old = await store.auditEvents.append(event(user));
        clock.advance(10 * 86_400_000);
        const recent = await store.auditEvents.append(event(user));
        clock.advance(86_400_000);
        expect(await store.auditEvents.purge(5 * 86_400_000)).toBeGreaterThanOrEqual(1);
        expect((await store.auditEvents.list({ appUserId: user })).map((e) => e.id)).toEqual([recent.id]);
        expect(old.id).not.toBe(recent.id);
      });

      it('refuses malformed input, writing nothing', async () => {
        const store = await open();
        const user = uniqueId('bad');
        const bad: Array<Partial<NewAuditEvent>> = [
          { appUserId: '' },
          { operation: '' },
          { kind: 'read' as never },
          { outcome: 'fine' as never },
          { targetIds: [1 as never] },
          { imanageStatus: 42 },
          { imanageStatus: 201.5 },
        ];
        for (const overrides of bad) await expect(store.auditEvents.append(event(user, overrides))).rejects.toBeInstanceOf(TypeError);
        expect(await store.auditEvents.list({ appUserId: user })).toEqual([]);
        await expect(store.auditEvents.list({ limit: 0 })).rejects.toBeInstanceOf(RangeError);
        await expect(store.auditEvents.list({ since: new Date(Number.NaN) })).rejects.toBeInstanceOf(TypeError);
        await expect(store.auditEvents.purge(0)).rejects.toBeInstanceOf(RangeError);
      });
    });

    it('never writes to the console', async () => {
      const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
      const store = await open();
      const user = uniqueId('quiet');
      const saved = await store.connections.save(newConnection(user));
      await store.connections.updateTokens(user, saved.version, { accessToken: 'a', accessTokenExpiresAt: new Date(), refreshToken: null });
      await store.connections.updateTokens(user, saved.version, { accessToken: 'b', accessTokenExpiresAt: new Date(), refreshToken: null });
      await (await open({ cipher: testCipher(KEY_B) })).connections.get(user).catch(() => {});
      await store.connections.withRefreshLock(user, async () => store.connections.get(user));
      await store.connections.delete(user);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });
  });
}
