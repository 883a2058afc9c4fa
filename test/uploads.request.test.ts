import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { useStack } from './helpers/stack.js';
import { sendMultipart, UPLOAD_DOCUMENT } from './helpers/multipart.js';

/**
 * The multipart request itself (src/graphql/plugins/uploads.ts), before any upload reaches iManage:
 * what is refused, and that a refusal sends nothing and reads no more of the file than it must.
 */
describe('uploads: the multipart request', () => {
  const stack = useStack({ env: { UPLOAD_MAX_BYTES: String(1024 * 1024) } });
  const folderId = () => stack.sandbox.ids.documentFolder;
  const operations = (input: Record<string, unknown>) => ({ query: UPLOAD_DOCUMENT, variables: { input: { file: null, ...input } } });
  const uploads = () => stack.sandbox.log.entries().filter((e) => e.method === 'POST' && /\/documents$/.test(e.path)).length;

  it('refuses an Upload sent as JSON: only a file part is one', async () => {
    const res = await stack.gql(UPLOAD_DOCUMENT, { input: { folderId: folderId(), file: 'not a file' } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/multipart/);
    expect(uploads()).toBe(0);
  });

  it('refuses a multipart POST without the CSRF prevention header', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: folderId() }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'a.txt', body: Buffer.from('hello') }],
      noCsrf: true,
    });
    expect(res.statusCode).toBe(403);
    await res.body.dump();
    expect(uploads()).toBe(0);
  });

  it('refuses a request without an app token before reading the file', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: null,
      operations: operations({ folderId: folderId() }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'a.txt', body: Buffer.alloc(256 * 1024, 1) }],
    });
    expect(res.statusCode).toBe(401);
    const body = (await res.body.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(uploads()).toBe(0);
  });

  it('files one document when one file is mapped to two uploads; the second is FILE_INCOMPLETE', async () => {
    const name = `Twice mapped ${Date.now()}`;
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: {
        query: `mutation ($a: UploadDocumentInput!, $b: UploadDocumentInput!) {
          a: uploadDocument(input: $a) { document { id } userErrors { field code } }
          b: uploadDocument(input: $b) { document { id } userErrors { field code } }
        }`,
        variables: { a: { folderId: folderId(), name, file: null }, b: { folderId: folderId(), name, file: null } },
      },
      map: { '0': ['variables.a.file', 'variables.b.file'] },
      files: [{ part: '0', fileName: 'once.txt', body: Buffer.from('one file') }],
    });
    const body = (await res.body.json()) as {
      data: Record<string, { document: unknown; userErrors: Array<{ field: string[]; code: string }> }>;
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    const answers = [body.data.a!, body.data.b!];
    expect(answers.filter((answer) => answer.document !== null)).toHaveLength(1);
    expect(answers.find((answer) => answer.document === null)!.userErrors).toEqual([{ field: ['input', 'file'], code: 'FILE_INCOMPLETE' }]);
    expect(uploads()).toBe(1);
  });

  it('names a file mapped where a value belongs by its type, and nothing of its state', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: { query: 'query ($x: ID!) { document(id: $x) { id } }', variables: { x: null } },
      map: { '0': ['variables.x'] },
      files: [{ part: '0', fileName: 'a.txt', body: Buffer.from('hello') }],
    });
    const body = (await res.body.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]!.message.length).toBeLessThan(300);
    expect(body.errors[0]!.message).not.toMatch(/busboy|limits|operations/i);
  });

  it.each([
    ['only an operations part', '--BB\r\ncontent-disposition: form-data; name="operations"\r\n\r\n{"query":"{ viewer { id } }"}\r\n--BB--\r\n'],
    ['no part at all', '--BB--\r\n'],
  ])('answers a multipart request with %s, with or without a token, at once: 400', async (_what, body) => {
    for (const token of [null, await stack.token()]) {
      const res = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=BB', 'x-graphql-yoga-csrf': '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it.each([
    ['a map naming something that is not a variable', { '0': ['variables.input.nothere'] }, /not a variable/],
    ['a map that is not an object', ['variables.input.file'], /map/],
    ['a map with a path outside variables', { '0': ['query'] }, /not a variable/],
  ])('refuses %s with 400', async (_what, map, message) => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: folderId() }),
      map: map as Record<string, string[]>,
      files: [{ part: '0', fileName: 'a.txt', body: Buffer.from('hello') }],
    });
    expect(res.statusCode).toBe(400);
    const body = (await res.body.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]!.message).toMatch(message);
    expect(uploads()).toBe(0);
  });

  it('answers FILE_TOO_LARGE before iManage sees a byte when the length shows the file is over UPLOAD_MAX_BYTES', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: folderId() }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'big.pdf', body: Buffer.alloc(2 * 1024 * 1024, 7) }],
    });
    expect(res.statusCode).toBe(200);
    // The rest of the body is read through and dropped, so the client (a browser sends its whole body
    // before it reads the answer) gets the answer, and the connection stays usable.
    expect(res.headers['connection']).not.toBe('close');
    const body = (await res.body.json()) as { data: { uploadDocument: { document: null; userErrors: Array<{ field: string[]; code: string }> } } };
    expect(body.data.uploadDocument.document).toBeNull();
    expect(body.data.uploadDocument.userErrors).toEqual([expect.objectContaining({ field: ['input', 'file'], code: 'FILE_TOO_LARGE' })]);
    expect(stack.sandbox.log.entries().filter((e) => e.path.includes('/folders/'))).toHaveLength(0);
  });

  it('checks the input before reading the file: bad fields come back together, nothing is sent', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: 'not-an-id', extension: 'd.o.c', profile: { custom1: 'x'.repeat(33) } }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'a.txt', body: Buffer.from('hello') }],
    });
    const body = (await res.body.json()) as { data: { uploadDocument: { userErrors: Array<{ field: string[]; code: string }> } } };
    expect(body.data.uploadDocument.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
      ['input.folderId', 'INVALID_ID'],
      ['input.extension', 'INVALID_FORMAT'],
      ['input.profile.custom1', 'TOO_LONG'],
    ]);
    expect(stack.sandbox.log.entries()).toHaveLength(0);
  });

  it('answers NOT_FOUND for a folder the user cannot see, reading nothing into iManage', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: 'ACTIVE_US!999999' }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'a.txt', body: Buffer.from('hello') }],
    });
    const body = (await res.body.json()) as { data: { uploadDocument: { userErrors: Array<{ field: string[]; code: string }> } } };
    expect(body.data.uploadDocument.userErrors).toEqual([expect.objectContaining({ field: ['input', 'folderId'], code: 'NOT_FOUND' })]);
    expect(uploads()).toBe(0);
  });

  it('answers FILE_INCOMPLETE when the map names a part the request does not carry', async () => {
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: folderId() }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '1', fileName: 'a.txt', body: Buffer.from('hello') }],
    });
    const body = (await res.body.json()) as { data: { uploadDocument: { userErrors: Array<{ field: string[]; code: string }> } } };
    expect(body.data.uploadDocument.userErrors).toEqual([expect.objectContaining({ field: ['input', 'file'], code: 'FILE_INCOMPLETE' })]);
    expect(uploads()).toBe(0);
  });

  it('closes the connection rather than read through a refused rest of more than 64 MiB', async () => {
    const sent = sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: operations({ folderId: folderId() }),
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'huge.bin', body: () => Readable.from(hugeChunks(70 * 1024 * 1024)), size: 70 * 1024 * 1024 }],
    });
    // Either the answer (FILE_TOO_LARGE, Connection: close) or, when the client is still sending as the socket closes, an error.
    const res = await sent.catch(() => null);
    if (res) {
      expect(res.headers['connection']).toBe('close');
      const body = (await res.body.json()) as { data: { uploadDocument: { userErrors: Array<{ code: string }> } } };
      expect(body.data.uploadDocument.userErrors).toEqual([expect.objectContaining({ code: 'FILE_TOO_LARGE' })]);
    }
    expect(uploads()).toBe(0);
  });
});

