import { describe, expect, it } from 'vitest';
import { CREATE, childrenInSandbox, createFolder, sandboxGet, uniqueName } from './helpers/createSubfolder.js';
import { codes, useStack } from './helpers/stack.js';
import { call, libBase, libOf, login } from './sandbox/helpers.js';

/** createSubfolder over HTTP against the sandbox: what reaches iManage, what comes back, and what reads see after. */

const stack = useStack();

const SUBFOLDERS = /^\/work\/api\/v2\/customers\/\d+\/libraries\/[^/]+\/folders\/[^/]+\/subfolders$/;
const ROOT_FOLDERS = /^\/work\/api\/v2\/customers\/\d+\/libraries\/[^/]+\/workspaces\/[^/]+\/folders$/;
const posts = () => stack.apiCalls({ method: 'POST' });

describe('creating a folder', () => {
  it('creates under a folder with profile and trustees, sending iManage its own wire format', async () => {
    const { emptyFolder, workspaceWithDeepTree } = stack.sandbox.ids;
    const name = uniqueName('Employee Agreements');
    const res = await stack.gql(CREATE, {
      input: {
        parentId: emptyFolder,
        name,
        description: 'Signed agreements\nand drafts',
        defaultSecurity: 'PRIVATE',
        profile: {
          custom3: 'EMP',
          custom3Description: 'Employment',
          custom13: 'A longer note',
          custom17: 42.5,
          custom21: '2024-03-01T09:30:00.000Z',
          custom25: true,
          custom29: 'X1',
        },
        userTrustees: [{ id: 'AKUMAR', accessLevel: 'READ' }],
        groupTrustees: [{ id: 'EMPLOYMENT', accessLevel: 'READ_WRITE' }],
      },
    });
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data!.createSubfolder;
    expect(payload.userErrors).toEqual([]);
    expect(payload.replayed).toBe(false);
    expect(payload.folder).toMatchObject({
      name,
      description: 'Signed agreements\nand drafts',
      defaultSecurity: 'PRIVATE',
      effectiveSecurity: 'FULL_ACCESS',
      folderType: 'REGULAR',
      owner: stack.sandbox.users.demo!.id,
      hasSubfolders: false,
      hasDocuments: false,
      library: { id: 'ACTIVE_US' },
      workspace: { id: workspaceWithDeepTree },
      parent: { id: emptyFolder },
      profile: {
        custom3: 'EMP',
        custom3Description: 'Employment',
        custom13: 'A longer note',
        custom17: 42.5,
        custom21: '2024-03-01T09:30:00.000Z',
        custom25: true,
        custom29: 'X1',
      },
    });
    expect(payload.folder.id).toMatch(/^ACTIVE_US!\d+$/);
    expect(new Date(payload.folder.editDate).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // One look at the parent (a folder: found at the first try), one POST, and the workspace for `workspace`.
    expect(stack.apiCalls({ method: 'GET', path: new RegExp(`/folders/${emptyFolder}$`) })).toBe(1);
    expect(stack.apiCalls({ method: 'POST', path: SUBFOLDERS })).toBe(1);
    expect(posts()).toBe(1);

    // What iManage stored is what its wire format says: snake_case profile keys with typed values,
    // `access_level` strings, users and groups in their own arrays.
    const stored = await sandboxGet(stack, payload.folder.id);
    expect(stored.body.data).toMatchObject({
      name,
      description: 'Signed agreements\nand drafts',
      default_security: 'private',
      parent_id: emptyFolder,
      owner: 'JSMITH',
      profile: {
        custom3: 'EMP',
        custom3_description: 'Employment',
        custom13: 'A longer note',
        custom17: 42.5,
        custom21: '2024-03-01T09:30:00.000Z',
        custom25: true,
        custom29: 'X1',
      },
    });
    const security = await sandboxGet(stack, payload.folder.id, '/security');
    expect(security.body.default_security).toBe('private');
    expect(security.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'AKUMAR', type: 'user', access_level: 'read' }),
        expect.objectContaining({ id: 'EMPLOYMENT', type: 'group', access_level: 'read_write' }),
      ]),
    );
    expect(security.body.data).toHaveLength(2);
  });

  it('creates at a workspace root: the parent is found to be a workspace, and the folder has no parent folder', async () => {
    const ws = stack.sandbox.ids.workspaceWithDeepTree;
    const name = uniqueName('Board Minutes');
    const res = await stack.gql(CREATE, { input: { parentId: ws, name } });
    expect(res.body.errors).toBeUndefined();
    const { folder, userErrors } = res.body.data!.createSubfolder;
    expect(userErrors).toEqual([]);
    expect(folder).toMatchObject({ name, parent: null, workspace: { id: ws }, defaultSecurity: 'INHERIT' });
    // The folder route first (404 for a workspace id), then the workspace route, then the root POST.
    expect(stack.apiCalls({ method: 'GET', path: new RegExp(`/folders/${ws}$`) })).toBe(1);
    expect(stack.apiCalls({ method: 'GET', path: new RegExp(`/workspaces/${ws}$`) })).toBe(1);
    expect(stack.apiCalls({ method: 'POST', path: ROOT_FOLDERS })).toBe(1);
    expect(posts()).toBe(1);

    const stored = await sandboxGet(stack, folder.id);
    expect(stored.body.data).toMatchObject({ name, parent_id: ws, workspace_id: ws, default_security: 'inherit' });

    const later = await stack.gql(`query($id: ID!) { workspace(id: $id) { folders(first: 100) { edges { node { id name } } } } }`, { id: ws });
    expect(later.body.data!.workspace.folders.edges.map((e: any) => e.node.id)).toContain(folder.id);
  });

  it('at a workspace root on a server that answers the workspace on the folder route: not taken for a folder', async () => {
    // The reference is silent on what the folder route answers for a workspace id; a server may give
    // the workspace itself, its `wstype` saying so (and no `workspace_id`, reference §4.2).
    const ws = stack.sandbox.ids.workspaceWithDeepTree;
    const { access_token } = await login(stack.sandbox, 'demo');
    const workspace = (await call(stack.sandbox, access_token, 'GET', `${libBase(stack.sandbox, libOf(ws))}/workspaces/${ws}`)).body;
    expect(workspace.data).toMatchObject({ id: ws, wstype: 'workspace' });
    const onFolderRoute = () =>
      stack.sandbox.knobs.injectFault({ method: 'GET', path: new RegExp(`/folders/${ws}$`), times: 1, kind: { type: 'status', status: 200, body: workspace } });
    onFolderRoute();
    const read = await stack.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id: ws });
    expect(codes(read)).toEqual(['NOT_FOUND']);
    onFolderRoute();
    const name = uniqueName('Board Resolutions');
    const res = await stack.gql(CREATE, { input: { parentId: ws, name } });
    expect(res.body.data!.createSubfolder).toMatchObject({ userErrors: [], folder: { name, parent: null, workspace: { id: ws } } });
    expect(stack.apiCalls({ method: 'POST', path: ROOT_FOLDERS })).toBe(1);
    expect(stack.apiCalls({ method: 'POST', path: /\/subfolders$/ })).toBe(0);
  });

  it('shows the new folder to its creator and, per its security, to others', async () => {
    const { emptyFolder } = stack.sandbox.ids;
    const shared = await createFolder(stack, {
      parentId: emptyFolder,
      name: uniqueName('Shared'),
      defaultSecurity: 'PRIVATE',
      userTrustees: [{ id: 'akumar', accessLevel: 'READ' }],
    });
    const privateOne = await createFolder(stack, { parentId: emptyFolder, name: uniqueName('Mine only'), defaultSecurity: 'PRIVATE' });
    const publicOne = await createFolder(stack, { parentId: emptyFolder, name: uniqueName('Everyone'), defaultSecurity: 'PUBLIC' });
    const hidden = await createFolder(stack, {
      parentId: emptyFolder,
      name: uniqueName('Not Arjun'),
      defaultSecurity: 'PUBLIC',
      userTrustees: [{ id: 'AKUMAR', accessLevel: 'NO_ACCESS' }],
    });

    const read = `query($id: ID!) { folder(id: $id) { id effectiveSecurity } }`;
    for (const id of [shared, privateOne, publicOne, hidden]) {
      const mine = await stack.gql(read, { id });
      expect(mine.body.data!.folder).toEqual({ id, effectiveSecurity: 'FULL_ACCESS' });
    }
    const asSecond = async (id: string) => stack.gql(read, { id }, { user: 'second' });
    expect((await asSecond(shared)).body.data!.folder).toEqual({ id: shared, effectiveSecurity: 'READ' });
    expect((await asSecond(publicOne)).body.data!.folder).toEqual({ id: publicOne, effectiveSecurity: 'READ_WRITE' });
    expect(codes(await asSecond(privateOne))).toEqual(['NOT_FOUND']);
    expect(codes(await asSecond(hidden))).toEqual(['NOT_FOUND']);
  });

  it('round-trips Unicode names unchanged (only outer white space is trimmed), counting characters, not UTF-16 units', async () => {
    const { unicodeFolder } = stack.sandbox.ids;
    const decomposed = 'Cafe\u0301 Le\u0301gal'; // combining accents: not normalised on the way
    const names = [`契約書 – Verträge & Anlagen ${uniqueName('Ñandú 🇩🇪')}`, decomposed + uniqueName(''), '📁'.repeat(254)];
    for (const name of names) {
      const res = await stack.gql(CREATE, { input: { parentId: unicodeFolder, name: `  ${name}\u3000` } });
      expect(res.body.errors).toBeUndefined();
      const { folder, userErrors } = res.body.data!.createSubfolder;
      expect(userErrors).toEqual([]);
      expect(folder.name).toBe(name);
      const stored = await sandboxGet(stack, folder.id);
      expect(stored.body.data.name).toBe(name);
      const later = await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id: folder.id });
      expect(later.body.data!.folder.name).toBe(name);
    }
    expect(posts()).toBe(names.length);
  });
});

