import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, imanageError, libBase, login } from './helpers.js';

/** POST documents/search (reference §4.3): filters matched as §4.6 says, never as substrings. */

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

const FIELDS = ['id', 'name', 'extension', 'type', 'author', 'operator', 'class', 'edit_date', 'document_number', 'version', 'comment', 'size', 'custom1'];

async function search(filters: Record<string, unknown>, extra: Record<string, unknown> = {}, token = demo) {
  return call(sb, token, 'POST', `${libBase(sb)}/documents/search`, { json: { limit: 9999, profile_fields: { document: FIELDS }, filters, ...extra } });
}

async function names(filters: Record<string, unknown>, token = demo): Promise<string[]> {
  const res = await search(filters, {}, token);
  expect(res.status).toBe(200);
  return res.body.data.map((d: { name: string }) => d.name);
}

const numberOf = (id: string): number => Number(id.slice(id.indexOf('!') + 1, id.lastIndexOf('.')));

describe('the answer', () => {
  it('is {data, overflow}: latest versions only, natural order', async () => {
    const res = await search({});
    expect(res.status).toBe(200);
    expect(res.body.overflow).toBe(false);
    const data = res.body.data as Array<{ name: string; document_number: number; id: string }>;
    const keys = data.map((d) => [d.name.toLowerCase(), d.document_number] as const);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])));
    expect(data.map((d) => d.id)).toContain(sb.ids.documentId);
    expect(data.filter((d) => d.document_number === numberOf(sb.ids.documentId))).toHaveLength(1);
    for (const d of data) expect(d.id.startsWith('ACTIVE_US!')).toBe(true);
  });

  it('without profile_fields gives only id, wstype and iwl', async () => {
    const res = await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, {
      json: { limit: 1, filters: { document_number: String(numberOf(sb.ids.documentId)) } },
    });
    expect(Object.keys(res.body.data[0]).sort()).toEqual(['id', 'iwl', 'wstype']);
    const chosen = await search({ document_number: String(numberOf(sb.ids.documentId)) });
    expect(Object.keys(chosen.body.data[0]).sort()).toEqual([...FIELDS, 'wstype'].sort());
  });

  it('pages with limit and offset, overflow saying more matched', async () => {
    const all = (await search({ container_id: sb.ids.bigDocumentFolder })).body.data.map((d: { id: string }) => d.id);
    expect(all).toHaveLength(sb.ids.bigDocumentFolderCount);
    const first = await search({ container_id: sb.ids.bigDocumentFolder }, { limit: 100 });
    expect(first.body.overflow).toBe(true);
    const last = await search({ container_id: sb.ids.bigDocumentFolder }, { limit: 100, offset: 200 });
    expect(last.body.overflow).toBe(false);
    expect([...first.body.data, ...last.body.data].map((d: { id: string }) => d.id)).toEqual([...all.slice(0, 100), ...all.slice(200)]);
    const exact = await search({ container_id: sb.ids.bigDocumentFolder }, { limit: 50, offset: 200 });
    expect(exact.body.overflow).toBe(false);
  });

  it('refuses bad limits, offsets, bodies and filter values with 400', async () => {
    for (const body of [
      { limit: 0 },
      { limit: 10_000 },
      { offset: -1 },
      { limit: 'many' },
      { filters: { edit_date_from: 'yesterday' } },
      { filters: { name: { x: 1 } } },
    ]) {
      const res = await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(imanageError(res.body).code).toBe('NRC_INVALID_PARAM');
    }
    const bad = await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, { json: { filters: { document_number: '12,abc' } } });
    expect(bad.status).toBe(400);
    expect((await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, { body: 'nope', headers: { 'content-type': 'application/json' } })).status).toBe(
      400,
    );
  });
});

