import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../src/sandbox/types.js';
import { codes, useStack } from './helpers/stack.js';

/**
 * Every list pages by iManage's cursor (reference §4.1, §4.6 end, §5.2: `paging_mode=standard_cursor`,
 * the returned `cursor` passed back unmodified, no offset), and a server that ignores paging is
 * refused rather than followed forever. Over HTTP, against the sandbox's request log.
 */

const stack = useStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

const SUBFOLDERS = `query($id: ID!, $first: Int, $after: String) {
  folder(id: $id) { subfolders(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }
}`;
/** The ids of a folder's subfolders, read page after page by `endCursor` until the last (at most ten pages). */
async function everySubfolder(id: string, first: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const res: any = await stack.gql(SUBFOLDERS, { id, first, after });
    expect(res.body.errors).toBeUndefined();
    const connection = res.body.data.folder.subfolders;
    seen.push(...connection.edges.map((e: any) => e.node.id));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return seen;
}
const listed = (path: RegExp) => stack.sandbox.log.entries().filter((e) => e.method === 'GET' && path.test(e.path));

describe('cursor paging', () => {
  it("pages a folder's children with paging_mode=standard_cursor, passing back the cursor iManage gave", async () => {
    const seen = await everySubfolder(stack.sandbox.ids.bigFolder, 30);
    expect(seen).toHaveLength(stack.sandbox.ids.bigFolderChildCount);
    expect(new Set(seen).size).toBe(seen.length);
    const calls = listed(/\/children$/);
    expect(calls).toHaveLength(3); // 72 children, 30 a page: one iManage call per page
    for (const call of calls) {
      expect(call.query).toMatchObject({ paging_mode: 'standard_cursor', limit: '30', exclude_docs: 'true' });
      expect(call.query.offset).toBeUndefined();
      // Ignored in cursor mode (reference §5.2); a server that pages by offset instead answers a total_count.
      expect(call.query.total).toBe('true');
    }
    expect(calls[0]!.query.cursor).toBeUndefined();
    expect(calls[1]!.query.cursor).toEqual(expect.any(String));
    expect(calls[2]!.query.cursor).not.toBe(calls[1]!.query.cursor);
  });

  it('pages workspace folders and the library lists by cursor too', async () => {
    const res = await stack.gql(
      `query($ws: ID!, $lib: ID!) {
      workspace(id: $ws) { folders(first: 2) { edges { node { id } } } }
      library(id: $lib) { workspaces(first: 2) { edges { node { id } } } folders(first: 2, query: "Drafts") { edges { node { id } } } }
    }`,
      { ws: stack.sandbox.ids.workspaceWithDeepTree, lib: stack.sandbox.ids.preferredLibrary },
    );
    expect(res.body.errors).toBeUndefined();
    const lists = [...listed(/\/workspaces\/[^/]+\/children$/), ...listed(/\/libraries\/[^/]+\/workspaces$/), ...listed(/\/libraries\/[^/]+\/folders$/)];
    expect(lists).toHaveLength(3);
    for (const call of lists) expect(call.query).toMatchObject({ paging_mode: 'standard_cursor', limit: '2' });
  });

  it('gives totalCount when the list ends within the page, and null while more follow', async () => {
    const id = stack.sandbox.ids.bigFolder;
    const all = await stack.gql(SUBFOLDERS, { id, first: 100 });
    expect(all.body.data!.folder.subfolders.totalCount).toBe(stack.sandbox.ids.bigFolderChildCount);
    const part = await stack.gql(SUBFOLDERS, { id, first: 10 });
    expect(part.body.data!.folder.subfolders).toMatchObject({ totalCount: null, pageInfo: { hasNextPage: true } });
    const middle = part.body.data!.folder.subfolders.edges[4].cursor;
    const rest = await stack.gql(SUBFOLDERS, { id, first: 100, after: middle });
    expect(rest.body.data!.folder.subfolders.totalCount).toBe(stack.sandbox.ids.bigFolderChildCount);
    expect(rest.body.data!.folder.subfolders.edges[0].node.id).toBe(all.body.data!.folder.subfolders.edges[5].node.id);
  });
});

