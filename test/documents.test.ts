import { beforeAll, describe, expect, it } from 'vitest';
import { codes, useStack } from './helpers/stack.js';
import { call, get, libBase, login } from './sandbox/helpers.js';

/**
 * Documents by id (`document`, `documents`), their fields, versions, people and filing locations, who
 * may see them, and bad input; over HTTP against the sandbox, counting its calls (documents spec items
 * 1, 2, 5, 6, 9).
 */

const stack = useStack();

const DOCUMENT = `query($id: ID!) { document(id: $id) {
  id documentNumber version name extension type size comment
  profile { class classDescription subclass custom1 custom1Description custom2 custom17 custom21 custom25 }
  author { id fullName email } operator { id fullName } createDate editDate
  isCheckedOut checkedOutBy { id fullName } checkoutDate isLatest latest { id version }
  library { id } workspace { id name } defaultSecurity effectiveSecurity
} }`;
const DOCUMENTS = `query($ids: [ID!]!) { documents(ids: $ids) { id name version isLatest } }`;
const LOCATIONS = `query($id: ID!) { document(id: $id) { id locations { id name path { id name } } } }`;

const calls = (path: RegExp, method = 'GET') => stack.apiCalls({ method, path });
const searches = () => calls(/\/documents\/search$/, 'POST');
const profiles = () => calls(/\/documents\/[^/]+$/);
const numberOf = (id: string) => id.slice(id.indexOf('!') + 1).split('.')[0]!;
const versionId = (id: string, version: number) => `${id.split('.')[0]}.${version}`;

/** A document of the second library, found through its search. */
let ukDocument: string;

beforeAll(async () => {
  const res = await stack.gql(`{ library(id: "ACTIVE_UK") { documents(first: 1) { edges { node { id } } } } }`);
  ukDocument = res.body.data!.library.documents.edges[0].node.id;
});

