import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreConnections } from '../src/auth/connections.js';
import { openSqliteStore, type TokenStore } from '../src/auth/store/index.js';
import type { IManageTransport } from '../src/imanage/transport.js';
import { newConnection, TestClock, testCipher, uniqueId } from './store/helpers.js';

/** A connection's status comes from the stored row, never from the clock. */
describe('connection status', () => {
  const stores: TokenStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  const setup = async () => {
    const clock = new TestClock();
    const store = openSqliteStore({ filename: ':memory:', cipher: testCipher(), now: clock.now });
    stores.push(store);
    await store.migrate();
    // Nothing here calls iManage: a transport that is used fails the test.
    const transport = { send: () => Promise.reject(new Error('no iManage call expected')) } as unknown as IManageTransport;
    const connections = new StoreConnections({
      store: store.connections,
      transport,
      oauth: { clientId: 'c', clientSecret: 's' },
      logger: pino({ level: 'silent' }),
      now: clock.now,
    });
    return { clock, store, connections };
  };

  it('past expires_in a token without a refresh token is still usable (iManage counts idle time), until the store marks it', async () => {
    const { clock, store, connections } = await setup();
    const bob = newConnection(uniqueId('bob'), { refreshToken: null, accessTokenExpiresAt: new Date(clock.now() + 60_000) });
    const saved = await store.connections.save(bob);
    const connection = (await connections.forUser(bob.appUserId))!;
    expect(connection.status).toBe('connected');
    clock.advance(61_000);
    expect(connection.status).toBe('connected');
    expect(await connection.tokens.current()).toBe(bob.accessToken);
    await store.connections.markReauthRequired(bob.appUserId, saved.version);
    expect((await connections.forUser(bob.appUserId))!.status).toBe('reauth_required');
  });
});
