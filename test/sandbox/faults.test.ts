import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './helpers.js';

let sb: Sandbox;
let demo: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
});
afterEach(() => {
  sb.knobs.reset();
});
afterAll(async () => {
  await sb.close();
});

const folderUrl = (): string => `${libBase(sb)}/folders/${sb.ids.emptyFolder}`;

describe('status faults', () => {
  it('answers the status once with an iManage error body, then behaves', async () => {
    sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 503 } });
    const faulted = await get(sb, demo, '/api');
    expect(faulted.status).toBe(503);
    expect(imanageError(faulted.body).code).toBe('NRC_SERVICE_UNAVAILABLE');
    expect((await get(sb, demo, '/api')).status).toBe(200);
  });

  it('sends the given headers and body (429 with x-ratelimit-reset, Retry-After)', async () => {
    sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 429, headers: { 'x-ratelimit-reset': '2', 'Retry-After': '3' } } });
    sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 500, body: { error: { code: 'CUSTOM' } } } });
    sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 502, body: '<html>Bad gateway</html>' } });
    const limited = await get(sb, demo, '/api');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-reset')).toBe('2');
    expect(limited.headers.get('retry-after')).toBe('3');
    const custom = await get(sb, demo, '/api');
    expect(custom.body).toEqual({ error: { code: 'CUSTOM' } });
    const text = await get(sb, demo, '/api');
    expect(text.status).toBe(502);
    expect(text.body).toBe('<html>Bad gateway</html>');
  });

  it('matches method, prefix and RegExp paths, honouring times and Infinity', async () => {
    sb.knobs.injectFault({ method: 'POST', path: `${libBase(sb)}/*`, times: 2, kind: { type: 'status', status: 500 } });
    expect((await get(sb, demo, folderUrl())).status).toBe(200); // GET does not match
    const post = () => call(sb, demo, 'POST', `${folderUrl()}/subfolders`, { json: { name: 'x' } });
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(500);
    const created = await post();
    expect(created.status).toBe(201);
    await call(sb, demo, 'DELETE', `${libBase(sb)}/folders/${created.body.data.id}`);

    sb.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'status', status: 503 } });
    for (let i = 0; i < 5; i++) expect((await get(sb, demo, `${folderUrl()}/children`)).status).toBe(503);
    expect((await get(sb, demo, folderUrl())).status).toBe(200);
    sb.knobs.clearFaults();
    expect((await get(sb, demo, `${folderUrl()}/children`)).status).toBe(200);
  });

  it('rejects nonsense specs', () => {
    expect(() => sb.knobs.injectFault({ path: '/api', times: 0, kind: { type: 'reset' } })).toThrow(TypeError);
    expect(() => sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 42 } })).toThrow(TypeError);
    expect(() => sb.knobs.injectFault({ path: '/api', kind: { type: 'explode' } as never })).toThrow(TypeError);
  });
});

