import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { get, submitLogin } from './helpers/browser.js';
import { codes, startStack, type Stack } from './helpers/stack.js';

/** The connect flow of CONTRACT §4, redirects followed by hand, against the sandbox's OAuth server. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  stack.sandbox.knobs.reset();
});

const VIEWER = `{ viewer { id imanage { status userId customerId scopes } } }`;

/** Starts the flow for `user` and returns iManage's authorize URL and the connect cookie. */
async function start(user: string, returnTo = `${stack.url}/app/settings?tab=integrations`) {
  const token = await stack.token(user);
  const res = await get(`${stack.url}/connect/imanage?token=${encodeURIComponent(token)}&return_to=${encodeURIComponent(returnTo)}`);
  expect(res.status).toBe(302);
  return { authorize: res.location!, cookie: res.cookie };
}

async function storedRow(user: string) {
  return stack.services.store.get(user);
}

describe('connecting an iManage account', () => {
  it('runs the whole flow: authorize with PKCE and state, exchange, discovery, store, back to return_to', async () => {
    const { authorize, cookie } = await start('alice');
    const url = new URL(authorize);
    expect(url.origin + url.pathname).toBe(`${stack.sandbox.url}/auth/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: stack.sandbox.apps.default.clientId,
      redirect_uri: `${stack.url}/connect/imanage/callback`,
      scope: 'user',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).toMatch(/^imanage_connect=/);

    const login = await submitLogin(authorize, stack.sandbox.users.second!.id, stack.sandbox.users.second!.password);
    expect(login.status).toBe(302);
    const callback = new URL(login.location!);
    expect(callback.origin + callback.pathname).toBe(`${stack.url}/connect/imanage/callback`);

    const back = await get(callback.href, cookie);
    expect(back.status).toBe(302);
    const returned = new URL(back.location!);
    expect(returned.origin + returned.pathname).toBe(`${stack.url}/app/settings`);
    expect(Object.fromEntries(returned.searchParams)).toEqual({ tab: 'integrations', imanage: 'connected' });

    const row = await storedRow('alice');
    expect(row).toMatchObject({ imanageUserId: stack.sandbox.users.second!.id, customerId: String(stack.sandbox.customerId), status: 'connected', scopes: ['user'] });
    expect(row!.refreshToken).not.toBeNull();
    expect(row!.apiBaseUrl).toBe(`${stack.sandbox.url}/work/api/v2`);

    const viewer = await stack.gql(VIEWER, {}, { user: 'alice' });
    expect(viewer.body.data!.viewer).toEqual({
      id: 'alice',
      imanage: { status: 'CONNECTED', userId: stack.sandbox.users.second!.id, customerId: String(stack.sandbox.customerId), scopes: ['user'] },
    });
    const data = await stack.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id: stack.sandbox.ids.privateFolderOfOther }, { user: 'alice' });
    expect(data.body.data!.folder).toEqual({ id: stack.sandbox.ids.privateFolderOfOther });
  });

  it('sends a denied consent back with imanage=error&reason=access_denied and stores nothing', async () => {
    const { authorize, cookie } = await start('bob');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password, 'deny');
    const back = await get(login.location!, cookie);
    expect(back.status).toBe(302);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'access_denied' });
    expect(await storedRow('bob')).toBeNull();
  });

  it('refuses a replayed, tampered or unknown state with 400, storing nothing', async () => {
    const { authorize, cookie } = await start('carol');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    const callback = new URL(login.location!);

    const tampered = new URL(callback);
    const state = callback.searchParams.get('state')!;
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    expect((await get(tampered.href, cookie)).status).toBe(400);
    const malformed = new URL(callback);
    malformed.searchParams.set('state', '<script>');
    expect((await get(malformed.href, cookie)).status).toBe(400);
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    expect((await get(missing.href, cookie)).status).toBe(400);

    expect((await get(callback.href, cookie)).status).toBe(302); // the real one, once
    await stack.services.store.delete('carol');
    const replay = await get(callback.href, cookie);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/state/);
    expect(await storedRow('carol')).toBeNull();
  });

  it('refuses an expired state', async () => {
    const { authorize, cookie } = await start('dave');
    const state = new URL(authorize).searchParams.get('state')!;
    const saved = (await stack.services.store.consumeState(state))!;
    await stack.services.store.saveState({ ...saved, expiresAt: new Date(Date.now() - 1000) });
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    expect((await get(login.location!, cookie)).status).toBe(400);
    expect(await storedRow('dave')).toBeNull();
  });

  it('refuses a callback from a browser that did not start the flow (no or wrong cookie)', async () => {
    const { authorize } = await start('erin');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    for (const cookie of [null, 'imanage_connect=forged']) {
      const again = await start('erin');
      const second = await submitLogin(again.authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
      const back = await get(second.location!, cookie);
      expect(back.status).toBe(302);
      expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'state_mismatch' });
    }
    expect((await get(login.location!, null)).status).toBe(302);
    expect(await storedRow('erin')).toBeNull();
  });

  it('fails the exchange cleanly when the PKCE verifier does not match', async () => {
    const { authorize, cookie } = await start('frank');
    const state = new URL(authorize).searchParams.get('state')!;
    const saved = (await stack.services.store.consumeState(state))!;
    await stack.services.store.saveState({ ...saved, codeVerifier: 'x'.repeat(43) });
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    const back = await get(login.location!, cookie);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'exchange_failed' });
    expect(await storedRow('frank')).toBeNull();
  });

  it('reports iManage being down during discovery as imanage_unavailable, storing nothing', async () => {
    const { authorize, cookie } = await start('gina');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    stack.sandbox.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 503 } });
    const back = await get(login.location!, cookie);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'imanage_unavailable' });
    expect(await storedRow('gina')).toBeNull();
  });

  it('refuses a discovery that names an API base off the iManage host: untrusted_api_url, storing nothing', async () => {
    const { authorize, cookie } = await start('gail');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    const body = { data: { user: { id: stack.sandbox.users.demo!.id, customer_id: stack.sandbox.customerId }, versions: [{ name: 'v2', url: 'https://collector.example/work/api/v2' }] } };
    stack.sandbox.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 200, body } });
    const back = await get(login.location!, cookie);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'untrusted_api_url' });
    expect(await storedRow('gail')).toBeNull();
  });

  it('refuses a return_to outside ALLOWED_RETURN_URLS with 400 and no redirect', async () => {
    const token = await stack.token('henry');
    for (const target of [
      'https://evil.example/steal',
      `${stack.url}.evil.example/x`,
      `http://user:pw@127.0.0.1:${new URL(stack.url).port}/x`,
      'javascript:alert(1)',
      '//evil.example/x',
      `http://127.0.0.1:1/x`,
    ]) {
      const res = await get(`${stack.url}/connect/imanage?token=${token}&return_to=${encodeURIComponent(target)}`);
      expect(res.status, target).toBe(400);
      expect(res.location).toBeNull();
    }
  });

  it('refuses to start without a valid app user token', async () => {
    for (const token of ['', 'garbage', await stack.token('x', -60)]) {
      const res = await get(`${stack.url}/connect/imanage?token=${encodeURIComponent(token)}`);
      expect(res.status).toBe(401);
      expect(res.body).toMatch(/UNAUTHENTICATED/);
    }
  });
});

