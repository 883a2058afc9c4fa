import { describe, expect, it } from 'vitest';
import { readiness } from '../src/http/health.js';
import { startStack, useStack } from './helpers/stack.js';

/** `/healthz` and `/readyz`: the readiness check on its own, then over HTTP against the whole stack. */

describe('readiness', () => {
  it('answers 200 when the store answers, 503 when it fails, hangs or the server drains, with no detail', async () => {
    const failures: unknown[] = [];
    const cases: Array<[string, Parameters<typeof readiness>[0], number]> = [
      ['ready', { ping: async () => {}, draining: () => false }, 200],
      [
        'store down',
        {
          ping: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')),
          draining: () => false,
          onFailure: (e) => failures.push(e),
        },
        503,
      ],
      ['store hangs', { ping: () => new Promise<void>(() => {}), draining: () => false, timeoutMs: 20, onFailure: (e) => failures.push(e) }, 503],
      ['draining', { ping: async () => {}, draining: () => true }, 503],
    ];
    for (const [name, options, status] of cases) {
      const res = await readiness(options)();
      expect(res.status, name).toBe(status);
      const text = await res.text();
      expect(text.trim(), name).toBe(status === 200 ? 'ready' : 'not ready');
    }
    // The reasons go to the log, not to the caller.
    expect(failures).toHaveLength(2);
    expect(String(failures[1])).toMatch(/did not answer within 20 ms/);
  });
});

describe('over HTTP', () => {
  const stack = useStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

  it('/healthz and /readyz answer 200 without a token and without calling iManage; /health is gone', async () => {
    stack.resetCounts();
    for (const path of ['/healthz', '/readyz']) {
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(stack.url + path, { method });
        expect(res.status, `${method} ${path}`).toBe(200);
      }
    }
    expect((await fetch(stack.url + '/health')).status).toBe(404);
    expect(stack.apiCalls()).toBe(0);
  });

  it('/readyz answers its exact path only, with Cache-Control: no-store', async () => {
    const ready = await fetch(stack.url + '/readyz');
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(stack.url + '/readyz/more')).status).toBe(404);
    const graphql = await fetch(stack.url + '/graphql?x=/readyz', { headers: { accept: 'application/json' } });
    expect((await graphql.text()).trim()).not.toBe('ready');
  });

  it('marks the answer to a request in flight when the drain begins with Connection: close', async () => {
    const draining = await startStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
    try {
      const token = await draining.token('demo');
      draining.sandbox.knobs.setLatency(300);
      const inFlight = fetch(`${draining.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ customer { libraries { id } } }' }),
      });
      while (draining.sandbox.log.inFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const closed = draining.app.close();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.headers.get('connection')).toBe('close');
      expect((await res.json()).errors).toBeUndefined();
      await closed;
    } finally {
      await draining.close();
    }
  });

  it('/readyz answers 503 once the store stops answering (and /healthz still 200)', async () => {
    const broken = await startStack({ connect: [] });
    try {
      await broken.services.store.close();
      const ready = await fetch(broken.url + '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('cache-control')).toBe('no-store');
      expect((await ready.text()).trim()).toBe('not ready');
      expect((await fetch(broken.url + '/healthz')).status).toBe(200);
      expect(broken.logs.join('\n')).toMatch(/not ready: the token store did not answer/);
    } finally {
      await broken.close();
    }
  });
});
