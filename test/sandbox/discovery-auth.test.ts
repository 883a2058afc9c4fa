import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, imanageError, libBase, login, postToken } from './helpers.js';

let sb: Sandbox;
let now = Date.UTC(2025, 2, 3, 8, 0, 0);

beforeAll(async () => {
  sb = await startSandbox({ clock: () => now });
});
afterAll(async () => {
  await sb.close();
});

describe('discovery GET /api', () => {
  it('describes the caller, the v2 base URL and the libraries', async () => {
    const { access_token } = await login(sb);
    const res = await get(sb, access_token, '/api');
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.user).toMatchObject({ id: 'JSMITH', name: 'Jane Smith', customer_id: sb.customerId, user_type: expect.any(String), email: expect.any(String) });
    expect(Number.isInteger(data.user.customer_id)).toBe(true);
    expect(data.user.customer_id).not.toBe(1);
    expect(data.versions).toEqual([{ name: 'v2', url: `${sb.url}/work/api/v2`, version: expect.any(String) }]);
    expect(data.work.preferred_library).toBe(sb.ids.preferredLibrary);
    expect(data.work.libraries.map((l: { alias: string }) => l.alias)).toEqual(sb.ids.libraries);
    expect(data.work.libraries[0]).toMatchObject({ type: 'worksite', status: 'ready' });
    expect(data.auth_status).toBe('authenticated');
    expect(Array.isArray(data.capabilities)).toBe(true);
    expect(typeof data.dms_version).toBe('string');
  });

  it('answers each user with their own identity and preferred library', async () => {
    const { access_token } = await login(sb, 'london');
    const res = await get(sb, access_token, '/api');
    expect(res.body.data.user.id).toBe('EMUELLER');
    expect(res.body.data.work.preferred_library).toBe('ACTIVE_UK');
  });

  it('is 401 with an iManage error body without a valid token', async () => {
    const none = await get(sb, undefined, '/api');
    expect(none.status).toBe(401);
    expect(imanageError(none.body).code).toBe('NRC_UNAUTHORIZED');
    const bogus = await get(sb, 'bogus', '/api');
    expect(bogus.status).toBe(401);
    imanageError(bogus.body);
  });
});

describe('sending the token', () => {
  it('accepts X-Auth-Token and Authorization: Bearer', async () => {
    const { access_token } = await login(sb);
    const path = `${libBase(sb)}/folders/${sb.ids.emptyFolder}`;
    expect((await get(sb, access_token, path)).status).toBe(200);
    const bearer = await fetch(new URL(path, sb.url), { headers: { authorization: `Bearer ${access_token}` } });
    expect(bearer.status).toBe(200);
    await bearer.arrayBuffer();
    const basic = await fetch(new URL(path, sb.url), { headers: { authorization: `Basic ${access_token}` } });
    expect(basic.status).toBe(401);
    await basic.arrayBuffer();
  });

  it('prefers X-Auth-Token when both are sent', async () => {
    const { access_token } = await login(sb);
    const res = await fetch(new URL('/api', sb.url), { headers: { 'x-auth-token': 'invalid', authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});

describe('access token lifetime', () => {
  it('expires after the idle period, and each use extends it', async () => {
    const { access_token } = await login(sb);
    now += 1700_000; // 28 min 20 s idle: still fine, and this use restarts the count
    expect((await get(sb, access_token, '/api')).status).toBe(200);
    now += 1700_000;
    expect((await get(sb, access_token, '/api')).status).toBe(200);
    now += 1801_000; // more than 30 idle minutes
    const res = await get(sb, access_token, '/api');
    expect(res.status).toBe(401);
    expect(imanageError(res.body).code_message).toMatch(/expired/);
    now += 1000;
    expect((await get(sb, access_token, '/api')).status).toBe(401);
  });

  it('honours accessTokenIdleSeconds', async () => {
    const quick = await startSandbox({ accessTokenIdleSeconds: 60, clock: () => now });
    try {
      const t = await login(quick);
      expect(t.expires_in).toBe(60);
      now += 61_000;
      expect((await get(quick, t.access_token, '/api')).status).toBe(401);
    } finally {
      await quick.close();
    }
  });

  it('expireAllTokens kills every issued access token; refresh still works', async () => {
    const a = await login(sb);
    const b = await login(sb, 'second');
    sb.knobs.expireAllTokens();
    expect((await get(sb, a.access_token, '/api')).status).toBe(401);
    expect((await get(sb, b.access_token, '/api')).status).toBe(401);
    const refreshed = await postToken(sb, { grant_type: 'refresh_token', refresh_token: a.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect((await get(sb, refreshed.body.access_token, '/api')).status).toBe(200);
    const fresh = await login(sb);
    expect((await get(sb, fresh.access_token, '/api')).status).toBe(200);
  });
});