describe('consistent with reads', () => {
  it('within one operation: a later read of the parent lists every folder created before it, and hasSubfolders turns true', async () => {
    const parent = await createFolder(stack, { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Fresh parent') });
    stack.resetCounts();
    const res = await stack.gql(
      `mutation($p: ID!, $a: String!, $b: String!) {
        a: createSubfolder(input: { parentId: $p, name: $a }) { folder { id parent { id hasSubfolders subfolders { totalCount edges { node { id name } } } } } }
        b: createSubfolder(input: { parentId: $p, name: $b }) { folder { id parent { id hasSubfolders subfolders { totalCount edges { node { id name } } } } } }
      }`,
      { p: parent, a: 'Alpha', b: 'Beta' },
    );
    expect(res.body.errors).toBeUndefined();
    const { a, b } = res.body.data!;
    expect(a.folder.parent).toEqual({ id: parent, hasSubfolders: true, subfolders: { totalCount: 1, edges: [{ node: { id: a.folder.id, name: 'Alpha' } }] } });
    expect(b.folder.parent).toEqual({
      id: parent,
      hasSubfolders: true,
      subfolders: { totalCount: 2, edges: [{ node: { id: a.folder.id, name: 'Alpha' } }, { node: { id: b.folder.id, name: 'Beta' } }] },
    });
    // The parent was looked up once (its record then said: no subfolders), each create sent once, and
    // its children listed again after each create instead of served from the stale cache.
    expect(stack.apiCalls({ method: 'GET', path: new RegExp(`/folders/${parent}$`) })).toBe(1);
    expect(stack.apiCalls({ method: 'POST', path: SUBFOLDERS })).toBe(2);
    expect(stack.apiCalls({ method: 'GET', path: new RegExp(`/folders/${parent}/children$`) })).toBe(2);
  });

  it('in later operations: the parent reports hasSubfolders and lists the folder', async () => {
    const parent = await createFolder(stack, { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Parent') });
    const before = await stack.gql(`query($id: ID!) { folder(id: $id) { hasSubfolders subfolders { totalCount } } }`, { id: parent });
    expect(before.body.data!.folder).toEqual({ hasSubfolders: false, subfolders: { totalCount: 0 } });
    const child = await createFolder(stack, { parentId: parent, name: 'Child' });
    const after = await stack.gql(`query($id: ID!) { folder(id: $id) { hasSubfolders subfolders { edges { node { id name parent { id } } } } } }`, {
      id: parent,
    });
    expect(after.body.data!.folder).toEqual({ hasSubfolders: true, subfolders: { edges: [{ node: { id: child, name: 'Child', parent: { id: parent } } }] } });
  });
});

describe('validation: every problem is a user error on its field, and nothing reaches iManage', () => {
  const parentId = () => stack.sandbox.ids.emptyFolder;
  const cases: Array<[string, () => Record<string, unknown>, Array<{ field: string[]; code: string }>]> = [
    ['a blank name', () => ({ parentId: parentId(), name: ' \t ' }), [{ field: ['input', 'name'], code: 'REQUIRED' }]],
    ['a name of 255 characters', () => ({ parentId: parentId(), name: 'x'.repeat(255) }), [{ field: ['input', 'name'], code: 'TOO_LONG' }]],
    ['a name with a line break', () => ({ parentId: parentId(), name: 'Two\nlines' }), [{ field: ['input', 'name'], code: 'INVALID_CHARACTERS' }]],
    ['a name with a lone surrogate', () => ({ parentId: parentId(), name: 'bad \ud800 half' }), [{ field: ['input', 'name'], code: 'INVALID_CHARACTERS' }]],
    [
      'a name with a right-to-left override',
      () => ({ parentId: parentId(), name: 'invoice\u202Efdp.exe' }),
      [{ field: ['input', 'name'], code: 'INVALID_CHARACTERS' }],
    ],
    ['a name with a paragraph separator', () => ({ parentId: parentId(), name: 'one\u2029two' }), [{ field: ['input', 'name'], code: 'INVALID_CHARACTERS' }]],
    [
      'a description of 255 characters',
      () => ({ parentId: parentId(), name: 'ok', description: 'd'.repeat(255) }),
      [{ field: ['input', 'description'], code: 'TOO_LONG' }],
    ],
    [
      'a description with a bell',
      () => ({ parentId: parentId(), name: 'ok', description: 'ding\u0007' }),
      [{ field: ['input', 'description'], code: 'INVALID_CHARACTERS' }],
    ],
    [
      'custom1 of 33 characters',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom1: '1'.repeat(33) } }),
      [{ field: ['input', 'profile', 'custom1'], code: 'TOO_LONG' }],
    ],
    [
      'custom12 of 33 characters',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom12: 'c'.repeat(33) } }),
      [{ field: ['input', 'profile', 'custom12'], code: 'TOO_LONG' }],
    ],
    [
      'custom13 of 97 characters',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom13: 'c'.repeat(97) } }),
      [{ field: ['input', 'profile', 'custom13'], code: 'TOO_LONG' }],
    ],
    [
      'custom16 of 97 characters',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom16: 'c'.repeat(97) } }),
      [{ field: ['input', 'profile', 'custom16'], code: 'TOO_LONG' }],
    ],
    [
      'custom30 of 33 characters',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom30: 'c'.repeat(33) } }),
      [{ field: ['input', 'profile', 'custom30'], code: 'TOO_LONG' }],
    ],
    [
      'a description of custom2 of 255',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom2Description: 'c'.repeat(255) } }),
      [{ field: ['input', 'profile', 'custom2Description'], code: 'TOO_LONG' }],
    ],
    [
      'a class of 33',
      () => ({ parentId: parentId(), name: 'ok', profile: { class: 'C'.repeat(33) } }),
      [{ field: ['input', 'profile', 'class'], code: 'TOO_LONG' }],
    ],
    [
      'custom4 with a tab',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom4: 'a\tb' } }),
      [{ field: ['input', 'profile', 'custom4'], code: 'INVALID_CHARACTERS' }],
    ],
    [
      'custom22 before 1753',
      () => ({ parentId: parentId(), name: 'ok', profile: { custom22: '1700-01-01T00:00:00Z' } }),
      [{ field: ['input', 'profile', 'custom22'], code: 'OUT_OF_RANGE' }],
    ],
    [
      'a blank trustee id',
      () => ({ parentId: parentId(), name: 'ok', userTrustees: [{ id: '  ', accessLevel: 'READ' }] }),
      [{ field: ['input', 'userTrustees', '0', 'id'], code: 'REQUIRED' }],
    ],
    [
      'a trustee id of 65 characters',
      () => ({ parentId: parentId(), name: 'ok', groupTrustees: [{ id: 'G'.repeat(65), accessLevel: 'READ' }] }),
      [{ field: ['input', 'groupTrustees', '0', 'id'], code: 'TOO_LONG' }],
    ],
    [
      'a user named twice (ignoring case)',
      () => ({
        parentId: parentId(),
        name: 'ok',
        userTrustees: [
          { id: 'AKUMAR', accessLevel: 'READ' },
          { id: 'PLEE', accessLevel: 'READ' },
          { id: ' akumar ', accessLevel: 'READ_WRITE' },
        ],
      }),
      [{ field: ['input', 'userTrustees', '2', 'id'], code: 'DUPLICATE' }],
    ],
    [
      'a group named twice',
      () => ({
        parentId: parentId(),
        name: 'ok',
        groupTrustees: [
          { id: 'LITIGATION', accessLevel: 'READ' },
          { id: 'LITIGATION', accessLevel: 'READ' },
        ],
      }),
      [{ field: ['input', 'groupTrustees', '1', 'id'], code: 'DUPLICATE' }],
    ],
    [
      '101 user trustees',
      () => ({ parentId: parentId(), name: 'ok', userTrustees: Array.from({ length: 101 }, (_, i) => ({ id: `U${i}`, accessLevel: 'READ' })) }),
      [{ field: ['input', 'userTrustees'], code: 'TOO_MANY' }],
    ],
    [
      'an idempotency key with a space',
      () => ({ parentId: parentId(), name: 'ok', idempotencyKey: 'two words' }),
      [{ field: ['input', 'idempotencyKey'], code: 'INVALID_FORMAT' }],
    ],
    [
      'an empty idempotency key',
      () => ({ parentId: parentId(), name: 'ok', idempotencyKey: '' }),
      [{ field: ['input', 'idempotencyKey'], code: 'INVALID_FORMAT' }],
    ],
    [
      'an idempotency key of 129 characters',
      () => ({ parentId: parentId(), name: 'ok', idempotencyKey: 'k'.repeat(129) }),
      [{ field: ['input', 'idempotencyKey'], code: 'TOO_LONG' }],
    ],
    ['a malformed parent id', () => ({ parentId: 'ACTIVE_US!../../x', name: 'ok' }), [{ field: ['input', 'parentId'], code: 'INVALID_ID' }]],
    [
      'several problems at once',
      () => ({
        parentId: 'nope',
        name: '',
        description: 'd'.repeat(300),
        profile: { custom1: '1'.repeat(40), custom21: '1600-01-01T00:00:00Z' },
        groupTrustees: [{ id: '', accessLevel: 'READ' }],
      }),
      [
        { field: ['input', 'parentId'], code: 'INVALID_ID' },
        { field: ['input', 'name'], code: 'REQUIRED' },
        { field: ['input', 'description'], code: 'TOO_LONG' },
        { field: ['input', 'profile', 'custom1'], code: 'TOO_LONG' },
        { field: ['input', 'profile', 'custom21'], code: 'OUT_OF_RANGE' },
        { field: ['input', 'groupTrustees', '0', 'id'], code: 'REQUIRED' },
      ],
    ],
  ];
  for (const [label, input, expected] of cases) {
    it(`refuses ${label}`, async () => {
      const res = await stack.gql(CREATE, { input: input() });
      expect(res.body.errors).toBeUndefined();
      const payload = res.body.data!.createSubfolder;
      expect(payload.folder).toBeNull();
      expect(payload.userErrors.map((e: any) => ({ field: e.field, code: e.code }))).toEqual(expected);
      for (const e of payload.userErrors) {
        expect(e.imanageCode).toBeNull();
        expect(e.message.length).toBeLessThan(250);
      }
      expect(stack.apiCalls()).toBe(0);
    });
  }

  it('accepts the limits themselves', async () => {
    const res = await stack.gql(CREATE, {
      input: {
        parentId: parentId(),
        name: 'n'.repeat(254),
        description: 'd'.repeat(254),
        profile: {
          custom1: '1'.repeat(32),
          custom13: 'l'.repeat(96),
          custom1Description: 'x'.repeat(254),
          custom24: '1753-01-01T00:00:00Z',
          custom23: '9999-12-31T00:00:00Z',
        },
        userTrustees: [{ id: 'AKUMAR', accessLevel: 'READ' }],
        groupTrustees: [{ id: 'akumar', accessLevel: 'READ' }], // the same id in the other list is another trustee
        idempotencyKey: `${'k'.repeat(100)}:A-z_0.9`,
      },
    });
    expect(res.body.data!.createSubfolder.userErrors).toEqual([
      // The sandbox has no group AKUMAR: iManage's own refusal, on the field it names.
      {
        field: ['input', 'groupTrustees', '0', 'id'],
        code: 'INVALID_VALUE',
        message: expect.stringContaining('groupTrustees.0.id'),
        imanageCode: 'invalid_value',
      },
    ]);
    expect(posts()).toBe(1);
  });

  it('leaves types to GraphQL: a number, a date and a flag of the wrong type are BAD_USER_INPUT, with no call', async () => {
    for (const profile of [{ custom17: 'many' }, { custom21: 'yesterday' }, { custom25: 'yes' }, { custom18: '12' }]) {
      const res = await stack.gql(CREATE, { input: { parentId: parentId(), name: 'ok', profile } });
      expect(codes(res), JSON.stringify(profile)).toEqual(['BAD_USER_INPUT']);
    }
    const badLevel = await stack.gql(CREATE, { input: { parentId: parentId(), name: 'ok', userTrustees: [{ id: 'AKUMAR', accessLevel: 'CHANGE_SECURITY' }] } });
    expect(codes(badLevel)).toEqual(['BAD_USER_INPUT']);
    expect(stack.apiCalls()).toBe(0);
  });
});

