/**
 * The sandbox's uploads and new versions (reference §4.3), over HTTP: both multipart forms, the
 * bytes served back, versions, iManage's refusals, aborted and malformed bodies leaving nothing,
 * the commitThenFail and slowUpload faults, and a 200 MB upload with flat memory.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentByteStream, documentSha256, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { call, get, imanageError, libBase, login } from './sandbox/helpers.js';

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

const MiB = 1024 * 1024;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const uploadPath = (folderId: string): string => `${libBase(sb)}/folders/${folderId}/documents`;
const versionsPath = (documentId: string): string => `${libBase(sb)}/documents/${documentId}/versions`;

interface Answer {
  status: number;
  body: any;
}

/** Form 1: what fetch's FormData sends, the profile a plain field, then the file with a filename. */
async function postForm(token: string, path: string, profile: unknown, bytes: Buffer, fileName = 'upload.bin'): Promise<Answer> {
  const form = new FormData();
  form.append('profile', JSON.stringify(profile));
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const res = await fetch(new URL(path, sb.url), { method: 'POST', headers: { 'x-auth-token': token }, body: form });
  return { status: res.status, body: await res.json() };
}

interface Part {
  headers: string[];
  body: Buffer | string;
}

const BOUNDARY = '----sandbox-test-boundary-7315';

function multipart(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${p.headers.join('\r\n')}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

async function postRaw(token: string, path: string, body: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`): Promise<Answer> {
  const res = await fetch(new URL(path, sb.url), {
    method: 'POST',
    headers: { 'x-auth-token': token, 'content-type': contentType },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function download(token: string, id: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(new URL(`${libBase(sb)}/documents/${id}/download`, sb.url), { headers: { 'x-auth-token': token, ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The start of a body whose file part the test then writes itself. */
function fileHead(name: string, extension: string): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="profile"\r\n\r\n${JSON.stringify({ doc_profile: { name, extension } })}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}.${extension}"\r\n\r\n`,
  );
}

const partFiles = async (): Promise<string[]> => (await readdir(sb.uploadDir)).filter((f) => f.endsWith('.part'));
const uploadsTo = (path: string) => sb.log.uploads().filter((e) => e.path === path);