describe('disconnecting', () => {
  it('revokes both tokens at iManage, deletes the row, and reports NOT_CONNECTED', async () => {
    await stack.connectUser('ivan', 'paralegal');
    const row = (await storedRow('ivan'))!;
    expect(row.refreshToken).not.toBeNull();
    const res = await stack.gql(`mutation { disconnectIManage { id imanage { status userId } } }`, {}, { user: 'ivan' });
    expect(res.body).toEqual({ data: { disconnectIManage: { id: 'ivan', imanage: { status: 'NOT_CONNECTED', userId: null } } } });
    expect(stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/revoke-token' })).toBe(2);
    expect(await storedRow('ivan')).toBeNull();
    await expectDead(row);
    const after = await stack.gql(`{ customer { id } }`, {}, { user: 'ivan' });
    expect(codes(after)).toEqual(['IMANAGE_NOT_CONNECTED']);
    // Disconnecting again is not an error.
    const again = await stack.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'ivan' });
    expect(again.body.data!.disconnectIManage.imanage.status).toBe('NOT_CONNECTED');
  });

  it('revokes the tokens a reconnect replaces, and keeps the new ones', async () => {
    await stack.connectUser('kate', 'paralegal');
    const first = (await storedRow('kate'))!;
    await stack.connectUser('kate', 'paralegal');
    await stack.services.connections.revocationsSettled();
    const second = (await storedRow('kate'))!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/revoke-token' })).toBe(2);
    await expectDead(first);
    const res = await stack.gql(`{ customer { id } }`, {}, { user: 'kate' });
    expect(res.body.errors).toBeUndefined();
  });
});

