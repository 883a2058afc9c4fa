import { describe, expect, it } from 'vitest';
import { createFolder, sandboxGet, uniqueName } from './helpers/createSubfolder.js';
import { codes, useStack } from './helpers/stack.js';

/**
 * `Folder.path` built from parents (src/imanage/loaders.ts) must say what iManage's own
 * `GET …/path` says, for every folder and user, while costing a call per level rather than per folder;
 * and `Folder.workspace` must answer the name from the folder without a call.
 */

const stack = useStack();

/** iManage's own path of a folder as a user sees it, folders only (the facade leaves the workspace out). */
async function imanagePath(id: string, user = 'demo'): Promise<string[]> {
  const res = await sandboxGet(stack, id, '/path', user);
  expect(res.status).toBe(200);
  return (res.body.data as Array<{ id: string; wstype: string }>).filter((e) => e.wstype !== 'workspace').map((e) => e.id);
}

const SEARCH = `query($lib: ID!, $q: String) { library(id: $lib) { folders(query: $q, first: 100) { edges { node { id path { id name } } } } } }`;

describe('Folder.path', () => {
  it("equals iManage's path for every folder of a library, with a call per level rather than per folder", async () => {
    const lib = stack.sandbox.ids.preferredLibrary;
    // Every folder name has an "e" or an "a" or a digit, give or take: a wide sample of depths 1–6.
    const res = await stack.gql(SEARCH, { lib, q: 'e' });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.library.folders.edges.map((e: any) => e.node) as Array<{ id: string; path: Array<{ id: string }> }>;
    expect(nodes.length).toBeGreaterThan(60);
    const calls = stack.apiCalls();
    const deepest = Math.max(...nodes.map((n) => n.path.length));
    expect(deepest).toBeGreaterThanOrEqual(5);
    // The libraries, the search, then at most one call per level above the results.
    expect(calls).toBeLessThanOrEqual(2 + deepest - 1);
    for (const node of nodes) expect(node.path.map((f) => f.id)).toEqual(await imanagePath(node.id));
  });

  it('asks iManage for the path of a lone folder once, however deep it is', async () => {
    const id = stack.sandbox.ids.deepFolderPath.at(-1)!;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { path { id } } }`, { id });
    expect(res.body.data!.folder.path.map((f: any) => f.id)).toEqual(stack.sandbox.ids.deepFolderPath);
    expect(stack.apiCalls()).toBe(2); // the folder, and its parent's path
    expect(stack.apiCalls({ path: /\/path$/ })).toBe(1);
  });

  it('answers parent and path of a folder four levels down with two calls in one wave: the folder and its path', async () => {
    const path = stack.sandbox.ids.deepFolderPath;
    // Replies take 200 ms: two calls sent together are both in flight at the sandbox; one after the
    // other never are (the count is what is asserted, not a time).
    stack.sandbox.knobs.setLatency(200);
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { parent { name } path { name } } }`, { id: path.at(-1)! });
    expect(res.body.errors).toBeUndefined();
    const calls = stack.sandbox.log.entries().map((e) => e.path.replace(/.*\/libraries\/[^/]+/, ''));
    expect(calls.sort()).toEqual([`/folders/${path.at(-1)}`, `/folders/${path.at(-1)}/path`]);
    expect(stack.sandbox.log.peakInFlight()).toBe(2);
    stack.sandbox.knobs.setLatency(0);
    const names = await Promise.all(path.map(async (id) => (await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id })).body.data!.folder.name));
    expect(res.body.data!.folder).toEqual({ parent: { name: names.at(-2) }, path: names.map((name) => ({ name })) });
  });

  it("reads a parent's fields that a path entry lacks by id, and answers the rest from the path", async () => {
    const path = stack.sandbox.ids.deepFolderPath;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { parent { id name owner defaultSecurity hasSubfolders description parent { id } } } }`, {
      id: path.at(-1)!,
    });
    expect(res.body.errors).toBeUndefined();
    const direct = await stack.gql(`query($id: ID!) { folder(id: $id) { id name owner defaultSecurity hasSubfolders description parent { id } } }`, {
      id: path.at(-2)!,
    });
    expect(res.body.data!.folder.parent).toEqual(direct.body.data!.folder);
    // The folder and its path at once; then the parent by id for its description (a path entry has none).
    const entries = stack.sandbox.log.entries().map((e) => e.path);
    expect(entries.slice(0, 3).filter((p) => p.endsWith(`/folders/${path.at(-2)}`))).toHaveLength(1);
  });

  it('shares the lookups of `parent` and of the path, and fetches nothing twice', async () => {
    const id = stack.sandbox.ids.deepFolderPath.at(-1)!;
    const res = await stack.gql(
      `query($id: ID!) { folder(id: $id) { parent { name parent { name } path { id } } path { id name } subfolders { edges { node { path { id } } } } } }`,
      { id },
    );
    expect(res.body.errors).toBeUndefined();
    const folder = res.body.data!.folder;
    expect(folder.path.map((f: any) => f.id)).toEqual(stack.sandbox.ids.deepFolderPath);
    expect(folder.parent.path.map((f: any) => f.id)).toEqual(stack.sandbox.ids.deepFolderPath.slice(0, -1));
    for (const edge of folder.subfolders.edges) expect(edge.node.path.slice(0, -1).map((f: any) => f.id)).toEqual(stack.sandbox.ids.deepFolderPath);
    const entries = stack.sandbox.log.entries().map((e) => `${e.method} ${e.path}?${new URLSearchParams(e.query).toString()}`);
    expect(entries).toEqual([...new Set(entries)]);
  });

  it("leaves out ancestors the user cannot read, as iManage's path does", async () => {
    // Under a folder the second user cannot see, a public folder (and one inside it) they can.
    const visible = await createFolder(stack, { parentId: stack.sandbox.ids.privateFolder, name: uniqueName('Shared'), defaultSecurity: 'PUBLIC' });
    const inner = await createFolder(stack, { parentId: visible, name: uniqueName('Inner') });
    const query = `query($a: ID!, $b: ID!) { a: folder(id: $a) { path { id } } b: folder(id: $b) { path { id } parent { id } } }`;
    const res = await stack.gql(query, { a: visible, b: inner }, { user: 'second' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.a.path.map((f: any) => f.id)).toEqual(await imanagePath(visible, 'second'));
    expect(res.body.data!.b.path.map((f: any) => f.id)).toEqual(await imanagePath(inner, 'second'));
    expect(res.body.data!.b.path.map((f: any) => f.id)).toEqual([visible, inner]);
    expect(res.body.data!.b.parent).toEqual({ id: visible });
    // The owner sees the private folder in both paths.
    const mine = await stack.gql(query, { a: visible, b: inner });
    expect(mine.body.data!.b.path.map((f: any) => f.id)).toEqual(await imanagePath(inner));
    expect(mine.body.data!.b.path).toHaveLength(3);
  });

  it('fails only the path when iManage fails, with the code of the failure', async () => {
    const id = stack.sandbox.ids.deepFolderPath.at(-1)!;
    stack.sandbox.knobs.injectFault({ path: /\/path$/, kind: { type: 'status', status: 503 }, times: Infinity });
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { name path { id } } }`, { id });
    expect(res.body.data!.folder).toEqual({ name: expect.any(String), path: null }); // the folder stays
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.body.errors![0]!.path).toEqual(['folder', 'path']);
  });
});

describe('Folder.workspace', () => {
  it('answers the name from the folder, and reads the workspace only for its other fields', async () => {
    const id = stack.sandbox.ids.deepFolderPath[0]!;
    const named = await stack.gql(`query($id: ID!) { folder(id: $id) { workspace { id name library { id } } } }`, { id });
    expect(named.body.errors).toBeUndefined();
    expect(stack.apiCalls()).toBe(1);

    stack.resetCounts();
    const full = await stack.gql(`query($id: ID!) { folder(id: $id) { workspace { id name description owner } } }`, { id });
    expect(full.body.errors).toBeUndefined();
    expect(stack.apiCalls()).toBe(2);
    const direct = await stack.gql(`query($id: ID!) { workspace(id: $id) { id name description owner } }`, { id: stack.sandbox.ids.workspaceWithDeepTree });
    expect(full.body.data!.folder.workspace).toEqual(direct.body.data!.workspace);
    expect(named.body.data!.folder.workspace.name).toBe(direct.body.data!.workspace.name);
  });
});
