import { describe, expect, it } from 'vitest';
import { codes, useStack } from './helpers/stack.js';

/** The read path of CONTRACT §5, over HTTP, against the sandbox over HTTP. */

const stack = useStack();

const FOLDER_FIELDS = /* GraphQL */ `
  id name description defaultSecurity effectiveSecurity folderType owner editDate hasSubfolders hasDocuments
  library { id type } workspace { id name } parent { id } path { id name }
  profile { class custom1 custom1Description custom2 custom2Description }
`;

describe('viewer', () => {
  it('says who is calling and how they are connected, without calling iManage', async () => {
    const res = await stack.gql(`{ viewer { id imanage { status userId customerId scopes } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.viewer).toEqual({
      id: 'demo',
      imanage: {
        status: 'CONNECTED',
        userId: stack.sandbox.users.demo!.id,
        customerId: String(stack.sandbox.customerId),
        scopes: ['user'],
      },
    });
    expect(stack.apiCalls()).toBe(0);
  });

  it('reports NOT_CONNECTED for an app user without a connection, and customer raises IMANAGE_NOT_CONNECTED', async () => {
    const res = await stack.gql(`{ viewer { id imanage { status userId } } customer { id } }`, {}, { user: 'stranger' });
    expect(res.body.data!.viewer).toEqual({ id: 'stranger', imanage: { status: 'NOT_CONNECTED', userId: null } });
    expect(res.body.data!.customer).toBeNull();
    expect(codes(res)).toEqual(['IMANAGE_NOT_CONNECTED']);
  });
});

describe('customer and libraries', () => {
  it('lists the libraries with their type and the preferred one', async () => {
    const res = await stack.gql(`{ customer { id libraries { id type } preferredLibrary { id } } }`);
    expect(res.body.errors).toBeUndefined();
    const { customer } = res.body.data!;
    expect(customer.id).toBe(String(stack.sandbox.customerId));
    expect(customer.libraries.map((l: { id: string }) => l.id).sort()).toEqual([...stack.sandbox.ids.libraries].sort());
    expect(customer.libraries.every((l: { type: string }) => l.type === 'WORKSITE')).toBe(true);
    expect(customer.preferredLibrary).toEqual({ id: stack.sandbox.ids.preferredLibrary });
    expect(stack.apiCalls()).toBe(1);
  });

  it('answers library(id) for a library the user has, NOT_FOUND otherwise, BAD_USER_INPUT for a malformed id', async () => {
    const lib = stack.sandbox.ids.preferredLibrary;
    const ok = await stack.gql(`query($id: ID!) { library(id: $id) { id type } }`, { id: lib });
    expect(ok.body.data!.library).toEqual({ id: lib, type: 'WORKSITE' });

    const missing = await stack.gql(`{ library(id: "NO_SUCH_LIB") { id } }`);
    expect(missing.body.data!.library).toBeNull();
    expect(codes(missing)).toEqual(['NOT_FOUND']);

    // Any name without `!` may be a library (reference §3): this one is simply not the user's.
    const odd = await stack.gql(`{ library(id: "../../auth") { id } }`);
    expect(codes(odd)).toEqual(['NOT_FOUND']);

    stack.resetCounts();
    for (const id of ['..', 'A!1', 'A\u0000B', '']) {
      const malformed = await stack.gql(`query($id: ID!) { library(id: $id) { id } }`, { id });
      expect(codes(malformed), JSON.stringify(id)).toEqual(['BAD_USER_INPUT']);
    }
    expect(stack.apiCalls()).toBe(0);
  });
});

describe('the tree query of the issue', () => {
  it('returns the sandbox data with one call per container and one for the libraries', async () => {
    const res = await stack.gql(`{
      customer { libraries { id workspaces(first: 5) { edges { node { name folders { edges { node { name hasSubfolders subfolders { totalCount } } } } } } } } }
    }`);
    expect(res.body.errors).toBeUndefined();
    const libraries = res.body.data!.customer.libraries as any[];
    const workspaces = libraries.flatMap((l) => l.workspaces.edges.map((e: any) => e.node));
    const folders = workspaces.flatMap((w) => w.folders.edges.map((e: any) => e.node));
    expect(workspaces.length).toBeGreaterThan(5);
    expect(folders.length).toBeGreaterThan(5);
    // A folder whose listing says it has no subfolders costs no call; every other one costs exactly one.
    const withSubfolders = folders.filter((f) => f.hasSubfolders).length;
    // totalCount is null only for a list longer than its page (iManage's cursor paging does not count).
    for (const f of folders) expect((f.subfolders.totalCount ?? Infinity) > 0).toBe(f.hasSubfolders);
    expect(stack.apiCalls()).toBe(1 + libraries.length + workspaces.length + withSubfolders);
  });

  it('walks workspace → folders → subfolders → subfolders with exactly one call per container', async () => {
    const id = stack.sandbox.ids.workspaceWithDeepTree;
    const res = await stack.gql(
      // Page sizes within the cost limit (README "Limits and security"): 20 × 3 × 10 can be 802 calls.
      `query($id: ID!) { workspace(id: $id) { name folders(first: 20) { edges { node { id hasSubfolders
        subfolders(first: 3) { edges { node { id hasSubfolders parent { id } workspace { id }
          subfolders(first: 10) { edges { node { id name parent { id } } } } } } } } } } } }`,
      { id },
    );
    expect(res.body.errors).toBeUndefined();
    const level1 = res.body.data!.workspace.folders.edges.map((e: any) => e.node);
    const level2 = level1.flatMap((f: any) => f.subfolders.edges.map((e: any) => ({ ...e.node, parentOfIt: f.id })));
    const level3 = level2.flatMap((f: any) => f.subfolders.edges.map((e: any) => ({ ...e.node, parentOfIt: f.id })));
    expect(level3.length).toBeGreaterThan(0);
    for (const f of [...level2, ...level3]) expect(f.parent.id).toBe(f.parentOfIt);
    for (const f of level2) expect(f.workspace.id).toBe(id);
    const containers = level1.filter((f: any) => f.hasSubfolders).length + level2.filter((f: any) => f.hasSubfolders).length;
    // workspace get + its root folders + one list per container with subfolders. `parent` and
    // `workspace` come from objects already seen in this operation: no call.
    expect(stack.apiCalls()).toBe(2 + containers);
  });
});

describe('folder', () => {
  it('answers every field of a 4th-level folder', async () => {
    const path = stack.sandbox.ids.deepFolderPath;
    const id = path.at(-1)!;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { ${FOLDER_FIELDS} } }`, { id });
    expect(res.body.errors).toBeUndefined();
    const folder = res.body.data!.folder;
    expect(folder.id).toBe(id);
    expect(typeof folder.name).toBe('string');
    expect(['INHERIT', 'PUBLIC', 'VIEW', 'PRIVATE']).toContain(folder.defaultSecurity);
    expect(['READ', 'READ_WRITE', 'FULL_ACCESS']).toContain(folder.effectiveSecurity);
    expect(folder.folderType).toBe('REGULAR');
    expect(typeof folder.owner).toBe('string');
    expect(Number.isNaN(Date.parse(folder.editDate))).toBe(false);
    expect(typeof folder.hasSubfolders).toBe('boolean');
    expect(typeof folder.hasDocuments).toBe('boolean');
    expect(folder.library).toEqual({ id: id.split('!')[0], type: 'WORKSITE' });
    expect(folder.workspace.id).toBe(stack.sandbox.ids.workspaceWithDeepTree);
    expect(folder.parent).toEqual({ id: path.at(-2) });
    expect(folder.path.map((f: any) => f.id)).toEqual(path);
    expect(folder.path.at(-1).name).toBe(folder.name);
  });

  it('has no parent directly under its workspace, and a one-entry path', async () => {
    const id = stack.sandbox.ids.deepFolderPath[0]!;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { parent { id } path { id } workspace { id } } }`, { id });
    expect(res.body.data!.folder).toEqual({ parent: null, path: [{ id }], workspace: { id: stack.sandbox.ids.workspaceWithDeepTree } });
  });

  it('reads path entries fully only when a field beyond the path reply is asked for', async () => {
    const id = stack.sandbox.ids.deepFolderPath.at(-1)!;
    const names = await stack.gql(`query($id: ID!) { folder(id: $id) { path { name hasSubfolders } } }`, { id });
    expect(names.body.errors).toBeUndefined();
    expect(stack.apiCalls()).toBe(2); // the folder, its path
    stack.resetCounts();
    const full = await stack.gql(`query($id: ID!) { folder(id: $id) { path { name description effectiveSecurity } } }`, { id });
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.folder.path.every((f: any) => f.effectiveSecurity !== null)).toBe(true);
    // the folder, its path, and one include_ids batch for the ancestors (the folder itself is cached)
    expect(stack.apiCalls()).toBe(3);
    expect(stack.apiCalls({ path: new RegExp(`/libraries/[^/]+/folders$`) })).toBe(1);
  });

  it('batches by-id lookups into one include_ids call per library', async () => {
    const ids = stack.sandbox.ids.deepFolderPath;
    const query = `{ ${ids.map((id, i) => `f${i}: folder(id: "${id}") { name workspace { name } }`).join(' ')} }`;
    const res = await stack.gql(query);
    expect(res.body.errors).toBeUndefined();
    expect(Object.keys(res.body.data!)).toHaveLength(ids.length);
    // one include_ids call for the folders; their workspace's name comes with them (workspace_name)
    expect(stack.apiCalls()).toBe(1);
    const batch = stack.sandbox.log.entries().find((e) => e.query.include_ids);
    expect(batch?.query.include_ids?.split(',').sort()).toEqual([...ids].sort());
  });

  it('answers folder(id) and parent for objects a list already returned without another call', async () => {
    const big = stack.sandbox.ids.bigFolder;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { subfolders(first: 5) { edges { node { id name parent { id name } } } } } }`, { id: big });
    expect(res.body.errors).toBeUndefined();
    for (const edge of res.body.data!.folder.subfolders.edges) expect(edge.node.parent.id).toBe(big);
    expect(stack.apiCalls()).toBe(2); // the big folder, one page of its children
  });

  it('keeps unicode names unchanged', async () => {
    const id = stack.sandbox.ids.unicodeFolder;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id });
    expect(res.body.data!.folder.name).toMatch(/[^\u0000-\u007f]/);
  });

  it('answers an empty folder without listing it', async () => {
    const id = stack.sandbox.ids.emptyFolder;
    const res = await stack.gql(
      `query($id: ID!) { folder(id: $id) { hasSubfolders hasDocuments subfolders { totalCount edges { cursor } pageInfo { hasNextPage } } } }`,
      { id },
    );
    expect(res.body.data!.folder).toEqual({
      hasSubfolders: false,
      hasDocuments: false,
      subfolders: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false } },
    });
    expect(stack.apiCalls()).toBe(1);
  });

  it('lists only subfolders, never documents', async () => {
    const id = stack.sandbox.ids.folderWithDocuments;
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { hasDocuments subfolders { totalCount edges { node { id } } } } }`, { id });
    expect(res.body.data!.folder).toEqual({ hasDocuments: true, subfolders: { totalCount: 0, edges: [] } });
  });
});

describe('paging', () => {
  it('pages through the 60+ subfolders returning each exactly once, ending with hasNextPage false', async () => {
    const id = stack.sandbox.ids.bigFolder;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await stack.gql(
        `query($id: ID!, $after: String) { folder(id: $id) { subfolders(first: 25, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } } }`,
        { id, after },
      );
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.folder.subfolders;
      // iManage's cursor mode gives no total: known once the list is seen to end.
      expect(page.totalCount).toBe(page.pageInfo.hasNextPage ? null : stack.sandbox.ids.bigFolderChildCount);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...page.edges.map((e: any) => e.node.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(stack.sandbox.ids.bigFolderChildCount).toBeGreaterThanOrEqual(60);
    expect(seen).toHaveLength(stack.sandbox.ids.bigFolderChildCount);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 25));
  });

  it('continues after the cursor of any edge, not only the last', async () => {
    const id = stack.sandbox.ids.bigFolder;
    const q = `query($id: ID!, $after: String) { folder(id: $id) { subfolders(first: 10, after: $after) { edges { cursor node { id } } } } }`;
    const first = (await stack.gql(q, { id })).body.data!.folder.subfolders.edges;
    const fromThird = (await stack.gql(q, { id, after: first[2].cursor })).body.data!.folder.subfolders.edges;
    expect(fromThird.slice(0, 7).map((e: any) => e.node.id)).toEqual(first.slice(3).map((e: any) => e.node.id));
  });

  it('refuses `first` over 100 or under 1, and cursors it did not issue, before calling iManage', async () => {
    const id = stack.sandbox.ids.bigFolder;
    for (const [args, argument] of [
      ['first: 101', 'first'],
      ['first: 0', 'first'],
      ['after: "bm9wZQ"', 'after'],
    ] as const) {
      stack.resetCounts();
      const res = await stack.gql(`query($id: ID!) { folder(id: $id) { subfolders(${args}) { totalCount } } }`, { id });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions!.argument).toBe(argument);
      expect(stack.apiCalls({ path: /children$/ })).toBe(0);
    }
  });
});

describe('workspaces and search', () => {
  it("lists a library's workspaces with paging and a name filter", async () => {
    const lib = stack.sandbox.ids.preferredLibrary;
    const all = await stack.gql(
      `query($lib: ID!) { library(id: $lib) { workspaces(first: 100) { totalCount edges { node { id name owner description library { id } } } } } }`,
      { lib },
    );
    expect(all.body.errors).toBeUndefined();
    const list = all.body.data!.library.workspaces;
    expect(list.totalCount).toBe(list.edges.length);
    expect(list.edges.length).toBeGreaterThanOrEqual(6);
    for (const e of list.edges) expect(e.node.library.id).toBe(lib);

    const word = (list.edges[0].node.name as string).split(/\s+/)[0]!;
    const filtered = await stack.gql(`query($lib: ID!, $q: String) { library(id: $lib) { workspaces(query: $q) { edges { node { name } } } } }`, {
      lib,
      q: word,
    });
    const names = filtered.body.data!.library.workspaces.edges.map((e: any) => e.node.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(list.edges.length);
    for (const name of names) expect(name.toLowerCase()).toContain(word.toLowerCase());

    const paged = await stack.gql(`query($lib: ID!) { library(id: $lib) { workspaces(first: 2) { pageInfo { hasNextPage } edges { node { id } } } } }`, {
      lib,
    });
    expect(paged.body.data!.library.workspaces.edges.map((e: any) => e.node.id)).toEqual(list.edges.slice(0, 2).map((e: any) => e.node.id));
    expect(paged.body.data!.library.workspaces.pageInfo.hasNextPage).toBe(true);
  });

  it('searches folders by name and answers parent, workspace and path for each', async () => {
    const lib = stack.sandbox.ids.preferredLibrary;
    const big = await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id: stack.sandbox.ids.bigFolder });
    const name = big.body.data!.folder.name as string;
    stack.resetCounts();
    const res = await stack.gql(
      `query($lib: ID!, $q: String) { library(id: $lib) { folders(query: $q, first: 50) { totalCount edges { node { id name parent { name } workspace { name } path { name } } } } } }`,
      { lib, q: name },
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.library.folders.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.id)).toContain(stack.sandbox.ids.bigFolder);
    for (const node of nodes) {
      expect(node.name.toLowerCase()).toContain(name.toLowerCase());
      expect(node.path.at(-1).name).toBe(node.name);
    }
  });
});

describe('per-user security', () => {
  it('shows a private folder to its trustee and to nobody else, in gets and in lists', async () => {
    const { privateFolder, privateFolderOfOther, parentOfPrivateFolderOfOther } = stack.sandbox.ids;
    const mine = await stack.gql(`query($id: ID!) { folder(id: $id) { id defaultSecurity } }`, { id: privateFolder });
    expect(mine.body.data!.folder).toEqual({ id: privateFolder, defaultSecurity: 'PRIVATE' });

    const theirs = await stack.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id: privateFolder }, { user: 'second' });
    expect(theirs.body.data!.folder).toBeNull();
    expect(codes(theirs)).toEqual(['NOT_FOUND']);

    const other = await stack.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id: privateFolderOfOther });
    expect(codes(other)).toEqual(['NOT_FOUND']);

    const list = `query($id: ID!) { folder(id: $id) { subfolders(first: 100) { edges { node { id } } } } }`;
    const asDemo = await stack.gql(list, { id: parentOfPrivateFolderOfOther });
    const asSecond = await stack.gql(list, { id: parentOfPrivateFolderOfOther }, { user: 'second' });
    expect(asDemo.body.data!.folder.subfolders.edges.map((e: any) => e.node.id)).not.toContain(privateFolderOfOther);
    expect(asSecond.body.data!.folder.subfolders.edges.map((e: any) => e.node.id)).toContain(privateFolderOfOther);

    // A batch mixing visible and invisible ids returns the visible ones and NOT_FOUND for the rest.
    const batch = await stack.gql(`{ a: folder(id: "${privateFolder}") { id } b: folder(id: "${privateFolderOfOther}") { id } }`);
    expect(batch.body.data).toEqual({ a: { id: privateFolder }, b: null });
    expect(codes(batch)).toEqual(['NOT_FOUND']);
  });

  it('does not share loader results between two users in concurrent requests', async () => {
    const { privateFolder } = stack.sandbox.ids;
    const q = `query($id: ID!) { folder(id: $id) { id } }`;
    const [a, b] = await Promise.all([stack.gql(q, { id: privateFolder }), stack.gql(q, { id: privateFolder }, { user: 'second' })]);
    expect(a.body.data!.folder).toEqual({ id: privateFolder });
    expect(b.body.data!.folder).toBeNull();
  });
});
