import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, imanageError, libBase, login } from './helpers.js';

/** A container the caller cannot read does not exist for them: 404 and absent from every list. */

let sb: Sandbox;
let demo: string;
let second: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
  second = (await login(sb, 'second')).access_token;
});
afterAll(async () => {
  await sb.close();
});

const f = (id: string, suffix = ''): string => `${libBase(sb)}/folders/${id}${suffix}`;

describe('per-user visibility', () => {
  it('404s a folder the caller cannot read on get, children, path and security', async () => {
    for (const suffix of ['', '/children', '/path', '/security']) {
      const hidden = await get(sb, second, f(sb.ids.privateFolder, suffix));
      expect(hidden.status).toBe(404);
      expect(imanageError(hidden.body).code).toBe('NRC_NO_RECORD');
      expect((await get(sb, demo, f(sb.ids.privateFolder, suffix))).status).toBe(200);

      expect((await get(sb, demo, f(sb.ids.privateFolderOfOther, suffix))).status).toBe(404);
      expect((await get(sb, second, f(sb.ids.privateFolderOfOther, suffix))).status).toBe(200);
    }
  });

  it('answers 403 where an ACL names the caller with no_access, 404 for the same folder where it merely is not shared', async () => {
    const denied = sb.ids.deniedFolder;
    for (const suffix of ['', '/children', '/path', '/security']) {
      const res = await get(sb, demo, f(denied, suffix));
      expect(res.status).toBe(403);
      expect(imanageError(res.body).code).toBe('NRC_ACCESS_DENIED');
      expect((await get(sb, second, f(denied, suffix))).status).toBe(200);
    }
    const paralegal = (await login(sb, 'paralegal')).access_token;
    expect((await get(sb, paralegal, f(denied))).status).toBe(404);
    const listed = await get(sb, demo, `${libBase(sb)}/folders`, { include_ids: denied });
    expect(listed.body.data.results).toEqual([]);
  });

  it('leaves invisible folders out of children and total_count', async () => {
    const parent = sb.ids.parentOfPrivateFolderOfOther;
    const demoView = await get(sb, demo, f(parent, '/children'), { total: true });
    expect(demoView.body).toEqual({ data: [], total_count: 0 });
    const secondView = await get(sb, second, f(parent, '/children'), { total: true });
    expect(secondView.body.total_count).toBe(1);
    expect(secondView.body.data[0].id).toBe(sb.ids.privateFolderOfOther);
  });

  it('computes has_subfolders for the caller', async () => {
    const parent = sb.ids.parentOfPrivateFolderOfOther;
    expect((await get(sb, demo, f(parent))).body.data.has_subfolders).toBe(false);
    expect((await get(sb, second, f(parent))).body.data.has_subfolders).toBe(true);
  });

  it('leaves invisible folders out of include_ids and searches', async () => {
    const ids = [sb.ids.privateFolder, sb.ids.privateFolderOfOther, sb.ids.emptyFolder].join(',');
    const demoList = await get(sb, demo, `${libBase(sb)}/folders`, { include_ids: ids, total: true });
    expect(demoList.body.data.results.map((x: { id: string }) => x.id).sort()).toEqual([sb.ids.privateFolder, sb.ids.emptyFolder].sort());
    expect(demoList.body.total_count).toBe(2);
    const secondList = await get(sb, second, `${libBase(sb)}/folders`, { include_ids: ids });
    expect(secondList.body.data.results.map((x: { id: string }) => x.id).sort()).toEqual([sb.ids.privateFolderOfOther, sb.ids.emptyFolder].sort());
    const byName = await get(sb, demo, `${libBase(sb)}/folders`, { name: 'Partner Notes' });
    expect(byName.body.data.results).toEqual([]);
    const byContainer = await get(sb, demo, `${libBase(sb)}/folders`, { container_id: sb.ids.privateFolderOfOther });
    expect(byContainer.status).toBe(200);
    expect(byContainer.body.data.results).toEqual([]);
  });

  it('filters documents by their own security too', async () => {
    const demoDocs = await get(sb, demo, f(sb.ids.folderWithDocuments, '/children'), { total: true });
    const secondDocs = await get(sb, second, f(sb.ids.folderWithDocuments, '/children'), { total: true });
    expect(demoDocs.body.total_count).toBe(sb.ids.folderWithDocumentsCount);
    expect(secondDocs.body.total_count).toBe(sb.ids.folderWithDocumentsCount + 1);
  });

  it('reports the caller’s effective_security', async () => {
    const demoView = await get(sb, demo, f(sb.ids.readOnlyFolder));
    const secondView = await get(sb, second, f(sb.ids.readOnlyFolder));
    expect(demoView.body.data.effective_security).toBe('read');
    expect(secondView.body.data.effective_security).toBe('full_access');
  });

  it('keeps path entries to what the caller can read', async () => {
    const res = await get(sb, second, f(sb.ids.privateFolderOfOther, '/path'));
    expect(res.body.data.map((e: { id: string }) => e.id)).toEqual([
      sb.ids.workspaceWithDeepTree,
      sb.ids.parentOfPrivateFolderOfOther,
      sb.ids.privateFolderOfOther,
    ]);
  });
});
