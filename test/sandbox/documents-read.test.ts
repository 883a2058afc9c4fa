import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './helpers.js';

/** Document profiles and the documents of a folder (reference §4.3), over HTTP. */

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

const doc = (id: string, suffix = ''): string => `${libBase(sb)}/documents/${id}${suffix}`;
const folderDocs = (id: string): string => `${libBase(sb)}/folders/${id}/documents`;
const numberOf = (id: string): string => id.slice(0, id.lastIndexOf('.'));
const ids = (body: { data: Array<{ id: string }> }): string[] => body.data.map((d) => d.id);

describe('GET documents/{id}', () => {
  it('answers the profile with the key fields of reference §4.3', async () => {
    const res = await get(sb, demo, doc(sb.ids.documentId));
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d).toMatchObject({
      id: sb.ids.documentId,
      version: 3,
      name: 'Witness statement – R. Smith',
      extension: 'docx',
      type: 'WORDX',
      author: 'JSMITH',
      author_description: 'Jane Smith',
      operator: 'PLEE',
      operator_description: 'Priya Lee',
      class: 'DOC',
      database: 'ACTIVE_US',
      is_checked_out: false,
      is_in_use: false,
      in_use_by: '',
      is_latest: true,
      workspace_id: sb.ids.workspaceWithDeepTree,
      custom1: '1001',
      wstype: 'document',
      default_security: 'inherit',
      effective_security: 'full_access',
    });
    expect(d.document_number).toBe(Number(sb.ids.documentId.split('!')[1]!.split('.')[0]));
    expect(d.comment).toContain('trial bundle');
    expect(Number.isInteger(d.size) && d.size > 0).toBe(true);
    for (const k of ['create_date', 'edit_date', 'edit_profile_date', 'file_create_date', 'file_edit_date']) {
      expect(d[k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(d).not.toHaveProperty('checkout_date');
  });

  it('reads LIB!n as the latest version, latest=true from any version, and an older version as itself', async () => {
    const bare = await get(sb, demo, doc(numberOf(sb.ids.documentId)));
    expect(bare.body.data.id).toBe(sb.ids.documentId);
    const v1 = await get(sb, demo, doc(`${numberOf(sb.ids.documentId)}.1`));
    expect(v1.body.data).toMatchObject({ version: 1, is_latest: false });
    expect(v1.body.data.size).toBeLessThan(bare.body.data.size);
    const latest = await get(sb, demo, doc(`${numberOf(sb.ids.documentId)}.1`), { latest: true });
    expect(latest.body.data).toMatchObject({ id: sb.ids.documentId, is_latest: true });
    expect((await get(sb, demo, doc(`${numberOf(sb.ids.documentId)}.9`))).status).toBe(404);
  });

  it('shows who has a document checked out', async () => {
    const res = await get(sb, demo, doc(sb.ids.checkedOutDocument));
    expect(res.body.data).toMatchObject({ is_checked_out: true, is_in_use: true, in_use_by: 'AKUMAR' });
    expect(res.body.data.checkout_date).toMatch(/Z$/);
  });

  it('answers 400 to a malformed id and 404 to another library, an unknown number or a container id', async () => {
    expect(imanageError((await get(sb, demo, doc('nonsense'))).body).code).toBe('NRC_INVALID_PARAM');
    expect((await get(sb, demo, doc(sb.ids.documentId.replace('ACTIVE_US', 'ACTIVE_UK')))).status).toBe(404);
    expect((await get(sb, demo, doc('ACTIVE_US!999999999.1'))).status).toBe(404);
    expect((await get(sb, demo, doc(sb.ids.emptyFolder))).status).toBe(404);
    expect((await get(sb, demo, doc(sb.ids.documentId), { latest: 'maybe' })).status).toBe(400);
  });
});

describe('GET documents/{id}/versions', () => {
  it('lists every version ascending, the last one latest', async () => {
    const res = await get(sb, demo, doc(sb.ids.documentId, '/versions'));
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { version: number }) => d.version)).toEqual([1, 2, 3]);
    expect(res.body.data.map((d: { is_latest: boolean }) => d.is_latest)).toEqual([false, false, true]);
    const fromOld = await get(sb, demo, doc(`${numberOf(sb.ids.documentId)}.1`, '/versions'));
    expect(ids(fromOld.body)).toEqual(ids(res.body));
  });
});