describe("iManage's own refusals", () => {
  it('maps a 400 with messages onto the input fields they name (positions kept, users and groups apart)', async () => {
    const res = await stack.gql(CREATE, {
      input: {
        parentId: stack.sandbox.ids.emptyFolder,
        name: uniqueName('Refused'),
        userTrustees: [
          { id: 'AKUMAR', accessLevel: 'READ' },
          { id: 'NOBODY', accessLevel: 'READ' },
        ],
        groupTrustees: [{ id: 'NO_SUCH_GROUP', accessLevel: 'READ' }],
      },
    });
    const payload = res.body.data!.createSubfolder;
    expect(payload.folder).toBeNull();
    expect(payload.userErrors).toEqual([
      { field: ['input', 'userTrustees', '1', 'id'], code: 'INVALID_VALUE', message: expect.any(String), imanageCode: 'invalid_value' },
      { field: ['input', 'groupTrustees', '0', 'id'], code: 'INVALID_VALUE', message: expect.any(String), imanageCode: 'invalid_value' },
    ]);
    expect(posts()).toBe(1);
  });

  it('reports a parent the user may only read as FORBIDDEN', async () => {
    const { readOnlyFolder } = stack.sandbox.ids;
    const name = uniqueName('Not allowed');
    const res = await stack.gql(CREATE, { input: { parentId: readOnlyFolder, name } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createSubfolder).toMatchObject({
      folder: null,
      userErrors: [{ field: ['input', 'parentId'], code: 'FORBIDDEN', imanageCode: 'NRC_ACCESS_DENIED' }],
    });
    expect(posts()).toBe(1);
    expect((await childrenInSandbox(stack, readOnlyFolder)).filter((f) => f.name === name)).toEqual([]);
  });

  it('reports a missing or invisible parent as NOT_FOUND, without sending the create', async () => {
    // deniedFolder: iManage answers the read with 403; it is as absent as the others.
    for (const parentId of [
      'ACTIVE_US!99999999',
      stack.sandbox.ids.privateFolderOfOther,
      stack.sandbox.ids.privateWorkspaceOfOther,
      stack.sandbox.ids.deniedFolder,
    ]) {
      stack.resetCounts();
      const res = await stack.gql(CREATE, { input: { parentId, name: 'Nowhere' } });
      expect(res.body.data!.createSubfolder).toMatchObject({ folder: null, userErrors: [{ field: ['input', 'parentId'], code: 'NOT_FOUND' }] });
      expect(posts()).toBe(0);
      expect(stack.apiCalls()).toBe(2); // as a folder, then as a workspace
    }
  });

  it('needs a connection: IMANAGE_NOT_CONNECTED, and nothing sent', async () => {
    const res = await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: 'x' } }, { user: 'stranger' });
    expect(codes(res)).toEqual(['IMANAGE_NOT_CONNECTED']);
    expect(stack.apiCalls()).toBe(0);
  });
});
