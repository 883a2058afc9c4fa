import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './helpers.js';

/** Document history (reference §4.3), users (§4.4), and the addDocument knob and admin route. */

let sb: Sandbox;
let demo: string;
let second: string;
let now = Date.UTC(2025, 0, 15, 9, 0, 0);

beforeAll(async () => {
  sb = await startSandbox({ adminRoutes: true, clock: () => now });
  demo = (await login(sb)).access_token;
  second = (await login(sb, 'second')).access_token;
});
afterAll(async () => {
  await sb.close();
});

const history = (id: string, token = demo) => get(sb, token, `${libBase(sb)}/documents/${id}/history`);
const download = (id: string, query: Record<string, string>, token = demo, method = 'GET') => {
  const url = new URL(`${libBase(sb)}/documents/${id}/download`, sb.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return fetch(url, { method, headers: { 'x-auth-token': token } }).then(async (res) => ({ status: res.status, length: (await res.arrayBuffer()).byteLength }));
};

describe('GET documents/{id}/history', () => {
  it('starts with the seeded import, then records each GET download, newest first: export, or view by default', async () => {
    const start = await history(sb.ids.textDocument);
    expect(start.status).toBe(200);
    expect(start.body.data).toEqual([{ activity: 'import', user: 'JSMITH', date: expect.stringMatching(/Z$/) }]);
    now += 1000;
    expect((await download(sb.ids.textDocument, { activity: 'export' })).status).toBe(200);
    now += 1000;
    expect((await download(sb.ids.textDocument, {}, second)).status).toBe(200);
    now += 1000;
    expect((await download(sb.ids.textDocument, { activity: 'VIEW' }, demo, 'HEAD')).status).toBe(200);
    const after = await history(sb.ids.textDocument);
    expect(after.body.data.slice(0, 2)).toEqual([
      { activity: 'view', user: 'AKUMAR', date: new Date(now - 1000).toISOString() },
      { activity: 'export', user: 'JSMITH', date: new Date(now - 2000).toISOString() },
    ]);
    expect(after.body.data).toHaveLength(3);
  });

  it('is kept per version: a download of the latest records there, not on older versions', async () => {
    const number = sb.ids.documentId.slice(0, sb.ids.documentId.lastIndexOf('.'));
    const v1Before = (await history(`${number}.1`)).body.data.length;
    now += 1000;
    await download(`${number}.1`, { activity: 'export', latest: 'true' });
    expect((await history(`${number}.1`)).body.data).toHaveLength(v1Before);
    const latest = await history(sb.ids.documentId);
    expect(latest.body.data[0]).toEqual({ activity: 'export', user: 'JSMITH', date: new Date(now).toISOString() });
    expect(latest.body.data.at(-1).activity).toBe('new_version');
  });

  it('is 404 for a document the caller cannot read', async () => {
    expect((await history(sb.ids.privateDocument)).status).toBe(404);
    expect((await history(sb.ids.privateDocument, second)).status).toBe(200);
  });
});

describe('users', () => {
  it('GET users/{id}: full name, e-mail and the rest, ignoring case; `me` is the caller', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/users/akumar`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: 'AKUMAR',
      full_name: 'Arjun Kumar',
      email: 'akumar@hartwellpryce.example',
      preferred_library: 'ACTIVE_US',
      is_external: false,
      allow_logon: true,
    });
    expect(Number.isInteger(res.body.data.user_num)).toBe(true);
    expect((await get(sb, second, `${libBase(sb)}/users/me`)).body.data.id).toBe('AKUMAR');
    const missing = await get(sb, demo, `${libBase(sb)}/users/NOBODY`);
    expect(missing.status).toBe(404);
    expect(imanageError(missing.body).code).toBe('NRC_NO_RECORD');
    expect((await get(sb, undefined, `${libBase(sb)}/users/AKUMAR`)).status).toBe(401);
  });

  it('GET users?alias=A,B,C [I]: the users asked for, in that order, unknown ones absent', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/users`, { alias: 'plee,NOBODY, EMUELLER,,plee' });
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: { id: string; full_name: string }) => [u.id, u.full_name])).toEqual([
      ['PLEE', 'Priya Lee'],
      ['EMUELLER', 'Elke Müller'],
    ]);
    const everyone = await get(sb, demo, `${libBase(sb)}/users`);
    expect(everyone.body.data).toHaveLength(Object.keys(sb.users).length);
  });

  it('GET users pages as every list (§5.2, §4.4 `limit`/`offset`): by id without `alias`', async () => {
    const everyone = (await get(sb, demo, `${libBase(sb)}/users`)).body.data.map((u: { id: string }) => u.id);
    expect(everyone).toEqual([...everyone].sort());
    const first = await get(sb, demo, `${libBase(sb)}/users`, { limit: '2' });
    expect(first.body.data.map((u: { id: string }) => u.id)).toEqual(everyone.slice(0, 2));
    const rest = await get(sb, demo, `${libBase(sb)}/users`, { limit: '2', offset: '2', total: 'true' });
    expect(rest.body.data.map((u: { id: string }) => u.id)).toEqual(everyone.slice(2, 4));
    expect(rest.body.total_count).toBe(everyone.length);
    expect((await get(sb, demo, `${libBase(sb)}/users`, { limit: '0' })).status).toBe(400);
  });
});

