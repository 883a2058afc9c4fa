import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './helpers.js';

/** Where documents are filed: workspace documents, POST documents/parents, and who sees which. */

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

const numberOf = (id: string): number => Number(id.slice(id.indexOf('!') + 1, id.lastIndexOf('.')));
const wsDocs = (id: string): string => `${libBase(sb)}/workspaces/${id}/documents`;
const parents = (numbers: unknown[], token = demo, extra: Record<string, unknown> = {}) =>
  call(sb, token, 'POST', `${libBase(sb)}/documents/parents`, { json: { document_numbers: numbers, ...extra } });

describe('GET workspaces/{id}/documents [I]', () => {
  it('lists the latest versions filed anywhere in the tree, each once, with paging', async () => {
    const res = await get(sb, demo, wsDocs(sb.ids.workspaceWithDeepTree), { total: true, limit: 9999 });
    expect(res.status).toBe(200);
    const ids = res.body.data.map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(res.body.total_count).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([sb.ids.documentId, sb.ids.textDocument, sb.ids.checkedOutDocument]));
    expect(ids.length).toBeGreaterThan(sb.ids.bigDocumentFolderCount);
    const byCursor: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(sb, demo, wsDocs(sb.ids.workspaceWithDeepTree), { paging_mode: 'standard_cursor', limit: 100, ...(cursor ? { cursor } : {}) });
      byCursor.push(...page.body.data.map((d: { id: string }) => d.id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(byCursor).toEqual(ids);
    const bySize = await get(sb, demo, wsDocs(sb.ids.workspaceWithDeepTree), { sort_by: 'size', sort_order: 'desc', limit: 1 });
    expect(bySize.body.data[0].id).toBe(sb.ids.largeDocument);
  });

  it('leaves out what the caller cannot read, and 404s a workspace they cannot see', async () => {
    const mine = (await get(sb, demo, wsDocs(sb.ids.workspaceWithDeepTree), { limit: 9999 })).body.data.map((d: { id: string }) => d.id);
    const theirs = (await get(sb, second, wsDocs(sb.ids.workspaceWithDeepTree), { limit: 9999 })).body.data.map((d: { id: string }) => d.id);
    expect(mine).not.toContain(sb.ids.privateDocument);
    expect(theirs).toContain(sb.ids.privateDocument);
    const settlement = (await get(sb, demo, `${libBase(sb)}/folders/${sb.ids.privateFolder}/documents`)).body.data.map((d: { id: string }) => d.id);
    for (const id of settlement.filter((id: string) => id !== sb.ids.sharedPrivateDocument)) expect(theirs).not.toContain(id);
    const hidden = await get(sb, demo, wsDocs(sb.ids.privateWorkspaceOfOther));
    expect(hidden.status).toBe(404);
    expect(imanageError(hidden.body).code).toBe('NRC_NO_RECORD');
    expect((await get(sb, second, wsDocs(sb.ids.privateWorkspaceOfOther))).status).toBe(200);
  });
});

describe('POST documents/parents', () => {
  it('gives one entry per filing location: the document, the folder as GET folder answers it, the date filed', async () => {
    const res = await parents([numberOf(sb.ids.documentId)]);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    const folders = res.body.data.map((e: { folder: { id: string } }) => e.folder.id);
    expect(folders).toEqual([sb.ids.documentFolder, sb.ids.documentFolderOther]);
    for (const entry of res.body.data) {
      expect(entry.document).toEqual({ id: sb.ids.documentId, document_number: numberOf(sb.ids.documentId), version: 3 });
      expect(entry.create_date).toMatch(/Z$/);
      const folder = await get(sb, demo, `${libBase(sb)}/folders/${entry.folder.id}`);
      expect(entry.folder).toEqual(folder.body.data);
    }
  });

  it('batches several numbers (numbers or numeric strings), in the order asked', async () => {
    const res = await parents([String(numberOf(sb.ids.textDocument)), numberOf(sb.ids.documentId), 1]);
    expect(res.body.data.map((e: { document: { id: string } }) => e.document.id)).toEqual([sb.ids.textDocument, sb.ids.documentId, sb.ids.documentId]);
    const limited = await parents([numberOf(sb.ids.documentId), numberOf(sb.ids.textDocument)], demo, { limit: 1 });
    expect(limited.body.data).toHaveLength(1);
  });

  it('shows only the documents and folders the caller can read', async () => {
    const shared = numberOf(sb.ids.sharedPrivateDocument);
    const mine = await parents([shared, numberOf(sb.ids.privateDocument)]);
    expect(mine.body.data.map((e: { folder: { id: string } }) => e.folder.id)).toEqual([sb.ids.documentFolder, sb.ids.privateFolder]);
    const theirs = await parents([shared, numberOf(sb.ids.privateDocument)], second);
    expect(theirs.body.data.map((e: { folder: { id: string }; document: { id: string } }) => [e.document.id, e.folder.id])).toEqual([
      [sb.ids.sharedPrivateDocument, sb.ids.documentFolder],
      [sb.ids.privateDocument, sb.ids.folderWithDocuments],
    ]);
  });

  it('refuses a body without numbers', async () => {
    for (const json of [{}, { document_numbers: [] }, { document_numbers: ['x'] }, { document_numbers: [1], limit: 0 }]) {
      const res = await call(sb, demo, 'POST', `${libBase(sb)}/documents/parents`, { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
  });
});

describe('documents the caller cannot read', () => {
  it('404 on profile, versions, history and download; 200 for the one who can', async () => {
    for (const suffix of ['', '/versions', '/history', '/download']) {
      const url = `${libBase(sb)}/documents/${sb.ids.privateDocument}${suffix}`;
      const hidden = await get(sb, demo, url);
      expect(hidden.status, suffix).toBe(404);
      expect(imanageError(hidden.body).code).toBe('NRC_NO_RECORD');
      expect((await get(sb, second, url)).status, suffix).toBe(200);
    }
  });

  it('leaves them out of folder children and has_documents', async () => {
    const children = await get(sb, demo, `${libBase(sb)}/folders/${sb.ids.folderWithDocuments}/children`);
    expect(children.body.data.map((d: { id: string }) => d.id)).not.toContain(sb.ids.privateDocument);
    expect((await get(sb, second, `${libBase(sb)}/folders/${sb.ids.privateFolder}/documents`)).status).toBe(404);
  });
});
