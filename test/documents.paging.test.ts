import { describe, expect, it } from 'vitest';
import { codes, useStack } from './helpers/stack.js';

/**
 * `Folder.documents` pages by iManage's cursor as `Folder.subfolders` does (documents spec item 3;
 * reference §5.2), in either order, resuming after any edge; and what a page of documents with its
 * people and filing locations costs, whatever its size (one list, one users call, one parents call,
 * the paths), counted at the sandbox.
 */

const stack = useStack();

const PAGE = `query($id: ID!, $first: Int, $after: String, $orderBy: DocumentOrder) {
  folder(id: $id) { documents(first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name size editDate } }
  } }
}`;
const listCalls = () => stack.sandbox.log.entries().filter((e) => e.method === 'GET' && /\/folders\/[^/]+\/documents$/.test(e.path));

async function pageThrough(first: number, orderBy?: unknown): Promise<Array<{ id: string; name: string; size: number; editDate: string }>> {
  const seen: any[] = [];
  let after: string | null = null;
  for (let page = 0; page < 30; page++) {
    const res: any = await stack.gql(PAGE, { id: stack.sandbox.ids.bigDocumentFolder, first, after, orderBy });
    expect(res.body.errors).toBeUndefined();
    const connection = res.body.data.folder.documents;
    expect(connection.pageInfo.hasPreviousPage).toBe(page > 0);
    seen.push(...connection.edges.map((e: any) => e.node));
    expect(connection.totalCount).toBe(connection.pageInfo.hasNextPage ? null : seen.length);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return seen;
}

describe('Folder.documents', () => {
  it("pages a folder's documents by iManage's cursor, one call a page, totalCount once the end is reached", async () => {
    const { bigDocumentFolderCount } = stack.sandbox.ids;
    const all = await pageThrough(100);
    expect(all).toHaveLength(bigDocumentFolderCount);
    expect(new Set(all.map((d) => d.id)).size).toBe(bigDocumentFolderCount);
    const calls = listCalls();
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.query).toMatchObject({ paging_mode: 'standard_cursor', limit: '100' });
      expect(call.query.offset).toBeUndefined();
      expect(call.query.sort_by).toBeUndefined();
    }
    expect(calls[0]!.query.cursor).toBeUndefined();
    expect(calls[1]!.query.cursor).toEqual(expect.any(String));
    // iManage's natural order: by name, ignoring case.
    const names = all.map((d) => d.name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it('sorts both ways by the field asked for, sending sort_by and sort_order', async () => {
    const up = await pageThrough(100, { field: 'SIZE' });
    stack.resetCounts();
    const down = await pageThrough(100, { field: 'SIZE', direction: 'DESC' });
    expect(up.map((d) => d.id)).toEqual(down.map((d) => d.id).reverse());
    const sizes = up.map((d) => d.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    for (const call of listCalls()) expect(call.query).toMatchObject({ sort_by: 'size', sort_order: 'desc' });

    const edited = await pageThrough(100, { field: 'EDIT_DATE', direction: 'DESC' });
    const dates = edited.map((d) => Date.parse(d.editDate));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('refuses an order iManage did not apply (it ignores sort_by, which the reference does not list) rather than show another', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/documents$/, times: Infinity, kind: { type: 'ignoreParams', names: ['sort_by'] } });
    for (const field of ['EDIT_DATE', 'SIZE']) {
      const res = await stack.gql(PAGE, { id: stack.sandbox.ids.bigDocumentFolder, first: 20, orderBy: { field, direction: 'DESC' } });
      expect(codes(res), field).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions).toMatchObject({ unsupported: true });
      expect(res.body.errors![0]!.message).toContain(`sort_by=${field.toLowerCase()}`);
    }
  });

  it('resumes after any edge, not only the last', async () => {
    const { bigDocumentFolder: id, bigDocumentFolderCount } = stack.sandbox.ids;
    const all = await pageThrough(100);
    const first = await stack.gql(PAGE, { id, first: 30 });
    const edges = first.body.data!.folder.documents.edges;
    for (const at of [0, 12, 29]) {
      stack.resetCounts();
      const rest = await stack.gql(PAGE, { id, first: 10, after: edges[at].cursor });
      expect(rest.body.errors).toBeUndefined();
      expect(rest.body.data!.folder.documents.edges.map((e: any) => e.node.id)).toEqual(all.slice(at + 1, at + 11).map((d) => d.id));
      expect(rest.body.data!.folder.documents.pageInfo.hasPreviousPage).toBe(true);
      // The last edge of iManage's page resumes with its cursor; any other refetches its page (of 30),
      // which holds the next 10 here: one call either way.
      expect(listCalls().length).toBe(1);
    }
    // From the 30th edge on: 100, 100, then the last 20, where the count is known.
    let after = edges[29].cursor;
    const counts: Array<number | null> = [];
    for (let page = 0; page < 3; page++) {
      const next = await stack.gql(PAGE, { id, first: 100, after });
      counts.push(next.body.data!.folder.documents.totalCount);
      after = next.body.data!.folder.documents.pageInfo.endCursor;
    }
    expect(counts).toEqual([null, null, bigDocumentFolderCount]);
  });

  it("refuses a cursor of another order or another folder's list", async () => {
    const { bigDocumentFolder: id, documentFolder } = stack.sandbox.ids;
    const first = await stack.gql(PAGE, { id, first: 5 });
    const cursor = first.body.data!.folder.documents.pageInfo.endCursor;
    stack.resetCounts();
    for (const variables of [
      { id, first: 5, after: cursor, orderBy: { field: 'NAME', direction: 'DESC' } },
      { id: documentFolder, first: 5, after: cursor },
      { id, first: 5, after: 'not-a-cursor' },
      { id, first: 0 },
      { id, first: 101 },
    ]) {
      const res = await stack.gql(PAGE, variables);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.data!.folder).toEqual({ documents: null });
    }
    expect(listCalls()).toHaveLength(0);
  });

  it('lists documents filed in the folder through another filing location; never one the user cannot see', async () => {
    const { documentFolderOther, documentId, folderWithDocuments, folderWithDocumentsCount, privateDocument } = stack.sandbox.ids;
    const other = await stack.gql(PAGE, { id: documentFolderOther, first: 100 });
    expect(other.body.data!.folder.documents.edges.map((e: any) => e.node.id)).toContain(documentId);

    const demo = await stack.gql(PAGE, { id: folderWithDocuments, first: 100 });
    const demoIds = demo.body.data!.folder.documents.edges.map((e: any) => e.node.id);
    expect(demoIds).toHaveLength(folderWithDocumentsCount);
    expect(demoIds).not.toContain(privateDocument);
    expect(demo.raw).not.toContain('Compensation');
    const second = await stack.gql(PAGE, { id: folderWithDocuments, first: 100 }, { user: 'second' });
    expect(second.body.data!.folder.documents.edges.map((e: any) => e.node.id)).toContain(privateDocument);
  });

  it('costs no call for a folder iManage says holds no documents', async () => {
    const res = await stack.gql(PAGE, { id: stack.sandbox.ids.emptyFolder, first: 10 });
    expect(res.body.data!.folder.documents).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
      edges: [],
    });
    expect(listCalls()).toHaveLength(0);
  });
});

