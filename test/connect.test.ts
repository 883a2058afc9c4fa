import BetterSqlite3 from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONNECT_LIMITS } from '../src/auth/connectFlow.js';
import { get, submitLogin } from './helpers/browser.js';
import { codes, freePort, startStack, useStack, type Stack } from './helpers/stack.js';

/**
 * The connect flow of CONTRACT §4 over HTTP, redirects followed by hand, against the sandbox's OAuth
 * server: ticket -> iManage -> pending link -> confirmation by the app user who started it. The
 * service's clock is moved (never slept on) to expire tickets and links.
 */

let offset = 0;
const stack = useStack({ now: () => Date.now() + offset });
beforeEach(() => {
  offset = 0;
});

const VIEWER = `{ viewer { id imanage { status userId customerId scopes } } }`;
const START = `mutation($returnTo: String!) { startIManageConnection(returnTo: $returnTo) { url expiresAt } }`;
const CONFIRM = `mutation($link: String!) { confirmIManageConnection(link: $link) { id imanage { status userId } } }`;
const SETTINGS = () => `${stack.url}/app/settings?tab=integrations`;
const revokes = () => stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/revoke-token' });

async function ticketUrl(user: string, returnTo = SETTINGS()): Promise<string> {
  const res = await stack.gql(START, { returnTo }, { user });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.startIManageConnection.url;
}

/** Steps 1 and 2: a ticket for `user`, followed to iManage's authorize URL; the browser's cookie. */
async function start(user: string, returnTo = SETTINGS()) {
  const res = await get(await ticketUrl(user, returnTo));
  expect(res.status).toBe(302);
  return { authorize: res.location!, cookie: res.cookie };
}

/** Steps 1 to 3 for `user`, signing in at iManage as `sandboxUser`: where the browser comes back to. */
async function throughIManage(user: string, sandboxUser = 'second'): Promise<URL> {
  const { authorize, cookie } = await start(user);
  const login = await submitLogin(authorize, stack.sandbox.users[sandboxUser]!.id, stack.sandbox.users[sandboxUser]!.password);
  const back = await get(login.location!, cookie);
  expect(back.status).toBe(302);
  return new URL(back.location!);
}

async function pendingLink(user: string, sandboxUser = 'second'): Promise<string> {
  const back = await throughIManage(user, sandboxUser);
  expect(back.searchParams.get('imanage')).toBe('pending');
  return back.searchParams.get('link')!;
}

/** Whether iManage still accepts an access token. */
async function alive(accessToken: string): Promise<boolean> {
  const res = await fetch(`${stack.sandbox.url}/api`, { headers: { 'x-auth-token': accessToken } });
  await res.text();
  return res.status === 200;
}

async function storedRow(user: string) {
  return stack.services.store.connections.get(user);
}