describe('text filters (§4.6)', () => {
  it('name: the whole name, any case; `*` for a part; comma-separated alternatives', async () => {
    expect(await names({ name: 'Agreement' })).toEqual(['Agreement']);
    expect(await names({ name: 'agreement' })).toEqual(['Agreement']);
    expect(await names({ name: 'Employment Agreement' })).toEqual([]);
    const partial = await names({ name: '*agreement*' });
    expect(partial).toEqual(expect.arrayContaining(['Agreement', 'Employment Agreement – J. Doe', 'Employment Agreement – M. Rossi']));
    expect(await names({ name: 'employment*' })).toEqual(['Employment Agreement – J. Doe', 'Employment Agreement – M. Rossi']);
    expect(await names({ name: '*– J. Doe' })).toEqual(['Employment Agreement – J. Doe']);
    expect(await names({ name: 'Complaint,Agreement' })).toEqual(['Agreement', 'Complaint']);
    expect(await names({ name: 'agree' })).toEqual([]);
  });

  it('anywhere: whole words of name, comment and text; every word must match', async () => {
    const delaware = await names({ anywhere: 'Delaware' });
    expect(delaware).toEqual(['Client call notes', 'Research notes – choice of law']); // the text, and a comment
    expect(await names({ anywhere: 'indemnification' })).toEqual(['Research notes – choice of law']); // not "indemnifications"
    expect(await names({ anywhere: 'indemnif' })).toEqual([]);
    expect(await names({ anywhere: 'Delaware indemnification' })).toEqual(['Research notes – choice of law']);
    expect(await names({ anywhere: 'trial bundle' })).toEqual(['Witness statement – R. Smith']); // comment words
    expect(await names({ anywhere: 'restrictive' })).toEqual(['Memo – restrictive covenants']); // a word of the name
    expect(await names({ anywhere: 'Delaware*' })).toEqual([]);
  });

  it('body: whole words of the text only', async () => {
    expect(await names({ body: 'Delaware' })).toEqual(['Research notes – choice of law']);
    expect(await names({ body: 'indemnifications' })).toEqual(['Memo – restrictive covenants']);
    expect(await names({ body: 'restrictive' })).toEqual([]);
    expect(await names({ body: 'elaware' })).toEqual([]);
  });

  it('exact fields: type, extension, author, operator, class, custom: whole value, any case, comma alternatives', async () => {
    const inBig = (filters: Record<string, unknown>) => search({ container_id: sb.ids.bigDocumentFolder, ...filters });
    const all = (await inBig({})).body.data as Array<Record<string, string>>;
    const count = (pred: (d: Record<string, string>) => boolean) => all.filter(pred).length;
    expect((await inBig({ type: 'acrobat' })).body.data).toHaveLength(count((d) => d.type === 'ACROBAT'));
    expect((await inBig({ type: 'ACROBAT,EXCELX' })).body.data).toHaveLength(count((d) => d.type === 'ACROBAT' || d.type === 'EXCELX'));
    expect((await inBig({ type: 'ACRO' })).body.data).toHaveLength(0);
    expect((await inBig({ extension: 'MSG' })).body.data).toHaveLength(count((d) => d.extension === 'msg'));
    expect((await inBig({ author: 'plee' })).body.data).toHaveLength(count((d) => d.author === 'PLEE'));
    expect((await inBig({ author: 'PLE' })).body.data).toHaveLength(0);
    expect((await inBig({ operator: 'EMUELLER' })).body.data).toHaveLength(count((d) => d.operator === 'EMUELLER'));
    expect((await inBig({ class: 'email' })).body.data).toHaveLength(count((d) => d.class === 'EMAIL'));
    expect(count((d) => d.class === 'EMAIL')).toBeGreaterThan(0);
    expect((await inBig({ custom1: '1001' })).body.data).toHaveLength(all.length);
    expect((await inBig({ custom1: '100' })).body.data).toHaveLength(0);
    expect((await inBig({ author: 'PLEE', type: 'ACROBAT' })).body.data).toHaveLength(count((d) => d.author === 'PLEE' && d.type === 'ACROBAT'));
  });

  it('edit dates: from and to, inclusive', async () => {
    const all = (await search({ container_id: sb.ids.bigDocumentFolder })).body.data as Array<{ edit_date: string }>;
    const dates = all.map((d) => d.edit_date).sort();
    const mid = dates[100]!;
    const from = await search({ container_id: sb.ids.bigDocumentFolder, edit_date_from: mid });
    expect(from.body.data).toHaveLength(dates.filter((d) => d >= mid).length);
    const to = await search({ container_id: sb.ids.bigDocumentFolder, edit_date_to: mid });
    expect(to.body.data).toHaveLength(dates.filter((d) => d <= mid).length);
    const one = await search({ container_id: sb.ids.bigDocumentFolder, edit_date_from: mid, edit_date_to: mid });
    expect(one.body.data.map((d: { edit_date: string }) => d.edit_date)).toEqual(dates.filter((d) => d === mid));
  });
});