describe('document(id)', () => {
  it('answers the profile of the latest version from one search call, with people from one users call', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(DOCUMENT, { id: ids.documentId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.document).toMatchObject({
      id: ids.documentId,
      documentNumber: Number(numberOf(ids.documentId)),
      version: 3,
      name: 'Witness statement – R. Smith',
      extension: 'docx',
      type: 'WORDX',
      size: expect.any(Number),
      comment: 'Signed statement of the claimant; exhibits are in the trial bundle',
      profile: { class: 'DOC', classDescription: 'Document', custom1: '1001', custom1Description: 'Acme Corp', custom2: '0007' },
      author: { id: 'JSMITH', fullName: 'Jane Smith', email: expect.stringContaining('@') },
      operator: { id: 'PLEE', fullName: 'Priya Lee' },
      isCheckedOut: false,
      checkedOutBy: null,
      checkoutDate: null,
      isLatest: true,
      latest: { id: ids.documentId, version: 3 },
      library: { id: 'ACTIVE_US' },
      workspace: { id: ids.workspaceWithDeepTree, name: expect.any(String) },
      defaultSecurity: 'INHERIT',
      effectiveSecurity: 'FULL_ACCESS',
    });
    expect(new Date(res.body.data!.document.createDate) < new Date(res.body.data!.document.editDate)).toBe(true);
    // The search by number, and one users call for author and operator; the workspace's name came with the document.
    expect(stack.apiCalls()).toBe(2);
    expect(searches()).toBe(1);
    expect(calls(/\/users$/)).toBe(1);
  });

  it('reads an older version by its profile, and `LIB!number` as the latest', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(
      `query($old: ID!, $bare: ID!) {
      old: document(id: $old) { id version isLatest latest { id } versions { id version isLatest } }
      bare: document(id: $bare) { id version isLatest }
    }`,
      { old: versionId(ids.documentId, 1), bare: ids.documentId.split('.')[0] },
    );
    expect(res.body.errors).toBeUndefined();
    const old = res.body.data!.old;
    expect(old).toMatchObject({ id: versionId(ids.documentId, 1), version: 1, isLatest: false, latest: { id: ids.documentId } });
    expect(old.versions).toEqual([1, 2, 3].map((v) => ({ id: versionId(ids.documentId, v), version: v, isLatest: v === 3 })));
    expect(res.body.data!.bare).toEqual({ id: ids.documentId, version: 3, isLatest: true });
    // Both ids share one search; version 1 is not the latest, so its profile is read; then its versions.
    expect(searches()).toBe(1);
    expect(profiles()).toBe(1);
    expect(calls(/\/versions$/)).toBe(1);
    expect(stack.apiCalls()).toBe(3);
  });

  it('lists versions oldest first whatever order iManage lists them in', async () => {
    const { documentId } = stack.sandbox.ids;
    const { access_token } = await login(stack.sandbox, 'demo');
    const listed = (await get(stack.sandbox, access_token, `${libBase(stack.sandbox)}/documents/${documentId}/versions`)).body.data as unknown[];
    stack.sandbox.knobs.injectFault({ path: /\/versions$/, kind: { type: 'status', status: 200, body: { data: [...listed].reverse() } } });
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { versions { version } } }`, { id: documentId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.document.versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('says who checked a document out', async () => {
    const res = await stack.gql(DOCUMENT, { id: stack.sandbox.ids.checkedOutDocument });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.document).toMatchObject({ version: 2, isCheckedOut: true, checkedOutBy: { id: 'AKUMAR', fullName: 'Arjun Kumar' } });
    expect(res.body.data!.document.checkoutDate).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  it('keeps a name with non-ASCII letters and quotes as it is', async () => {
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { name extension author { id fullName } } }`, { id: stack.sandbox.ids.unicodeDocument });
    expect(res.body.data!.document).toEqual({ name: 'Résumé – "Zoë" 2024', extension: 'pdf', author: { id: 'EMUELLER', fullName: 'Elke Müller' } });
  });

  it('is null with NOT_FOUND for a document that does not exist or that the user cannot see; BAD_USER_INPUT, with no call, for a malformed id', async () => {
    // (`LIBRARY!number` is a document id too: the latest version.)
    const { ids } = stack.sandbox;
    for (const id of [ids.privateDocument, 'ACTIVE_US!999999999.1', versionId(ids.documentId, 9), 'NOPE!1204718.1']) {
      const res = await stack.gql(`query($id: ID!) { document(id: $id) { id } }`, { id });
      expect(res.body.data, id).toEqual({ document: null });
      expect(codes(res), id).toEqual(['NOT_FOUND']);
      expect(res.body.errors![0]!.path).toEqual(['document']);
    }
    stack.resetCounts();
    for (const id of ['ACTIVE_US!52811.x', 'ACTIVE_US!1.2.3', 'ACTIVE_US!x.1', '!12.1', 'ACTIVE_US!12.0', 'ACTIVE_US!12.', '']) {
      const res = await stack.gql(`query($id: ID!) { document(id: $id) { id } }`, { id });
      expect(codes(res), id).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions!.argument).toBe('id');
    }
    expect(stack.apiCalls()).toBe(0);
  });
});

