import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documentBytes, documentSha256, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, imanageError, libBase, login } from './helpers.js';

/** GET and HEAD documents/{id}/download (reference §4.3): bytes, headers, ranges, history. */

let sb: Sandbox;
let demo: string;
let second: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
  second = (await login(sb, 'second')).access_token;
});
afterEach(() => {
  sb.knobs.reset();
});
afterAll(async () => {
  await sb.close();
});

const downloadUrl = (id: string, query: Record<string, string> = {}): URL => {
  const url = new URL(`${libBase(sb)}/documents/${id}/download`, sb.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
};

async function download(id: string, options: { token?: string; range?: string; method?: string; query?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-auth-token': options.token ?? demo };
  if (options.range) headers.range = options.range;
  const res = await fetch(downloadUrl(id, options.query), { method: options.method ?? 'GET', headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function profile(id: string) {
  return (await get(sb, demo, `${libBase(sb)}/documents/${id}`)).body.data;
}

describe('download', () => {
  it('serves the whole body: size bytes, the generated content, its headers', async () => {
    const p = await profile(sb.ids.documentId);
    const { res, bytes } = await download(sb.ids.documentId, { query: { activity: 'export' } });
    expect(res.status).toBe(200);
    expect(bytes.length).toBe(p.size);
    expect(res.headers.get('content-length')).toBe(String(p.size));
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(bytes.equals(sb.documentBytes(sb.ids.documentId))).toBe(true);
    expect(bytes.equals(documentBytes(sb.ids.documentId, 3, 0, p.size - 1))).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(documentSha256(sb.ids.documentId, 3, 0, p.size - 1));
  });

  it('is deterministic per document and version: versions differ, the same version never does', async () => {
    const number = sb.ids.documentId.slice(0, sb.ids.documentId.lastIndexOf('.'));
    const v1 = await download(`${number}.1`);
    const v3 = await download(`${number}.3`);
    expect(v1.bytes.equals(documentBytes(number, 1, 0, v1.bytes.length - 1))).toBe(true);
    expect(v1.bytes.subarray(0, 1024).equals(v3.bytes.subarray(0, 1024))).toBe(false);
    const latest = await download(`${number}.1`, { query: { latest: 'true' } });
    expect(latest.bytes.equals(v3.bytes)).toBe(true);
    expect((await download(`${number}.1`)).bytes.equals(v1.bytes)).toBe(true);
  });

  it('serves a text document its text, as text/plain; charset=utf-8', async () => {
    const { res, bytes } = await download(sb.ids.textDocument);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = bytes.toString('utf8');
    expect(text).toMatch(/\bindemnification\b/);
    expect(text).toMatch(/\bDelaware\b/);
    expect((await profile(sb.ids.textDocument)).size).toBe(bytes.length);
  });

  it('names the file in Content-Disposition: an ASCII fallback and the UTF-8 name', async () => {
    const { res } = await download(sb.ids.unicodeDocument);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toBe(`attachment; filename="Resume _ _Zoe_ 2024.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20%22Zo%C3%AB%22%202024.pdf`);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1]!;
    expect(decodeURIComponent(encoded)).toBe('Résumé – "Zoë" 2024.pdf');
    expect(res.headers.get('content-type')).toBe('application/pdf');
  });

  it('answers a single range with 206 and Content-Range (a-b, a-, -n; past the end is clamped)', async () => {
    const id = sb.ids.documentId;
    const size = (await profile(id)).size as number;
    const cases: Array<[string, number, number]> = [
      ['bytes=0-0', 0, 0],
      ['bytes=100-65636', 100, 65636],
      [`bytes=${size - 5}-`, size - 5, size - 1],
      ['bytes=-300', size - 300, size - 1],
      [`bytes=70000-${size + 1000}`, 70000, size - 1],
      [`bytes=-${size * 2}`, 0, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const { res, bytes } = await download(id, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect(bytes.equals(sb.documentBytes(id, start, end)), range).toBe(true);
    }
  });

  it('answers an unsatisfiable range with 416 and bytes */size', async () => {
    const size = (await profile(sb.ids.documentId)).size as number;
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const { res, bytes } = await download(sb.ids.documentId, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${size}`);
      expect(imanageError(JSON.parse(bytes.toString('utf8'))).code).toBe('NRC_INVALID_PARAM');
    }
  });

  it('sends the whole body for several ranges or a malformed Range [I]', async () => {
    const size = (await profile(sb.ids.documentId)).size as number;
    for (const range of ['bytes=0-10,20-30', 'bytes=10-5', 'items=0-5', 'bytes=abc']) {
      const { res, bytes } = await download(sb.ids.documentId, { range });
      expect(res.status, range).toBe(200);
      expect(bytes.length, range).toBe(size);
    }
  });

  it('answers HEAD with the same headers and no body, and records no history', async () => {
    const before = (await get(sb, demo, `${libBase(sb)}/documents/${sb.ids.documentId}/history`)).body.data.length;
    const head = await download(sb.ids.documentId, { method: 'HEAD' });
    const size = (await profile(sb.ids.documentId)).size as number;
    expect(head.res.status).toBe(200);
    expect(head.res.headers.get('content-length')).toBe(String(size));
    expect(head.res.headers.get('content-disposition')).toMatch(/^attachment; filename="Witness statement _ R. Smith.docx"/);
    expect(head.bytes.length).toBe(0);
    const ranged = await download(sb.ids.documentId, { method: 'HEAD', range: 'bytes=10-19' });
    expect(ranged.res.status).toBe(206);
    expect(ranged.res.headers.get('content-length')).toBe('10');
    const after = (await get(sb, demo, `${libBase(sb)}/documents/${sb.ids.documentId}/history`)).body.data.length;
    expect(after).toBe(before);
  });

  it('refuses an unknown activity with 400', async () => {
    const { res } = await download(sb.ids.documentId, { query: { activity: 'print' } });
    expect(res.status).toBe(400);
  });

  it('serves nothing the caller cannot read: 404, or 403 where an ACL denies them', async () => {
    expect((await download(sb.ids.privateDocument)).res.status).toBe(404);
    expect((await download(sb.ids.privateDocument, { method: 'HEAD' })).res.status).toBe(404);
    expect((await download(sb.ids.privateDocument, { token: second })).res.status).toBe(200);
    expect((await download(sb.ids.documentId, { token: 'not-a-token' })).res.status).toBe(401);
  });

  it('serves the 2.5 GiB seeded document by range without generating what precedes it', async () => {
    const p = await profile(sb.ids.largeDocument);
    expect(p.size).toBeGreaterThan(2 ** 31);
    const start = p.size - 1000;
    const { res, bytes } = await download(sb.ids.largeDocument, { range: `bytes=${start}-` });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(bytes.equals(documentBytes(sb.ids.largeDocument, 1, start, p.size - 1))).toBe(true);
  });
});

describe('faults and latency on downloads', () => {
  it('abortBody: the real headers, afterBytes of the body, then the connection dies', async () => {
    sb.knobs.injectFault({ path: /\/download$/, kind: { type: 'abortBody', afterBytes: 100_000 } });
    const res = await fetch(downloadUrl(sb.ids.largeDocument), { headers: { 'x-auth-token': demo } });
    expect(res.status).toBe(200);
    let received = 0;
    const reader = res.body!.getReader();
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += value.length;
        }
      })(),
    ).rejects.toThrow();
    expect(received).toBeLessThanOrEqual(100_000);
    expect(sb.log.entries().at(-1)).toMatchObject({ status: 200 });
  });

  it('truncate and stallBody work on streamed bodies too', async () => {
    sb.knobs.injectFault({ path: /\/download$/, kind: { type: 'truncate' } });
    const size = (await profile(sb.ids.documentId)).size as number;
    const res = await fetch(downloadUrl(sb.ids.documentId), { headers: { 'x-auth-token': demo } });
    expect(res.headers.get('content-length')).toBe(String(size));
    await expect(res.arrayBuffer()).rejects.toThrow();

    sb.knobs.injectFault({ path: /\/download$/, kind: { type: 'stallBody', ms: 1 } });
    const slow = await download(sb.ids.documentId);
    expect(slow.bytes.equals(sb.documentBytes(sb.ids.documentId))).toBe(true);
  });

  it('status faults and latency apply like anywhere else', async () => {
    sb.knobs.injectFault({ path: /\/download$/, kind: { type: 'status', status: 503 } });
    expect((await download(sb.ids.documentId)).res.status).toBe(503);
    sb.knobs.setLatency(5);
    expect((await download(sb.ids.textDocument)).res.status).toBe(200);
  });
});
