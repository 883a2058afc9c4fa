import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './helpers.js';

describe('admin routes off by default', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('404s /__sandbox/ like any unknown path, and logs it like one', async () => {
    for (const [method, path] of [
      ['GET', '/__sandbox/log'],
      ['POST', '/__sandbox/faults'],
      ['POST', '/__sandbox/expire-tokens'],
    ] as const) {
      const res = await call(sb, undefined, method, path, method === 'POST' ? { json: {} } : {});
      expect(res.status).toBe(404);
      expect(imanageError(res.body).code).toBe('NRC_NO_RECORD');
    }
    expect(sb.log.count({ path: '/__sandbox/*' })).toBe(3);
  });
});

describe('admin routes when enabled', () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startSandbox({ adminRoutes: true });
    token = (await login(sb)).access_token;
  });
  afterAll(async () => {
    await sb.close();
  });

  it('queues faults (string and regex paths), clears them, and is not itself logged', async () => {
    sb.log.clear();
    const add = await call(sb, undefined, 'POST', '/__sandbox/faults', { json: { path: '/api', kind: { type: 'status', status: 503 } } });
    expect(add.status).toBe(201);
    expect((await get(sb, token, '/api')).status).toBe(503);
    const regex = await call(sb, undefined, 'POST', '/__sandbox/faults', {
      json: { path: { regex: '^/ap[i]$' }, times: 'Infinity', kind: { type: 'status', status: 500 } },
    });
    expect(regex.status).toBe(201);
    expect((await get(sb, token, '/api')).status).toBe(500);
    expect((await get(sb, token, '/api')).status).toBe(500);
    expect((await call(sb, undefined, 'DELETE', '/__sandbox/faults')).status).toBe(204);
    expect((await get(sb, token, '/api')).status).toBe(200);
    expect(sb.log.count({ path: '/__sandbox/*' })).toBe(0);
    expect(sb.log.count({ path: '/api' })).toBe(4);
  });

  it('refuses malformed fault specs with 400', async () => {
    for (const json of [{ path: '/api' }, { path: '/api', kind: { type: 'nope' } }, { path: { regex: '(' }, kind: { type: 'reset' } }]) {
      const res = await call(sb, undefined, 'POST', '/__sandbox/faults', { json });
      expect(res.status).toBe(400);
    }
    expect((await call(sb, undefined, 'POST', '/__sandbox/faults', { body: 'not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('sets latency, expires tokens, returns and clears the log', async () => {
    expect((await call(sb, undefined, 'POST', '/__sandbox/latency', { json: { ms: 5 } })).status).toBe(200);
    expect((await call(sb, undefined, 'POST', '/__sandbox/latency', { json: { ms: -5 } })).status).toBe(400);
    expect((await get(sb, token, '/api')).status).toBe(200);
    expect((await call(sb, undefined, 'POST', '/__sandbox/latency', { json: { ms: 0 } })).status).toBe(200);

    expect((await call(sb, undefined, 'POST', '/__sandbox/expire-tokens')).status).toBe(204);
    expect((await get(sb, token, '/api')).status).toBe(401);

    const log = await get(sb, undefined, '/__sandbox/log');
    expect(log.status).toBe(200);
    expect(log.body.data.at(-1)).toMatchObject({ method: 'GET', path: '/api', status: 401 });
    expect(log.body.data.at(-1)).not.toHaveProperty('userId');
    expect((await call(sb, undefined, 'DELETE', '/__sandbox/log')).status).toBe(204);
    expect((await get(sb, undefined, '/__sandbox/log')).body.data).toEqual([]);
    expect((await get(sb, undefined, '/__sandbox/unknown')).status).toBe(404);
  });
});

describe('robustness', () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startSandbox();
    token = (await login(sb)).access_token;
  });
  afterAll(async () => {
    await sb.close();
  });

  it('404s unknown paths and 405s unsupported methods with Allow', async () => {
    const unknown = await get(sb, token, '/work/api/v2/customers/1/nothing');
    expect(unknown.status).toBe(404);
    imanageError(unknown.body);
    const trailing = await get(sb, token, `${libBase(sb)}/folders/${sb.ids.emptyFolder}/`);
    expect(trailing.status).toBe(404);
    const put = await call(sb, token, 'PUT', `${libBase(sb)}/folders/${sb.ids.emptyFolder}`, { json: { name: 'x' } });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    expect(imanageError(put.body).code).toBe('NRC_METHOD_NOT_ALLOWED');
    const getToken = await get(sb, undefined, '/auth/oauth2/token');
    expect(getToken.status).toBe(405);
  });

  it('answers 413 to bodies over 1 MiB', async () => {
    const res = await call(sb, token, 'POST', `${libBase(sb)}/folders/${sb.ids.emptyFolder}/subfolders`, {
      json: { name: 'big', description: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(res.status).toBe(413);
    expect(imanageError(res.body).code).toBe('NRC_REQUEST_TOO_LARGE');
    expect((await get(sb, token, '/api')).status).toBe(200);
  });

  it('survives hostile input: odd URLs, bad encodings, garbage headers', async () => {
    const paths = [
      `${libBase(sb)}/folders/%E0%A4%A`,
      `${libBase(sb)}/folders/${'9'.repeat(600)}`,
      '//evil.example/api',
      `${libBase(sb)}/workspaces?limit=1&limit=2&cursor=%00`,
      `${libBase(sb)}/folders?include_ids=,,,`,
    ];
    for (const path of paths) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${sb.url}${path}`.replace(`${sb.url}//`, `${sb.url}/`), { headers: { 'x-auth-token': token } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(500);
    }
    const badBasic = await fetch(`${sb.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic %%%' },
      body: 'grant_type=password',
    });
    expect(badBasic.status).toBe(401);
    await badBasic.arrayBuffer();
    expect((await get(sb, token, '/api')).status).toBe(200);
  });

  it('close() is idempotent and really closes', async () => {
    const own = await startSandbox();
    const t = (await login(own)).access_token;
    expect((await get(own, t, '/api')).status).toBe(200); // leaves a keep-alive socket open
    await Promise.all([own.close(), own.close()]);
    await own.close();
    await expect(fetch(`${own.url}/api`)).rejects.toThrow();
  });
});
