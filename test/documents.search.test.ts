import { beforeAll, describe, expect, it } from 'vitest';
import { call, libBase, login } from './sandbox/helpers.js';
import { codes, useStack } from './helpers/stack.js';

/**
 * `Library.documents(filter)`: iManage's document search (documents spec item 5; reference §4.3, §4.6),
 * each filter, the name found by any part as `Library.folders(query)` finds folders (`*` and `,`
 * literal), offset paging with `overflow`, who sees what, and bad input.
 */

const stack = useStack();
const LIB = 'ACTIVE_US';
const DECOYS = 60;
let fixtures: string;

beforeAll(async () => {
  const { access_token } = await login(stack.sandbox, 'demo');
  const res = await call(stack.sandbox, access_token, 'POST', `${libBase(stack.sandbox)}/folders/${stack.sandbox.ids.emptyFolder}/subfolders`, {
    json: { name: 'Document search fixtures' },
  });
  fixtures = res.body.data.id;
  // "Zq decoy …" sort before "Zq*Wv …" (a space before a `*`): a search for "Zq*Wv" reads them first.
  const names = [
    'Zq*Wv 1',
    'Zq*Wv 2',
    'ZqXWv',
    'Kp,Lm memo',
    'Kp memo',
    'Lm memo',
    ...Array.from({ length: DECOYS }, (_, i) => `Zq decoy ${String(i).padStart(3, '0')}`),
  ];
  for (const name of names) stack.sandbox.knobs.addDocument({ folderId: fixtures, name, extension: 'txt', text: `Fixture ${name}\n` });
});

const SEARCH = `query($lib: ID!, $filter: DocumentFilter, $first: Int, $after: String) {
  library(id: $lib) { documents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name extension type editDate author { id } profile { class custom1 } } }
  } }
}`;
const searchCalls = () => stack.apiCalls({ method: 'POST', path: /\/documents\/search$/ });

async function search(filter: Record<string, unknown>, first = 100, options: { user?: string; after?: string } = {}) {
  const res = await stack.gql(SEARCH, { lib: LIB, filter, first, after: options.after ?? null }, { user: options.user ?? 'demo' });
  expect(res.body.errors, JSON.stringify(filter)).toBeUndefined();
  return res.body.data!.library.documents as { totalCount: number | null; pageInfo: any; edges: Array<{ cursor: string; node: any }> };
}
const names = (page: { edges: Array<{ node: { name: string } }> }) => page.edges.map((e) => e.node.name);

describe('the name filter', () => {
  it('finds any part of the name, ignoring case, with one call when the text has no `*` or `,`', async () => {
    const page = await search({ name: 'ITNESS STATEMENT' });
    expect(names(page).sort()).toEqual(['Witness statement – HR Director (draft)', 'Witness statement – R. Smith']);
    expect(page.totalCount).toBe(2);
    expect(searchCalls()).toBe(1);
  });

  it('takes `*` and `,` literally, checking each name itself and reading on to fill the page', async () => {
    expect(names(await search({ name: 'zq*wv' }, 5)).sort()).toEqual(['Zq*Wv 1', 'Zq*Wv 2']);
    // iManage was asked for `*zq*` (the first of the longest parts without `*`), 50 at a time: the 60
    // decoys come first, so the search read on.
    expect(searchCalls()).toBe(2);
    stack.resetCounts();
    expect(names(await search({ name: 'Kp,Lm' }))).toEqual(['Kp,Lm memo']);
    expect(names(await search({ name: 'Kp' })).sort()).toEqual(['Kp memo', 'Kp,Lm memo']);
    // Nothing left to narrow by: every name is read and checked (at most 10 iManage pages per request).
    expect(names(await search({ name: ',' }, 5))).toEqual(['Kp,Lm memo']);
  });

  it('finds a name with non-ASCII letters and quotes', async () => {
    expect(names(await search({ name: '"zoë"' }))).toEqual(['Résumé – "Zoë" 2024']);
  });
});

