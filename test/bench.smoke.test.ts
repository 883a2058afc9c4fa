import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlainYoga } from '../bench/baselines.js';
import { benchDocumentPage, documentPageTargets } from '../bench/documentPage.js';
import { queryFor, roundTrips, SandboxRest, SCENARIOS, seedBenchData, type BenchData } from '../bench/scenarios.js';
import { startStack, type Stack } from './helpers/stack.js';

/**
 * The CI smoke run of the bench (`npm run bench:smoke`): every scenario of `bench/` a few times against
 * the facade and the plain-resolver baseline, counting iManage calls at the sandbox. The facade must
 * make exactly the lower bound, answer as the baseline does, and in (e) and (f) make at most a tenth
 * of the baseline's calls. Counts only: timings are for `npm run bench`.
 */

const RUNS = 3;

let stack: Stack;
let plain: Server;
let plainUrl: string;
let data: BenchData;

beforeAll(async () => {
  stack = await startStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
  plain = createServer(createPlainYoga({ ...stack.services, config: stack.config, logger: pino({ level: 'silent' }) }));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const { sandbox } = stack;
  data = await seedBenchData(await SandboxRest.login(sandbox.url, sandbox.users.demo!, sandbox.apps.default));
});

afterAll(async () => {
  plain?.closeAllConnections();
  await new Promise((resolve) => plain?.close(resolve));
  await stack?.close();
});

async function run(baseUrl: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('demo')}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
  return body;
}

describe('bench smoke: iManage calls per scenario', () => {
  for (const scenario of SCENARIOS) {
    it(`(${scenario.key}) ${scenario.title}: the facade makes the lower bound`, async () => {
      const query = queryFor(scenario, data);
      const variables = scenario.variables(data);
      for (let i = 0; i < RUNS; i++) {
        stack.resetCounts();
        const ours = await run(stack.url, query, variables);
        const calls = stack.apiCalls();
        expect(ours.errors).toBeUndefined();
        const bound = scenario.lowerBound(data, ours.data!);
        expect(calls).toBe(bound.calls);

        stack.resetCounts();
        const theirs = await run(plainUrl, query, variables);
        const baselineCalls = stack.apiCalls();
        expect(theirs.errors).toBeUndefined();
        if (scenario.comparable) expect(ours.data).toEqual(theirs.data);
        expect(baselineCalls).toBeGreaterThanOrEqual(calls);
        if (scenario.key === 'e' || scenario.key === 'f') expect(baselineCalls).toBeGreaterThanOrEqual(10 * calls);
      }
    });
  }

  it('builds the scenarios the bench describes', () => {
    // (e) is four levels down under 10 parents, 5 grandparents and one root: three calls find them all.
    expect(data.searchAncestorLevels).toEqual([10, 5, 1]);
    const search = SCENARIOS.find((s) => s.key === 'e')!;
    expect(search.lowerBound(data, {})).toEqual({ calls: 5, waves: [1, 1, 1, 1, 1] });
    expect(roundTrips({ calls: 10, waves: [1, 9] }, 8)).toBe(3);
  });
});

describe('bench smoke: a page of documents (bench/documentPage.ts)', () => {
  it('counts the calls of a page of 100 documents with people and locations, within the target', async () => {
    const figures = await benchDocumentPage({
      facadeUrl: stack.url,
      appToken: await stack.token('demo'),
      folderId: stack.sandbox.ids.bigDocumentFolder,
      upstreamCalls: async () => stack.apiCalls(),
    });
    expect(figures.documents).toBe(100);
    expect(documentPageTargets(figures)).toEqual([expect.objectContaining({ met: true })]);
  });
});