describe('the cost of a page of documents', () => {
  const WITH_PEOPLE_AND_LOCATIONS = `{ edges { node { id name author { id fullName email } operator { fullName }
    locations { id name path { id name } } } } }`;

  for (const first of [10, 100]) {
    it(`is one list, one users call, one parents call and the paths for ${first} documents`, async () => {
      const { bigDocumentFolder } = stack.sandbox.ids;
      const res = await stack.gql(`query($id: ID!, $first: Int) { folder(id: $id) { documents(first: $first) ${WITH_PEOPLE_AND_LOCATIONS} } }`, {
        id: bigDocumentFolder,
        first,
      });
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.folder.documents.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(first);
      expect(new Set(nodes.map((n: any) => n.author.id)).size).toBeGreaterThan(first === 10 ? 1 : 4);
      for (const node of nodes) {
        expect(node.author.fullName).toEqual(expect.any(String));
        expect(node.operator.fullName).toEqual(expect.any(String));
        expect(node.locations.map((f: any) => f.id)).toContain(bigDocumentFolder);
        for (const folder of node.locations) expect(folder.path.at(-1)).toEqual({ id: folder.id, name: folder.name });
      }
      const log = stack.sandbox.log;
      const count = (method: string, path: RegExp) => log.count({ method, path });
      expect(count('GET', /\/folders\/[^/]+$/)).toBe(1); // `folder(id)` itself
      expect(count('GET', /\/folders\/[^/]+\/documents$/)).toBe(1);
      expect(count('GET', /\/users$/)).toBe(1);
      expect(count('POST', /\/documents\/parents$/)).toBe(1);
      const paths = count('GET', /\/folders\/[^/]+\/path$/) + count('GET', /\/folders$/);
      expect(paths).toBeLessThanOrEqual(1);
      expect(stack.apiCalls() - 1).toBeLessThanOrEqual(4);
    });
  }

  it('is the same through the library search, which needs no folder lookup', async () => {
    const { bigDocumentFolder } = stack.sandbox.ids;
    const res = await stack.gql(
      `query($id: ID!) { library(id: "ACTIVE_US") { documents(first: 100, filter: { container: $id }) ${WITH_PEOPLE_AND_LOCATIONS} } }`,
      { id: bigDocumentFolder },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.library.documents.edges).toHaveLength(100);
    // The library itself is checked against the user's libraries: one call more, listed apart.
    expect(stack.apiCalls({ path: /\/libraries$/ })).toBe(1);
    expect(stack.apiCalls() - 1).toBeLessThanOrEqual(4);
    expect(stack.apiCalls({ method: 'POST', path: /\/documents\/search$/ })).toBe(1);
  });

  it('reads the paths of folders at several depths level by level, for the whole page at once', async () => {
    const { workspaceWithDeepTree } = stack.sandbox.ids;
    const res = await stack.gql(
      `query($id: ID!) { library(id: "ACTIVE_US") { documents(first: 100, filter: { container: $id, includeSubtree: true }) ${WITH_PEOPLE_AND_LOCATIONS} } }`,
      { id: workspaceWithDeepTree },
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.library.documents.edges.map((e: any) => e.node);
    const depths = new Set<number>(nodes.flatMap((n: any) => n.locations.map((f: any) => f.path.length)));
    expect(depths.size).toBeGreaterThan(1);
    const pathCalls = stack.apiCalls({ path: /\/folders\/[^/]+\/path$/ }) + stack.apiCalls({ path: /\/folders$/ });
    // One call per level above the top folders, at most, however many documents.
    expect(pathCalls).toBeLessThanOrEqual(Math.max(...depths) - 1);
    expect(stack.apiCalls({ method: 'POST', path: /\/documents\/parents$/ })).toBe(1);
    expect(stack.apiCalls({ path: /\/users$/ })).toBe(1);
  });
});