describe('documents(ids)', () => {
  it('reads the ids of one library with one call, in the order asked, older versions by their profile', async () => {
    const { ids } = stack.sandbox;
    const asked = [ids.textDocument, ids.documentId, versionId(ids.checkedOutDocument, 1), ids.unicodeDocument, ids.documentId, ids.checkedOutDocument];
    const res = await stack.gql(DOCUMENTS, { ids: asked });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.documents.map((d: any) => d.id)).toEqual(asked);
    expect(res.body.data!.documents[2]).toMatchObject({ version: 1, isLatest: false });
    expect(searches()).toBe(1);
    expect(profiles()).toBe(1);
    expect(stack.apiCalls()).toBe(2);
  });

  it('takes the latest version of a number when the search lists older ones too, and reads alone a number it cut off', async () => {
    const { documentId } = stack.sandbox.ids; // version 3 is its latest
    const { access_token } = await login(stack.sandbox, 'demo');
    const older = await Promise.all(
      [1, 2].map(
        async (version) => (await get(stack.sandbox, access_token, `${libBase(stack.sandbox)}/documents/${versionId(documentId, version)}`)).body.data,
      ),
    );
    const latest = (await get(stack.sandbox, access_token, `${libBase(stack.sandbox)}/documents/${documentId}`)).body.data;
    /** iManage's number search answers `body`, whatever it was asked. */
    const searchAnswers = (body: object) => {
      stack.sandbox.knobs.clearFaults();
      stack.resetCounts();
      stack.sandbox.knobs.injectFault({ method: 'POST', path: /\/documents\/search$/, kind: { type: 'status', status: 200, body } });
    };
    // A server whose number search answers every version, the latest marked or not.
    for (const listed of [
      [older[0], { ...latest, is_latest: undefined }, older[1]],
      [
        { ...older[0], is_latest: undefined },
        { ...latest, is_latest: undefined },
      ],
    ]) {
      searchAnswers({ data: listed, overflow: false });
      const res = await stack.gql(DOCUMENTS, { ids: [documentId.split('.')[0]] });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.documents[0]).toMatchObject({ version: 3, isLatest: true });
    }
    // Cut short by the older versions: the latest is read by its profile, not taken for unreadable,
    // nor an older version, listed without saying it is not the latest, for it.
    for (const listed of [older, older.map((version) => ({ ...version, is_latest: undefined }))]) {
      searchAnswers({ data: listed, overflow: true });
      const res = await stack.gql(DOCUMENTS, { ids: [documentId] });
      expect(res.body.data!.documents[0]).toMatchObject({ id: documentId, version: 3, isLatest: true });
    }
    expect(searches()).toBe(1);
    expect(profiles()).toBe(1);
  });

  it('makes one call per library', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(DOCUMENTS, { ids: [ids.documentId, ukDocument, ids.textDocument, ids.unicodeDocument] });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.documents.map((d: any) => d.id)).toEqual([ids.documentId, ukDocument, ids.textDocument, ids.unicodeDocument]);
    expect(searches()).toBe(2);
    expect(stack.apiCalls()).toBe(2);
    expect(stack.apiCalls({ path: /\/ACTIVE_UK\/documents\/search$/, method: 'POST' })).toBe(1);
  });

  it('answers a null entry with its own NOT_FOUND for an id the user cannot see or that does not exist', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(DOCUMENTS, { ids: [ids.documentId, ids.privateDocument, 'ACTIVE_US!999999999.1', ids.textDocument] });
    expect(res.body.data!.documents.map((d: any) => d?.id ?? null)).toEqual([ids.documentId, null, null, ids.textDocument]);
    expect(res.body.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([
      [['documents', 1], 'NOT_FOUND'],
      [['documents', 2], 'NOT_FOUND'],
    ]);
    expect(res.raw).not.toContain('Compensation');
    expect(stack.apiCalls()).toBe(1);
  });

  it('shows the private document to the user who may read it', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(DOCUMENTS, { ids: [ids.privateDocument, ids.documentId] }, { user: 'second' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.documents.map((d: any) => d.id)).toEqual([ids.privateDocument, ids.documentId]);
  });

  it('refuses a malformed id, no id or more than 100, before calling iManage', async () => {
    const { ids } = stack.sandbox;
    const cases: Array<[unknown[], string]> = [
      [[ids.documentId, 'ACTIVE_US!1204718.v2'], 'ids.1'],
      [[], 'ids'],
      [Array.from({ length: 101 }, (_, i) => `ACTIVE_US!${1000 + i}.1`), 'ids'],
    ];
    for (const [asked, argument] of cases) {
      const res = await stack.gql(DOCUMENTS, { ids: asked });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions!.argument).toBe(argument);
      expect(res.body.data).toEqual({ documents: null });
    }
    expect(stack.apiCalls()).toBe(0);
  });
});

