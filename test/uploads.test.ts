import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { ADD_VERSION, sendMultipart, UPLOAD_DOCUMENT } from './helpers/multipart.js';
import { useStack } from './helpers/stack.js';

/**
 * uploadDocument and addDocumentVersion end to end: the server over HTTP, the sandbox over HTTP
 * (`POST …/folders/{id}/documents`, `…/documents/{id}/versions`), bytes compared by SHA-256 after
 * iManage has them and after they are downloaded again.
 */

type Payload = {
  document: { id: string; name: string; extension: string | null; size: number | null; version: number } | null;
  userErrors: Array<{ field: string[] | null; code: string; message: string; imanageCode: string | null }>;
  replayed?: boolean;
};
type Answer = {
  data?: { uploadDocument?: Payload | null; addDocumentVersion?: Payload | null } | null;
  errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
};

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes of any size, generated as they are read (never held whole). */
function generated(size: number, seed = 1): () => Readable {
  return () => {
    let sent = 0;
    return new Readable({
      read() {
        if (sent >= size) return void this.push(null);
        const n = Math.min(256 * 1024, size - sent);
        const chunk = Buffer.alloc(n, (seed + sent / (256 * 1024)) % 251);
        sent += n;
        this.push(chunk);
      },
    });
  };
}

function generatedSha256(size: number, seed = 1): Promise<string> {
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    generated(size, seed)()
      .on('data', (chunk: Buffer) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

describe('uploads: filing documents into iManage', () => {
  const stack = useStack({ env: { UPLOAD_MAX_BYTES: String(400 * MiB) } });
  const ids = () => stack.sandbox.ids;

  async function upload(
    input: Record<string, unknown>,
    body: Buffer | (() => Readable),
    options: { fileName?: string; size?: number; chunked?: boolean; signal?: AbortSignal; user?: string } = {},
  ) {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(options.user ?? 'demo'),
      operations: { query: UPLOAD_DOCUMENT, variables: { input: { file: null, ...input } } },
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: options.fileName ?? 'Employment Agreement.docx', body, ...(options.size === undefined ? {} : { size: options.size }) }],
      ...(options.chunked ? { chunked: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Answer };
  }

  async function addVersion(input: Record<string, unknown>, body: Buffer, user = 'demo') {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(user),
      operations: { query: ADD_VERSION, variables: { input: { file: null, ...input } } },
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'v.docx', body }],
    });
    return (await res.body.json()) as Answer;
  }

  const inFolder = (folderId: string, name: string) => stack.sandbox.folderDocuments(folderId).filter((d) => d.name === name);

  it('files a document: the bytes iManage stores and the bytes downloaded again are the ones sent', async () => {
    const bytes = Buffer.from(`contract ${randomUUID()}\n`.repeat(5000));
    const answer = await upload({ folderId: ids().emptyFolder }, bytes, { fileName: 'Employment Agreement.docx' });
    const payload = answer.body.data!.uploadDocument!;
    expect(payload.userErrors).toEqual([]);
    expect(payload.document).toMatchObject({ name: 'Employment Agreement', extension: 'docx', size: bytes.length, version: 1 });
    expect(stack.sandbox.documentSha256(payload.document!.id)).toBe(sha256(bytes));

    const link = await stack.gql<{ document: { downloadUrl: string } }>('query ($id: ID!) { document(id: $id) { downloadUrl } }', { id: payload.document!.id });
    const url = new URL(link.body.data!.document.downloadUrl);
    const download = await request(`${stack.url}${url.pathname}${url.search}`);
    expect(download.statusCode).toBe(200);
    expect(sha256(Buffer.from(await download.body.arrayBuffer()))).toBe(sha256(bytes));
    // One upload request, sent once.
    expect(stack.sandbox.log.uploads().filter((e) => e.upload!.completed)).toHaveLength(1);
  });

  it('names the document as asked (Unicode kept), with its profile and trustees', async () => {
    const answer = await upload(
      {
        folderId: ids().emptyFolder,
        name: 'Arbeitsvertrag – Müller',
        extension: 'pdf',
        profile: { class: 'AGREEMENT', custom4: 'EMP' },
        userTrustees: [{ id: stack.sandbox.users.second!.id, accessLevel: 'READ' }],
      },
      Buffer.from('%PDF-1.4 hello'),
      { fileName: 'scan.bin' },
    );
    const payload = answer.body.data!.uploadDocument!;
    expect(payload.userErrors).toEqual([]);
    expect(payload.document).toMatchObject({ name: 'Arbeitsvertrag – Müller', extension: 'pdf' });
  });

  it("returns iManage's refusal of a required profile field as a user error on that field, and files nothing", async () => {
    const name = `Agreement ${randomUUID()}`;
    const answer = await upload({ folderId: ids().emptyFolder, name, profile: { class: 'AGREEMENT' } }, Buffer.from('x'));
    const payload = answer.body.data!.uploadDocument!;
    expect(payload.document).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field: ['input', 'profile', 'custom4'], code: 'REQUIRED' }));
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(0);
  });

  it('refuses a folder the user may only read with FORBIDDEN, and files nothing', async () => {
    const before = stack.sandbox.folderDocuments(ids().readOnlyFolder).length;
    const answer = await upload({ folderId: ids().readOnlyFolder }, Buffer.from('x'));
    expect(answer.body.data!.uploadDocument!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'folderId'], code: 'FORBIDDEN' })]);
    expect(stack.sandbox.folderDocuments(ids().readOnlyFolder)).toHaveLength(before);
  });

  it('adds a version; a document checked out by someone else is CHECKED_OUT with iManage code', async () => {
    const bytes = Buffer.from(`version ${randomUUID()}`);
    const added = await addVersion({ documentId: ids().documentId, comment: 'Signed copy' }, bytes);
    const payload = added.data!.addDocumentVersion!;
    expect(payload.userErrors).toEqual([]);
    expect(payload.document!.version).toBeGreaterThan(1);
    expect(stack.sandbox.documentSha256(payload.document!.id)).toBe(sha256(bytes));

    stack.sandbox.knobs.setCheckedOut(ids().documentId, stack.sandbox.users.second!.id);
    try {
      const refused = await addVersion({ documentId: ids().documentId }, Buffer.from('y'));
      expect(refused.data!.addDocumentVersion!.userErrors).toEqual([
        expect.objectContaining({ field: ['input', 'documentId'], code: 'CHECKED_OUT', imanageCode: 'NRC_CHECKED_OUT' }),
      ]);
    } finally {
      stack.sandbox.knobs.setCheckedOut(ids().documentId, null);
    }
  });

  it('iManage commits, then answers 500: the document is found by its reference and answered, never sent twice', async () => {
    const name = `Commit then fail ${randomUUID()}`;
    stack.sandbox.knobs.injectFault({ method: 'POST', path: new RegExp(`/folders/${ids().emptyFolder}/documents$`), kind: { type: 'commitThenFail' } });
    const answer = await upload({ folderId: ids().emptyFolder, name }, Buffer.from('bytes that were filed'));
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.uploadDocument!.document!.name).toBe(name);
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(1);
    expect(stack.sandbox.log.uploads().filter((e) => e.upload!.completed)).toHaveLength(1);
  });

  it('iManage fails before filing: UPSTREAM_UNAVAILABLE saying the folder was checked, and nothing is filed', async () => {
    const name = `Plain failure ${randomUUID()}`;
    stack.sandbox.knobs.injectFault({ method: 'POST', path: new RegExp(`/folders/${ids().emptyFolder}/documents$`), kind: { type: 'status', status: 500 } });
    const answer = await upload({ folderId: ids().emptyFolder, name }, Buffer.from('x'));
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', folderChecked: true });
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(0);
  });

  it('the same idempotencyKey and file file one document; another file under the key is refused', async () => {
    const key = randomUUID();
    const name = `Keyed ${key}`;
    const bytes = Buffer.from(`keyed ${key}`);
    const first = (await upload({ folderId: ids().emptyFolder, name, idempotencyKey: key }, bytes)).body.data!.uploadDocument!;
    const again = (await upload({ folderId: ids().emptyFolder, name, idempotencyKey: key }, bytes)).body.data!.uploadDocument!;
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ replayed: true, userErrors: [] });
    expect(again.document!.id).toBe(first.document!.id);
    const other = (await upload({ folderId: ids().emptyFolder, name, idempotencyKey: key }, Buffer.from('another file'))).body.data!.uploadDocument!;
    expect(other.userErrors).toEqual([expect.objectContaining({ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' })]);
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(1);
  });

  it('after a lost answer, the same key finds the document filed rather than sending again', async () => {
    const key = randomUUID();
    const name = `Lost then found ${key}`;
    const bytes = Buffer.from(`lost ${key}`);
    // Committed, then the connection reset before any answer, and the folder could not be listed either.
    stack.sandbox.knobs.injectFault({
      method: 'POST',
      path: new RegExp(`/folders/${ids().emptyFolder}/documents$`),
      kind: { type: 'commitThenFail', then: 'reset' },
    });
    stack.sandbox.knobs.injectFault({
      method: 'GET',
      path: new RegExp(`/folders/${ids().emptyFolder}/documents$`),
      kind: { type: 'status', status: 503 },
      times: 10,
    });
    const lost = await upload({ folderId: ids().emptyFolder, name, idempotencyKey: key }, bytes);
    expect(lost.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', folderChecked: false });
    stack.sandbox.knobs.clearFaults();
    const retried = (await upload({ folderId: ids().emptyFolder, name, idempotencyKey: key }, bytes)).body.data!.uploadDocument!;
    expect(retried.userErrors).toEqual([]);
    expect(retried.document!.name).toBe(name);
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(1);
    expect(stack.sandbox.log.uploads().filter((e) => e.upload!.completed)).toHaveLength(1);
  });

  it('a file over UPLOAD_MAX_BYTES sent without a length is cut off mid-stream: FILE_TOO_LARGE and no document', async () => {
    const name = `Too large ${randomUUID()}`;
    const answer = await upload({ folderId: ids().emptyFolder, name }, generated(401 * MiB), { chunked: true });
    expect(answer.body.data!.uploadDocument!.userErrors).toEqual([expect.objectContaining({ field: ['input', 'file'], code: 'FILE_TOO_LARGE' })]);
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(0);
    // The request to iManage was cut short, not completed (the sandbox logs it once it has cleaned up).
    const cut = () => stack.sandbox.log.uploads().filter((e) => e.upload!.completed === false);
    for (let i = 0; i < 300 && cut().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cut().at(-1)!.upload!.bodyBytes).toBeGreaterThan(0);
  });

  it('a client that leaves mid-upload cancels the request to iManage: no document, and the server goes on', async () => {
    const name = `Abandoned ${randomUUID()}`;
    stack.sandbox.knobs.injectFault({
      method: 'POST',
      path: new RegExp(`/folders/${ids().emptyFolder}/documents$`),
      kind: { type: 'slowUpload', delayMs: 5, everyBytes: 64 * 1024 },
    });
    const controller = new AbortController();
    const sent = upload({ folderId: ids().emptyFolder, name }, generated(64 * MiB), { size: 64 * MiB, signal: controller.signal });
    // Wait for the upload to reach iManage, then leave.
    for (let i = 0; i < 200 && !stack.sandbox.log.entries().some((e) => e.method === 'POST' && e.path.endsWith('/documents')); i++)
      await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(sent).rejects.toThrow();
    // The sandbox, reading slowly, notices the closed connection once it has read what was in flight (the socket's buffers).
    await vi.waitFor(() => expect(stack.sandbox.log.uploads().at(-1)).toMatchObject({ status: 0, upload: { completed: false } }), {
      timeout: 15_000,
      interval: 20,
    });
    expect(inFolder(ids().emptyFolder, name)).toHaveLength(0);
    stack.sandbox.knobs.clearFaults();
    const health = await request(`${stack.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('streams: 300 MiB filed with the bytes intact and the process growing far less than the file', async () => {
    const size = 300 * MiB;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const answer = await upload({ folderId: ids().emptyFolder, name: `Large ${randomUUID()}`, extension: 'bin' }, generated(size, 3), { size });
      const payload = answer.body.data!.uploadDocument!;
      expect(payload.userErrors).toEqual([]);
      expect(payload.document!.size).toBe(size);
      expect(stack.sandbox.documentSha256(payload.document!.id)).toBe(await generatedSha256(size, 3));
    } finally {
      clearInterval(sampler);
    }
    // Client, service and sandbox share this process: all three together stay far below the file's size.
    expect((peak - before) / MiB).toBeLessThan(150);
  });

  it('records the upload in the audit trail with its ids and status, and nothing of the file or its name', async () => {
    const name = `Audited ${randomUUID()}`;
    const answer = await upload({ folderId: ids().emptyFolder, name }, Buffer.from('audit me'));
    const id = answer.body.data!.uploadDocument!.document!.id;
    await stack.services.audit.flush();
    const rows = await stack.services.audit.list({ appUserId: 'demo' });
    const row = rows.find((r) => r.targetIds.includes(id));
    expect(row).toMatchObject({ outcome: 'ok', imanageStatus: 201 });
    expect(row!.operation).toMatch(/uploadDocument/);
    expect(JSON.stringify(rows)).not.toContain(name);
  });
});
