import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { documentSha256 } from '../src/sandbox/index.js';
import { sendMultipart, UPLOAD_DOCUMENT } from './helpers/multipart.js';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET, useStack } from './helpers/stack.js';

/**
 * `Document.downloadUrl`'s route (issue 17) over HTTP: links made by the same module the GraphQL
 * context uses (`services.downloadLinks`), bytes checked against the sandbox's own generator, counts
 * read from the sandbox's request log, time moved by the stack's clock rather than waited for.
 */

let offsetMs = 0;
const stack = useStack({
  now: () => Date.now() + offsetMs,
  connect: [
    { appUser: 'demo', sandboxUser: 'demo' },
    { appUser: 'second', sandboxUser: 'second' },
  ],
});

const DOWNLOAD = /\/documents\/[^/]+\/download$/;

/** A link for `appUser` (connected) to `documentId`, as `ctx.downloadLinks.urlFor` makes it. */
async function linkFor(documentId: string, appUser = 'demo'): Promise<string> {
  const connection = await stack.services.connections.forUser(appUser);
  return stack.services.downloadLinks.urlFor(appUser, connection!.id, documentId);
}

interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: any;
}

async function get(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = bytes.length > 0 && res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: res.status, headers: res.headers, bytes, json };
}

const codeOf = (answer: Answer) => answer.json?.errors?.[0]?.extensions?.code;
const downloads = () => stack.sandbox.log.count({ method: 'GET', path: DOWNLOAD });

/** The token in a link. */
const tokenOf = (url: string) => new URL(url).searchParams.get('link')!;

/** The history of a document as iManage keeps it, read with the demo user's stored token. */
async function history(documentId: string): Promise<Array<{ activity: string; user: string }>> {
  const row = await stack.services.store.connections.get('demo');
  const library = documentId.slice(0, documentId.indexOf('!'));
  const url = `${row!.apiBaseUrl}/customers/${stack.sandbox.customerId}/libraries/${library}/documents/${documentId}/history`;
  const res = await fetch(url, { headers: { 'x-auth-token': row!.accessToken } });
  return ((await res.json()) as { data: Array<{ activity: string; user: string }> }).data;
}