describe('scope filters', () => {
  it('container_id: a folder’s documents (its extra filings too), include_subtree for a whole workspace', async () => {
    const other = await search({ container_id: sb.ids.documentFolderOther });
    expect(other.body.data.map((d: { id: string }) => d.id)).toContain(sb.ids.documentId);
    const workspaceOnly = await search({ container_id: sb.ids.workspaceWithDeepTree });
    expect(workspaceOnly.body.data).toEqual([]);
    const tree = await search({ container_id: sb.ids.workspaceWithDeepTree, include_subtree: true });
    const treeIds = tree.body.data.map((d: { id: string }) => d.id);
    expect(treeIds).toEqual(expect.arrayContaining([sb.ids.documentId, sb.ids.textDocument]));
    expect(new Set(treeIds).size).toBe(treeIds.length);
    const subtree = await search({ container_id: sb.ids.deepFolderPath[0], include_subtree: 'true' });
    expect(subtree.body.data.map((d: { name: string }) => d.name)).toEqual(['Deposition of R. Smith – Day 1', 'Deposition outline – HR Director']);
    const direct = await search({ container_id: sb.ids.deepFolderPath[0] });
    expect(direct.body.data).toEqual([]);
    expect((await search({ container_id: 'nonsense' })).status).toBe(400);
    expect((await search({ container_id: sb.ids.unicodeFolder })).body.data).toEqual([]); // another library
  });

  it('document_number: a comma-separated batch; unknown and unreadable numbers are left out', async () => {
    const wanted = [sb.ids.documentId, sb.ids.textDocument, sb.ids.privateDocument].map(numberOf);
    const res = await search({ document_number: `${wanted.join(',')},1` });
    expect(res.body.data.map((d: { id: string }) => d.id).sort()).toEqual([sb.ids.documentId, sb.ids.textDocument].sort());
    const theirs = await search({ document_number: wanted.join(',') }, {}, second);
    expect(theirs.body.data.map((d: { id: string }) => d.id)).toContain(sb.ids.privateDocument);
    const asNumber = await search({ document_number: wanted[0] });
    expect(asNumber.body.data.map((d: { id: string }) => d.id)).toEqual([sb.ids.documentId]);
  });

  it('never finds what the caller cannot read', async () => {
    const mine = (await search({})).body.data.map((d: { id: string }) => d.id);
    const theirs = (await search({}, {}, second)).body.data.map((d: { id: string }) => d.id);
    expect(mine).not.toContain(sb.ids.privateDocument);
    expect(theirs).toContain(sb.ids.privateDocument);
    expect(await names({ name: 'Settlement offer – draft' })).toEqual(['Settlement offer – draft']);
    expect(await names({ name: 'Settlement offer – draft' }, second)).toEqual([]);
    expect((await search({ container_id: sb.ids.privateFolder }, {}, second)).body.data).toEqual([]);
  });
});