/** The old tokens at iManage: the access token is refused, and so is a refresh grant with the refresh token. */
async function expectDead(row: { accessToken: string; refreshToken: string | null }) {
  const api = await fetch(`${stack.sandbox.url}/api`, { headers: { 'x-auth-token': row.accessToken } });
  expect(api.status).toBe(401);
  await api.arrayBuffer();
  const { clientId, clientSecret } = stack.sandbox.apps.default;
  const refresh = await fetch(`${stack.sandbox.url}/auth/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: row.refreshToken!, client_id: clientId, client_secret: clientSecret }),
  });
  expect(refresh.status).toBe(400);
  expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
}

describe('a revocation iManage fails', () => {
  /** The waits revocation retries asked for; they return at once (no clock, no sleep). */
  const waits: number[] = [];
  let flaky: Stack;
  beforeAll(async () => {
    flaky = await startStack({
      connect: [],
      revokeWait: async (ms) => {
        waits.push(ms);
      },
    });
  });
  afterAll(async () => {
    await flaky?.close();
  });
  beforeEach(() => {
    flaky.sandbox.knobs.reset();
    waits.length = 0;
  });
  const revokes = () => flaky.sandbox.log.entries().filter((e) => e.path === '/auth/oauth2/revoke-token');

  it('deletes the row at once, logs each failure without the token, and retries with backoff until both tokens are revoked', async () => {
    await flaky.connectUser('leo', 'paralegal');
    const row = (await flaky.services.store.get('leo'))!;
    flaky.sandbox.knobs.injectFault({ path: '/auth/oauth2/revoke-token', kind: { type: 'status', status: 503 }, times: 3 });
    const res = await flaky.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'leo' });
    expect(res.body.data!.disconnectIManage.imanage.status).toBe('NOT_CONNECTED');
    expect(await flaky.services.store.get('leo')).toBeNull();
    await flaky.services.connections.revocationsSettled();

    expect(revokes().map((e) => e.status).sort()).toEqual([200, 200, 503, 503, 503]);
    expect(waits.sort((a, b) => a - b)).toEqual([1_000, 1_000, 5_000]);
    const failures = flaky.logs.filter((line) => line.includes('revocation failed; retrying later'));
    expect(failures).toHaveLength(3);
    for (const line of failures) expect(JSON.parse(line)).toMatchObject({ level: 40, appUserId: 'leo', token: expect.stringMatching(/^(access|refresh)$/), err: { kind: 'http', status: 503 } });
    const everything = flaky.logs.join('\n');
    expect(everything).not.toContain(row.accessToken);
    expect(everything).not.toContain(row.refreshToken!);
    const dead = await fetch(`${flaky.sandbox.url}/api`, { headers: { 'x-auth-token': row.accessToken } });
    expect(dead.status).toBe(401);
    await dead.arrayBuffer();
  });

  it('gives up after a bounded number of attempts, saying so in an error line', async () => {
    await flaky.connectUser('mia', 'paralegal');
    flaky.sandbox.knobs.injectFault({ path: '/auth/oauth2/revoke-token', kind: { type: 'status', status: 503 }, times: Infinity });
    await flaky.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'mia' });
    await flaky.services.connections.revocationsSettled();
    expect(revokes()).toHaveLength(12); // 1 + 5 retries, for each of the two tokens
    expect(waits.sort((a, b) => a - b)).toEqual([1_000, 1_000, 5_000, 5_000, 30_000, 30_000, 120_000, 120_000, 600_000, 600_000]);
    const givenUp = flaky.logs.filter((line) => line.includes('revocation given up')).map((line) => JSON.parse(line));
    expect(givenUp.map((l) => [l.level, l.appUserId, l.token]).sort()).toEqual([[50, 'mia', 'access'], [50, 'mia', 'refresh']]);
    expect(await flaky.services.store.get('mia')).toBeNull();
  });
});
