import { describe, expect, it } from 'vitest';
import { codes, useStack } from './helpers/stack.js';

/**
 * CONTRACT §5: a field that costs an iManage call fails on its own, at any depth: it is null with its
 * error and path, and the rest of the answer arrives.
 */

const stack = useStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

/** The sandbox path of a folder's children listing, for a fault on that one folder. */
const childrenPath = (id: string) => `/work/api/v2/customers/${stack.sandbox.customerId}/libraries/${id.split('!')[0]}/folders/${id}/children`;

const TREE = /* GraphQL */ `query($id: ID!) { workspace(id: $id) { name folders(first: 20) { edges { node { id name
  subfolders(first: 20) { edges { node { id name
    subfolders(first: 20) { edges { node { id name
      subfolders(first: 20) { totalCount edges { node { id name } } } } } } } } } } } } } }`;

type Node = { id: string; name: string; subfolders: { edges: Array<{ node: Node }>; totalCount?: number } | null };
const nodes = (connection: Node['subfolders']) => connection?.edges.map((e) => e.node) ?? [];

describe('one failing field, three levels down', () => {
  for (const [name, status, code] of [
    // A read iManage refuses is NOT_FOUND, never a hint that the object exists (issue 14).
    ['a 403', 403, 'NOT_FOUND'],
    ['a 500', 500, 'UPSTREAM_UNAVAILABLE'],
  ] as const) {
    it(`${name} on one folder's subfolders nulls only that field, with its error and path; the rest of the tree arrives`, async () => {
      const [top, second, third] = stack.sandbox.ids.deepFolderPath as [string, string, string];
      const healthy = await stack.gql(TREE, { id: stack.sandbox.ids.workspaceWithDeepTree });
      expect(healthy.body.errors).toBeUndefined();

      stack.sandbox.knobs.injectFault({ path: childrenPath(third), kind: { type: 'status', status }, times: Infinity });
      const res = await stack.gql(TREE, { id: stack.sandbox.ids.workspaceWithDeepTree });
      expect(codes(res)).toEqual([code]);

      // The error's path leads to the third-level folder's subfolders (placed as in the healthy answer).
      const level1 = (healthy.body.data!.workspace.folders.edges as Array<{ node: Node }>).map((e) => e.node);
      const i = level1.findIndex((f) => f.id === top);
      const j = nodes(level1[i]!.subfolders).findIndex((f) => f.id === second);
      const k = nodes(nodes(level1[i]!.subfolders)[j]!.subfolders).findIndex((f) => f.id === third);
      expect(Math.min(i, j, k)).toBeGreaterThanOrEqual(0);
      expect(res.body.errors![0]!.path).toEqual([
        'workspace',
        'folders',
        'edges',
        i,
        'node',
        'subfolders',
        'edges',
        j,
        'node',
        'subfolders',
        'edges',
        k,
        'node',
        'subfolders',
      ]);

      // That field alone is null: everything else is what the healthy answer said.
      const expected = structuredClone(healthy.body.data!);
      const failed = expected.workspace.folders.edges[i].node.subfolders.edges[j].node.subfolders.edges[k].node;
      expect(nodes(failed.subfolders).length).toBeGreaterThan(0);
      failed.subfolders = null;
      expect(res.body.data).toEqual(expected);
    });
  }

  it('nulls a failing path or parent alone, the folder and its other fields still answered', async () => {
    const id = stack.sandbox.ids.deepFolderPath.at(-1)!;
    stack.sandbox.knobs.injectFault({ path: /\/path$/, kind: { type: 'status', status: 403 }, times: Infinity });
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { id name path { id } subfolders { totalCount } } }`, { id });
    expect(res.body.data!.folder).toEqual({ id, name: expect.any(String), path: null, subfolders: { totalCount: expect.any(Number) } });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['folder', 'path'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });

  it("nulls a library's workspaces alone when its listing fails, and the customer's other libraries arrive", async () => {
    const [failing, ...others] = stack.sandbox.ids.libraries;
    stack.sandbox.knobs.injectFault({
      path: `/work/api/v2/customers/${stack.sandbox.customerId}/libraries/${failing}/workspaces`,
      kind: { type: 'status', status: 403 },
      times: Infinity,
    });
    const res = await stack.gql(`{ customer { id libraries { id workspaces(first: 2) { edges { node { id } } } } } }`);
    const libraries = res.body.data!.customer.libraries as Array<{ id: string; workspaces: { edges: unknown[] } | null }>;
    expect(libraries.find((l) => l.id === failing)!.workspaces).toBeNull();
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) expect(libraries.find((l) => l.id === id)!.workspaces!.edges.length).toBeGreaterThan(0);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.body.errors![0]!.path).toEqual(['customer', 'libraries', libraries.findIndex((l) => l.id === failing), 'workspaces']);
  });
});
