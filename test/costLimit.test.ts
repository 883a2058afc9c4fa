import { readFileSync } from 'node:fs';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryFor, SandboxRest, SCENARIOS, seedBenchData } from '../bench/scenarios.js';
import { exampleTabs } from '../src/graphql/examples.js';
import { codes, startStack, useStack, type Stack } from './helpers/stack.js';

/**
 * The cost limit judges what an operation really costs: the iManage calls it makes are counted as
 * they are sent (the client), and past MAX_UPSTREAM_CALLS_PER_OPERATION the next one is not sent, its
 * field fails with COST_LIMIT_EXCEEDED and the data already had arrives. The static estimate only
 * refuses absurd documents: everything this project shows or measures runs as written.
 */

const README_TREE = /* GraphQL */ `{ customer { libraries { id workspaces(first: 5) { edges { node { name
  folders { edges { node { name subfolders { totalCount } } } } } } } } } }`;

const THREE_LEVELS = /* GraphQL */ `query($id: ID!) { workspace(id: $id) { folders(first: 50) { edges { node { id
  subfolders(first: 50) { edges { node { id subfolders(first: 50) { totalCount edges { node { id } } } } } } } } } } }`;

const PLAIN_TREE = /* GraphQL */ `{ customer { libraries { id workspaces { edges { node { name
  folders { edges { node { name subfolders { totalCount } } } } } } } } } }`;

describe('MAX_UPSTREAM_CALLS_PER_OPERATION', () => {
  const BUDGET = 6;
  const stack = useStack({ env: { MAX_UPSTREAM_CALLS_PER_OPERATION: String(BUDGET) }, connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

  it('fills what the budget allows, fails the rest with COST_LIMIT_EXCEEDED on each unfilled field, and sends no call past it', async () => {
    stack.resetCounts();
    const res = await stack.gql(README_TREE);
    expect(stack.apiCalls()).toBe(BUDGET);
    expect(res.status).toBe(200);

    // The data that was fetched arrives: the libraries and the pages the budget paid for.
    const libraries = res.body.data!.customer.libraries as Array<{ id: string; workspaces: { edges: Array<{ node: any }> } | null }>;
    expect(libraries.map((l) => l.id).sort()).toEqual([...stack.sandbox.ids.libraries].sort());
    const filled = libraries.flatMap((l) => l.workspaces?.edges ?? []).flatMap((e) => e.node.folders?.edges ?? []);
    expect(filled.length).toBeGreaterThan(0);

    // Each unfilled field is null, with its own error and path, and says which limit it met.
    const errors = res.body.errors!;
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED', maxUpstreamCalls: BUDGET });
      expect(error.message).toMatch(/limit of 6 iManage calls/);
      expect(['workspaces', 'folders', 'subfolders']).toContain(error.path!.at(-1));
      let value: any = res.body.data;
      for (const key of error.path!) value = value[key];
      expect(value).toBeNull();
    }
    // Nothing fails that was not refused by the budget.
    const blanks = JSON.stringify(res.body.data).match(/"(workspaces|folders|subfolders)":null/g) ?? [];
    expect(blanks).toHaveLength(errors.length);

    // The operation's log line counts the calls it made.
    const line = stack.logs.map((l) => JSON.parse(l)).findLast((l) => l.msg === 'graphql operation');
    expect(line).toMatchObject({ upstreamCalls: BUDGET, errorCodes: errors.map(() => 'COST_LIMIT_EXCEEDED') });
  });

  it('counts retries as calls: a retry past the budget is not made, and the failure stands', async () => {
    const one = await startStack({ env: { MAX_UPSTREAM_CALLS_PER_OPERATION: '1' }, connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
    try {
      const id = one.sandbox.ids.deepFolderPath[0]!;
      one.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'status', status: 503 }, times: Infinity });
      const res = await one.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id });
      expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(one.apiCalls()).toBe(1); // without the budget: 3 attempts (errors.test.ts)

      // A create the budget stops was never sent: it fails as such, and nothing is looked for or created.
      one.sandbox.knobs.clearFaults();
      one.services.upstream.reset();
      one.resetCounts();
      const create = await one.gql(
        `mutation($parentId: ID!) { createSubfolder(input: { parentId: $parentId, name: "Over budget", idempotencyKey: "over-budget-1" }) { folder { id } } }`,
        { parentId: id },
      );
      expect(codes(create)).toEqual(['COST_LIMIT_EXCEEDED']);
      expect(create.body.data).toEqual({ createSubfolder: null });
      expect(one.apiCalls()).toBe(1); // what the parent is; the POST was not sent, no listing to reconcile
      expect(one.apiCalls({ method: 'POST' })).toBe(0);
    } finally {
      await one.close();
    }
  });

  it('starts every operation with the whole budget', async () => {
    for (let i = 0; i < 3; i++) {
      stack.resetCounts();
      const res = await stack.gql(`{ customer { libraries { id } } }`);
      expect(res.body.errors).toBeUndefined();
      expect(stack.apiCalls()).toBe(1);
    }
  });
});