describe('connecting an iManage account', () => {
  it('runs the whole flow: ticket, authorize with PKCE and state, exchange, discovery, pending link, confirmation', async () => {
    const before = Date.now();
    const started = await stack.gql(START, { returnTo: SETTINGS() }, { user: 'alice' });
    const { url, expiresAt } = started.body.data!.startIManageConnection;
    expect(url).toMatch(new RegExp(`^${stack.url}/connect/imanage\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(new Date(expiresAt).getTime()).toBeGreaterThanOrEqual(before + CONNECT_LIMITS.ticketTtlMs - 1000);
    expect(new Date(expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + CONNECT_LIMITS.ticketTtlMs);
    expect(stack.apiCalls()).toBe(0);

    const first = await get(url);
    expect(first.status).toBe(302);
    const authorize = new URL(first.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${stack.sandbox.url}/auth/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: stack.sandbox.apps.default.clientId,
      redirect_uri: `${stack.url}/connect/imanage/callback`,
      scope: 'user',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.cookie).toMatch(/^imanage_connect=/);

    const login = await submitLogin(first.location!, stack.sandbox.users.second!.id, stack.sandbox.users.second!.password);
    const callback = new URL(login.location!);
    expect(callback.origin + callback.pathname).toBe(`${stack.url}/connect/imanage/callback`);
    const back = await get(callback.href, first.cookie);
    expect(back.status).toBe(302);
    const returned = new URL(back.location!);
    expect(returned.origin + returned.pathname).toBe(`${stack.url}/app/settings`);
    expect(Object.fromEntries(returned.searchParams)).toEqual({ tab: 'integrations', imanage: 'pending', link: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });

    // Nothing is connected until the app user confirms.
    expect(await storedRow('alice')).toBeNull();
    expect((await stack.gql(VIEWER, {}, { user: 'alice' })).body.data!.viewer.imanage.status).toBe('NOT_CONNECTED');

    stack.resetCounts();
    const confirmed = await stack.gql(CONFIRM, { link: returned.searchParams.get('link') }, { user: 'alice' });
    expect(confirmed.body).toEqual({
      data: { confirmIManageConnection: { id: 'alice', imanage: { status: 'CONNECTED', userId: stack.sandbox.users.second!.id } } },
    });
    expect(stack.apiCalls()).toBe(0);

    const row = await storedRow('alice');
    expect(row).toMatchObject({
      imanageUserId: stack.sandbox.users.second!.id,
      customerId: String(stack.sandbox.customerId),
      status: 'connected',
      scopes: ['user'],
    });
    expect(row!.refreshToken).not.toBeNull();
    expect(row!.apiBaseUrl).toBe(`${stack.sandbox.url}/work/api/v2`);
    const viewer = await stack.gql(VIEWER, {}, { user: 'alice' });
    expect(viewer.body.data!.viewer).toEqual({
      id: 'alice',
      imanage: { status: 'CONNECTED', userId: stack.sandbox.users.second!.id, customerId: String(stack.sandbox.customerId), scopes: ['user'] },
    });
    const data = await stack.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id: stack.sandbox.ids.privateFolderOfOther }, { user: 'alice' });
    expect(data.body.data!.folder).toEqual({ id: stack.sandbox.ids.privateFolderOfOther });

    // A link is used once.
    expect(codes(await stack.gql(CONFIRM, { link: returned.searchParams.get('link') }, { user: 'alice' }))).toEqual(['BAD_USER_INPUT']);
    expect(revokes()).toBe(0);

    // Tickets, link ids and tokens are secrets: none of them is logged.
    const logs = stack.logs.join('\n');
    for (const secret of [
      new URL(url).searchParams.get('ticket')!,
      returned.searchParams.get('link')!,
      row!.accessToken,
      row!.refreshToken!,
      callback.searchParams.get('code')!,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('sends a denied consent back with imanage=error&reason=access_denied and keeps nothing', async () => {
    const { authorize, cookie } = await start('bob');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password, 'deny');
    const back = await get(login.location!, cookie);
    expect(back.status).toBe(302);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toEqual({ tab: 'integrations', imanage: 'error', reason: 'access_denied' });
    expect(await storedRow('bob')).toBeNull();
  });

  it('refuses a replayed, tampered or unknown state with 400, keeping nothing', async () => {
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
    const replay = await get(callback.href, cookie);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/state/);
    expect(await storedRow('carol')).toBeNull();
  });

  it('refuses an expired state', async () => {
    const { authorize, cookie } = await start('dave');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    offset = CONNECT_LIMITS.stateTtlMs;
    expect((await get(login.location!, cookie)).status).toBe(400);
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
    const back = await get(login.location!, null);
    expect(new URL(back.location!).searchParams.get('reason')).toBe('state_mismatch');
    expect(await storedRow('erin')).toBeNull();
  });

  it('fails the exchange cleanly when the PKCE verifier does not match', async () => {
    const { authorize, cookie } = await start('frank');
    const state = new URL(authorize).searchParams.get('state')!;
    const saved = (await stack.services.store.connectStates.consumeState(state))!;
    await stack.services.store.connectStates.saveState({ ...saved, codeVerifier: 'x'.repeat(43) }, { keep: 10 });
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    const back = await get(login.location!, cookie);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'exchange_failed' });
    expect(await storedRow('frank')).toBeNull();
  });

  it('reports iManage being down during discovery as imanage_unavailable, keeping nothing and revoking the new tokens', async () => {
    const { authorize, cookie } = await start('gina');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    stack.sandbox.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 503 } });
    const back = await get(login.location!, cookie);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toEqual({ tab: 'integrations', imanage: 'error', reason: 'imanage_unavailable' });
    expect(await storedRow('gina')).toBeNull();
    expect(revokes()).toBe(2); // the access and the refresh token
  });

  it('refuses a discovery that names an API base off the iManage host: untrusted_api_url, storing nothing', async () => {
    const { authorize, cookie } = await start('gail');
    const login = await submitLogin(authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    const body = {
      data: {
        user: { id: stack.sandbox.users.demo!.id, customer_id: stack.sandbox.customerId },
        versions: [{ name: 'v2', url: 'https://collector.example/work/api/v2' }],
      },
    };
    stack.sandbox.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 200, body } });
    const back = await get(login.location!, cookie);
    expect(Object.fromEntries(new URL(back.location!).searchParams)).toMatchObject({ imanage: 'error', reason: 'untrusted_api_url' });
    expect(await storedRow('gail')).toBeNull();
  });
});

describe('startIManageConnection', () => {
  it('refuses a returnTo outside ALLOWED_RETURN_URLS with BAD_USER_INPUT, issuing no ticket', async () => {
    for (const target of [
      'https://evil.example/steal',
      `${stack.url}.evil.example/x`,
      `http://user:pw@127.0.0.1:${new URL(stack.url).port}/x`,
      'javascript:alert(1)',
      '//evil.example/x',
      'http://127.0.0.1:1/x',
      '',
      'x'.repeat(5000),
    ]) {
      const res = await stack.gql(START, { returnTo: target }, { user: 'henry' });
      expect(codes(res), target.slice(0, 80)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.message).toMatch(/ALLOWED_RETURN_URLS/);
      expect(res.body.data).toBeNull();
    }
  });

  it('needs a valid app user token', async () => {
    for (const token of [null, 'garbage', await stack.token('x', -60)]) {
      const res = await stack.gql(START, { returnTo: SETTINGS() }, { token });
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('tickets (GET /connect/imanage?ticket=…)', () => {
  it('answers 400 to an unknown, malformed, missing, reused or expired ticket', async () => {
    const unknown = await get(`${stack.url}/connect/imanage?ticket=${'A'.repeat(43)}`);
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeNull();
    expect(unknown.body).toMatch(/ticket/);
    expect((await get(`${stack.url}/connect/imanage?ticket=%3Cscript%3E`)).status).toBe(400);
    expect((await get(`${stack.url}/connect/imanage`)).status).toBe(400);

    const url = await ticketUrl('ivy');
    expect((await get(url)).status).toBe(302);
    const reused = await get(url);
    expect(reused.status).toBe(400);
    expect(reused.cookie).toBeNull();

    const late = await ticketUrl('ivy');
    offset = CONNECT_LIMITS.ticketTtlMs;
    expect((await get(late)).status).toBe(400);
  });

  it('no longer takes an app user token in the URL', async () => {
    const token = await stack.token('jack');
    const res = await get(`${stack.url}/connect/imanage?token=${token}&return_to=${encodeURIComponent(SETTINGS())}`);
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.body).toMatch(/startIManageConnection/);
    expect(res.body).not.toContain(token);
  });

  it(`keeps the newest ${CONNECT_LIMITS.pendingPerUser} tickets per app user, dropping the oldest`, async () => {
    const urls: string[] = [];
    for (let i = 0; i < CONNECT_LIMITS.pendingPerUser + 5; i++) urls.push(await ticketUrl('kate'));
    const other = await ticketUrl('liam');
    const statuses = [];
    for (const url of urls) statuses.push((await get(url)).status);
    expect(statuses).toEqual([...Array(5).fill(400), ...Array(CONNECT_LIMITS.pendingPerUser).fill(302)]);
    expect((await get(other)).status).toBe(302);
  });

  it(`keeps the newest ${CONNECT_LIMITS.pendingPerUser} states per app user, dropping the oldest`, async () => {
    const flows = [];
    for (let i = 0; i < CONNECT_LIMITS.pendingPerUser + 1; i++) flows.push(await start('mia'));
    const oldest = flows[0]!;
    const login = await submitLogin(oldest.authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    expect((await get(login.location!, oldest.cookie)).status).toBe(400);
    const newest = flows.at(-1)!;
    const newestLogin = await submitLogin(newest.authorize, stack.sandbox.users.demo!.id, stack.sandbox.users.demo!.password);
    expect(new URL((await get(newestLogin.location!, newest.cookie)).location!).searchParams.get('imanage')).toBe('pending');
  });
});

describe('confirmIManageConnection', () => {
  it('refuses a link started by another app user with FORBIDDEN, discards it and revokes its tokens', async () => {
    const link = await pendingLink('noah', 'second');
    stack.sandbox.log.clear();
    const res = await stack.gql(CONFIRM, { link }, { user: 'olga' });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.body.data).toBeNull();
    expect(await storedRow('olga')).toBeNull();
    expect(revokes()).toBe(2); // the access and the refresh token
    // Discarded: not even the app user who started it can confirm it now.
    expect(codes(await stack.gql(CONFIRM, { link }, { user: 'noah' }))).toEqual(['BAD_USER_INPUT']);
    expect(await storedRow('noah')).toBeNull();
  });

  it('discards a foreign link whose tokens iManage then refuses', async () => {
    const link = await pendingLink('paul', 'second');
    const pending = await stack.services.store.connectStates.takePendingLink(link);
    await stack.services.store.connectStates.savePendingLink(pending!, { keep: 10 });
    expect(await alive(pending!.accessToken)).toBe(true);
    expect(codes(await stack.gql(CONFIRM, { link }, { user: 'quinn' }))).toEqual(['FORBIDDEN']);
    await expectDead(pending!);
  });

  it('answers BAD_USER_INPUT to an unknown or malformed link, changing nothing', async () => {
    for (const link of ['A'.repeat(43), '', '<script>', 'x'.repeat(5000)]) {
      const res = await stack.gql(CONFIRM, { link }, { user: 'demo' });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    expect((await storedRow('demo'))?.imanageUserId).toBe(stack.sandbox.users.demo!.id);
    expect(revokes()).toBe(0);
  });

  it('answers BAD_USER_INPUT to an expired link, and revokes its tokens', async () => {
    const link = await pendingLink('rita');
    offset = CONNECT_LIMITS.linkTtlMs;
    stack.sandbox.log.clear();
    expect(codes(await stack.gql(CONFIRM, { link }, { user: 'rita' }))).toEqual(['BAD_USER_INPUT']);
    expect(await storedRow('rita')).toBeNull();
    expect(revokes()).toBe(2); // the access and the refresh token
  });

  it('needs a valid app user token', async () => {
    const link = await pendingLink('sam');
    expect(codes(await stack.gql(CONFIRM, { link }, { token: null }))).toEqual(['UNAUTHENTICATED']);
    // Still there for its owner.
    expect((await stack.gql(CONFIRM, { link }, { user: 'sam' })).body.data!.confirmIManageConnection.imanage.status).toBe('CONNECTED');
  });
});

describe('unconfirmed links', () => {
  it('are swept once expired: deleted, and their tokens revoked at iManage', async () => {
    // Links other tests left behind, out of the way first.
    offset = CONNECT_LIMITS.linkTtlMs;
    await stack.services.connectFlow.sweep();
    offset = 0;
    const link = await pendingLink('tina');
    const pending = await stack.services.store.connectStates.takePendingLink(link);
    await stack.services.store.connectStates.savePendingLink(pending!, { keep: 10 });
    stack.sandbox.log.clear();

    offset = CONNECT_LIMITS.linkTtlMs - 1000;
    expect(await stack.services.connectFlow.sweep()).toBe(0);
    expect(revokes()).toBe(0);

    offset = CONNECT_LIMITS.linkTtlMs;
    expect(await stack.services.connectFlow.sweep()).toBe(1);
    expect(revokes()).toBe(2); // the access and the refresh token
    await expectDead(pending!);
    expect(codes(await stack.gql(CONFIRM, { link }, { user: 'tina' }))).toEqual(['BAD_USER_INPUT']);
    expect(await stack.services.connectFlow.sweep()).toBe(0);
  });

  it('are swept by the running service every sweepEveryMs (fake interval timer)', async () => {
    offset = CONNECT_LIMITS.linkTtlMs;
    await stack.services.connectFlow.sweep(); // what other tests left behind
    offset = 0;
    const link = await pendingLink('vera');
    stack.sandbox.log.clear();
    // The service's sweeper again, on a fake interval: only setInterval is faked, so HTTP runs as ever.
    stack.services.connectFlow.close();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      stack.services.connectFlow.startSweeping();
      offset = CONNECT_LIMITS.linkTtlMs;
      await vi.advanceTimersByTimeAsync(CONNECT_LIMITS.sweepEveryMs - 1);
      expect(revokes()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(revokes()).toBe(2));
      expect(codes(await stack.gql(CONFIRM, { link }, { user: 'vera' }))).toEqual(['BAD_USER_INPUT']);
    } finally {
      stack.services.connectFlow.close();
      vi.useRealTimers();
      stack.services.connectFlow.startSweeping();
    }
  });

  it(`keep the newest ${CONNECT_LIMITS.pendingPerUser} per app user: the oldest is dropped and its tokens revoked`, async () => {
    // The oldest, read (taken and put back) while it is still the only one, for its token.
    const oldest = await stack.services.store.connectStates.takePendingLink(await pendingLink('uma', 'demo'));
    await stack.services.store.connectStates.savePendingLink(oldest!, { keep: CONNECT_LIMITS.pendingPerUser });
    const links = [oldest!.id];
    for (let i = 1; i < CONNECT_LIMITS.pendingPerUser; i++) links.push(await pendingLink('uma', 'demo'));
    stack.sandbox.log.clear();

    links.push(await pendingLink('uma', 'demo'));
    expect(revokes()).toBe(2); // the access and the refresh token
    await expectDead(oldest!);
    expect(codes(await stack.gql(CONFIRM, { link: links[0] }, { user: 'uma' }))).toEqual(['BAD_USER_INPUT']);
    expect((await stack.gql(CONFIRM, { link: links.at(-1) }, { user: 'uma' })).body.data!.confirmIManageConnection.imanage.status).toBe('CONNECTED');
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
  const flaky = useStack({
    connect: [],
    revokeWait: async (ms) => {
      waits.push(ms);
    },
  });
  beforeEach(() => {
    waits.length = 0;
  });
  const revokes = () => flaky.sandbox.log.entries().filter((e) => e.path === '/auth/oauth2/revoke-token');

  it('deletes the row at once, logs each failure without the token, and retries with backoff until both tokens are revoked', async () => {
    await flaky.connectUser('leo', 'paralegal');
    const row = (await flaky.services.store.connections.get('leo'))!;
    flaky.sandbox.knobs.injectFault({ path: '/auth/oauth2/revoke-token', kind: { type: 'status', status: 503 }, times: 3 });
    const res = await flaky.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'leo' });
    expect(res.body.data!.disconnectIManage.imanage.status).toBe('NOT_CONNECTED');
    expect(await flaky.services.store.connections.get('leo')).toBeNull();
    await flaky.services.connections.revocationsSettled();

    expect(
      revokes()
        .map((e) => e.status)
        .sort(),
    ).toEqual([200, 200, 503, 503, 503]);
    expect(waits.sort((a, b) => a - b)).toEqual([1_000, 1_000, 5_000]);
    const failures = flaky.logs.filter((line) => line.includes('revocation failed; retrying later'));
    expect(failures).toHaveLength(3);
    for (const line of failures)
      expect(JSON.parse(line)).toMatchObject({
        level: 40,
        appUserId: 'leo',
        token: expect.stringMatching(/^(access|refresh)$/),
        err: { kind: 'http', status: 503 },
      });
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
    expect(givenUp.map((l) => [l.level, l.appUserId, l.token]).sort()).toEqual([
      [50, 'mia', 'access'],
      [50, 'mia', 'refresh'],
    ]);
    expect(await flaky.services.store.connections.get('mia')).toBeNull();
  });
});

// A rolling key rotation (README, TOKEN_ENCRYPTION_KEY): a new key is added second on every instance,
// then moved first, one instance at a time. Meanwhile instances behind one PUBLIC_URL list the keys in
// different orders, and a user's flow may start on one and come back to the other.
describe('two instances mid-rotation, one listing the new key first and one the old', () => {
  const OLD = `old:${Buffer.alloc(32, 0x11).toString('base64')}`;
  const NEW = `new:${Buffer.alloc(32, 0x22).toString('base64')}`;
  let dir: string;
  let rotated: Stack;
  let notYet: Stack;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connect-rotation-'));
    const port = await freePort();
    const shared = { DATABASE_URL: join(dir, 'tokens.sqlite'), PUBLIC_URL: `http://127.0.0.1:${port}` };
    notYet = await startStack({ env: { ...shared, PORT: String(port), TOKEN_ENCRYPTION_KEY: `${OLD},${NEW}` }, connect: [] });
    rotated = await startStack({ env: { ...shared, TOKEN_ENCRYPTION_KEY: `${NEW},${OLD}` }, sharedSandbox: notYet.sandbox, connect: [] });
  });
  afterAll(async () => {
    await rotated?.close();
    await notYet?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The browser's way through: the ticket on `from`, iManage, and back to the callback on `to` (with the cookie `from` set, unless another is given). */
  async function flow(user: string, from: Stack, to: Stack, cookie?: string | null) {
    const started = await from.gql(START, { returnTo: `${from.config.publicUrl}/app/settings` }, { user });
    const first = await get(started.body.data!.startIManageConnection.url.replace(from.config.publicUrl, from.url));
    expect(first.cookie).toMatch(/^imanage_connect=/);
    const login = await submitLogin(first.location!, from.sandbox.users.second!.id, from.sandbox.users.second!.password);
    const callback = new URL(login.location!);
    expect(callback.origin).toBe(from.config.publicUrl);
    const back = await get(`${to.url}${callback.pathname}${callback.search}`, cookie === undefined ? first.cookie : cookie);
    return new URL(back.location!);
  }

  it.each([
    ['started where the old key signs, ended where the new one does', () => [notYet, rotated] as const],
    ['started where the new key signs, ended where the old one does', () => [rotated, notYet] as const],
  ])('%s: the cookie is recognised and the link confirmed', async (_, instances) => {
    const [from, to] = instances();
    const user = from === notYet ? 'rolling-a' : 'rolling-b';
    const back = await flow(user, from, to);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ imanage: 'pending' });
    const confirmed = await to.gql(CONFIRM, { link: back.searchParams.get('link') }, { user });
    expect(confirmed.body.errors).toBeUndefined();
    expect(confirmed.body.data!.confirmIManageConnection.imanage).toEqual({ status: 'CONNECTED', userId: from.sandbox.users.second!.id });
  });

  it("still refuses another flow's cookie, and a forged one", async () => {
    const other = await get(
      (await notYet.gql(START, { returnTo: `${notYet.config.publicUrl}/app/settings` }, { user: 'rolling-c' })).body.data!.startIManageConnection.url.replace(
        notYet.config.publicUrl,
        notYet.url,
      ),
    );
    for (const cookie of [other.cookie, 'imanage_connect=forged', null]) {
      const back = await flow('rolling-c', notYet, rotated, cookie);
      expect(Object.fromEntries(back.searchParams)).toMatchObject({ imanage: 'error', reason: 'state_mismatch' });
    }
    expect(await rotated.services.store.connections.get('rolling-c')).toBeNull();
  });
});

// Tokens iManage issued that this service failed to store would stay live at iManage with nobody holding
// them: each such failure revokes them. The database fails for real here: a trigger, added through a
// second connection to the service's SQLite file, refuses writes to one table.
describe('the database failing with issued tokens in hand', () => {
  let dir: string;
  let db: Stack;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connect-db-failure-'));
    db = await startStack({ env: { DATABASE_URL: join(dir, 'tokens.sqlite') }, connect: [] });
  });
  afterEach(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });
  /** Every later write to that table fails, as on a full disk; reads go on working. */
  const refuseWrites = (table: string) => {
    const file = new BetterSqlite3(join(dir, 'tokens.sqlite'));
    try {
      for (const event of ['INSERT', 'UPDATE'])
        file.exec(
          `CREATE TRIGGER refuse_${event.toLowerCase()}_${table} BEFORE ${event} ON ${table} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
        );
    } finally {
      file.close();
    }
  };
  const revoked = () => db.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/revoke-token' });
  const live = () => db.sandbox.knobs.liveTokens(db.sandbox.users.second!.id);

  it('a pending link that cannot be stored: 500, and both new tokens revoked', async () => {
    const started = await db.gql(START, { returnTo: `${db.url}/app/settings` }, { user: 'nora' });
    const first = await get(started.body.data!.startIManageConnection.url);
    const login = await submitLogin(first.location!, db.sandbox.users.second!.id, db.sandbox.users.second!.password);
    refuseWrites('pending_links');
    const back = await get(login.location!, first.cookie);
    expect(back.status).toBe(500);
    expect(back.body.trim()).toBe('The iManage connection could not be completed. Try again.');
    // The exchange issued a pair (the token endpoint's reply), and both were revoked.
    expect(db.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/token' })).toBe(1);
    expect(revoked()).toBe(2);
    expect(live()).toEqual({ access: 0, refresh: 0 });
  });

  it('a confirmed link whose connection cannot be stored: INTERNAL, and both tokens revoked', async () => {
    const started = await db.gql(START, { returnTo: `${db.url}/app/settings` }, { user: 'olga' });
    const first = await get(started.body.data!.startIManageConnection.url);
    const login = await submitLogin(first.location!, db.sandbox.users.second!.id, db.sandbox.users.second!.password);
    const back = new URL((await get(login.location!, first.cookie)).location!);
    expect(live()).toEqual({ access: 1, refresh: 1 });
    refuseWrites('imanage_connections');
    const confirmed = await db.gql(CONFIRM, { link: back.searchParams.get('link') }, { user: 'olga' });
    expect(codes(confirmed)).toEqual(['INTERNAL']);
    expect(revoked()).toBe(2);
    expect(live()).toEqual({ access: 0, refresh: 0 });
  });
});