describe("a cursor iManage no longer takes (expired, or another session's)", () => {
  it('is BAD_USER_INPUT on `after`, saying to start from the first page; a 400 on a first page stays what it was', async () => {
    const id = stack.sandbox.ids.bigFolder;
    const first: any = await stack.gql(SUBFOLDERS, { id, first: 30 });
    const after = first.body.data.folder.subfolders.pageInfo.endCursor;
    const refused = { type: 'status', status: 400, body: { error: { code: 'NRC_INVALID_PARAM', code_message: 'Invalid parameter: cursor' } } } as const;
    stack.sandbox.knobs.injectFault({ method: 'GET', path: /\/children$/, times: 1, kind: refused });
    const stale: any = await stack.gql(SUBFOLDERS, { id, first: 30, after });
    expect(stale.body.errors).toHaveLength(1);
    expect(stale.body.errors[0]).toMatchObject({
      message: 'iManage refused to go on from this cursor: it may have expired. Start again from the first page (without `after`).',
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
    stack.sandbox.knobs.injectFault({ method: 'GET', path: /\/children$/, times: 1, kind: refused });
    const fresh: any = await stack.gql(SUBFOLDERS, { id, first: 30 });
    expect(codes(fresh)).toEqual(['BAD_USER_INPUT']);
    expect(fresh.body.errors[0].message).not.toContain('cursor');
  });
});

describe('a server that ignores paging', () => {
  it('is refused with UPSTREAM_UNAVAILABLE when the page after a cursor holds the last folder of the page before, not followed', async () => {
    const id = stack.sandbox.ids.bigFolder;
    const first = await stack.gql(SUBFOLDERS, { id, first: 25 });
    const after = first.body.data!.folder.subfolders.pageInfo.endCursor;
    stack.sandbox.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'ignorePaging' } });
    stack.resetCounts();
    const repeated = await stack.gql(SUBFOLDERS, { id, first: 25, after });
    expect(codes(repeated)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(repeated.raw).not.toContain(first.body.data!.folder.subfolders.edges[0].node.id);
    expect(listed(/\/children$/)).toHaveLength(1);
  });

  it('is refused when it names each repeated page with a fresh cursor, told by the folders, not the cursor', async () => {
    const id = stack.sandbox.ids.bigFolder;
    stack.sandbox.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'ignorePaging', freshCursor: true } });
    const first = await stack.gql(SUBFOLDERS, { id, first: 25 });
    expect(first.body.data!.folder.subfolders.pageInfo.hasNextPage).toBe(true);
    const repeated = await stack.gql(SUBFOLDERS, { id, first: 25, after: first.body.data!.folder.subfolders.pageInfo.endCursor });
    expect(codes(repeated)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(repeated.body.errors![0]!.message).toMatch(/sent an item of an earlier page again/);
    const [, second] = listed(/\/children$/);
    expect(second!.query.cursor).toEqual(expect.any(String));
  });

  it('is refused while a search reads several pages, after one repeated page', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/libraries\/[^/]+\/folders$/, times: Infinity, kind: { type: 'ignorePaging' } });
    // "20*" is read through iManage's `*20*` (the 72 month folders among others), 50 at a time; no
    // name holds the `*`, so the search goes on to the next page, which repeats the first.
    const res = await stack.gql(`{ library(id: "ACTIVE_US") { folders(query: "20*", first: 5) { edges { node { id } } } } }`);
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(listed(/\/libraries\/[^/]+\/folders$/)).toHaveLength(2);
  });
});

describe('a server whose cursor is a stable handle that advances', () => {
  it('is followed to the end of the list, though it sends back the cursor it was given', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'cursorHandle' } });
    const seen = await everySubfolder(stack.sandbox.ids.bigFolder, 25);
    expect(seen).toHaveLength(stack.sandbox.ids.bigFolderChildCount);
    expect(new Set(seen).size).toBe(seen.length);
    const cursors = listed(/\/children$/).map((e) => e.query.cursor);
    expect(cursors).toEqual([undefined, 'scroll-handle', 'scroll-handle']);
  });
});

describe('a server that pages by offset where cursor paging was asked for', () => {
  // Reference §4.2 lists `exclude_docs, total, limit, offset, children_type` for workspace children, no cursor.
  const unpaged: FaultSpec = { path: /\/workspaces\/[^/]+\/children$/, times: Infinity, kind: { type: 'ignoreParams', names: ['paging_mode', 'cursor'] } };
  const WORKSPACE_FOLDERS = `query($id: ID!, $first: Int) {
    workspace(id: $id) { folders(first: $first) { totalCount pageInfo { hasNextPage } edges { node { id } } } }
  }`;

  it('answers a cursor-mode list without total_count, as reference §5.2 says (the sandbox)', async () => {
    const res = await stack.gql(WORKSPACE_FOLDERS, { id: stack.sandbox.ids.workspaceWithDeepTree, first: 2 });
    expect(res.body.data!.workspace.folders.pageInfo.hasNextPage).toBe(true);
    const [call] = listed(/\/workspaces\/[^/]+\/children$/);
    expect(call!.query).toMatchObject({ paging_mode: 'standard_cursor', total: 'true' });
  });

  it('fails the field with UPSTREAM_UNAVAILABLE rather than show the first page as the whole list', async () => {
    const id = stack.sandbox.ids.workspaceWithDeepTree;
    const whole = await stack.gql(WORKSPACE_FOLDERS, { id, first: 100 });
    const count = whole.body.data!.workspace.folders.totalCount as number;
    expect(count).toBeGreaterThan(3);
    stack.sandbox.knobs.injectFault(unpaged);
    const res = await stack.gql(WORKSPACE_FOLDERS, { id, first: 3 });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.body.errors![0]!.message).toContain(`iManage did not page this list as asked: it sent 3 of its ${count} items`);
    expect(res.body.data!.workspace.folders).toBeNull();
    // A page that holds the whole list is whole, paged or not.
    const all = await stack.gql(WORKSPACE_FOLDERS, { id, first: 100 });
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data!.workspace.folders).toMatchObject({ totalCount: count, pageInfo: { hasNextPage: false } });
  });
});

describe("the siblings of a list's data", () => {
  it('reads the cursor on its own: a total_count given as a string of digits does not end the list', async () => {
    const id = stack.sandbox.ids.bigFolder;
    stack.sandbox.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'replyFields', fields: { total_count: '72' } } });
    const first = await stack.gql(SUBFOLDERS, { id, first: 25 });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.folder.subfolders).toMatchObject({ totalCount: null, pageInfo: { hasNextPage: true } });
    const rest = await stack.gql(SUBFOLDERS, { id, first: 100, after: first.body.data!.folder.subfolders.pageInfo.endCursor });
    expect(rest.body.errors).toBeUndefined();
    expect(rest.body.data!.folder.subfolders.totalCount).toBe(stack.sandbox.ids.bigFolderChildCount);
  });

  it('refuses a cursor that is not a string rather than ending the list short', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/children$/, kind: { type: 'replyFields', fields: { cursor: 42 } } });
    const res = await stack.gql(SUBFOLDERS, { id: stack.sandbox.ids.bigFolder, first: 25 });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
  });
});