describe('a saved-search folder (knobs.makeSavedSearch)', () => {
  it('lists what its search finds, by offset; cursor paging is refused (reference §5.2: not for saved-search folders)', async () => {
    const made = await call(sb, demo, 'POST', `${libBase(sb)}/folders/${sb.ids.emptyFolder}/subfolders`, {
      json: { name: 'Saved search of witness statements' },
    });
    const folderId = made.body.data.id as string;
    sb.knobs.makeSavedSearch(folderId, { name: 'witness*' });
    const folder = await get(sb, demo, `${libBase(sb)}/folders/${folderId}`);
    expect(folder.body.data.folder_type).toBe('search');
    const found = await get(sb, demo, folderDocs(folderId), { total: true, limit: 1 });
    expect(found.status).toBe(200);
    expect(found.body.data).toHaveLength(1);
    expect(found.body.total_count).toBeGreaterThanOrEqual(2);
    const rest = await get(sb, demo, folderDocs(folderId), { offset: 1, limit: 100 });
    const names = [...found.body.data, ...rest.body.data].map((d: { name: string }) => d.name);
    expect(names).toHaveLength(found.body.total_count);
    for (const name of names) expect(name.toLowerCase().startsWith('witness')).toBe(true);
    for (const query of [{ paging_mode: 'standard_cursor' }, { cursor: 'x' }] as Array<Record<string, string>>) {
      const refused = await get(sb, demo, folderDocs(folderId), query);
      expect(refused.status).toBe(400);
      expect(imanageError(refused.body).code).toBe('NRC_INVALID_PARAM');
    }
    expect(() => sb.knobs.makeSavedSearch('ACTIVE_US!999999999', {})).toThrow(TypeError);
  });
});

