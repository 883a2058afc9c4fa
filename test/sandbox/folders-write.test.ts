import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './helpers.js';

let sb: Sandbox;
let demo: string;
let second: string;
let paralegal: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
  second = (await login(sb, 'second')).access_token;
  paralegal = (await login(sb, 'paralegal')).access_token;
});
afterAll(async () => {
  await sb.close();
});

const folders = (): string => `${libBase(sb)}/folders`;

describe('create', () => {
  it('creates a subfolder (201) that then appears under its parent', async () => {
    const parent = sb.ids.emptyFolder;
    const res = await call(sb, demo, 'POST', `${folders()}/${parent}/subfolders`, {
      json: {
        name: 'Witness Statements – Zoë',
        description: 'Created by a test',
        default_security: 'private',
        profile: { custom3: 'LIT', custom3_description: 'Litigation', custom17: 42, custom25: true },
        user_trustees: [{ id: 'akumar', access_level: 'read' }],
        group_trustees: [{ id: 'LITIGATION', access_level: 'read_write' }],
      },
    });
    expect(res.status).toBe(201);
    const f = res.body.data;
    expect(f).toMatchObject({
      name: 'Witness Statements – Zoë',
      description: 'Created by a test',
      default_security: 'private',
      parent_id: parent,
      workspace_id: sb.ids.workspaceWithDeepTree,
      owner: 'JSMITH',
      effective_security: 'full_access',
      wstype: 'folder',
      folder_type: 'regular',
      has_subfolders: false,
      has_documents: false,
    });
    expect(f.id).toMatch(/^ACTIVE_US!\d+$/);
    // Matter fields come from the parent; the body's profile is laid over them.
    expect(f.profile).toMatchObject({ custom1: '1001', custom2: '0007', custom3: 'LIT', custom17: 42, custom25: true });

    const parentNow = await get(sb, demo, `${folders()}/${parent}`);
    expect(parentNow.body.data.has_subfolders).toBe(true);
    const children = await get(sb, demo, `${folders()}/${parent}/children`);
    expect(children.body.data.map((c: { id: string }) => c.id)).toEqual([f.id]);
    const security = await get(sb, demo, `${folders()}/${f.id}/security`);
    expect(security.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'AKUMAR', type: 'user', access_level: 'read' }),
        expect.objectContaining({ id: 'LITIGATION', type: 'group', access_level: 'read_write' }),
      ]),
    );
    // Private, but AKUMAR is a trustee, so he sees it; the paralegal does not.
    expect((await get(sb, second, `${folders()}/${f.id}`)).status).toBe(200);
    expect((await get(sb, paralegal, `${folders()}/${f.id}`)).status).toBe(404);
  });

  it('creates a folder at a workspace root, with parent_id equal to the workspace id', async () => {
    const ws = sb.ids.workspaceWithDeepTree;
    const res = await call(sb, demo, 'POST', `${libBase(sb)}/workspaces/${ws}/folders`, { json: { name: 'Board Minutes' } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: 'Board Minutes',
      parent_id: ws,
      workspace_id: ws,
      default_security: 'inherit',
      inherited_default_security: 'private',
    });
    const children = await get(sb, demo, `${libBase(sb)}/workspaces/${ws}/children`);
    expect(children.body.data.map((c: { id: string }) => c.id)).toContain(res.body.data.id);
  });

  it('reports every invalid field at once in the iManage shape', async () => {
    const res = await call(sb, demo, 'POST', `${folders()}/${sb.ids.emptyFolder}/subfolders`, {
      json: {
        description: 'no name',
        default_security: 'secret',
        profile: { custom1: 'x'.repeat(33), custom17: 'not a number', custom21: 'yesterday', custom99: 'nope' },
        user_trustees: [{ id: 'NOBODY', access_level: 'read' }],
      },
    });
    expect(res.status).toBe(400);
    const error = imanageError(res.body);
    expect(error.code).toBe('NRC_INVALID_PROFILE');
    const fields = error.messages!.map((m) => m.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'default_security',
        'profile.custom1',
        'profile.custom17',
        'profile.custom21',
        'profile.custom99',
        'user_trustees[0].id',
      ]),
    );
    expect(error.messages!.find((m) => m.field === 'name')!.code).toBe('required');
    expect(error.messages!.find((m) => m.field === 'profile.custom1')!.code).toBe('too_long');
    for (const m of error.messages!) expect(typeof m.code_message).toBe('string');
  });

  it('enforces the name limit of 254 characters', async () => {
    const ok = await call(sb, demo, 'POST', `${folders()}/${sb.ids.emptyFolder}/subfolders`, { json: { name: 'n'.repeat(254) } });
    expect(ok.status).toBe(201);
    const tooLong = await call(sb, demo, 'POST', `${folders()}/${sb.ids.emptyFolder}/subfolders`, { json: { name: 'n'.repeat(255) } });
    expect(tooLong.status).toBe(400);
    expect(imanageError(tooLong.body).messages![0]).toMatchObject({ field: 'name', code: 'too_long' });
  });

  it('refuses bad JSON (400), non-objects (400) and other content types (415)', async () => {
    const url = `${folders()}/${sb.ids.emptyFolder}/subfolders`;
    const bad = await call(sb, demo, 'POST', url, { body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(imanageError(bad.body).code).toBe('NRC_INVALID_PARAM');
    const array = await call(sb, demo, 'POST', url, { json: [{ name: 'x' }] });
    expect(array.status).toBe(400);
    const text = await call(sb, demo, 'POST', url, { body: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('answers 403 under a folder the caller can only read', async () => {
    const res = await call(sb, demo, 'POST', `${folders()}/${sb.ids.readOnlyFolder}/subfolders`, { json: { name: 'Nope' } });
    expect(res.status).toBe(403);
    expect(imanageError(res.body).code).toBe('NRC_ACCESS_DENIED');
    const para = await call(sb, paralegal, 'POST', `${libBase(sb)}/workspaces/${sb.ids.workspaceWithDeepTree}/folders`, { json: { name: 'Nope' } });
    expect(para.status).toBe(403);
  });

  it('answers 404 for a missing or invisible parent', async () => {
    const missing = await call(sb, demo, 'POST', `${folders()}/ACTIVE_US!3/subfolders`, { json: { name: 'x' } });
    expect(missing.status).toBe(404);
    expect(imanageError(missing.body).code).toBe('NRC_NO_RECORD');
    const invisible = await call(sb, demo, 'POST', `${folders()}/${sb.ids.privateFolderOfOther}/subfolders`, { json: { name: 'x' } });
    expect(invisible.status).toBe(404);
    const wsAsFolder = await call(sb, demo, 'POST', `${libBase(sb)}/workspaces/${sb.ids.emptyFolder}/folders`, { json: { name: 'x' } });
    expect(wsAsFolder.status).toBe(404);
  });
});

describe('update', () => {
  it('patches name, description and profile and returns the folder', async () => {
    const created = await call(sb, demo, 'POST', `${folders()}/${sb.ids.emptyFolder}/subfolders`, { json: { name: 'Draft name' } });
    const id = created.body.data.id as string;
    const res = await call(sb, demo, 'PATCH', `${folders()}/${id}`, {
      json: { name: 'Final name', description: 'Renamed', profile: { custom3: 'EMP2', custom1_description: 'Acme Corporation' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, name: 'Final name', description: 'Renamed' });
    expect(res.body.data.profile).toMatchObject({ custom1: '1001', custom1_description: 'Acme Corporation', custom3: 'EMP2' });
    expect((await get(sb, demo, `${folders()}/${id}`)).body.data.name).toBe('Final name');
  });

  it('validates the patch and checks rights', async () => {
    const bad = await call(sb, demo, 'PATCH', `${folders()}/${sb.ids.emptyFolder}`, { json: { name: '' } });
    expect(bad.status).toBe(400);
    expect(imanageError(bad.body).code).toBe('NRC_INVALID_PROFILE');
    const readOnly = await call(sb, demo, 'PATCH', `${folders()}/${sb.ids.readOnlyFolder}`, { json: { name: 'x' } });
    expect(readOnly.status).toBe(403);
    const invisible = await call(sb, demo, 'PATCH', `${folders()}/${sb.ids.privateFolderOfOther}`, { json: { name: 'x' } });
    expect(invisible.status).toBe(404);
  });

  it('needs full_access to change default security', async () => {
    // Acme's patent workspace is public: the demo user has read_write (not full) on its folders.
    const patents = sb.ids.workspaces.ACTIVE_US!.find((id) => id !== sb.ids.workspaceWithDeepTree)!;
    const ws = await get(sb, demo, `${libBase(sb)}/workspaces/${patents}`);
    expect(ws.body.data.name).toContain('Patent Portfolio');
    const top = (await get(sb, demo, `${libBase(sb)}/workspaces/${patents}/children`)).body.data[0];
    expect(top.effective_security).toBe('read_write');
    const res = await call(sb, demo, 'PATCH', `${folders()}/${top.id}`, { json: { default_security: 'private' } });
    expect(res.status).toBe(403);
    const rename = await call(sb, demo, 'PATCH', `${folders()}/${top.id}`, { json: { description: 'ok' } });
    expect(rename.status).toBe(200);
  });

  it('moves a folder with parent_id, refusing a move into its own subtree', async () => {
    const a = (await call(sb, demo, 'POST', `${folders()}/${sb.ids.emptyFolder}/subfolders`, { json: { name: 'Move A' } })).body.data.id;
    const b = (await call(sb, demo, 'POST', `${folders()}/${a}/subfolders`, { json: { name: 'Move B' } })).body.data.id;
    const cycle = await call(sb, demo, 'PATCH', `${folders()}/${a}`, { json: { parent_id: b } });
    expect(cycle.status).toBe(400);
    const moved = await call(sb, demo, 'PATCH', `${folders()}/${b}`, { json: { parent_id: sb.ids.workspaceWithDeepTree } });
    expect(moved.status).toBe(200);
    expect(moved.body.data.parent_id).toBe(sb.ids.workspaceWithDeepTree);
    const path = await get(sb, demo, `${folders()}/${b}/path`);
    expect(path.body.data.map((e: { id: string }) => e.id)).toEqual([sb.ids.workspaceWithDeepTree, b]);
  });
});

describe('delete', () => {
  it('deletes an empty folder (204, no body), after which it is gone', async () => {
    const id = (await call(sb, demo, 'POST', `${folders()}/${sb.ids.emptyFolder}/subfolders`, { json: { name: 'Temporary' } })).body.data.id;
    const res = await call(sb, demo, 'DELETE', `${folders()}/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await get(sb, demo, `${folders()}/${id}`)).status).toBe(404);
    expect((await call(sb, demo, 'DELETE', `${folders()}/${id}`)).status).toBe(404);
  });

  it('refuses to delete a folder with children (409) or without write access (403)', async () => {
    const notEmpty = await call(sb, demo, 'DELETE', `${folders()}/${sb.ids.deepFolderPath[0]}`);
    expect(notEmpty.status).toBe(409);
    expect(imanageError(notEmpty.body).code).toBe('NRC_FOLDER_NOT_EMPTY');
    // The demo user cannot see the only subfolder of this folder, but it still blocks deletion.
    const hiddenChild = await call(sb, demo, 'DELETE', `${folders()}/${sb.ids.parentOfPrivateFolderOfOther}`);
    expect(hiddenChild.status).toBe(409);
    const readOnly = await call(sb, demo, 'DELETE', `${folders()}/${sb.ids.readOnlyFolder}`);
    expect(readOnly.status).toBe(403);
  });
});
