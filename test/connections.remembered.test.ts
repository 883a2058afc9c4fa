import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreConnections } from '../src/auth/connections.js';
import { SqliteTokenStore } from '../src/auth/store/sqlite.js';
import type { IManageTransport } from '../src/imanage/transport.js';
import { newConnection, TestClock, testCipher, uniqueId } from './store/helpers.js';

/**
 * StoreConnections.rememberedForUser: the connection of a request that reads its row from memory
 * (src/context.ts). One connection object serves every request while the stored row is the same.
 */
describe('remembered connections', () => {
  const stores: SqliteTokenStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  const setup = async () => {
    const clock = new TestClock();
    const store = new SqliteTokenStore({ filename: ':memory:', cipher: testCipher(), now: clock.now });
    stores.push(store);
    await store.migrate();
    // Nothing here calls iManage: a transport that is used fails the test.
    const transport = { send: () => Promise.reject(new Error('no iManage call expected')) } as unknown as IManageTransport;
    const connections = new StoreConnections({ store, transport, oauth: { clientId: 'c', clientSecret: 's' }, logger: pino({ level: 'silent' }), now: clock.now });
    return { clock, store, connections };
  };

  it('is undefined until the store remembers the row, then one object while the row is unchanged', async () => {
    const { store, connections } = await setup();
    const alice = newConnection(uniqueId('alice'));
    expect(connections.rememberedForUser(alice.appUserId)).toBeUndefined();
    const saved = await store.save(alice);
    const first = connections.rememberedForUser(alice.appUserId)!;
    expect(first).toMatchObject({ appUserId: alice.appUserId, status: 'connected' });
    expect(await first.tokens.current()).toBe(alice.accessToken);
    expect(connections.rememberedForUser(alice.appUserId)).toBe(first);

    await store.updateTokens(alice.appUserId, saved.version, { accessToken: 'rotated', accessTokenExpiresAt: new Date('2030-01-01T02:00:00.000Z'), refreshToken: 'rotated-refresh' });
    const second = connections.rememberedForUser(alice.appUserId)!;
    expect(second).not.toBe(first);
    expect(await second.tokens.current()).toBe('rotated');
  });

  it('reads its status when asked: past expires_in a token without a refresh token is still usable (iManage counts idle time), until the store marks it', async () => {
    const { clock, store, connections } = await setup();
    const bob = newConnection(uniqueId('bob'), { refreshToken: null, accessTokenExpiresAt: new Date(clock.now() + 60_000) });
    const saved = await store.save(bob);
    const connection = connections.rememberedForUser(bob.appUserId)!;
    expect(connection.status).toBe('connected');
    clock.advance(61_000);
    expect(connection.status).toBe('connected');
    expect(await connection.tokens.current()).toBe(bob.accessToken);
    await store.markReauthRequired(bob.appUserId, saved.version);
    expect(connections.rememberedForUser(bob.appUserId)!.status).toBe('reauth_required');
  });
});