describe('GET folders/{id}/documents', () => {
  it('lists the latest versions in natural order (name, then number) with total_count', async () => {
    const res = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { total: true, limit: 9999 });
    expect(res.status).toBe(200);
    expect(res.body.total_count).toBe(sb.ids.bigDocumentFolderCount);
    expect(res.body.data).toHaveLength(sb.ids.bigDocumentFolderCount);
    const keys = res.body.data.map((d: { name: string; document_number: number }) => [d.name.toLowerCase(), d.document_number]);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    expect(keys).toEqual(sorted);
    expect(new Set(res.body.data.map((d: { author: string }) => d.author)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(res.body.data.map((d: { type: string }) => d.type)).size).toBeGreaterThanOrEqual(4);
    for (const d of res.body.data) expect(d.is_latest).toBe(true);
  });

  it('pages by offset: 100 a page, then the rest, no overlap', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 300; offset += 100) {
      const page = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { limit: 100, offset });
      seen.push(...ids(page.body));
      expect(page.body).not.toHaveProperty('cursor');
    }
    expect(seen).toHaveLength(sb.ids.bigDocumentFolderCount);
    expect(new Set(seen).size).toBe(sb.ids.bigDocumentFolderCount);
  });

  it('pages by cursor, and a document added between pages neither repeats nor shifts the rest', async () => {
    const all = ids((await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { limit: 9999 })).body);
    const first = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { paging_mode: 'standard_cursor', limit: 100 });
    expect(first.body).not.toHaveProperty('total_count');
    expect(ids(first.body)).toEqual(all.slice(0, 100));
    // Sorts before everything already listed, and after everything already listed.
    const early = sb.knobs.addDocument({ folderId: sb.ids.bigDocumentFolder, name: '000 inserted', extension: 'pdf', size: 10 });
    const late = sb.knobs.addDocument({ folderId: sb.ids.bigDocumentFolder, name: 'zzz inserted', extension: 'pdf', size: 10 });
    expect(early).toMatch(/^ACTIVE_US!\d+\.1$/);
    const rest: string[] = [];
    let cursor: string | undefined = first.body.cursor;
    while (cursor) {
      const page = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { cursor, limit: 100 });
      expect(page.status).toBe(200);
      rest.push(...ids(page.body));
      cursor = page.body.cursor;
    }
    expect(rest).toEqual([...all.slice(100), late]);
    expect(rest).not.toContain(early);
    const recount = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { total: true, limit: 1 });
    expect(recount.body.total_count).toBe(sb.ids.bigDocumentFolderCount + 2);
  });

  it('refuses a cursor from another listing or sort', async () => {
    const first = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { paging_mode: 'standard_cursor', limit: 10 });
    const other = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { cursor: first.body.cursor, sort_by: 'size' });
    expect(other.status).toBe(400);
    const folder = await get(sb, demo, folderDocs(sb.ids.folderWithDocuments), { cursor: first.body.cursor });
    expect(imanageError(folder.body).code).toBe('NRC_INVALID_PARAM');
  });

  it('sorts by each sort_by field, both orders, in both paging modes', async () => {
    const fields: Record<string, (d: any) => string | number> = {
      name: (d) => d.name.toLowerCase(),
      edit_date: (d) => d.edit_date,
      create_date: (d) => d.create_date,
      document_number: (d) => d.document_number,
      size: (d) => d.size,
      type: (d) => d.type.toLowerCase(),
    };
    for (const [field, value] of Object.entries(fields)) {
      for (const order of ['asc', 'desc']) {
        const res = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { sort_by: field, sort_order: order, limit: 9999 });
        expect(res.status).toBe(200);
        const values = res.body.data.map(value);
        const expected = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        if (order === 'desc') expected.reverse();
        expect(values, `${field} ${order}`).toEqual(expected);
        const byCursor: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), {
            sort_by: field,
            sort_order: order,
            paging_mode: 'standard_cursor',
            limit: 90,
            ...(cursor ? { cursor } : {}),
          });
          byCursor.push(...ids(page.body));
          cursor = page.body.cursor;
        } while (cursor);
        expect(byCursor, `${field} ${order} by cursor`).toEqual(ids(res.body));
      }
    }
    expect((await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { sort_by: 'colour' })).status).toBe(400);
    expect((await get(sb, demo, folderDocs(sb.ids.bigDocumentFolder), { sort_order: 'sideways' })).status).toBe(400);
  });

  it('includes documents whose extra filing location is the folder', async () => {
    const home = ids((await get(sb, demo, folderDocs(sb.ids.documentFolder))).body);
    const other = ids((await get(sb, demo, folderDocs(sb.ids.documentFolderOther))).body);
    expect(home).toContain(sb.ids.documentId);
    expect(other).toContain(sb.ids.documentId);
  });

  it('lists only what the caller can read', async () => {
    const mine = await get(sb, demo, folderDocs(sb.ids.folderWithDocuments), { total: true });
    expect(mine.body.total_count).toBe(sb.ids.folderWithDocumentsCount);
    expect(ids(mine.body)).not.toContain(sb.ids.privateDocument);
    const theirs = await get(sb, second, folderDocs(sb.ids.folderWithDocuments), { total: true });
    expect(theirs.body.total_count).toBe(sb.ids.folderWithDocumentsCount + 1);
    expect(ids(theirs.body)).toContain(sb.ids.privateDocument);
    expect((await get(sb, second, folderDocs(sb.ids.privateFolder))).status).toBe(404);
    expect((await get(sb, demo, folderDocs(sb.ids.deniedFolder))).status).toBe(403);
  });
});