describe('the other filters', () => {
  it('fullText finds whole words in the text, the comment and the name', async () => {
    const { textDocument } = stack.sandbox.ids;
    const indemnification = await search({ fullText: 'indemnification' });
    expect(indemnification.edges.map((e) => e.node.id)).toEqual([textDocument]);
    expect(names(await search({ fullText: 'Delaware' })).sort()).toEqual(['Client call notes', 'Research notes – choice of law']);
    expect(await search({ fullText: 'indemnif' })).toMatchObject({ edges: [], totalCount: 0 });
  });

  it('type, extension, author, class and custom fields match exactly, ignoring case', async () => {
    const pdf = await search({ type: 'acrobat', container: stack.sandbox.ids.bigDocumentFolder });
    expect(pdf.edges.length).toBeGreaterThan(0);
    for (const { node } of pdf.edges) expect(node).toMatchObject({ type: 'ACROBAT', extension: 'pdf' });

    const txt = await search({ extension: 'TXT', name: 'notes' });
    expect(names(txt).sort()).toEqual(['Client call notes', 'Research notes – choice of law']);

    const byAuthor = await search({ author: 'emueller', container: stack.sandbox.ids.bigDocumentFolder });
    expect(byAuthor.edges.length).toBeGreaterThan(10);
    for (const { node } of byAuthor.edges) expect(node.author.id).toBe('EMUELLER');

    const classified = await search({ class: 'doc', custom1: '1001', name: 'witness' });
    expect(classified.edges).toHaveLength(2);
    for (const { node } of classified.edges) expect(node.profile).toEqual({ class: 'DOC', custom1: '1001' });
    expect(await search({ custom1: '9999', name: 'witness' })).toMatchObject({ edges: [], totalCount: 0 });
  });

  it('editedAfter and editedBefore bound the last change, inclusive', async () => {
    const all = await search({ container: stack.sandbox.ids.bigDocumentFolder }, 100);
    const dates = all.edges.map((e) => e.node.editDate).sort();
    const [from, to] = [dates[10]!, dates[40]!];
    const within = await search({ container: stack.sandbox.ids.bigDocumentFolder, editedAfter: from, editedBefore: to }, 100);
    expect(within.edges.length).toBeGreaterThanOrEqual(31);
    for (const { node } of within.edges) {
      expect(node.editDate >= from && node.editDate <= to).toBe(true);
    }
  });

  it('container limits to a folder, or a workspace with its subtree', async () => {
    const { bigDocumentFolder, bigDocumentFolderCount, workspaceWithDeepTree, documentId } = stack.sandbox.ids;
    const folder = await search({ container: bigDocumentFolder }, 100);
    expect(folder).toMatchObject({ totalCount: null, pageInfo: { hasNextPage: true } });
    const direct = await search({ container: workspaceWithDeepTree, name: 'witness' });
    expect(direct.edges).toEqual([]); // documents are filed in folders, not in the workspace itself
    const subtree = await search({ container: workspaceWithDeepTree, includeSubtree: true, name: 'witness' });
    expect(subtree.edges.map((e) => e.node.id)).toContain(documentId);
    let count = 0;
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const next = await search({ container: bigDocumentFolder }, 100, after === undefined ? {} : { after });
      count += next.edges.length;
      if (!next.pageInfo.hasNextPage) {
        expect(next.totalCount).toBe(bigDocumentFolderCount);
        break;
      }
      after = next.pageInfo.endCursor;
    }
    expect(count).toBe(bigDocumentFolderCount);
  });
});