describe('filing locations', () => {
  it('lists every folder a document is filed in, with their paths, from one parents call', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(LOCATIONS, { id: ids.documentId });
    expect(res.body.errors).toBeUndefined();
    const locations = res.body.data!.document.locations;
    expect(locations.map((f: any) => f.id).sort()).toEqual([ids.documentFolder, ids.documentFolderOther].sort());
    for (const folder of locations) expect(folder.path).toEqual([{ id: folder.id, name: folder.name }]);
    expect(calls(/\/documents\/parents$/, 'POST')).toBe(1);
    // The search, the parents call; the folders came whole with it, and sit at the workspace's root.
    expect(stack.apiCalls()).toBe(2);
  });

  it('leaves out the folders the user cannot see', async () => {
    const { ids } = stack.sandbox;
    const demo = await stack.gql(LOCATIONS, { id: ids.sharedPrivateDocument });
    const second = await stack.gql(LOCATIONS, { id: ids.sharedPrivateDocument }, { user: 'second' });
    expect(demo.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    const demoFolders = demo.body.data!.document.locations.map((f: any) => f.id);
    const secondFolders = second.body.data!.document.locations.map((f: any) => f.id);
    expect(demoFolders).toContain(ids.documentFolder);
    expect(demoFolders.length).toBe(2);
    expect(secondFolders).toEqual([ids.documentFolder]);
    // The privileged folder's path is walked as any folder's is: its ancestors, its workspace at the top.
    const privileged = demo.body.data!.document.locations.find((f: any) => f.id !== ids.documentFolder);
    expect(privileged.path.at(-1)).toEqual({ id: privileged.id, name: privileged.name });
  });

  it('reads folders sent as bare ids through the folder loader, batched', async () => {
    const { ids } = stack.sandbox;
    const base = `/work/api/v2/customers/${stack.sandbox.customerId}/libraries/ACTIVE_US`;
    const number = Number(numberOf(ids.documentId));
    stack.sandbox.knobs.injectFault({
      path: `${base}/documents/parents`,
      kind: {
        type: 'status',
        status: 200,
        body: {
          data: [
            { document: ids.documentId, folder: ids.documentFolder },
            { document: { id: ids.documentId, document_number: number }, folder: ids.documentFolderOther },
          ],
        },
      },
    });
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { locations { id name } } }`, { id: ids.documentId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.document.locations.map((f: any) => f.id)).toEqual([ids.documentFolder, ids.documentFolderOther]);
    expect(res.body.data!.document.locations.every((f: any) => typeof f.name === 'string')).toBe(true);
    expect(stack.apiCalls({ path: /\/folders$/ })).toBe(1); // include_ids
  });

  it('nulls `locations` alone when the parents call fails', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/documents\/parents$/, times: Infinity, kind: { type: 'status', status: 500 } });
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { id name locations { id } } }`, { id: stack.sandbox.ids.documentId });
    expect(res.body.data!.document).toEqual({ id: stack.sandbox.ids.documentId, name: expect.any(String), locations: null });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.body.errors![0]!.path).toEqual(['document', 'locations']);
  });
});