describe('with the default budget', () => {
  const stack = useStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

  const noErrors = (res: Awaited<ReturnType<Stack['gql']>>, what: string) =>
    expect(res.body.errors, `${what}: ${JSON.stringify(res.body.errors)?.slice(0, 300)}`).toBeUndefined();

  it('answers the plain tree query (default page sizes) and a three-level first: 50 tree in full', async () => {
    for (const query of [README_TREE, PLAIN_TREE]) {
      stack.resetCounts();
      noErrors(await stack.gql(query), query.slice(0, 40));
      expect(stack.apiCalls()).toBeLessThanOrEqual(stack.config.maxUpstreamCallsPerOperation);
    }
    stack.resetCounts();
    const res = await stack.gql(THREE_LEVELS, { id: stack.sandbox.ids.workspaceWithDeepTree });
    noErrors(res, 'three levels');
    expect(res.body.data!.workspace.folders.edges.length).toBeGreaterThan(0);
  });

  it('bounds the list items an operation answers: nested versions served from the cache stop at the limit, with one error', async () => {
    const { documentId } = stack.sandbox.ids;
    const number = documentId.slice(0, documentId.lastIndexOf('.'));
    // A document of 30 versions: two iManage calls, and 30 × 30 × 30 × 30 versions if nothing stopped it.
    const row = (await stack.services.store.connections.get('demo'))!;
    const base = `${row.apiBaseUrl}/customers/${stack.sandbox.customerId}/libraries/ACTIVE_US`;
    const latest = ((await (await fetch(`${base}/documents/${documentId}`, { headers: { 'x-auth-token': row.accessToken } })).json()) as { data: object }).data;
    const versions = Array.from({ length: 30 }, (_, i) => ({ ...latest, id: `${number}.${i + 1}`, version: i + 1, is_latest: i === 29 }));
    stack.sandbox.knobs.injectFault({ path: /\/versions$/, times: Infinity, kind: { type: 'status', status: 200, body: { data: versions } } });
    stack.resetCounts();
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { id versions { id versions { id versions { id versions { id } } } } } }`, {
      id: documentId,
    });
    const over = res.body.errors!.filter((e) => e.extensions?.code === 'COST_LIMIT_EXCEEDED');
    expect(over).toHaveLength(1);
    expect(over[0]!.extensions).toMatchObject({ maxListItems: stack.config.limits.maxListItems, listsNotFilled: expect.any(Number) });
    expect(res.body.data!.document.versions).toHaveLength(30);
    expect(JSON.stringify(res.body).length).toBeLessThan(10_000_000);
    expect(stack.apiCalls()).toBeLessThanOrEqual(3);
  });

  it("runs every GraphiQL example, the README's queries and the bench's queries as written, none near a cost limit", async () => {
    const documents: Array<[string, string, Record<string, unknown>]> = [];
    for (const tab of exampleTabs) {
      const operation = parse(tab.query).definitions[0] as OperationDefinitionNode;
      documents.push([`GraphiQL ${operation.name?.value}`, tab.query, tab.variables ? JSON.parse(tab.variables) : {}]);
    }
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([^]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    blocks.forEach((block, i) => documents.push([`README query ${i + 1}`, block, {}]));
    const rest = await SandboxRest.login(stack.sandbox.url, stack.sandbox.users.demo!, stack.sandbox.apps.default);
    const data = await seedBenchData(rest);
    for (const scenario of SCENARIOS) documents.push([`bench (${scenario.key})`, queryFor(scenario, data), scenario.variables(data)]);

    for (const [what, query, variables] of documents) {
      const res = await stack.gql(print(parse(query)), variables);
      expect(codes(res), what).not.toContain('COST_LIMIT_EXCEEDED');
      expect(res.body.errors?.map((e) => e.extensions?.limit) ?? [], what).not.toContain('cost');
      noErrors(res, what);
    }
  });
});