describe('a valid link', () => {
  it('downloads the bytes iManage serves, with the type, length and an RFC 6266 name, and records an export', async () => {
    const { documentId, textDocument } = stack.sandbox.ids;
    for (const id of [documentId, textDocument]) {
      const before = (await history(id)).length;
      const answer = await get(await linkFor(id));
      expect(answer.status, id).toBe(200);
      expect(answer.bytes.equals(stack.sandbox.documentBytes(id)), id).toBe(true);
      expect(answer.headers.get('content-length')).toBe(String(answer.bytes.length));
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('accept-ranges')).toBe('bytes');
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      const after = await history(id);
      expect(after).toHaveLength(before + 1);
      expect(after[0]).toMatchObject({ activity: 'export', user: stack.sandbox.users.demo!.id });
    }
    const text = await get(await linkFor(textDocument));
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const docx = await get(await linkFor(documentId));
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(downloads()).toBe(4);
  });

  it('keeps a non-ASCII name intact in filename*, with an ASCII fallback', async () => {
    const id = stack.sandbox.ids.unicodeDocument;
    const answer = await get(await linkFor(id));
    expect(answer.status).toBe(200);
    expect(answer.bytes.equals(stack.sandbox.documentBytes(id))).toBe(true);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    const disposition = answer.headers.get('content-disposition')!;
    expect(disposition).toBe(`attachment; filename="Resume _ \\"Zoe\\" 2024.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20%22Zo%C3%AB%22%202024.pdf`);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe('Résumé – "Zoë" 2024.pdf');
  });

  it('keeps a long name of emoji whole to its 255th character, never splitting one in two', async () => {
    const folderId = stack.sandbox.ids.documentFolder;
    // 128 emoji are 256 UTF-16 units: a cut by units at 255 left half an emoji, which broke the
    // header (500, the iManage answer left open, the link used up).
    for (const [count, kept] of [
      [128, 132], // the whole name, `.txt` included
      [254, 255], // the longest name iManage takes, with its extension: cut to 255
    ] as const) {
      const id = stack.sandbox.knobs.addDocument({ folderId, name: '😀'.repeat(count), extension: 'txt', text: 'emoji\n' });
      const answer = await get(await linkFor(id));
      expect(answer.status, String(count)).toBe(200);
      expect(answer.bytes.toString('utf8')).toBe('emoji\n');
      const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(answer.headers.get('content-disposition')!)![1]!);
      expect(Array.from(name)).toHaveLength(kept);
      expect(name.startsWith('😀'.repeat(count))).toBe(true);
    }
  });

  it('serves documents of several sizes whole, empty and over a megabyte included', async () => {
    const folderId = stack.sandbox.ids.documentFolder;
    for (const size of [0, 1, 65_535, 65_537, 3 * 1024 * 1024 + 17]) {
      const id = stack.sandbox.knobs.addDocument({ folderId, name: `sized ${size}`, extension: 'bin', size });
      const answer = await get(await linkFor(id));
      expect(answer.status, String(size)).toBe(200);
      expect(answer.bytes.length).toBe(size);
      expect(answer.bytes.equals(stack.sandbox.documentBytes(id))).toBe(true);
      expect(answer.headers.get('content-type')).toBe('application/octet-stream');
    }
  });

  it('passes a Range through: 206 with Content-Range, and 416 past the end (the link still usable)', async () => {
    const id = stack.sandbox.ids.documentId;
    const size = stack.sandbox.documentBytes(id).length;
    const part = await get(await linkFor(id), { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(part.headers.get('content-length')).toBe('100');
    expect(part.bytes.equals(stack.sandbox.documentBytes(id, 100, 199))).toBe(true);

    const tail = await get(await linkFor(id), { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(stack.sandbox.documentBytes(id, size - 10, size - 1))).toBe(true);

    const url = await linkFor(id);
    const past = await get(url, { headers: { range: `bytes=${size}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${size}`);
    expect(codeOf(past)).toBe('BAD_USER_INPUT');
    // No byte went out: the same link serves the document.
    expect((await get(url)).bytes.equals(stack.sandbox.documentBytes(id))).toBe(true);
    // A Range that is not a byte range is ignored: the whole document.
    const odd = await get(await linkFor(id), { headers: { range: 'lines=1-2' } });
    expect(odd.status).toBe(200);
    expect(odd.bytes.length).toBe(size);
  });

  it('answers HEAD with the headers alone, without using the link or recording anything', async () => {
    const id = stack.sandbox.ids.documentId;
    const size = stack.sandbox.documentBytes(id).length;
    const url = await linkFor(id);
    const before = (await history(id)).length;
    const head = await get(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get('content-length')).toBe(String(size));
    expect(head.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(stack.sandbox.log.count({ method: 'HEAD', path: DOWNLOAD })).toBe(1);
    expect(await history(id)).toHaveLength(before);
    expect((await get(url, { method: 'HEAD' })).status).toBe(200);
    expect((await get(url)).status).toBe(200);
    // Once used, HEAD says so too (a HEAD answer has no body to name the code).
    expect((await get(url, { method: 'HEAD' })).status).toBe(410);
  });

  it('answers the same user sending their own app token', async () => {
    const answer = await get(await linkFor(stack.sandbox.ids.textDocument), { headers: { authorization: `Bearer ${await stack.token('demo')}` } });
    expect(answer.status).toBe(200);
  });
});

describe('links that are not good (any more)', () => {
  it('serves a link once: used again it is 410 DOWNLOAD_LINK_USED', async () => {
    const url = await linkFor(stack.sandbox.ids.textDocument);
    expect((await get(url)).status).toBe(200);
    const again = await get(url);
    expect(again.status).toBe(410);
    expect(codeOf(again)).toBe('DOWNLOAD_LINK_USED');
    expect(again.headers.get('content-disposition')).toBeNull();
    expect(downloads()).toBe(1);
  });

  it('of two concurrent uses, exactly one gets the bytes', async () => {
    const url = await linkFor(stack.sandbox.ids.documentId);
    const answers = await Promise.all([get(url), get(url), get(url)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410]);
    expect(answers.find((a) => a.status === 200)!.bytes.equals(stack.sandbox.documentBytes(stack.sandbox.ids.documentId))).toBe(true);
    expect(downloads()).toBe(1);
  });

  it('expires after DOWNLOAD_LINK_TTL_SECONDS: 410 DOWNLOAD_LINK_EXPIRED', async () => {
    const url = await linkFor(stack.sandbox.ids.textDocument);
    offsetMs += (stack.config.downloadLinkTtlSeconds + 10) * 1000;
    try {
      const late = await get(url);
      expect(late.status).toBe(410);
      expect(codeOf(late)).toBe('DOWNLOAD_LINK_EXPIRED');
    } finally {
      offsetMs = 0;
    }
    expect(downloads()).toBe(0);
  });

  it('refuses a tampered, truncated, foreign or malformed token, and a link used for another document: 403', async () => {
    const id = stack.sandbox.ids.documentId;
    const url = await linkFor(id);
    const token = tokenOf(url);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'second' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    const base = url.slice(0, url.indexOf('?'));
    const other = `${stack.url}/documents/${encodeURIComponent(stack.sandbox.ids.textDocument)}/download?link=${token}`;
    for (const target of [
      `${base}?link=${header}.${payload}.${flipped}`,
      `${base}?link=${header}.${forged}.${signature}`,
      `${base}?link=${header}.${payload}`,
      `${base}?link=${header}.${payload}.`,
      `${base}?link=not-a-token`,
      `${base}?link=`,
      base,
      `${base}?link=${'a'.repeat(5000)}`,
      other,
    ]) {
      const answer = await get(target);
      expect(answer.status, target.slice(-40)).toBe(403);
      expect(codeOf(answer)).toBe('FORBIDDEN');
    }
    expect(downloads()).toBe(0);
    // None of these used the link.
    expect((await get(url)).status).toBe(200);
  });

  it("refuses a link sent with another user's app token (403), or an invalid one (401)", async () => {
    const url = await linkFor(stack.sandbox.ids.textDocument, 'demo');
    const other = await get(url, { headers: { authorization: `Bearer ${await stack.token('second')}` } });
    expect(other.status).toBe(403);
    expect(codeOf(other)).toBe('FORBIDDEN');
    const invalid = await get(url, { headers: { authorization: 'Bearer not.a.token' } });
    expect(invalid.status).toBe(401);
    expect(codeOf(invalid)).toBe('UNAUTHENTICATED');
    expect(downloads()).toBe(0);
    // Second's own link works for second, with no header.
    expect((await get(await linkFor(stack.sandbox.ids.textDocument, 'second'))).status).toBe(200);
  });

  it('refuses a link whose user disconnected (401) or relinked another iManage account since (409)', async () => {
    const id = stack.sandbox.ids.textDocument;
    await stack.connectUser('leaver', 'paralegal');
    const leaving = await linkFor(id, 'leaver');
    await stack.services.connections.disconnect('leaver');
    const gone = await get(leaving);
    expect(gone.status).toBe(401);
    expect(codeOf(gone)).toBe('IMANAGE_NOT_CONNECTED');

    await stack.connectUser('switcher', 'demo');
    const before = await linkFor(id, 'switcher');
    await stack.connectUser('switcher', 'second');
    const relinked = await get(before);
    expect(relinked.status).toBe(409);
    expect(codeOf(relinked)).toBe('IMANAGE_REAUTH_REQUIRED');
    expect((await get(await linkFor(id, 'switcher'))).status).toBe(200);
    expect(downloads()).toBe(1);
  });

  it('answers 404 for a document the user cannot see, and the link may be tried again', async () => {
    const url = await linkFor(stack.sandbox.ids.privateDocument);
    for (let i = 0; i < 2; i++) {
      const answer = await get(url);
      expect(answer.status).toBe(404);
      expect(codeOf(answer)).toBe('NOT_FOUND');
    }
  });
});

describe('when iManage fails', () => {
  it('refreshes a token iManage refuses (401) and serves the bytes', async () => {
    stack.sandbox.knobs.expireAllTokens();
    const id = stack.sandbox.ids.textDocument;
    const answer = await get(await linkFor(id));
    expect(answer.status).toBe(200);
    expect(answer.bytes.equals(stack.sandbox.documentBytes(id))).toBe(true);
    expect(downloads()).toBe(2);
  });

  it('retries a 503 before the headers once, then serves the bytes', async () => {
    stack.sandbox.knobs.injectFault({ method: 'GET', path: DOWNLOAD, kind: { type: 'status', status: 503 } });
    const id = stack.sandbox.ids.documentId;
    const answer = await get(await linkFor(id));
    expect(answer.status).toBe(200);
    expect(answer.bytes.equals(stack.sandbox.documentBytes(id))).toBe(true);
    expect(downloads()).toBe(2);
  });

  it('answers 503 UPSTREAM_UNAVAILABLE when iManage keeps failing, and the link stays usable', async () => {
    stack.sandbox.knobs.injectFault({ method: 'GET', path: DOWNLOAD, times: 3, kind: { type: 'status', status: 503 } });
    const url = await linkFor(stack.sandbox.ids.textDocument);
    const failed = await get(url);
    expect(failed.status).toBe(503);
    expect(codeOf(failed)).toBe('UPSTREAM_UNAVAILABLE');
    expect(downloads()).toBe(3);
    expect((await get(url)).status).toBe(200);
  });

  it('answers a 429 that outlasts the deadline as RATE_LIMITED with Retry-After', async () => {
    stack.sandbox.knobs.injectFault({ method: 'GET', path: DOWNLOAD, kind: { type: 'status', status: 429, headers: { 'x-ratelimit-reset': '120' } } });
    const url = await linkFor(stack.sandbox.ids.textDocument);
    const limited = await get(url);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('120');
    expect(limited.json.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 120 });
    stack.services.upstream.reset();
    expect((await get(url)).status).toBe(200);
  });

  it('cuts the response short when iManage fails mid-body: the client sees an aborted transfer, not a short 200', async () => {
    stack.sandbox.knobs.injectFault({ method: 'GET', path: DOWNLOAD, kind: { type: 'abortBody', afterBytes: 200_000 } });
    const res = await fetch(await linkFor(stack.sandbox.ids.largeDocument));
    expect(res.status).toBe(200);
    let received = 0;
    const reader = res.body!.getReader();
    const reading = (async () => {
      for (let next = await reader.read(); !next.done; next = await reader.read()) received += next.value.length;
    })();
    await expect(reading).rejects.toThrow();
    expect(received).toBeLessThanOrEqual(200_000);
    await vi.waitFor(() => expect(stack.logs.join('')).toMatch(/"outcome":"aborted","cause":"upstream_failed"/), { interval: 5 });
  });
});

describe('a client that leaves', () => {
  it('cancels the iManage transfer: the sandbox has nothing in flight afterwards', async () => {
    const controller = new AbortController();
    const res = await fetch(await linkFor(stack.sandbox.ids.largeDocument), { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(stack.sandbox.log.inFlight()).toBe(1);
    controller.abort();
    await vi.waitFor(() => expect(stack.sandbox.log.inFlight()).toBe(0), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(stack.logs.join('')).toMatch(/"outcome":"aborted","cause":"client_left"/), { interval: 5 });
  });
});

describe('secrets', () => {
  it('puts no link, iManage token or secret in any response header or log line', async () => {
    const row = await stack.services.store.connections.get('demo');
    const url = await linkFor(stack.sandbox.ids.documentId);
    const link = tokenOf(url);
    const answers = [await get(url), await get(url), await get(url, { method: 'HEAD' }), await get(`${url}x`)];
    stack.sandbox.knobs.injectFault({ method: 'GET', path: DOWNLOAD, times: 3, kind: { type: 'status', status: 503 } });
    answers.push(await get(await linkFor(stack.sandbox.ids.documentId)));
    const headerText = answers.map((a) => [...a.headers].map(([name, value]) => `${name}: ${value}`).join('\n')).join('\n');
    const logText = stack.logs.join('');
    const secrets = [link, row!.accessToken, row!.refreshToken!, TEST_JWT_SECRET, TEST_ENCRYPTION_KEY];
    for (const secret of secrets) {
      expect(headerText).not.toContain(secret);
      expect(logText).not.toContain(secret);
    }
    expect(headerText).not.toMatch(/x-auth-token|set-cookie/i);
    expect(logText).toMatch(/"download":\{"document":/);
  });
});

describe('memory', () => {
  // The sandbox, the service and this reader share the process: its growth bounds the service's.
  it('streams 300 MiB with the process growing by less than 64 MB', async () => {
    const size = 300 * 1024 * 1024;
    const id = stack.sandbox.knobs.addDocument({ folderId: stack.sandbox.ids.documentFolder, name: 'large export', extension: 'bin', size });
    const url = await linkFor(id);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const hash = createHash('sha256');
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      httpRequest(url, (res: IncomingMessage) => {
        expect(res.statusCode).toBe(200);
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          hash.update(chunk);
          if (received % (4 * 1024 * 1024) < chunk.length) peak = Math.max(peak, process.memoryUsage().rss);
        });
        res.on('end', resolve);
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    expect(received).toBe(size);
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);
    expect(hash.digest('hex')).toBe(documentSha256(id, 1, 0, size - 1));
  });
});

describe('Document.downloadUrl through GraphQL', () => {
  const DOWNLOAD_URL = `query ($id: ID!) { document(id: $id) { id downloadUrl } }`;

  it('is a link to this service that downloads the version asked for, once, without calling iManage to make it', async () => {
    const { documentId } = stack.sandbox.ids;
    stack.resetCounts();
    const res = await stack.gql<{ document: { id: string; downloadUrl: string } }>(DOWNLOAD_URL, { id: documentId });
    expect(res.body.errors).toBeUndefined();
    const url = new URL(res.body.data!.document.downloadUrl);
    expect(url.pathname).toBe(`/documents/${encodeURIComponent(res.body.data!.document.id)}/download`);
    expect(url.href).not.toContain(stack.sandbox.url.replace('http://', ''));
    expect(downloads()).toBe(0);
    const answer = await get(url.href);
    expect(answer.status).toBe(200);
    expect(answer.bytes.equals(stack.sandbox.documentBytes(res.body.data!.document.id))).toBe(true);
    expect(codeOf(await get(url.href))).toBe('DOWNLOAD_LINK_USED');
  });

  it('is refused to another app user who presents it with their own token', async () => {
    const res = await stack.gql<{ document: { downloadUrl: string } }>(DOWNLOAD_URL, { id: stack.sandbox.ids.documentId });
    const answer = await get(res.body.data!.document.downloadUrl, { headers: { authorization: `Bearer ${await stack.token('second')}` } });
    expect(answer.status).toBe(403);
    expect(codeOf(answer)).toBe('FORBIDDEN');
    expect(answer.bytes.includes(Buffer.from('PK'))).toBe(false);
  });
});

describe("a user's transfers beside their queries", () => {
  // One call slot, two transfer slots: the transfers must not take the slot the queries need.
  const own = useStack({ env: { IMANAGE_CONCURRENCY_PER_USER: '1', IMANAGE_TRANSFERS_PER_USER: '2', OPERATION_DEADLINE_MS: '1500' } });
  const link = async (documentId: string) => {
    const connection = await own.services.connections.forUser('demo');
    return own.services.downloadLinks.urlFor('demo', connection!.id, documentId);
  };
  const open = async (controller: AbortController) => {
    const res = await fetch(await link(own.sandbox.ids.largeDocument), { signal: controller.signal });
    expect(res.status).toBe(200);
    // One chunk read, the rest left unread: the transfer stays open, held back by its reader.
    expect((await res.body!.getReader().read()).done).toBe(false);
  };
  const transfers = () => own.sandbox.log.count({ method: 'GET', path: DOWNLOAD });
  /** Runs `test` while two downloads are open (leavers 0 and 1; a third is spare), then ends them all. */
  async function whileTwoDownload(test: (leavers: AbortController[]) => Promise<void>): Promise<void> {
    const leavers = [new AbortController(), new AbortController(), new AbortController()];
    try {
      await open(leavers[0]!);
      await open(leavers[1]!);
      await test(leavers);
    } finally {
      for (const leaver of leavers) leaver.abort();
      await vi.waitFor(() => expect(own.sandbox.log.inFlight()).toBe(0), { timeout: 10_000, interval: 5 });
    }
  }

  it('queries answer while downloads run; downloads past IMANAGE_TRANSFERS_PER_USER wait for one to end', () =>
    whileTwoDownload(async (leavers) => {
      // The one call slot is free: a query that calls iManage answers at once.
      const query = await own.gql<{ folder: { id: string } }>('query ($id: ID!) { folder(id: $id) { id } }', { id: own.sandbox.ids.emptyFolder });
      expect(query.body.errors).toBeUndefined();
      expect(query.body.data!.folder.id).toBe(own.sandbox.ids.emptyFolder);
      // A third download waits: iManage is not asked for it while two are open...
      const third = open(leavers[2]!);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(transfers()).toBe(2);
      // ...and goes once one ends.
      leavers[0]!.abort();
      await third;
      expect(transfers()).toBe(3);
    }));

  it('a download still waiting for a slot at OPERATION_DEADLINE_MS is 429 RATE_LIMITED, not sent, and its link stays usable', () =>
    whileTwoDownload(async (leavers) => {
      const url = await link(own.sandbox.ids.documentId);
      const started = Date.now();
      const refused = await get(url);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(refused.json.errors[0].message).toMatch(/already has 2 downloads, uploads or passthrough calls running/);
      expect(transfers()).toBe(2);
      leavers[0]!.abort();
      const served = await get(url);
      expect(served.status).toBe(200);
      expect(served.bytes.equals(own.sandbox.documentBytes(own.sandbox.ids.documentId))).toBe(true);
    }));

  it('an upload still waiting for a transfer slot at OPERATION_DEADLINE_MS is RATE_LIMITED, and nothing is filed', () =>
    whileTwoDownload(async () => {
      const folderId = own.sandbox.ids.emptyFolder;
      const before = own.sandbox.folderDocuments(folderId).length;
      const res = await sendMultipart({
        url: own.url,
        token: await own.token('demo'),
        operations: { query: UPLOAD_DOCUMENT, variables: { input: { file: null, folderId, name: 'Queued upload' } } },
        map: { '0': ['variables.input.file'] },
        files: [{ part: '0', fileName: 'queued.txt', body: Buffer.from('queued\n') }],
      });
      const body = (await res.body.json()) as { data: unknown; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
      expect(body.errors![0]!.message).toMatch(/Nothing was sent/);
      expect(own.sandbox.log.count({ method: 'POST', path: /\/documents$/ })).toBe(0);
      expect(own.sandbox.folderDocuments(folderId)).toHaveLength(before);
    }));
});
