import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, imanageError, libBase, libOf, login } from './helpers.js';

let sb: Sandbox;
let demo: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
});
afterAll(async () => {
  await sb.close();
});

const folderPath = (id: string, suffix = ''): string => `${libBase(sb, libOf(id))}/folders/${id}${suffix}`;

describe('get folder', () => {
  it('returns the reference fields', async () => {
    const [top, second] = sb.ids.deepFolderPath;
    const res = await get(sb, demo, folderPath(second!));
    expect(res.status).toBe(200);
    const f = res.body.data;
    expect(f).toMatchObject({
      id: second,
      name: 'Claims',
      database: 'ACTIVE_US',
      default_security: 'inherit',
      inherited_default_security: 'private',
      effective_security: 'full_access',
      folder_type: 'regular',
      wstype: 'folder',
      has_subfolders: true,
      has_documents: false,
      parent_id: top,
      workspace_id: sb.ids.workspaceWithDeepTree,
      workspace_name: 'Acme Corp – Employment Matters (1001-0007)',
      owner: 'JSMITH',
      owner_description: 'Jane Smith',
      is_external: false,
    });
    expect(f.profile).toMatchObject({ custom1: '1001', custom1_description: 'Acme Corp', custom2: '0007', custom2_description: 'Employment Matters' });
    for (const k of ['description', 'email', 'view_type', 'has_security', 'edit_date', 'activity_date']) expect(f).toHaveProperty(k);
    expect(new Date(f.edit_date).toISOString()).toBe(f.edit_date);
  });

  it('has parent_id equal to workspace_id for a top-level folder', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.deepFolderPath[0]!));
    expect(res.body.data.parent_id).toBe(sb.ids.workspaceWithDeepTree);
    expect(res.body.data.workspace_id).toBe(sb.ids.workspaceWithDeepTree);
  });

  it('omits inherited_default_security when the folder has its own default', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.privateFolder));
    expect(res.body.data.default_security).toBe('private');
    expect(res.body.data).not.toHaveProperty('inherited_default_security');
  });

  it('serves unicode names intact', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.unicodeFolder));
    expect(res.status).toBe(200);
    expect(res.body.data.name).toBe('東京オフィス');
    expect(res.body.data.database).toBe('ACTIVE_UK');
  });

  it('404s unknown ids, ids of another library, and workspace ids; 400s malformed ids', async () => {
    expect((await get(sb, demo, `${libBase(sb)}/folders/ACTIVE_US!1`)).status).toBe(404);
    const foreign = await get(sb, demo, `${libBase(sb, 'ACTIVE_UK')}/folders/${sb.ids.emptyFolder}`);
    expect(foreign.status).toBe(404);
    expect((await get(sb, demo, `${libBase(sb)}/folders/${sb.ids.workspaceWithDeepTree}`)).status).toBe(404);
    for (const bad of ['12345', 'ACTIVE_US!abc', 'ACTIVE_US!12.1']) {
      const res = await get(sb, demo, `${libBase(sb)}/folders/${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(imanageError(res.body).code).toBe('NRC_INVALID_PARAM');
    }
  });

  it('accepts a percent-encoded "!" in the id', async () => {
    const encoded = sb.ids.emptyFolder.replace('!', '%21');
    expect((await get(sb, demo, `${libBase(sb)}/folders/${encoded}`)).status).toBe(200);
  });

  it('adds operations on request', async () => {
    const rw = await get(sb, demo, folderPath(sb.ids.emptyFolder), { include_operations: true });
    expect(rw.body.data.operations).toMatchObject({ add_folders: true, remove: true });
    const ro = await get(sb, demo, folderPath(sb.ids.readOnlyFolder), { include_operations: true });
    expect(ro.body.data.operations).toMatchObject({ add_folders: false, set_security: false });
    expect(ro.body.data.effective_security).toBe('read');
  });
});

describe('folder children', () => {
  it('mixes subfolders (first) and documents unless exclude_docs', async () => {
    const id = sb.ids.deepFolderPath[3]!; // Discovery: 2 subfolders, no documents
    const depositions = (await get(sb, demo, folderPath(id, '/children'))).body.data.find((c: { name: string }) => c.name === 'Depositions');
    const mixed = await get(sb, demo, folderPath(depositions.id, '/children'));
    expect(mixed.status).toBe(200);
    expect(mixed.body.data.map((c: { wstype: string }) => c.wstype)).toEqual(['folder', 'document']);
    const doc = mixed.body.data[1];
    expect(doc.id).toMatch(/^ACTIVE_US!\d+\.\d+$/);
    expect(doc).toMatchObject({ wstype: 'document', extension: 'docx', version: 3 });
    const foldersOnly = await get(sb, demo, folderPath(depositions.id, '/children'), { exclude_docs: true });
    expect(foldersOnly.body.data.map((c: { wstype: string }) => c.wstype)).toEqual(['folder']);
    const docsOnly = await get(sb, demo, folderPath(depositions.id, '/children'), { exclude_folders: true, total: true });
    expect(docsOnly.body.data.map((c: { wstype: string }) => c.wstype)).toEqual(['document']);
    expect(docsOnly.body.total_count).toBe(1);
    expect((await get(sb, demo, folderPath(depositions.id, '/children'), { exclude_docs: 'maybe' })).status).toBe(400);
  });

  it('shows the documents of the documents folder, and has_documents says so', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.folderWithDocuments, '/children'), { total: true });
    expect(res.body.data).toHaveLength(sb.ids.folderWithDocumentsCount);
    expect(res.body.total_count).toBe(sb.ids.folderWithDocumentsCount);
    const folder = await get(sb, demo, folderPath(sb.ids.folderWithDocuments));
    expect(folder.body.data).toMatchObject({ has_documents: true, has_subfolders: false });
  });

  it('an empty folder has no children and says so', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.emptyFolder, '/children'), { total: true });
    expect(res.body).toEqual({ data: [], total_count: 0 });
    const folder = await get(sb, demo, folderPath(sb.ids.emptyFolder));
    expect(folder.body.data).toMatchObject({ has_documents: false, has_subfolders: false });
  });

  it('pages the big folder by offset: every child exactly once', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 100; offset += 25) {
      const res = await get(sb, demo, folderPath(sb.ids.bigFolder, '/children'), { limit: 25, offset, total: true });
      expect(res.body.total_count).toBe(sb.ids.bigFolderChildCount);
      seen.push(...res.body.data.map((f: { id: string }) => f.id));
    }
    expect(seen).toHaveLength(sb.ids.bigFolderChildCount);
    expect(new Set(seen).size).toBe(sb.ids.bigFolderChildCount);
    const names = (await get(sb, demo, folderPath(sb.ids.bigFolder, '/children'))).body.data.map((f: { name: string }) => f.name);
    expect(names[0]).toBe('2019-01');
    expect(names.at(-1)).toBe('2024-12');
  });

  it('pages the big folder by cursor: every child exactly once, cursor absent on the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { limit: 10, paging_mode: 'standard_cursor' };
      if (cursor) query.cursor = cursor;
      const res = await get(sb, demo, folderPath(sb.ids.bigFolder, '/children'), query);
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBeUndefined();
      seen.push(...res.body.data.map((f: { id: string }) => f.id));
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(sb.ids.bigFolderChildCount / 10));
    expect(seen).toHaveLength(sb.ids.bigFolderChildCount);
    expect(new Set(seen).size).toBe(sb.ids.bigFolderChildCount);
  });

  it('does not accept a cursor from another folder', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.bigFolder, '/children'), { limit: 5, paging_mode: 'standard_cursor' });
    const other = await get(sb, demo, folderPath(sb.ids.deepFolderPath[0]!, '/children'), { cursor: res.body.cursor });
    expect(other.status).toBe(400);
  });
});

describe('library folder list', () => {
  it('lists a container’s direct folders with container_id', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/folders`, { container_id: sb.ids.deepFolderPath[0]!, total: true });
    expect(res.status).toBe(200);
    expect(res.body.total_count).toBe(res.body.data.results.length);
    for (const f of res.body.data.results) expect(f.parent_id).toBe(sb.ids.deepFolderPath[0]);
    expect(res.body.data.results.map((f: { id: string }) => f.id)).toContain(sb.ids.deepFolderPath[1]);
    const fromWorkspace = await get(sb, demo, `${libBase(sb)}/folders`, { container_id: sb.ids.workspaceWithDeepTree });
    for (const f of fromWorkspace.body.data.results) expect(f.parent_id).toBe(sb.ids.workspaceWithDeepTree);
  });

  it('fetches many folders at once with include_ids', async () => {
    const ids = [...sb.ids.deepFolderPath, sb.ids.emptyFolder];
    const res = await get(sb, demo, `${libBase(sb)}/folders`, { include_ids: ids.join(','), total: true });
    expect(res.body.data.results.map((f: { id: string }) => f.id).sort()).toEqual([...ids].sort());
    expect(res.body.total_count).toBe(ids.length);
  });

  it('searches by name: the whole name, or a part of it with `*` (reference §4.6)', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/folders`, { name: 'BILLING*' });
    expect(res.body.data.results.length).toBeGreaterThan(0);
    for (const f of res.body.data.results) expect(f.name.toLowerCase()).toMatch(/^billing/);
    expect((await get(sb, demo, `${libBase(sb)}/folders`, { name: 'BILLING' })).body.data.results).toEqual([]);
    const unicode = await get(sb, demo, `${libBase(sb, 'ACTIVE_UK')}/folders`, { name: '*オフィス' });
    expect(unicode.body.data.results.map((f: { id: string }) => f.id)).toEqual([sb.ids.unicodeFolder]);
  });

  it('pages the library list by cursor', async () => {
    const all = await get(sb, demo, `${libBase(sb)}/folders`, { total: true });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await get(sb, demo, `${libBase(sb)}/folders`, cursor ? { limit: 40, cursor } : { limit: 40, paging_mode: 'standard_cursor' });
      seen.push(...res.body.data.results.map((f: { id: string }) => f.id));
      cursor = res.body.cursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.results.map((f: { id: string }) => f.id));
    expect(seen.length).toBe(all.body.total_count);
  });
});

describe('path and security', () => {
  it('lists the path from the workspace down to the folder, inclusive', async () => {
    const deepest = sb.ids.deepFolderPath[3]!;
    const res = await get(sb, demo, folderPath(deepest, '/path'));
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { id: string }) => e.id)).toEqual([sb.ids.workspaceWithDeepTree, ...sb.ids.deepFolderPath]);
    expect(res.body.data[0].wstype).toBe('workspace');
    for (const e of res.body.data.slice(1)) expect(e.wstype).toBe('folder');
  });

  it('returns the ACL in data and default_security beside it', async () => {
    const res = await get(sb, demo, folderPath(sb.ids.privateFolder, '/security'));
    expect(res.status).toBe(200);
    expect(res.body.default_security).toBe('private');
    expect(res.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'JSMITH', type: 'user', access: 3, access_level: 'full_access', name: 'Jane Smith' }),
        expect.objectContaining({ id: 'EMPLOYMENT', type: 'group', access: 2, access_level: 'read_write' }),
      ]),
    );
    const inherit = await get(sb, demo, folderPath(sb.ids.emptyFolder, '/security'));
    expect(inherit.body).toMatchObject({ data: [], default_security: 'inherit', inherited_default_security: 'private' });
  });
});