describe('people', () => {
  it('asks for one user at a time, at most 8 at once, when iManage has no batch users route', async () => {
    for (const status of [404, 405, 400]) {
      stack.resetCounts();
      stack.sandbox.knobs.clearFaults();
      stack.sandbox.knobs.injectFault({ path: /\/users$/, times: Infinity, kind: { type: 'status', status } });
      const res = await stack.gql(
        `query($id: ID!) { folder(id: $id) { documents(first: 20) { edges { node { author { id fullName } operator { id fullName } } } } } }`,
        {
          id: stack.sandbox.ids.bigDocumentFolder,
        },
      );
      expect(res.body.errors, String(status)).toBeUndefined();
      const people = res.body.data!.folder.documents.edges.flatMap((e: any) => [e.node.author, e.node.operator]);
      expect(people.every((p: any) => typeof p.fullName === 'string')).toBe(true);
      const distinct = new Set(people.map((p: any) => p.id)).size;
      expect(calls(/\/users$/)).toBe(1);
      expect(calls(/\/users\/[^/]+$/)).toBe(distinct);
    }
  });

  it('asks for one user at a time when iManage ignores `alias` and lists other users', async () => {
    // Without `alias` the list starts with other users (by id): the one asked for is not among them.
    stack.sandbox.knobs.injectFault({ path: /\/users$/, times: Infinity, kind: { type: 'ignoreParams', names: ['alias'] } });
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { author { id fullName } } }`, { id: stack.sandbox.ids.documentId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.document.author).toEqual({ id: 'JSMITH', fullName: stack.sandbox.users.demo!.name });
    expect(calls(/\/users$/)).toBe(1);
    expect(calls(/\/users\/[^/]+$/)).toBe(1);
  });

  it('nulls only `fullName` and `email` when the users call fails; the ids arrive', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/users$/, times: Infinity, kind: { type: 'status', status: 500 } });
    const res = await stack.gql(`query($id: ID!) { document(id: $id) { name author { id fullName } } }`, { id: stack.sandbox.ids.documentId });
    expect(res.body.data!.document).toEqual({ name: expect.any(String), author: { id: 'JSMITH', fullName: null } });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.body.errors![0]!.path).toEqual(['document', 'author', 'fullName']);
  });
});

interface SavedSearchPage {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string };
  edges: Array<{ node: { name: string } }>;
}

describe('a saved search shown as a folder', () => {
  it('pages its documents by offset, as reference §5.2 says cursor paging is not for saved-search folders', async () => {
    const { access_token } = await login(stack.sandbox, 'demo');
    const made = await call(stack.sandbox, access_token, 'POST', `${libBase(stack.sandbox)}/folders/${stack.sandbox.ids.emptyFolder}/subfolders`, {
      json: { name: 'Saved search: hits' },
    });
    const folderId = made.body.data.id as string;
    const hits = ['Saved hit a', 'Saved hit b', 'Saved hit c', 'Saved hit d', 'Saved hit e'];
    for (const name of hits) stack.sandbox.knobs.addDocument({ folderId: stack.sandbox.ids.documentFolder, name, extension: 'txt', text: `${name}\n` });
    stack.sandbox.knobs.makeSavedSearch(folderId, { name: 'Saved hit*' });
    const PAGE = `query($id: ID!, $after: String) { folder(id: $id) { folderType documents(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    stack.resetCounts();
    for (let page = 0; page < 4; page++) {
      const res = await stack.gql(PAGE, { id: folderId, after: after as string | null });
      expect(res.body.errors).toBeUndefined();
      const folder = res.body.data!.folder as { folderType: string; documents: SavedSearchPage };
      expect(folder.folderType).toBe('SEARCH');
      const documents = folder.documents;
      seen.push(...documents.edges.map((e) => e.node.name));
      if (!documents.pageInfo.hasNextPage) {
        expect(documents.totalCount).toBe(hits.length);
        break;
      }
      after = documents.pageInfo.endCursor;
    }
    expect(seen).toEqual(hits);
    const listed = stack.sandbox.log.entries().filter((e) => e.method === 'GET' && e.path.endsWith(`/folders/${folderId}/documents`));
    expect(listed.length).toBe(3);
    for (const entry of listed) expect(entry.query).toMatchObject({ paging_mode: 'standard' });
    // Standard paging answers in iManage's natural order (§5.2): an order it did not apply is refused.
    stack.sandbox.knobs.injectFault({ path: /\/documents$/, times: Infinity, kind: { type: 'ignoreParams', names: ['sort_by', 'sort_order'] } });
    const unsorted = await stack.gql(
      `query($id: ID!) { folder(id: $id) { documents(first: 5, orderBy: { field: DOCUMENT_NUMBER, direction: DESC }) { edges { node { id } } } } }`,
      {
        id: folderId,
      },
    );
    expect(codes(unsorted)).toEqual(['BAD_USER_INPUT']);
    expect(unsorted.body.errors![0]!.extensions).toMatchObject({ unsupported: true });
    stack.sandbox.knobs.clearFaults();
  });
});

describe('replies that break the API', () => {
  it('answers UPSTREAM_UNAVAILABLE, never INTERNAL, for ids, numbers and versions this service could not use', async () => {
    const { documentFolder, documentId } = stack.sandbox.ids;
    const { access_token } = await login(stack.sandbox, 'demo');
    const good = (await get(stack.sandbox, access_token, `${libBase(stack.sandbox)}/documents/${documentId}`)).body.data as Record<string, unknown>;
    const LIST = `query($id: ID!) { folder(id: $id) { name documents(first: 5) { edges { node { id documentNumber version } } } } }`;
    for (const entry of [
      { id: 'garbage', name: 'a' },
      { ...good, document_number: 3_000_000_000 },
      { ...good, version: 0 },
      { ...good, id: 'ACTIVE_US!52811', wstype: 'document', document_number: undefined, version: undefined },
    ]) {
      stack.sandbox.knobs.clearFaults();
      stack.sandbox.knobs.injectFault({ method: 'GET', path: /\/folders\/[^/]+\/documents$/, kind: { type: 'status', status: 200, body: { data: [entry] } } });
      const res = await stack.gql(LIST, { id: documentFolder });
      expect(codes(res), JSON.stringify(entry).slice(0, 80)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(res.body.data!.folder).toEqual({ name: expect.any(String), documents: null });
    }
    // A children list that holds documents too (a server that ignores exclude_docs): its folders are kept.
    stack.sandbox.knobs.clearFaults();
    const parent = stack.sandbox.ids.deepFolderPath[1]!;
    const children = (await get(stack.sandbox, access_token, `${libBase(stack.sandbox)}/folders/${parent}/children`)).body.data as Array<{ id: string }>;
    expect(children.length).toBeGreaterThan(0);
    stack.sandbox.knobs.injectFault({ method: 'GET', path: /\/children$/, kind: { type: 'status', status: 200, body: { data: [...children, good] } } });
    const mixed = await stack.gql(`query($id: ID!) { folder(id: $id) { subfolders { edges { node { id } } } } }`, { id: parent });
    expect(mixed.body.errors).toBeUndefined();
    expect(mixed.body.data!.folder.subfolders.edges.map((e: any) => e.node.id)).toEqual(children.map((c) => c.id));
    // A folder's list that holds an entry of another kind (left out), beside a document.
    stack.sandbox.knobs.clearFaults();
    stack.sandbox.knobs.injectFault({
      method: 'GET',
      path: /\/folders\/[^/]+\/documents$/,
      kind: { type: 'status', status: 200, body: { data: [{ id: 'shortcut-1', name: 'A link', wstype: 'shortcut' }, good] } },
    });
    const withOther = await stack.gql(LIST, { id: documentFolder });
    expect(withOther.body.errors).toBeUndefined();
    expect(withOther.body.data!.folder.documents.edges.map((e: any) => e.node.id)).toEqual([documentId]);
    // A filing location whose folder id cannot be read back.
    stack.sandbox.knobs.clearFaults();
    stack.sandbox.knobs.injectFault({
      method: 'POST',
      path: /\/documents\/parents$/,
      kind: {
        type: 'status',
        status: 200,
        body: { data: [{ document: { id: documentId, document_number: good.document_number }, folder: { id: 'garbage', name: 'G', wstype: 'folder' } }] },
      },
    });
    const located = await stack.gql(LOCATIONS, { id: documentId });
    expect(codes(located)).toEqual(['UPSTREAM_UNAVAILABLE']);
  });
});

describe('Workspace.documents', () => {
  const WORKSPACE_DOCUMENTS = `query($id: ID!) { workspace(id: $id) { name documents(first: 100) { totalCount edges { node { id } } } } }`;

  it('lists the documents filed anywhere in the workspace, each once', async () => {
    const { ids } = stack.sandbox;
    const res = await stack.gql(
      `query($id: ID!) { workspace(id: $id) { documents(first: 10, orderBy: { field: NAME }) { pageInfo { hasNextPage } edges { node { id } } } } }`,
      {
        id: ids.workspaceWithDeepTree,
      },
    );
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data!.workspace.documents;
    expect(page.edges).toHaveLength(10);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const call = stack.sandbox.log.entries().find((e) => /\/workspaces\/[^/]+\/documents$/.test(e.path))!;
    expect(call.query).toMatchObject({ paging_mode: 'standard_cursor', limit: '10', sort_by: 'name', sort_order: 'asc' });
  });

  it('fails alone, with BAD_USER_INPUT saying so, where iManage has no such route', async () => {
    const { ids } = stack.sandbox;
    const route = /\/workspaces\/[^/]+\/documents$/;
    const missing = [
      { type: 'status' as const, status: 405 },
      { type: 'status' as const, status: 404, body: { error: { code: 'NOT_FOUND', code_message: 'No route' } } },
      { type: 'status' as const, status: 404, body: '<html>Not Found</html>' },
    ];
    for (const kind of missing) {
      stack.sandbox.knobs.clearFaults();
      stack.sandbox.knobs.injectFault({ path: route, kind });
      const res = await stack.gql(WORKSPACE_DOCUMENTS, { id: ids.workspaceWithDeepTree });
      expect(res.body.data!.workspace).toEqual({ name: expect.any(String), documents: null });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions!.unsupported).toBe(true);
      expect(res.body.errors![0]!.message).toContain("each folder's `documents`");
    }
    // iManage's own "no such record" is the workspace missing, not the route.
    stack.sandbox.knobs.clearFaults();
    stack.sandbox.knobs.injectFault({ path: route, kind: { type: 'status', status: 404 } });
    const gone = await stack.gql(WORKSPACE_DOCUMENTS, { id: ids.workspaceWithDeepTree });
    expect(codes(gone)).toEqual(['NOT_FOUND']);
  });
});