/** A folder of its own per test, so counts are exact. */
async function freshFolder(name: string): Promise<string> {
  const res = await call(sb, demo, 'POST', `${libBase(sb)}/folders/${sb.ids.emptyFolder}/subfolders`, { json: { name } });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

describe('upload: both multipart forms', () => {
  it('form 1 (profile field, then file): 201 with the profile; the download, HEAD and a Range serve the bytes sent', async () => {
    const folder = await freshFolder('Form one');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251));
    const res = await postForm(
      demo,
      uploadPath(folder),
      { doc_profile: { name: 'Engagement letter', extension: 'pdf', comment: 'idem:form-one' } },
      bytes,
      'ignored.bin',
    );
    expect(res.status).toBe(201);
    const doc = res.body.data;
    expect(doc).toMatchObject({
      name: 'Engagement letter',
      extension: 'pdf',
      type: 'ACROBAT',
      size: bytes.length,
      version: 1,
      is_latest: true,
      author: 'JSMITH',
      operator: 'JSMITH',
      class: 'DOC',
      comment: 'idem:form-one',
      default_security: 'inherit',
      effective_security: 'full_access',
      wstype: 'document',
      custom1: '1001',
      custom2: '0007',
    });
    expect(doc.id).toMatch(/^ACTIVE_US!\d+\.1$/);
    expect(res.body.warnings).toBeUndefined();
    expect(sb.documentSha256(doc.id)).toBe(sha256(bytes));

    const whole = await download(demo, doc.id);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('content-disposition')).toContain('Engagement%20letter.pdf');
    expect(sha256(whole.bytes)).toBe(sha256(bytes));
    const part = await download(demo, doc.id, { range: 'bytes=65530-65545' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 65530-65545/${bytes.length}`);
    expect(part.bytes.equals(bytes.subarray(65530, 65546))).toBe(true);
    const head = await fetch(new URL(`${libBase(sb)}/documents/${doc.id}/download`, sb.url), { method: 'HEAD', headers: { 'x-auth-token': demo } });
    expect(head.headers.get('content-length')).toBe(String(bytes.length));

    expect(sb.folderDocuments(folder)).toEqual([expect.objectContaining({ id: doc.id, size: bytes.length, comment: 'idem:form-one', uploaded: true })]);
    expect(uploadsTo(uploadPath(folder))).toEqual([
      expect.objectContaining({
        status: 201,
        userId: 'JSMITH',
        upload: expect.objectContaining({ fileBytes: bytes.length, completed: true, documentId: doc.id }),
      }),
    ]);
    expect(uploadsTo(uploadPath(folder))[0]!.upload!.bodyBytes).toBeGreaterThan(bytes.length);
  });

  it('form 2 (file first, under another name, then the profile as a JSON Blob part with a filename): 201', async () => {
    const folder = await freshFolder('Form two');
    const bytes = Buffer.from('Dear Sir or Madam,\r\n--not a boundary\r\n'.repeat(500));
    const body = multipart([
      { headers: ['Content-Disposition: form-data; name="myFile"; filename="Letter.txt"', 'Content-Type: application/octet-stream'], body: bytes },
      {
        headers: ['Content-Disposition: form-data; name="profile"; filename="blob"', 'Content-Type: application/json; charset=utf-8'],
        body: JSON.stringify({ doc_profile: { name: 'Letter to opposing counsel', extension: 'txt' } }),
      },
    ]);
    const res = await postRaw(demo, uploadPath(folder), body);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Letter to opposing counsel', extension: 'txt', type: 'ANSI', size: bytes.length });
    expect((await download(demo, res.body.data.id)).bytes.equals(bytes)).toBe(true);
  });

  it(".NET's form (a file part without a filename) works; without doc_profile.name the file part's filename gives the name and extension", async () => {
    const folder = await freshFolder('Form three');
    const noFileName = multipart([
      {
        headers: ['Content-Type: application/json; charset=utf-8', 'Content-Disposition: form-data; name=profile'],
        body: JSON.stringify({ doc_profile: { name: 'Memo', extension: 'docx' } }),
      },
      { headers: ['Content-Disposition: form-data; name=file'], body: Buffer.from('abc') },
    ]);
    const a = await postRaw(demo, uploadPath(folder), noFileName);
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ name: 'Memo', extension: 'docx', type: 'WORDX', size: 3 });

    const b = await postForm(demo, uploadPath(folder), { doc_profile: {} }, Buffer.from('x'), 'Board minutes 2024.xlsx');
    expect(b.status).toBe(201);
    expect(b.body.data).toMatchObject({ name: 'Board minutes 2024', extension: 'xlsx' });
    expect(sb.folderDocuments(folder).map((d) => d.name)).toEqual(['Board minutes 2024', 'Memo']);
  });
});

describe('new versions', () => {
  it('version 2 is the latest, version 1 no longer; each serves its own bytes; the profile carries over', async () => {
    const folder = await freshFolder('Versions');
    const v1Bytes = Buffer.from('first draft');
    const v1 = await postForm(demo, uploadPath(folder), { doc_profile: { name: 'Draft SPA', extension: 'docx', comment: 'idem:v1', custom4: 'SPA' } }, v1Bytes);
    expect(v1.status).toBe(201);
    const v2Bytes = Buffer.from('second draft, longer');
    const v2 = await postForm(demo, versionsPath(v1.body.data.id), { doc_profile: { comment: 'idem:v2' }, audit: { comments: 'after review' } }, v2Bytes);
    expect(v2.status).toBe(201);
    const number = v1.body.data.document_number;
    expect(v2.body.data).toMatchObject({
      id: `ACTIVE_US!${number}.2`,
      document_number: number,
      version: 2,
      is_latest: true,
      name: 'Draft SPA',
      extension: 'docx',
      size: v2Bytes.length,
      comment: 'idem:v2',
      custom4: 'SPA',
    });
    expect((await get(sb, demo, `${libBase(sb)}/documents/${v1.body.data.id}`)).body.data.is_latest).toBe(false);
    expect((await get(sb, demo, `${libBase(sb)}/documents/ACTIVE_US!${number}`)).body.data.version).toBe(2);
    const versions = await get(sb, demo, versionsPath(`ACTIVE_US!${number}`));
    expect(versions.body.data.map((d: { id: string }) => d.id)).toEqual([`ACTIVE_US!${number}.1`, `ACTIVE_US!${number}.2`]);
    expect((await download(demo, `ACTIVE_US!${number}.1`)).bytes.equals(v1Bytes)).toBe(true);
    expect((await download(demo, `ACTIVE_US!${number}.2`)).bytes.equals(v2Bytes)).toBe(true);
    const history = await get(sb, demo, `${libBase(sb)}/documents/ACTIVE_US!${number}.2/history`);
    expect(history.body.data.filter((h: { activity: string }) => h.activity !== 'view')).toEqual([
      expect.objectContaining({ activity: 'new_version', user: 'JSMITH', comments: 'after review' }),
    ]);
    // The folder lists the document once, as its latest version.
    expect(sb.folderDocuments(folder)).toEqual([
      expect.objectContaining({ id: `ACTIVE_US!${number}.2`, versions: [`ACTIVE_US!${number}.1`, `ACTIVE_US!${number}.2`] }),
    ]);

    // Naming an older version still adds after the latest; no profile part is needed.
    const v3 = await postRaw(
      demo,
      versionsPath(v1.body.data.id),
      multipart([{ headers: ['Content-Disposition: form-data; name="file"; filename="x"'], body: 'third' }]),
    );
    expect(v3.status).toBe(201);
    expect(v3.body.data).toMatchObject({ version: 3, comment: 'idem:v2', is_latest: true });
  });

  it('a document checked out by someone else refuses a new version (409 NRC_CHECKED_OUT); its holder checks it in by uploading', async () => {
    const id = sb.ids.checkedOutDocument;
    const before = sb.folderDocuments(sb.ids.documentFolder).find((d) => d.id === id)!;
    const refused = await postForm(demo, versionsPath(id), { doc_profile: {} }, Buffer.from('mine'));
    expect(refused.status).toBe(409);
    expect(imanageError(refused.body).code).toBe('NRC_CHECKED_OUT');
    expect(sb.folderDocuments(sb.ids.documentFolder).find((d) => d.name === before.name)!.versions).toEqual(before.versions);

    const kept = await postForm(second, versionsPath(id), { doc_profile: {}, keep_locked: true }, Buffer.from('holder, still out'));
    expect(kept.status).toBe(201);
    expect(kept.body.data).toMatchObject({ version: 3, is_checked_out: true, in_use_by: 'AKUMAR' });
    const checkedIn = await postForm(second, versionsPath(id), { doc_profile: {} }, Buffer.from('holder, checked in'));
    expect(checkedIn.status).toBe(201);
    expect(checkedIn.body.data).toMatchObject({ version: 4, is_checked_out: false });
    const now = await postForm(demo, versionsPath(id), { doc_profile: {} }, Buffer.from('mine now'));
    expect(now.status).toBe(201);
    expect(now.body.data.version).toBe(5);

    sb.knobs.setCheckedOut(id, 'akumar');
    expect((await postForm(demo, versionsPath(id), { doc_profile: {} }, Buffer.from('again'))).status).toBe(409);
    sb.knobs.setCheckedOut(id, null);
  });
});

describe("iManage's refusals leave nothing", () => {
  it('a missing required field of the class: 400 NRC_INVALID_PROFILE {field, code: required}; with warnings_for_required_and_disabled_fields it is created with warnings', async () => {
    const folder = await freshFolder('Agreements – class rules');
    const refused = await postForm(demo, uploadPath(folder), { doc_profile: { name: 'NDA', extension: 'pdf', class: 'agreement' } }, Buffer.alloc(3 * MiB, 1));
    expect(refused.status).toBe(400);
    const error = imanageError(refused.body);
    expect(error.code).toBe('NRC_INVALID_PROFILE');
    expect(error.messages).toEqual([expect.objectContaining({ field: 'custom4', code: 'required' })]);

    const disabled = await postForm(
      demo,
      uploadPath(folder),
      { doc_profile: { name: 'NDA', extension: 'pdf', class: 'AGREEMENT', custom4: 'NDA', custom29: 'x' } },
      Buffer.from('x'),
    );
    expect(disabled.status).toBe(400);
    expect(imanageError(disabled.body).messages).toEqual([expect.objectContaining({ field: 'custom29', code: 'disabled' })]);
    expect(sb.folderDocuments(folder)).toEqual([]);

    const warned = await postForm(
      demo,
      uploadPath(folder),
      { warnings_for_required_and_disabled_fields: true, doc_profile: { name: 'NDA', extension: 'pdf', class: 'AGREEMENT', custom29: 'x' } },
      Buffer.from('x'),
    );
    expect(warned.status).toBe(201);
    expect(warned.body.warnings).toEqual([
      { field: 'custom4', error: 'required' },
      { field: 'custom29', error: 'disabled' },
    ]);
    expect(warned.body.data).toMatchObject({ class: 'AGREEMENT', class_description: 'Agreement' });
    expect(warned.body.data.custom29).toBeUndefined();

    const ok = await postForm(
      demo,
      uploadPath(folder),
      { doc_profile: { name: 'NDA signed', extension: 'pdf', class: 'AGREEMENT', custom4: 'NDA' } },
      Buffer.from('x'),
    );
    expect(ok.status).toBe(201);
    expect(sb.folderDocuments(folder).map((d) => d.name)).toEqual(['NDA', 'NDA signed']);
    expect(await partFiles()).toEqual([]);
  });

  it('bad names, extensions, classes and fields: 400 NRC_INVALID_PROFILE naming each field', async () => {
    const folder = await freshFolder('Validation');
    const res = await postForm(
      demo,
      uploadPath(folder),
      {
        doc_profile: { name: '   ', extension: 'p.df', class: 'NOPE', custom17: 'not a number', colour: 'red', author: 'NOBODY' },
        user_trustees: [{ id: 'NOBODY', access_level: 'read' }],
      },
      Buffer.from('x'),
    );
    expect(res.status).toBe(400);
    const error = imanageError(res.body);
    expect(error.code).toBe('NRC_INVALID_PROFILE');
    expect(error.messages!.map((m) => `${m.field}:${m.code}`).sort()).toEqual(
      [
        'author:invalid_value',
        'class:invalid_value',
        'colour:invalid_field',
        'custom17:invalid_type',
        'extension:invalid_value',
        'name:required',
        'user_trustees[0].id:invalid_value',
      ].sort(),
    );
    const missing = await postForm(demo, uploadPath(folder), { warnings_for_required_and_disabled_fields: 'yes' }, Buffer.from('x'));
    expect(
      imanageError(missing.body)
        .messages!.map((m) => `${m.field}:${m.code}`)
        .sort(),
    ).toEqual(['doc_profile:required', 'warnings_for_required_and_disabled_fields:invalid_type']);
    const tooLong = await postForm(demo, uploadPath(folder), { doc_profile: { name: 'n'.repeat(255), comment: 'c'.repeat(255) } }, Buffer.from('x'));
    expect(
      imanageError(tooLong.body)
        .messages!.map((m) => `${m.field}:${m.code}`)
        .sort(),
    ).toEqual(['comment:too_long', 'name:too_long']);
    expect(sb.folderDocuments(folder)).toEqual([]);
  });

  it('bodies that are not a profile and one file: 415 or 400 NRC_INVALID_PARAM', async () => {
    const folder = await freshFolder('Bad bodies');
    const json = await call(sb, demo, 'POST', uploadPath(folder), { json: { doc_profile: { name: 'x' } } });
    expect(json.status).toBe(415);
    expect(imanageError(json.body).code).toBe('NRC_UNSUPPORTED_MEDIA_TYPE');
    const cases: Array<[string, Buffer, string?]> = [
      ['no closing boundary', multipart([{ headers: ['Content-Disposition: form-data; name="file"; filename="a"'], body: 'abc' }]).subarray(0, -10)],
      ['no file part', multipart([{ headers: ['Content-Disposition: form-data; name="profile"'], body: '{"doc_profile":{"name":"x"}}' }])],
      ['no profile part', multipart([{ headers: ['Content-Disposition: form-data; name="file"; filename="a.txt"'], body: 'abc' }])],
      [
        'two files',
        multipart([
          { headers: ['Content-Disposition: form-data; name="profile"'], body: '{"doc_profile":{"name":"x"}}' },
          { headers: ['Content-Disposition: form-data; name="file"; filename="a"'], body: 'a' },
          { headers: ['Content-Disposition: form-data; name="file2"; filename="b"'], body: 'b' },
        ]),
      ],
      ['profile not JSON', multipart([{ headers: ['Content-Disposition: form-data; name="profile"'], body: '{doc_profile' }])],
      ['no boundary', Buffer.from('whatever'), 'multipart/form-data'],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [what, body, type] of cases) {
      const res = await postRaw(demo, uploadPath(folder), body, type);
      expect.soft(res.status, what).toBe(400);
      expect.soft(res.body?.error?.code, what).toMatch(/^NRC_INVALID_(PARAM|PROFILE)$/);
    }
    expect(sb.folderDocuments(folder)).toEqual([]);
    expect(await partFiles()).toEqual([]);
  });

  it('rights: read-only folder 403 NRC_ACCESS_DENIED, before the body is read; unknown or invisible folder 404; a read-only user cannot add a version', async () => {
    const before = sb.folderDocuments(sb.ids.readOnlyFolder).length;
    const readOnly = await postForm(demo, uploadPath(sb.ids.readOnlyFolder), { doc_profile: { name: 'x', extension: 'txt' } }, Buffer.alloc(2 * MiB));
    expect(readOnly.status).toBe(403);
    expect(imanageError(readOnly.body).code).toBe('NRC_ACCESS_DENIED');
    expect(uploadsTo(uploadPath(sb.ids.readOnlyFolder)).at(-1)!.upload).toEqual({ bodyBytes: 0, fileBytes: 0, completed: false });
    expect(sb.folderDocuments(sb.ids.readOnlyFolder)).toHaveLength(before);

    expect((await postForm(demo, uploadPath('ACTIVE_US!99999999'), { doc_profile: { name: 'x' } }, Buffer.from('x'))).status).toBe(404);
    expect((await postForm(demo, uploadPath(sb.ids.privateFolderOfOther), { doc_profile: { name: 'x' } }, Buffer.from('x'))).status).toBe(404);
    const version = await postForm(paralegal, versionsPath(sb.ids.documentId), { doc_profile: {} }, Buffer.from('x'));
    expect(version.status).toBe(403);
    expect(imanageError(version.body).code).toBe('NRC_ACCESS_DENIED');
    expect((await postForm(demo, versionsPath(sb.ids.privateDocument), { doc_profile: {} }, Buffer.from('x'))).status).toBe(404);
    expect(await partFiles()).toEqual([]);
  });
});

describe('hostile bodies', () => {
  it('any mix of parts, headers, profiles and cuts: 201, 400 or 415, never 5xx, and no part file left', { timeout: 60_000 }, async () => {
    const folder = await freshFolder('Hostile');
    const path = uploadPath(folder);
    const profileText = fc.oneof(
      fc.constant('{"doc_profile":{"name":"Fuzz","extension":"bin"}}'),
      fc.constant('{"doc_profile":{"class":"AGREEMENT","custom29":1}}'),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 40 }),
    );
    const part = fc.record({
      name: fc.oneof(fc.constantFrom('profile', 'file', 'myFile', ''), fc.string({ maxLength: 8 })),
      fileName: fc.option(fc.oneof(fc.constantFrom('a.pdf', 'blob', '../../etc/passwd', 'x.'), fc.string({ maxLength: 12 })), { nil: undefined }),
      type: fc.option(fc.constantFrom('application/json', 'application/octet-stream', 'text/plain; charset=utf-16le', 'multipart/mixed'), { nil: undefined }),
      body: fc.oneof(
        profileText,
        fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.constantFrom(`multipart/form-data; boundary=${BOUNDARY}`, 'multipart/form-data', 'text/plain', 'multipart/form-data; boundary=other'),
        async (parts, cut, contentType) => {
          const whole = multipart(
            parts.map((p) => ({
              headers: [
                `Content-Disposition: form-data; name="${p.name}"${p.fileName === undefined ? '' : `; filename="${p.fileName}"`}`,
                ...(p.type ? [`Content-Type: ${p.type}`] : []),
              ],
              body: Buffer.from(p.body, 'latin1'),
            })),
          );
          const body = cut === undefined ? whole : whole.subarray(0, cut % (whole.length + 1));
          const res = await postRaw(demo, path, body, contentType);
          expect([201, 400, 415]).toContain(res.status);
          if (res.status !== 201) expect(res.body.error.code).toMatch(/^NRC_/);
        },
      ),
      { numRuns: 80 },
    );
    expect(await partFiles()).toEqual([]);
    // Every committed upload is a document, with its own stored file.
    const committed = sb.log.uploads().filter((e) => e.path === path && e.status === 201);
    expect(sb.folderDocuments(folder)).toHaveLength(committed.length);
  });
});

describe('what an upload records', () => {
  it('trustees and default_security apply as on folder create', async () => {
    const folder = await freshFolder('Security');
    const res = await postForm(
      demo,
      uploadPath(folder),
      { doc_profile: { name: 'Privileged memo', extension: 'docx', default_security: 'private' }, user_trustees: [{ id: 'akumar', access_level: 'read' }] },
      Buffer.from('secret'),
    );
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    expect(res.body.data).toMatchObject({ default_security: 'private', effective_security: 'full_access' });
    expect((await get(sb, second, `${libBase(sb)}/documents/${id}`)).body.data.effective_security).toBe('read');
    expect((await get(sb, paralegal, `${libBase(sb)}/documents/${id}`)).status).toBe(404);
    expect((await postForm(second, versionsPath(id), { doc_profile: {} }, Buffer.from('x'))).status).toBe(403);
  });

  it('the comment is listed by the folder documents list and the search POST, and found by the comments filter', async () => {
    const folder = await freshFolder('Comments');
    const key = 'idem:6f1c2a90-5d1e-4c51-9f0a-2b7c1d2e3f40';
    const up = await postForm(demo, uploadPath(folder), { doc_profile: { name: 'Witness list', extension: 'xlsx', comment: key } }, Buffer.from('x'));
    expect(up.status).toBe(201);
    const listed = await get(sb, demo, uploadPath(folder));
    expect(listed.body.data).toEqual([expect.objectContaining({ id: up.body.data.id, comment: key, size: 1 })]);
    const search = await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, {
      json: { profile_fields: { document: ['name', 'size', 'comment'] }, filters: { container_id: folder, name: 'Witness list', comments: key } },
    });
    expect(search.status).toBe(200);
    expect(search.body.data).toEqual([{ id: up.body.data.id, name: 'Witness list', size: 1, comment: key, wstype: 'document' }]);
    const other = await call(sb, demo, 'POST', `${libBase(sb)}/documents/search`, { json: { filters: { container_id: folder, comments: 'idem:other' } } });
    expect(other.body.data).toEqual([]);
  });
});

/** Starts a POST whose body the test writes itself; resolves the response, or rejects when the connection fails. */
function rawPost(token: string, path: string, headers: Record<string, string>) {
  const req = request(new URL(path, sb.url), { method: 'POST', headers: { 'x-auth-token': token, ...headers } });
  const answered = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
  });
  answered.catch(() => undefined);
  return { req, answered };
}

describe('aborted uploads leave nothing', () => {
  it('a client that goes away mid-body: no document, the part file removed, the log shows status 0 and how much arrived', async () => {
    const folder = await freshFolder('Aborted');
    const path = uploadPath(folder);
    const head = fileHead('Half', 'bin');
    const { req } = rawPost(demo, path, { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(head.length + 10 * MiB) });
    req.write(head);
    req.write(Buffer.alloc(MiB, 7));
    await vi.waitFor(async () => expect(await partFiles()).toHaveLength(1), { timeout: 10_000, interval: 20 });
    req.destroy();
    await vi.waitFor(() => expect(uploadsTo(path)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    const entry = uploadsTo(path)[0]!;
    expect(entry.status).toBe(0);
    expect(entry.upload).toMatchObject({ completed: false });
    expect(entry.upload!.documentId).toBeUndefined();
    expect(entry.upload!.fileBytes).toBeGreaterThan(0);
    expect(entry.upload!.bodyBytes).toBeLessThan(head.length + 10 * MiB);
    expect(await partFiles()).toEqual([]);
    expect(sb.folderDocuments(folder)).toEqual([]);
    expect(sb.log.inFlight()).toBe(0);
  });

  it('a body shorter than its Content-Length (the client half-closes): no document, status 0', async () => {
    const folder = await freshFolder('Short body');
    const path = uploadPath(folder);
    const body = multipart([
      { headers: ['Content-Disposition: form-data; name="profile"'], body: '{"doc_profile":{"name":"Short","extension":"txt"}}' },
      { headers: ['Content-Disposition: form-data; name="file"; filename="s.txt"'], body: 'all of it' },
    ]);
    const { port } = new URL(sb.url);
    const socket = connect(Number(port), '127.0.0.1');
    const closed = new Promise<string>((resolve) => {
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => undefined);
    });
    socket.write(
      `POST ${encodeURI(path)} HTTP/1.1\r\nHost: sandbox\r\nX-Auth-Token: ${demo}\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length + 100}\r\n\r\n`,
    );
    socket.end(body);
    expect(await closed).not.toMatch(/^HTTP\/1\.1 201/);
    await vi.waitFor(() => expect(uploadsTo(path)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(uploadsTo(path)[0]).toMatchObject({ status: 0, upload: { completed: false, bodyBytes: body.length } });
    expect(sb.folderDocuments(folder)).toEqual([]);
    expect(await partFiles()).toEqual([]);
  });
});

describe('faults', () => {
  it('commitThenFail: the document is committed once, the client gets a 500 (or a reset); the log names the committed version', async () => {
    const folder = await freshFolder('Commit then fail');
    const path = uploadPath(folder);
    sb.knobs.injectFault({ method: 'POST', path, kind: { type: 'commitThenFail' } });
    const failed = await postForm(demo, path, { doc_profile: { name: 'Once', extension: 'txt', comment: 'idem:once' } }, Buffer.from('once'));
    expect(failed.status).toBe(500);
    expect(imanageError(failed.body).code).toBe('NRC_INTERNAL_ERROR');
    const committed = sb.folderDocuments(folder);
    expect(committed).toEqual([expect.objectContaining({ name: 'Once', comment: 'idem:once', size: 4 })]);
    expect(uploadsTo(path).at(-1)).toMatchObject({ status: 500, upload: { completed: true, documentId: committed[0]!.id } });

    sb.knobs.injectFault({ method: 'POST', path, kind: { type: 'commitThenFail', then: 'reset' } });
    await expect(postForm(demo, path, { doc_profile: { name: 'Twice', extension: 'txt' } }, Buffer.from('twice'))).rejects.toThrow();
    expect(sb.folderDocuments(folder).map((d) => d.name)).toEqual(['Once', 'Twice']);
    expect(uploadsTo(path).at(-1)).toMatchObject({ status: 0, upload: { completed: true } });

    // A refused upload is answered as refused: nothing to commit, nothing to fail.
    sb.knobs.injectFault({ method: 'POST', path, kind: { type: 'commitThenFail' } });
    expect((await postForm(demo, path, { doc_profile: { name: 'Bad', extension: 'p.df' } }, Buffer.from('x'))).status).toBe(400);
    expect(sb.folderDocuments(folder)).toHaveLength(2);
  });

  it('slowUpload: the body is read a slice at a time; held there, closing the sandbox drops the request and leaves nothing', async () => {
    const own = await startSandbox();
    try {
      const token = (await login(own)).access_token;
      const path = `${libBase(own)}/folders/${own.ids.emptyFolder}/documents`;
      const slice = 256 * 1024;
      own.knobs.injectFault({ method: 'POST', path, kind: { type: 'slowUpload', delayMs: 600_000, everyBytes: slice } });
      const head = fileHead('Held', 'bin');
      const sent = head.length + 2 * MiB;
      const req = request(new URL(path, own.url), {
        method: 'POST',
        headers: { 'x-auth-token': token, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(sent + 10 * MiB) },
      });
      req.on('error', () => undefined);
      req.write(head);
      req.write(Buffer.alloc(2 * MiB, 5));
      // Wait until the first slice is on disk: from then on the sandbox holds the body back.
      await vi.waitFor(
        async () => {
          const [part] = (await readdir(own.uploadDir)).filter((f) => f.endsWith('.part'));
          expect(part).toBeDefined();
          expect((await stat(join(own.uploadDir, part!))).size).toBeGreaterThanOrEqual(slice - head.length);
        },
        { timeout: 10_000, interval: 20 },
      );
      expect(own.log.inFlight()).toBe(1);
      await own.close();
      const [entry] = own.log.uploads();
      expect(entry).toMatchObject({ status: 0, upload: { completed: false } });
      // The first slice (and the chunk that crossed it), not the 2 MiB the client had sent.
      expect(entry!.upload!.bodyBytes).toBeGreaterThanOrEqual(slice);
      expect(entry!.upload!.bodyBytes).toBeLessThan(2 * slice);
      expect(existsSync(own.uploadDir)).toBe(false);
      req.destroy();
    } finally {
      await own.close();
    }
  });

  it('slowUpload: a client that gives up mid-body leaves nothing once the sandbox reads up to where it stopped', async () => {
    const folder = await freshFolder('Slow');
    const path = uploadPath(folder);
    sb.knobs.injectFault({ method: 'POST', path, kind: { type: 'slowUpload', delayMs: 20, everyBytes: 64 * 1024 } });
    const head = fileHead('Slow', 'bin');
    const { req } = rawPost(demo, path, { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(head.length + 10 * MiB) });
    req.write(head);
    // Handed to the kernel before the client goes: the sandbox reads it, then finds the end.
    await new Promise((resolve) => req.write(Buffer.alloc(MiB, 3), resolve));
    await vi.waitFor(async () => expect(await partFiles()).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(uploadsTo(path)).toEqual([]);
    req.destroy();
    await vi.waitFor(() => expect(uploadsTo(path)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(uploadsTo(path)[0]).toMatchObject({ status: 0, upload: { completed: false } });
    // Up to where the client stopped (the last slice may still have been waiting when the end came).
    expect(uploadsTo(path)[0]!.upload!.bodyBytes).toBeGreaterThan(head.length);
    expect(uploadsTo(path)[0]!.upload!.bodyBytes).toBeLessThanOrEqual(head.length + MiB);
    expect(sb.folderDocuments(folder)).toEqual([]);
    expect(await partFiles()).toEqual([]);
  });

  it('slowUpload that completes commits as usual', async () => {
    const folder = await freshFolder('Slow but complete');
    const path = uploadPath(folder);
    sb.knobs.injectFault({ method: 'POST', path, kind: { type: 'slowUpload', delayMs: 1, everyBytes: 64 * 1024 } });
    const bytes = Buffer.alloc(512 * 1024, 9);
    const res = await postForm(demo, path, { doc_profile: { name: 'Slow', extension: 'bin' } }, bytes);
    expect(res.status).toBe(201);
    expect(sb.documentSha256(res.body.data.id)).toBe(sha256(bytes));
  });

  it('the admin route queues the new faults and refuses malformed ones', async () => {
    const admin = await startSandbox({ adminRoutes: true });
    try {
      const post = (body: unknown) =>
        fetch(`${admin.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post({ path: '/x', kind: { type: 'commitThenFail', then: 'stall' } })).status).toBe(201);
      expect((await post({ path: '/x', kind: { type: 'slowUpload', delayMs: 5, everyBytes: 1024 } })).status).toBe(201);
      expect((await post({ path: '/x', kind: { type: 'commitThenFail', then: 'later' } })).status).toBe(400);
      expect((await post({ path: '/x', kind: { type: 'slowUpload' } })).status).toBe(400);
      expect(() => admin.knobs.injectFault({ path: '/x', kind: { type: 'slowUpload', delayMs: -1 } })).toThrow(TypeError);
      const checkout = await fetch(`${admin.url}/__sandbox/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: admin.ids.documentId, userId: 'PLEE' }),
      });
      expect(checkout.status).toBe(204);
      const token = (await login(admin)).access_token;
      const doc = await fetch(`${admin.url}${libBase(admin)}/documents/${admin.ids.documentId}`, { headers: { 'x-auth-token': token } });
      expect((await doc.json()).data).toMatchObject({ is_checked_out: true, in_use_by: 'PLEE' });
    } finally {
      await admin.close();
    }
  });
});

describe('a 200 MB upload', () => {
  it('streams through the sandbox: RSS stays flat, the recorded SHA-256 and the download match what was sent', { timeout: 120_000 }, async () => {
    const folder = await freshFolder('Large');
    const path = uploadPath(folder);
    const size = 200 * MiB;
    // The body is generated as it is sent (the sandbox's own keystream), so the test holds none of it.
    const source = { id: 'ACTIVE_US!424242', version: 1 };
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="profile"\r\nContent-Type: application/json\r\n\r\n` +
        `{"doc_profile":{"name":"Deposition video","extension":"mp4"}}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="video.mp4"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    async function* body() {
      yield head;
      yield* documentByteStream(source.id, source.version, 0, size - 1);
      yield tail;
    }
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    let status: number;
    try {
      const { req, answered } = rawPost(demo, path, {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(head.length + size + tail.length),
      });
      Readable.from(body()).pipe(req);
      status = await answered;
    } finally {
      clearInterval(sampler);
    }
    expect(status).toBe(201);
    // Buffering the body whole would add at least 200 MiB; streaming adds a few chunks and GC slack.
    expect(peak - baseline).toBeLessThan(100 * MiB);
    const [doc] = sb.folderDocuments(folder);
    expect(doc).toMatchObject({ size, uploaded: true });
    const expected = documentSha256(source.id, source.version, 0, size - 1);
    expect(sb.documentSha256(doc!.id)).toBe(expected);

    const res = await fetch(new URL(`${libBase(sb)}/documents/${doc!.id}/download`, sb.url), { headers: { 'x-auth-token': demo } });
    const hash = createHash('sha256');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
    expect(hash.digest('hex')).toBe(expected);
  });
});

describe('the upload directory', () => {
  it('holds one file per committed version and is removed on close', async () => {
    const other = await startSandbox();
    try {
      const token = (await login(other)).access_token;
      const form = new FormData();
      form.append('profile', JSON.stringify({ doc_profile: { name: 'One', extension: 'txt' } }));
      form.append('file', new Blob(['1']), 'one.txt');
      const res = await fetch(`${other.url}${libBase(other)}/folders/${other.ids.emptyFolder}/documents`, {
        method: 'POST',
        headers: { 'x-auth-token': token },
        body: form,
      });
      expect(res.status).toBe(201);
      expect(await readdir(other.uploadDir)).toHaveLength(1);
    } finally {
      await other.close();
    }
    expect(existsSync(other.uploadDir)).toBe(false);
  });
});
