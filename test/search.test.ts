import { beforeAll, describe, expect, it } from 'vitest';
import { call, libBase, login } from './sandbox/helpers.js';
import { codes, useStack } from './helpers/stack.js';

/**
 * `Library.folders(query:)` and `Library.workspaces(query:)` as CONTRACT §5 says: any part of the name,
 * any case, `*` and `,` taken literally; over HTTP, against the sandbox, which matches as iManage does
 * (reference §4.6: whole fields, `*` wildcards, `,` alternatives, workspace names by whole words).
 */

const stack = useStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
let parent: string;
const LIB = 'ACTIVE_US';
const DECOYS = 120;

beforeAll(async () => {
  const { access_token } = await login(stack.sandbox, 'demo');
  const create = async (under: string, name: string): Promise<string> => {
    const res = await call(stack.sandbox, access_token, 'POST', `${libBase(stack.sandbox)}/folders/${under}/subfolders`, { json: { name } });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status}`);
    return res.body.data.id as string;
  };
  parent = await create(stack.sandbox.ids.emptyFolder, 'Search fixtures');
  // Names only this file uses. "Zq decoy …" sort before "Zq*Wv …" (a space before a `*`): a search
  // for the text "Zq*Wv" reads the decoys first.
  for (const name of ['Zq*Wv 1', 'Zq*Wv 2', 'Zq*Wv 3', 'ZqXWv', 'Kp,Lm', 'Kp', 'Lm']) await create(parent, name);
  for (let i = 0; i < DECOYS; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => create(parent, `Zq decoy ${String(i + j + 1).padStart(3, '0')}`)));
  }
});

const FOLDERS = `query($lib: ID!, $q: String, $first: Int, $after: String) {
  library(id: $lib) { folders(query: $q, first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name } } } }
}`;
const WORKSPACES = `query($lib: ID!, $q: String, $first: Int) {
  library(id: $lib) { workspaces(query: $q, first: $first) { totalCount pageInfo { hasNextPage } edges { node { name description } } } }
}`;
const searchCalls = () => stack.apiCalls({ method: 'GET', path: /\/libraries\/[^/]+\/folders$/ });
const sent = (path: RegExp) =>
  stack.sandbox.log
    .entries()
    .filter((e) => path.test(e.path))
    .map((e) => e.query);

async function folders(q: string | null, first = 100, after: string | null = null) {
  const res = await stack.gql(FOLDERS, { lib: LIB, q, first, after });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.library.folders as {
    totalCount: number | null;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string; name: string } }>;
  };
}
const names = (connection: { edges: Array<{ node: { name: string } }> }) => connection.edges.map((e) => e.node.name);

describe('Library.folders(query:)', () => {
  it('finds folders by a middle part of the name, in any case, with one call when iManage filters exactly', async () => {
    for (const q of ['orresp', 'ORRESP', 'oRrEsP']) {
      stack.resetCounts();
      const found = await folders(q);
      expect(names(found).length).toBeGreaterThan(5);
      expect(names(found)).toContain('Correspondence');
      expect(names(found)).toContain('Correspondence by month');
      for (const name of names(found)) expect(name.toLowerCase()).toContain('orresp');
      expect(searchCalls()).toBe(1);
      // iManage's own filter matches whole names: the text goes with `*` on both sides, in cursor mode.
      expect(sent(/\/folders$/)).toEqual([{ name: `*${q}*`, paging_mode: 'standard_cursor', limit: '100', total: 'true' }]);
    }
  });

  it('takes `*` literally: "Zq*Wv" finds the names holding it, not "ZqXWv", and "q*W" finds them too', async () => {
    const found = await folders('Zq*Wv');
    expect(names(found)).toEqual(['Zq*Wv 1', 'Zq*Wv 2', 'Zq*Wv 3']);
    expect(found.totalCount).toBe(3);
    expect(names(await folders('q*W'))).toEqual(['Zq*Wv 1', 'Zq*Wv 2', 'Zq*Wv 3']);
    expect(names(await folders('zq*wv 2'))).toEqual(['Zq*Wv 2']);
    expect(names(await folders('ZqXWv'))).toEqual(['ZqXWv']);
  });

  it('takes `,` literally: "Kp,Lm" finds that folder, not the folders "Kp" and "Lm"', async () => {
    expect(names(await folders('Kp,Lm'))).toEqual(['Kp,Lm']);
    expect(names(await folders('p,l'))).toEqual(['Kp,Lm']);
    expect(names(await folders('*'))).toEqual(['Zq*Wv 1', 'Zq*Wv 2', 'Zq*Wv 3']);
    expect(names(await folders(','))).toEqual(['Kp,Lm']);
  });

  it('keeps pages full when few of the names iManage returns hold the text, reading several pages', async () => {
    const page1 = await folders('Zq*Wv', 2);
    expect(names(page1)).toEqual(['Zq*Wv 1', 'Zq*Wv 2']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.totalCount).toBeNull();
    // iManage's `*Zq*` matches the 120 decoys first: pages of 50, the third holds the matches.
    expect(searchCalls()).toBe(3);
    const queries = sent(/\/folders$/);
    expect(queries.map((q) => q.name)).toEqual(['*Zq*', '*Zq*', '*Zq*']);
    expect(queries[0]!.cursor).toBeUndefined();
    expect(queries[1]!.cursor).toBeDefined();
    expect(queries[2]!.cursor).toBeDefined();

    stack.resetCounts();
    const page2 = await folders('Zq*Wv', 2, page1.pageInfo.endCursor);
    expect(names(page2)).toEqual(['Zq*Wv 3']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(page2.totalCount).toBe(3);
    // The last edge sat inside iManage's third page: that page is read again, and nothing before it.
    expect(searchCalls()).toBe(1);
    expect(sent(/\/folders$/)[0]!.cursor).toBe(queries[2]!.cursor);
  });

  it('resumes right after the edge whose cursor is `after`, a middle one included', async () => {
    const all = await folders('Zq decoy', 30);
    expect(names(all)).toEqual(Array.from({ length: 30 }, (_, i) => `Zq decoy ${String(i + 1).padStart(3, '0')}`));
    for (const index of [0, 7, 13, 28, 29]) {
      const next = await folders('Zq decoy', 5, all.edges[index]!.cursor);
      expect(names(next)).toEqual(Array.from({ length: 5 }, (_, i) => `Zq decoy ${String(index + i + 2).padStart(3, '0')}`));
    }
  });

  it('treats an empty or blank query as no filter', async () => {
    const none = await folders(null, 10);
    expect(sent(/\/folders$/)[0]).toEqual({ paging_mode: 'standard_cursor', limit: '10', total: 'true' });
    for (const q of ['', '   '])
      expect(await folders(q, 10)).toEqual({
        ...none,
        edges: none.edges.map((e) => ({ ...e, cursor: expect.any(String) })),
        pageInfo: { ...none.pageInfo, endCursor: expect.any(String) },
      });
  });

  it('refuses a query over 254 characters, or a cursor of another search, before calling iManage', async () => {
    const long = await stack.gql(FOLDERS, { lib: LIB, q: 'x'.repeat(255), first: 5 });
    expect(codes(long)).toEqual(['BAD_USER_INPUT']);
    expect(searchCalls()).toBe(0);
    const page = await folders('Zq', 5);
    stack.resetCounts();
    const other = await stack.gql(FOLDERS, { lib: LIB, q: 'Kp', first: 5, after: page.pageInfo.endCursor });
    expect(codes(other)).toEqual(['BAD_USER_INPUT']);
    expect(other.body.errors![0]!.extensions!.argument).toBe('after');
    expect(searchCalls()).toBe(0);
  });
});

describe('Library.workspaces(query:)', () => {
  it('finds workspaces by a part of a word, in any case, through name_or_description', async () => {
    const res = await stack.gql(WORKSPACES, { lib: LIB, q: 'ATENT' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.library.workspaces.edges.map((e: any) => e.node.name)).toEqual(['Acme Corp – Patent Portfolio (1001-0012)']);
    expect(res.body.data!.library.workspaces.totalCount).toBe(1);
    expect(sent(/\/workspaces$/)).toEqual([{ name_or_description: '*ATENT*', paging_mode: 'standard_cursor', limit: '50', total: 'true' }]);
  });

  it('leaves out a workspace whose description alone holds the text', async () => {
    const res = await stack.gql(WORKSPACES, { lib: LIB, q: 'montréal' });
    expect(res.body.data!.library.workspaces).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false }, edges: [] });
    // iManage found it by its description; the name decided.
    expect(stack.apiCalls({ path: /\/workspaces$/ })).toBe(1);
  });

  it('finds a text spanning words, with its punctuation', async () => {
    const res = await stack.gql(WORKSPACES, { lib: LIB, q: 'corp – EMPLOY' });
    expect(res.body.data!.library.workspaces.edges.map((e: any) => e.node.name)).toEqual(['Acme Corp – Employment Matters (1001-0007)']);
  });
});
