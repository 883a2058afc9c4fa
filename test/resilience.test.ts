import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IManageCancelledError, IManageCircuitOpenError, IManageHttpError } from '../src/imanage/errors.js';
import { ResilientUpstream } from '../src/imanage/resilience.js';
import { discard, IManageTransport } from '../src/imanage/transport.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { codes, startStack, useStack } from './helpers/stack.js';

/** Upstream policy against the sandbox's faults: each ends in the expected data or code, attempts counted. */

const FOLDER = `query($id: ID!) { folder(id: $id) { id name } }`;
const FOLDER_GET = /\/folders\/[^/]+$/;

describe('through the GraphQL server', () => {
  // A breaker reset no test waits out: the outage test moves a fake clock past it.
  const BREAKER_RESET_MS = 60_000;
  const stack = useStack({ env: { IMANAGE_BREAKER_RESET_MS: String(BREAKER_RESET_MS) } });
  const id = () => stack.sandbox.ids.deepFolderPath[1]!;

  for (const [name, kind] of [
    ['a single 500', { type: 'status', status: 500 }],
    ['a single 503', { type: 'status', status: 503 }],
    ['a reset connection', { type: 'reset' }],
    ['a truncated body', { type: 'truncate' }],
  ] as const) {
    it(`retries a read after ${name} and answers with data (2 attempts)`, async () => {
      stack.sandbox.knobs.injectFault({ path: FOLDER_GET, kind });
      const res = await stack.gql(FOLDER, { id: id() });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.folder.id).toBe(id());
      expect(stack.apiCalls({ path: FOLDER_GET })).toBe(2);
    });
  }

  // iManage's search and filing-location calls are POSTs whose body is a query: reads, retried as GETs are.
  for (const [name, path, query] of [
    [
      'a document search',
      /\/documents\/search$/,
      `{ library(id: "ACTIVE_US") { documents(filter: { name: "witness" }, first: 5) { edges { node { id } } } } }`,
    ],
    ['a filing-location lookup', /\/documents\/parents$/, `query($id: ID!) { document(id: $id) { locations { id } } }`],
  ] as const) {
    it(`retries ${name} (a POST that only reads) after a 503 and answers with data (2 attempts)`, async () => {
      stack.sandbox.knobs.injectFault({ method: 'POST', path, kind: { type: 'status', status: 503 } });
      const res = await stack.gql(query, { id: stack.sandbox.ids.textDocument });
      expect(res.body.errors).toBeUndefined();
      expect(JSON.stringify(res.body.data)).toContain('!');
      expect(stack.apiCalls({ method: 'POST', path })).toBe(2);
    });
  }

  it('waits out a 429 burst for x-ratelimit-reset, then answers (attempts counted)', async () => {
    stack.sandbox.knobs.injectFault({ path: FOLDER_GET, kind: { type: 'status', status: 429, headers: { 'x-ratelimit-reset': '1' } }, times: 2 });
    const res = await stack.gql(FOLDER, { id: id() });
    expect(res.body.errors).toBeUndefined();
    expect(stack.apiCalls({ path: FOLDER_GET })).toBe(3);
  });

  it('answers RATE_LIMITED with retryAfter, HTTP 429 and Retry-After when the wait would pass the deadline', async () => {
    stack.sandbox.knobs.injectFault({ path: FOLDER_GET, kind: { type: 'status', status: 429, headers: { 'x-ratelimit-reset': '90' } } });
    const res = await stack.gql(FOLDER, { id: id() });
    expect(codes(res)).toEqual(['RATE_LIMITED']);
    expect(res.body.errors![0]!.extensions!.retryAfter).toBe(90);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('90');
    expect(res.body.errors![0]!.extensions!.http).toBeUndefined();
    expect(stack.apiCalls()).toBe(1);
    // Until the reset, this user's calls are not sent at all.
    const again = await stack.gql(FOLDER, { id: stack.sandbox.ids.deepFolderPath[0]! });
    expect(codes(again)).toEqual(['RATE_LIMITED']);
    expect(again.body.errors![0]!.extensions!.retryAfter).toBeGreaterThan(80);
    expect(stack.apiCalls()).toBe(1);
    // Another user is not held back.
    const other = await stack.gql(FOLDER, { id: id() }, { user: 'second' });
    expect(other.body.errors).toBeUndefined();
  });

  it('never retries a non-retryable answer: 404, 403 and unreadable bodies cost one attempt', async () => {
    for (const kind of [{ type: 'status', status: 403 }, { type: 'nonJson' }] as const) {
      stack.resetCounts();
      stack.sandbox.knobs.injectFault({ path: FOLDER_GET, kind });
      await stack.gql(FOLDER, { id: id() });
      expect(stack.apiCalls({ path: FOLDER_GET })).toBe(1);
    }
  });

  it('opens the breaker in an outage, fails fast without calling iManage, and recovers after a probe', async () => {
    // The breaker's reset timer is fake and moved by hand below; `shouldAdvanceTime` lets every other
    // timer on the way (retry backoff, sockets) run with real time, so loopback HTTP cannot stall on it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      stack.sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'status', status: 503 }, times: Infinity });
      const first = await stack.gql(FOLDER, { id: id() });
      expect(codes(first)).toEqual(['UPSTREAM_UNAVAILABLE']);
      for (let i = 0; i < 6 && stack.services.upstream.openHosts().length === 0; i++) await stack.gql(FOLDER, { id: id() });
      expect(stack.services.upstream.openHosts()).toEqual([new URL(stack.sandbox.url).origin]);
      stack.resetCounts();
      const fast = await stack.gql(FOLDER, { id: id() });
      expect(codes(fast)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(stack.apiCalls()).toBe(0);

      stack.sandbox.knobs.clearFaults();
      vi.advanceTimersByTime(BREAKER_RESET_MS); // half-open: the next call is the probe
      const recovered = await stack.gql(FOLDER, { id: id() });
      expect(recovered.body.errors).toBeUndefined();
      expect(stack.services.upstream.openHosts()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps one user at most IMANAGE_CONCURRENCY_PER_USER calls in flight, however wide the query', async () => {
    stack.sandbox.knobs.setLatency(30);
    const ids = stack.sandbox.ids.deepFolderPath.slice(0, 3);
    const lists = Array.from({ length: 20 }, (_, i) => `l${i}: folder(id: "${ids[i % 3]}") { subfolders(first: ${i + 1}) { totalCount } }`).join(' ');
    const res = await stack.gql(`{ ${lists} }`);
    expect(res.body.errors).toBeUndefined();
    expect(stack.apiCalls({ path: /children$/ })).toBe(20);
    expect(stack.sandbox.log.peakInFlight()).toBeLessThanOrEqual(stack.config.imanageConcurrencyPerUser);
    expect(stack.sandbox.log.peakInFlight()).toBeGreaterThan(1);
  });

  it('keeps the whole instance at most IMANAGE_CONNECTIONS calls in flight to one iManage host', async () => {
    const narrow = await startStack({ env: { IMANAGE_CONNECTIONS: '2' }, connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
    try {
      narrow.sandbox.knobs.setLatency(30);
      const ids = narrow.sandbox.ids.deepFolderPath.slice(0, 3);
      const lists = Array.from({ length: 12 }, (_, i) => `l${i}: folder(id: "${ids[i % 3]}") { subfolders(first: ${i + 1}) { totalCount } }`).join(' ');
      narrow.resetCounts();
      const res = await narrow.gql(`{ ${lists} }`);
      expect(res.body.errors).toBeUndefined();
      expect(narrow.apiCalls({ path: /children$/ })).toBe(12);
      expect(narrow.sandbox.log.peakInFlight()).toBe(2);
    } finally {
      await narrow.close();
    }
  });

  it('gives up at the operation deadline when iManage is slower than it', async () => {
    const slow = await startStack({ env: { OPERATION_DEADLINE_MS: '400' }, connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
    try {
      slow.sandbox.knobs.setLatency(1000);
      const res = await slow.gql(FOLDER, { id: slow.sandbox.ids.deepFolderPath[0]! });
      expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
      // The sandbox logs a request once its latency has passed or its caller hung up: wait for that
      // (no call left in flight), then count.
      await vi.waitFor(() => expect(slow.sandbox.log.inFlight()).toBe(0), { timeout: 5_000, interval: 5 });
      expect(slow.apiCalls()).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('callers who hang up', () => {
  it('one user abandoning 40 slow calls neither opens the breaker nor holds up other users; each call is cancelled upstream, not retried', async () => {
    // Timeouts far longer than the test: a call can only end early because its caller left.
    const stack = await startStack({ env: { IMANAGE_TIMEOUT_MS: '120000', OPERATION_DEADLINE_MS: '300000' } });
    try {
      const { sandbox } = stack;
      sandbox.knobs.setLatency(60_000);
      const token = await stack.token('demo');
      for (let i = 0; i < 40; i++) {
        const hangUp = new AbortController();
        const request = fetch(`${stack.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: FOLDER, variables: { id: sandbox.ids.deepFolderPath[i % 4] } }),
          signal: hangUp.signal,
        }).catch(() => null);
        await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(1), { timeout: 5_000, interval: 5 });
        hangUp.abort();
        await request;
        // The sandbox drops a request as soon as its connection closes: our server cancelled the call.
        await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(0), { timeout: 5_000, interval: 5 });
      }
      const entries = sandbox.log.entries().filter((e) => FOLDER_GET.test(e.path));
      expect(entries).toHaveLength(40); // no retries
      expect(entries.every((e) => e.status === 0)).toBe(true); // dropped, never answered
      expect(stack.services.upstream.openHosts()).toEqual([]);

      sandbox.knobs.setLatency(0);
      stack.resetCounts();
      for (const user of ['second', 'demo', 'second']) {
        const res = await stack.gql(FOLDER, { id: sandbox.ids.deepFolderPath[0]! }, { user });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data!.folder.id).toBe(sandbox.ids.deepFolderPath[0]);
      }
      expect(stack.apiCalls()).toBe(3);
    } finally {
      // The sandbox first: calls still waiting out its latency (should the test fail) end with it.
      await stack.sandbox.close();
      await stack.close();
    }
  });
});

describe('the upstream policy on its own, against the sandbox over HTTP', () => {
  let sandbox: Sandbox;
  let transport: IManageTransport;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    transport = new IManageTransport({ timeoutMs: 2000 });
    const res = await fetch(`${sandbox.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: sandbox.users.demo!.id,
        password: sandbox.users.demo!.password,
        client_id: sandbox.apps.default.clientId,
        client_secret: sandbox.apps.default.clientSecret,
      }),
    });
    token = (await res.json()).access_token;
  });
  afterAll(async () => {
    await transport.close();
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.knobs.reset();
  });
  const scope = () => ({ userKey: 'u', deadline: Date.now() + 10_000 });
  const api = (path: string) => new URL(`${sandbox.url}/work/api/v2/customers/${sandbox.customerId}${path}`);
  const noWait = { sleep: async () => {}, breaker: { errorThresholdPercentage: 50, volumeThreshold: 1000, rollingWindowMs: 10_000, resetTimeoutMs: 1000 } };

  it('never retries a write, whatever the failure', async () => {
    const upstream = new ResilientUpstream(transport, noWait);
    const folder = sandbox.ids.emptyFolder;
    sandbox.knobs.injectFault({ method: 'POST', path: '/work/api/*', kind: { type: 'status', status: 503 }, times: Infinity });
    await expect(
      upstream.send(
        {
          method: 'POST',
          url: api(`/libraries/${folder.split('!')[0]}/folders/${folder}/subfolders`),
          operation: 'POST',
          token,
          body: { json: { name: 'x' } },
        },
        scope(),
      ),
    ).rejects.toBeInstanceOf(IManageHttpError);
    expect(sandbox.log.count({ method: 'POST' })).toBe(1);
    upstream.close();
  });

  it('spends a retry budget, so an outage gets few retries beyond the first attempts', async () => {
    const upstream = new ResilientUpstream(transport, { ...noWait, retryBudgetMax: 5, retryBudgetRatio: 0.1 });
    sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'status', status: 500 }, times: Infinity });
    const calls = 30;
    for (let i = 0; i < calls; i++) {
      await upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token }, scope()).catch(() => {});
    }
    const attempts = sandbox.log.count({ path: '/work/api/*' });
    // 30 first attempts; retries limited to the 5 saved plus 10 % of the calls (about 3), not 2 per call (60).
    expect(attempts).toBeGreaterThanOrEqual(calls + 5);
    expect(attempts).toBeLessThanOrEqual(calls + 5 + Math.ceil(calls * 0.1));
    upstream.close();
  });

  it("a streamed call is retried before its headers only, and holds one of its user's transfer slots, not a call slot, until its body ends or fails", async () => {
    const upstream = new ResilientUpstream(transport, { ...noWait, perUserConcurrency: 1, perUserTransfers: 1 });
    const id = sandbox.ids.largeDocument;
    const DOWNLOADS = /\/download$/;
    const download = () =>
      upstream.stream({ method: 'GET', url: api(`/libraries/${id.split('!')[0]}/documents/${id}/download`), operation: 'GET download', token }, scope());
    const libraries = () => upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET /libraries', token }, scope());

    // A 503 before the headers is retried: the answer is the retry's.
    sandbox.knobs.injectFault({ path: DOWNLOADS, kind: { type: 'status', status: 503 } });
    const first = await download();
    expect(first.status).toBe(200);
    expect(sandbox.log.count({ path: DOWNLOADS })).toBe(2);
    // While its body is open, the same user's calls go at once (the one call slot is free)...
    await libraries();
    expect(sandbox.log.count({ path: /\/libraries$/ })).toBe(1);
    // ...and the user's next transfer waits for the one transfer slot...
    let started = false;
    const second = download().then((response) => {
      started = true;
      return response;
    });
    let read = 0;
    for await (const chunk of first.body as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > 4 * 1024 * 1024) break; // leaving the loop destroys the body
    }
    expect(started).toBe(false);
    expect(sandbox.log.count({ path: DOWNLOADS })).toBe(2);
    // ...and goes once the body is done with.
    discard((await second).body);
    expect(sandbox.log.count({ path: DOWNLOADS })).toBe(3);

    // A failure in the body is the body's error, never a retry, and frees the slot.
    sandbox.knobs.injectFault({ path: DOWNLOADS, kind: { type: 'abortBody', afterBytes: 100_000 } });
    const cut = await download();
    await expect(
      (async () => {
        for await (const _ of cut.body) void _;
      })(),
    ).rejects.toThrow();
    expect(sandbox.log.count({ path: DOWNLOADS })).toBe(4);
    discard((await download()).body);
    expect(sandbox.log.count({ path: DOWNLOADS })).toBe(5);
    // The sandbox sees the last transfer's connection close before the next test counts its calls.
    await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(0), { interval: 5 });
    upstream.close();
  });

  it('a call its caller abandons is cancelled, not retried, and no failure to the breaker', async () => {
    const upstream = new ResilientUpstream(transport, {
      sleep: async () => {},
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 },
    });
    // iManage holds every call until its caller hangs up.
    sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'stall' }, times: Infinity });
    for (let i = 0; i < 10; i++) {
      const hangUp = new AbortController();
      const call = upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token, signal: hangUp.signal }, scope());
      await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(1), { interval: 1 });
      hangUp.abort();
      await expect(call).rejects.toBeInstanceOf(IManageCancelledError);
      await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(0), { interval: 1 });
    }
    expect(sandbox.log.count({ path: '/work/api/*' })).toBe(10);
    expect(upstream.openHosts()).toEqual([]);
    // A call whose caller left while it waited for a slot is not sent at all.
    const gone = new AbortController();
    gone.abort();
    await expect(upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token, signal: gone.signal }, scope())).rejects.toBeInstanceOf(
      IManageCancelledError,
    );
    expect(sandbox.log.count({ path: '/work/api/*' })).toBe(10);
    upstream.close();
  });

  it("a half-open breaker's probe runs to its end when its caller leaves, so hanging up neither closes nor reopens it", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the breaker's reset and the sandbox's latency
    const upstream = new ResilientUpstream(transport, {
      sleep: async () => {},
      maxRetries: 0,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 },
    });
    try {
      const get = (signal?: AbortSignal) => upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token, signal }, scope());
      sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'status', status: 503 }, times: 4 });
      for (let i = 0; i < 4; i++) await get().catch(() => {});
      expect(upstream.openHosts()).toHaveLength(1);

      const probeAbandoned = async (): Promise<void> => {
        sandbox.log.clear();
        vi.advanceTimersByTime(60_000); // half-open: the next call is the probe
        const hangUp = new AbortController();
        const probe = get(hangUp.signal);
        await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(1), { interval: 1 });
        hangUp.abort();
        await expect(probe).rejects.toBeInstanceOf(IManageCancelledError); // the caller is answered at once
        await vi.advanceTimersByTimeAsync(1_000); // the sandbox's latency: the probe goes on and gets its answer
        await vi.waitFor(() => expect(sandbox.log.inFlight()).toBe(0), { interval: 1 });
      };
      sandbox.knobs.setLatency(1_000);
      // iManage still failing: the abandoned probe's 503 reopens the breaker.
      sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'status', status: 503 } });
      await probeAbandoned();
      expect(sandbox.log.entries().map((e) => e.status)).toEqual([503]);
      expect(upstream.openHosts()).toHaveLength(1);
      // iManage back: the abandoned probe's 200 closes it.
      await probeAbandoned();
      expect(sandbox.log.entries().map((e) => e.status)).toEqual([200]);
      expect(upstream.openHosts()).toEqual([]);
    } finally {
      upstream.close();
      vi.useRealTimers();
    }
  });

  it('opens on 5xx but never on 4xx', async () => {
    const upstream = new ResilientUpstream(transport, {
      sleep: async () => {},
      maxRetries: 0,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, rollingWindowMs: 10_000, resetTimeoutMs: 60_000 },
    });
    sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'status', status: 404 }, times: 10 });
    for (let i = 0; i < 10; i++) await upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token }, scope()).catch(() => {});
    expect(upstream.openHosts()).toEqual([]);
    sandbox.knobs.injectFault({ path: '/work/api/*', kind: { type: 'status', status: 500 }, times: Infinity });
    for (let i = 0; i < 20 && upstream.openHosts().length === 0; i++)
      await upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token }, scope()).catch(() => {});
    expect(upstream.openHosts()).toHaveLength(1);
    await expect(upstream.send({ method: 'GET', url: api('/libraries'), operation: 'GET', token }, scope())).rejects.toBeInstanceOf(IManageCircuitOpenError);
    upstream.close();
  });
});
