import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useCloseConnectionsWhileDraining, useReadinessProbe } from '../src/graphql/plugins/health.js';
import { startStack, useStack } from './helpers/stack.js';

/** `/healthz` and `/readyz`: the plugin on its own, then over HTTP against the whole stack. */

describe('useReadinessProbe', () => {
  const yogaWith = (options: Parameters<typeof useReadinessProbe>[0]) =>
    createYoga({ schema: createSchema({ typeDefs: 'type Query { x: Int }' }), plugins: [useReadinessProbe(options)], logging: false });

  it('answers 200 when the store answers, 503 when it fails, hangs or the server drains, with no detail', async () => {
    const failures: unknown[] = [];
    const cases: Array<[string, Parameters<typeof useReadinessProbe>[0], number]> = [
      ['ready', { ping: async () => {}, draining: () => false }, 200],
      ['store down', { ping: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')), draining: () => false, onFailure: (e) => failures.push(e) }, 503],
      ['store hangs', { ping: () => new Promise<void>(() => {}), draining: () => false, timeoutMs: 20, onFailure: (e) => failures.push(e) }, 503],
      ['draining', { ping: async () => {}, draining: () => true }, 503],
    ];
    for (const [name, options, status] of cases) {
      const res = await yogaWith(options).fetch('http://localhost/readyz');
      expect(res.status, name).toBe(status);
      const text = await res.text();
      expect(text.trim(), name).toBe(status === 200 ? 'ready' : 'not ready');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    // The reasons go to the log, not to the caller.
    expect(failures).toHaveLength(2);
    expect(String(failures[1])).toMatch(/did not answer within 20 ms/);
  });

  it('answers only its exact path', async () => {
    const yoga = yogaWith({ ping: async () => {}, draining: () => false });
    expect((await yoga.fetch('http://localhost/readyz/more')).status).toBe(404);
    expect((await (await yoga.fetch('http://localhost/graphql?x=/readyz', { headers: { accept: 'application/json' } })).text()).trim()).not.toBe('ready');
  });
});

describe('useCloseConnectionsWhileDraining', () => {
  it('adds Connection: close once draining begins', async () => {
    let draining = false;
    const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { x: Int }' }), plugins: [useCloseConnectionsWhileDraining(() => draining)], logging: false });
    const ask = () => yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ x }"}' });
    expect((await ask()).headers.get('connection')).toBeNull();
    draining = true;
    expect((await ask()).headers.get('connection')).toBe('close');
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

  it('/readyz answers 503 once the store stops answering (and /healthz still 200)', async () => {
    const broken = await startStack({ connect: [] });
    try {
      await broken.services.store.close();
      const ready = await fetch(broken.url + '/readyz');
      expect(ready.status).toBe(503);
      expect((await ready.text()).trim()).toBe('not ready');
      expect((await fetch(broken.url + '/healthz')).status).toBe(200);
      expect(broken.logs.join('\n')).toMatch(/not ready: the token store did not answer/);
    } finally {
      await broken.close();
    }
  });
});