describe('adding documents', () => {
  it('knobs.addDocument files a generated document of the size asked; it lists, downloads and searches like the rest', async () => {
    const id = sb.knobs.addDocument({ folderId: sb.ids.emptyFolder, name: 'Knob report', extension: 'pdf', size: 200_000, owner: 'plee' });
    const profile = await get(sb, demo, `${libBase(sb)}/documents/${id}`);
    expect(profile.body.data).toMatchObject({ id, size: 200_000, author: 'PLEE', version: 1, type: 'ACROBAT', create_date: new Date(now).toISOString() });
    const listed = await get(sb, demo, `${libBase(sb)}/folders/${sb.ids.emptyFolder}/documents`);
    expect(listed.body.data.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await download(id, {})).length).toBe(200_000);
    const text = sb.knobs.addDocument({ folderId: sb.ids.emptyFolder, name: 'Knob memo', extension: 'txt', text: 'Zebra crossings near Delaware.' });
    const found = await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, { json: { filters: { body: 'zebra' } } });
    expect(found.body.data.map((d: { id: string }) => d.id)).toEqual([text]);
  });

  it('refuses nonsense with a TypeError', () => {
    const folderId = sb.ids.emptyFolder;
    expect(() => sb.knobs.addDocument({ folderId: 'ACTIVE_US!1', name: 'x', extension: 'pdf', size: 1 })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId: sb.ids.workspaceWithDeepTree, name: 'x', extension: 'pdf', size: 1 })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId, name: '', extension: 'pdf', size: 1 })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId, name: 'x', extension: 'p.df', size: 1 })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId, name: 'x', extension: 'pdf', size: -1 })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId, name: 'x', extension: 'pdf' })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId, name: 'x', extension: 'txt', size: 3, text: 'abc' })).toThrow(TypeError);
    expect(() => sb.knobs.addDocument({ folderId, name: 'x', extension: 'pdf', size: 1, owner: 'NOBODY' })).toThrow(TypeError);
  });

  it('POST /__sandbox/documents does the same over HTTP (201 {data:{id}}, 400 with the reason)', async () => {
    const res = await call(sb, undefined, 'POST', '/__sandbox/documents', {
      json: { folderId: sb.ids.emptyFolder, name: 'Huge exhibit', extension: 'zip', size: 5 * 2 ** 30 },
    });
    expect(res.status).toBe(201);
    const profile = await get(sb, demo, `${libBase(sb)}/documents/${res.body.data.id}`);
    expect(profile.body.data.size).toBe(5 * 2 ** 30);
    const bad = await call(sb, undefined, 'POST', '/__sandbox/documents', { json: { folderId: sb.ids.emptyFolder, name: 'x', extension: 'pdf' } });
    expect(bad.status).toBe(400);
    expect(imanageError(bad.body).code_message).toMatch(/size/);
  });
});

describe('admin faults', () => {
  it('POST /__sandbox/faults takes an abortBody fault', async () => {
    const queued = await call(sb, undefined, 'POST', '/__sandbox/faults', {
      json: { path: { regex: '/download$' }, kind: { type: 'abortBody', afterBytes: 10 } },
    });
    expect(queued.status).toBe(201);
    const bad = await call(sb, undefined, 'POST', '/__sandbox/faults', { json: { path: '/x', kind: { type: 'abortBody', afterBytes: -1 } } });
    expect(bad.status).toBe(400);
    const url = new URL(`${libBase(sb)}/documents/${sb.ids.documentId}/download`, sb.url);
    const res = await fetch(url, { headers: { 'x-auth-token': demo } });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });
});