describe('transport faults', () => {
  it('reset: the socket dies without a response', async () => {
    sb.knobs.injectFault({ path: '/api', kind: { type: 'reset' } });
    await expect(fetch(`${sb.url}/api`, { headers: { 'x-auth-token': demo } })).rejects.toThrow();
    expect(sb.log.entries().at(-1)).toMatchObject({ path: '/api', status: 0 });
    expect((await get(sb, demo, '/api')).status).toBe(200);
  });

  it('truncate: headers and half a JSON body, then the connection ends', async () => {
    sb.knobs.injectFault({ path: folderUrl(), kind: { type: 'truncate' } });
    const res = await fetch(new URL(folderUrl(), sb.url), { headers: { 'x-auth-token': demo } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    await expect(res.text()).rejects.toThrow();
    expect((await get(sb, demo, folderUrl())).status).toBe(200);
  });

  it('nonJson: 200 with an HTML page', async () => {
    sb.knobs.injectFault({ path: folderUrl(), kind: { type: 'nonJson' } });
    const res = await fetch(new URL(folderUrl(), sb.url), { headers: { 'x-auth-token': demo } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(res.json()).rejects.toThrow();
  });

  it('wrongContentType: the real JSON body served as text/plain', async () => {
    sb.knobs.injectFault({ path: folderUrl(), kind: { type: 'wrongContentType' } });
    const res = await fetch(new URL(folderUrl(), sb.url), { headers: { 'x-auth-token': demo } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(JSON.parse(await res.text()).data.id).toBe(sb.ids.emptyFolder);
  });

  it('stall with ms: nothing for a while, then the real response', async () => {
    sb.knobs.injectFault({ path: folderUrl(), kind: { type: 'stall', ms: 50 } });
    const res = await get(sb, demo, folderUrl());
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(sb.ids.emptyFolder);
  });

  it('stall without ms: no response at all (the client gives up)', async () => {
    sb.knobs.injectFault({ path: folderUrl(), kind: { type: 'stall' } });
    const controller = new AbortController();
    const pending = fetch(new URL(folderUrl(), sb.url), { headers: { 'x-auth-token': demo }, signal: controller.signal });
    // Hang up once the sandbox holds the request, rather than after a guessed delay.
    await vi.waitFor(() => expect(sb.log.inFlight()).toBe(1), { interval: 5 });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(sb.log.entries().at(-1)).toMatchObject({ status: 0 });
    expect((await get(sb, demo, folderUrl())).status).toBe(200);
  });

  it('stallBody with ms: headers and part of the body, then the rest', async () => {
    sb.knobs.injectFault({ path: folderUrl(), kind: { type: 'stallBody', ms: 50 } });
    const res = await get(sb, demo, folderUrl());
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(sb.ids.emptyFolder);
  });

  it('afterSuccess: the operation happens, the answer is an error', async () => {
    sb.knobs.injectFault({ method: 'POST', path: `${folderUrl()}/subfolders`, kind: { type: 'afterSuccess', status: 504 } });
    const res = await call(sb, demo, 'POST', `${folderUrl()}/subfolders`, { json: { name: 'Created despite the error' } });
    expect(res.status).toBe(504);
    imanageError(res.body);
    const children = await get(sb, demo, `${folderUrl()}/children`);
    const created = children.body.data.find((c: { name: string }) => c.name === 'Created despite the error');
    expect(created).toBeDefined();
    await call(sb, demo, 'DELETE', `${libBase(sb)}/folders/${created.id}`);
  });
});

describe('a server that ignores paging', () => {
  it('answers every page as the first one, with the first cursor again, and logs what was sent', async () => {
    const children = `${libBase(sb)}/folders/${sb.ids.bigFolder}/children`;
    const first = await get(sb, demo, children, { limit: 5, paging_mode: 'standard_cursor' });
    const second = await get(sb, demo, children, { limit: 5, cursor: first.body.cursor });
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);

    sb.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'ignorePaging' } });
    sb.log.clear();
    const repeated = await get(sb, demo, children, { limit: 5, cursor: first.body.cursor });
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual(first.body);
    const byOffset = await get(sb, demo, children, { limit: 5, offset: 5 });
    expect(byOffset.body.data).toEqual(first.body.data);
    expect(sb.log.entries().map((e) => e.query)).toEqual([
      { limit: '5', cursor: first.body.cursor },
      { limit: '5', offset: '5' },
    ]);
    expect(sb.log.entries()[0]!.userId).toBe('JSMITH');
  });

  it('is also queued through the admin route', async () => {
    const own = await startSandbox({ adminRoutes: true });
    try {
      const token = (await login(own)).access_token;
      const list = `${libBase(own)}/workspaces`;
      const first = await get(own, token, list, { limit: 2, paging_mode: 'standard_cursor' });
      const queued = await call(own, undefined, 'POST', '/__sandbox/faults', { json: { path: { regex: '/workspaces$' }, kind: { type: 'ignorePaging' } } });
      expect(queued.status).toBe(201);
      expect((await get(own, token, list, { limit: 2, cursor: first.body.cursor })).body).toEqual(first.body);
      const after = await get(own, token, list, { limit: 2, cursor: first.body.cursor });
      expect(after.body.data.results[0].id).not.toBe(first.body.data.results[0].id);
    } finally {
      await own.close();
    }
  });
});

describe('latency and the request log', () => {
  it('adds latency without changing answers; reset clears it', async () => {
    sb.knobs.setLatency(20);
    expect((await get(sb, demo, '/api')).status).toBe(200);
    sb.knobs.reset();
    expect(sb.log.count()).toBe(0);
    expect(() => sb.knobs.setLatency(-1)).toThrow(TypeError);
  });

  it('holds many requests in their latency at once without a listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      sb.knobs.setLatency(50);
      const answers = await Promise.all(Array.from({ length: 30 }, () => get(sb, demo, '/api')));
      expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('records method, decoded path, query, status and user', async () => {
    sb.log.clear();
    await get(sb, demo, `${libBase(sb)}/folders/${sb.ids.emptyFolder.replace('!', '%21')}/children`, { limit: 5 });
    await get(sb, undefined, '/api');
    await get(sb, demo, '/nowhere');
    const entries = sb.log.entries();
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      method: 'GET',
      path: `${libBase(sb)}/folders/${sb.ids.emptyFolder}/children`,
      query: { limit: '5' },
      status: 200,
      userId: 'JSMITH',
    });
    expect(typeof entries[0]!.at).toBe('number');
    expect(entries[1]).toMatchObject({ path: '/api', status: 401 });
    expect(entries[1]!.userId).toBeUndefined();
    expect(entries[2]).toMatchObject({ path: '/nowhere', status: 404 });
    expect(sb.log.count({ path: /\/children$/ })).toBe(1);
    expect(sb.log.count({ method: 'get', path: '/api' })).toBe(1);
    expect(sb.log.count({ path: '/work/*' })).toBe(1);
    await login(sb);
    expect(sb.log.count({ method: 'POST', path: '/auth/oauth2/token' })).toBe(1);
    expect(sb.log.entries().at(-1)!.userId).toBe('JSMITH');
  });
});

describe('close with stalled requests pending', () => {
  it('closes promptly, failing the stalled clients', async () => {
    const own = await startSandbox();
    const token = (await login(own)).access_token;
    own.knobs.injectFault({ path: '/api', times: 2, kind: { type: 'stall' } });
    own.knobs.injectFault({ path: `${libBase(own)}/*`, kind: { type: 'stallBody' } });
    // Outcomes are settled into values at once, so no rejection is ever left unhandled.
    const outcome = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'answered',
        () => 'failed',
      );
    const stalled1 = outcome(fetch(`${own.url}/api`, { headers: { 'x-auth-token': token } }));
    const stalled2 = outcome(fetch(`${own.url}/api`, { headers: { 'x-auth-token': token } }));
    const half = await fetch(new URL(`${libBase(own)}/folders/${own.ids.emptyFolder}`, own.url), { headers: { 'x-auth-token': token } });
    expect(half.status).toBe(200);
    const body = outcome(half.text());
    await vi.waitFor(() => expect(own.log.count({ path: '/api', method: 'GET' })).toBeGreaterThanOrEqual(2), { interval: 5 });
    await own.close();
    expect(await stalled1).toBe('failed');
    expect(await stalled2).toBe('failed');
    expect(await body).toBe('failed');
    await own.close(); // idempotent
  });
});