describe('uploads: REQUEST_TIMEOUT_MS', () => {
  const stack = useStack({ env: { REQUEST_TIMEOUT_MS: '1000' } });

  it('ends an upload whose sender stalls past the timeout: the iManage request is cut off, no document, the server goes on', async () => {
    const folderId = stack.sandbox.ids.documentFolder;
    const name = `Stalled ${Date.now()}`;
    const before = stack.sandbox.folderDocuments(folderId).length;
    // 1 MiB of the declared 4 MiB, then nothing: the client neither sends the rest nor leaves.
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.alloc(1024 * 1024, 7));
    const started = Date.now();
    const sent = sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: { query: UPLOAD_DOCUMENT, variables: { input: { file: null, folderId, name } } },
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'stalled.bin', body: () => stalled, size: 4 * 1024 * 1024 }],
    });
    // Node answers 408 and closes the connection, or the client sees the socket close while sending.
    const res = await sent.catch(() => null);
    if (res) {
      expect(res.statusCode).toBe(408);
      await res.body.dump();
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    stalled.destroy();
    await vi.waitFor(() => expect(stack.sandbox.log.uploads().at(-1)).toMatchObject({ upload: { completed: false } }), { timeout: 5_000, interval: 20 });
    expect(stack.sandbox.folderDocuments(folderId)).toHaveLength(before);
    expect((await stack.gql('{ viewer { id } }')).body.data).toEqual({ viewer: { id: 'demo' } });
  });
});

describe('uploads: longer than OPERATION_DEADLINE_MS', () => {
  const stack = useStack({ env: { OPERATION_DEADLINE_MS: '1000' } });

  it('still finds the document after a lost answer: the calls after the transfer get the deadline anew', async () => {
    const folderId = stack.sandbox.ids.emptyFolder;
    const name = `Slow then lost ${Date.now()}`;
    // iManage files it, then answers 500; the file took 1.6 s to send, past the 1 s deadline.
    stack.sandbox.knobs.injectFault({ method: 'POST', path: new RegExp(`/folders/${folderId}/documents$`), kind: { type: 'commitThenFail' } });
    const slow = () =>
      Readable.from(
        (async function* () {
          for (let i = 0; i < 8; i++) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            yield Buffer.alloc(1000, 97);
          }
        })(),
      );
    const res = await sendMultipart({
      url: stack.url,
      token: await stack.token(),
      operations: { query: UPLOAD_DOCUMENT, variables: { input: { file: null, folderId, name } } },
      map: { '0': ['variables.input.file'] },
      files: [{ part: '0', fileName: 'slow.txt', body: slow, size: 8000 }],
    });
    const answer = (await res.body.json()) as { data?: { uploadDocument?: { document?: { name: string; size: number } } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.uploadDocument!.document).toMatchObject({ name, size: 8000 });
    expect(stack.sandbox.folderDocuments(folderId).filter((d) => d.name === name)).toHaveLength(1);
  });
});

function* hugeChunks(size: number): Generator<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, 3);
  for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}