describe('paging by offset', () => {
  it('sends offset and limit with the profile fields it reads, and resumes after any edge with one call', async () => {
    const { bigDocumentFolder } = stack.sandbox.ids;
    const whole = await search({ container: bigDocumentFolder }, 100);
    const first = await search({ container: bigDocumentFolder }, 20);
    expect(first.edges.map((e) => e.node.id)).toEqual(whole.edges.slice(0, 20).map((e) => e.node.id));
    for (const at of [0, 7, 19]) {
      stack.resetCounts();
      const rest = await search({ container: bigDocumentFolder }, 10, { after: first.edges[at]!.cursor });
      expect(rest.edges.map((e) => e.node.id)).toEqual(whole.edges.slice(at + 1, at + 11).map((e) => e.node.id));
      expect(rest.pageInfo.hasPreviousPage).toBe(true);
      expect(searchCalls()).toBe(1);
    }
  });

  it('refuses a resumed page that does not start after the last result: a server that ignores the offset', async () => {
    const { bigDocumentFolder } = stack.sandbox.ids;
    const first = await search({ container: bigDocumentFolder }, 10);
    // The page after is asked for from one result earlier: the result it resumes after must come back first.
    stack.sandbox.knobs.injectFault({ path: /\/documents\/search$/, times: Infinity, kind: { type: 'ignorePaging' } });
    const res = await stack.gql(SEARCH, { lib: LIB, filter: { container: bigDocumentFolder }, first: 10, after: first.pageInfo.endCursor });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.body.data!.library.documents).toBeNull();
    stack.sandbox.knobs.reset();
    const second = await search({ container: bigDocumentFolder }, 10, { after: first.pageInfo.endCursor });
    expect(second.edges).toHaveLength(10);
    expect(second.edges.map((e) => e.node.id)).not.toContain(first.edges[9]!.node.id);
  });

  it('refuses to resume when the results moved before the resumed position, rather than repeat or skip one', async () => {
    const { access_token } = await login(stack.sandbox, 'demo');
    const created = await call(stack.sandbox, access_token, 'POST', `${libBase(stack.sandbox)}/folders/${stack.sandbox.ids.emptyFolder}/subfolders`, {
      json: { name: 'Moving search results' },
    });
    const folder = created.body.data.id as string;
    for (const name of ['Mv b', 'Mv c', 'Mv d', 'Mv e']) stack.sandbox.knobs.addDocument({ folderId: folder, name, extension: 'txt', text: `${name}\n` });
    const first = await search({ container: folder }, 2);
    expect(names(first)).toEqual(['Mv b', 'Mv c']);
    // Filed before the position the next page starts at: by offset alone, "Mv c" would come again.
    stack.sandbox.knobs.addDocument({ folderId: folder, name: 'Mv a', extension: 'txt', text: 'Mv a\n' });
    const res = await stack.gql(SEARCH, { lib: LIB, filter: { container: folder }, first: 2, after: first.pageInfo.endCursor });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.body.errors![0]!.message).toMatch(/changed since the page before .* Run the search again without `after`/);
    expect(names(await search({ container: folder }, 10))).toEqual(['Mv a', 'Mv b', 'Mv c', 'Mv d', 'Mv e']);
  });

  it('refuses a cursor that resumes within a page: the search names every position by offset', async () => {
    const { bigDocumentFolder } = stack.sandbox.ids;
    const first = await search({ container: bigDocumentFolder }, 5);
    const payload = JSON.parse(Buffer.from(first.pageInfo.endCursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...payload, c: '0', l: 1000, k: 998, i: 'zzz' })).toString('base64url');
    stack.resetCounts();
    const res = await stack.gql(SEARCH, { lib: LIB, filter: { container: bigDocumentFolder }, first: 5, after: forged });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(searchCalls()).toBe(0);
  });

  it('refuses a cursor of another search, or one this service did not write', async () => {
    const { bigDocumentFolder, documentFolder } = stack.sandbox.ids;
    const first = await search({ container: bigDocumentFolder }, 5);
    stack.resetCounts();
    for (const [filter, after] of [
      [{ container: documentFolder }, first.pageInfo.endCursor],
      [{ container: bigDocumentFolder, name: 'x' }, first.pageInfo.endCursor],
      [{ container: bigDocumentFolder }, Buffer.from(JSON.stringify({ v: 2, f: 'x', p: 1, c: '-1' })).toString('base64url')],
    ] as const) {
      const res = await stack.gql(SEARCH, { lib: LIB, filter, first: 5, after });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions!.argument).toBe('after');
    }
    expect(searchCalls()).toBe(0);
  });
});

describe('who sees what', () => {
  it('never shows a document the user cannot see, and shows it to the user who can', async () => {
    const { privateDocument, folderWithDocuments } = stack.sandbox.ids;
    const demo = await search({ container: folderWithDocuments });
    expect(demo.edges.map((e) => e.node.id)).not.toContain(privateDocument);
    expect(await search({ name: 'Compensation' })).toMatchObject({ edges: [], totalCount: 0 });
    const second = await search({ container: folderWithDocuments }, 100, { user: 'second' });
    expect(second.edges.map((e) => e.node.id)).toContain(privateDocument);
  });
});

describe('bad input', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a name over 254 characters', { name: 'x'.repeat(255) }, 'filter.name'],
    ['a control character', { fullText: 'a\nb' }, 'filter.fullText'],
    ['a comma in an exact filter', { type: 'PDF,WORD' }, 'filter.type'],
    ['a comma in a custom field', { custom3: 'a,b' }, 'filter.custom3'],
    ['editedBefore before editedAfter', { editedAfter: '2024-02-01T00:00:00Z', editedBefore: '2024-01-01T00:00:00Z' }, 'filter.editedBefore'],
    ['a date before 1753', { editedAfter: '1700-01-01T00:00:00Z' }, 'filter.editedAfter'],
    ['a container that is not an id', { container: 'Employment' }, 'filter.container'],
    ['a container of another library', { container: 'ACTIVE_UK!72855' }, 'filter.container'],
    ['includeSubtree without a container', { includeSubtree: true }, 'filter.includeSubtree'],
  ];
  for (const [label, filter, argument] of cases) {
    it(`refuses ${label}, before calling iManage`, async () => {
      const res = await stack.gql(SEARCH, { lib: LIB, filter, first: 5 });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions!.argument).toBe(argument);
      expect(res.body.data).toEqual({ library: { documents: null } });
      expect(searchCalls()).toBe(0);
    });
  }

  it('refuses a date that is not one before running anything', async () => {
    const res = await stack.gql(SEARCH, { lib: LIB, filter: { editedAfter: 'yesterday' }, first: 5 });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(stack.apiCalls()).toBe(0);
  });
});
