import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ApiError } from '../../src/sandbox/errors.js';
import { CursorCodec, paginate, parsePaging } from '../../src/sandbox/paging.js';
import { call, libBase, login } from './helpers.js';

/** What `run` threw, or null when it returned. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (error) {
    return error;
  }
}

function expectStatus(error: unknown, status: number): void {
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).status).toBe(status);
}

describe('paging (pure)', () => {
  const codec = new CursorCodec(randomBytes(32));
  const keys = Array.from({ length: 57 }, (_, i) => `k${String(i).padStart(3, '0')}`);

  it('cursor paging visits every item exactly once, for any page size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.boolean(), (limit, desc) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const query: Record<string, string> = { limit: String(limit), paging_mode: 'standard_cursor', sort_order: desc ? 'desc' : 'asc' };
          if (cursor) query.cursor = cursor;
          const page = paginate(keys, (k) => k, parsePaging(query, 'scope', codec), 'scope', codec);
          seen.push(...page.items);
          cursor = page.cursor;
          if (!cursor) break;
        }
        expect(seen).toEqual(desc ? [...keys].reverse() : keys);
      }),
    );
  });

  it('refuses any string it did not issue as a cursor with a 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        const error = thrownBy(() => parsePaging({ cursor: s }, 'scope', codec));
        if (error === null)
          expect(s).toBe(''); // no cursor at all
        else expectStatus(error, 400);
      }),
    );
  });

  it('accepts exactly the limits 1..9999', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -20_000, max: 20_000 }).map(String), fc.string({ maxLength: 6 })), (raw) => {
        const valid = /^\s*\d+\s*$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 9999;
        let limit: number | undefined;
        const error = thrownBy(() => (limit = parsePaging({ limit: raw }, 's', codec).limit));
        expect(error === null, JSON.stringify(raw)).toBe(valid);
        if (error === null) expect(limit).toBe(Number(raw));
        else expectStatus(error, 400);
      }),
    );
  });
});

describe('hostile HTTP input', () => {
  let sb: Sandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startSandbox();
    token = (await login(sb)).access_token;
  });
  afterAll(async () => {
    await sb.close();
  });

  it('never answers 5xx to odd paths, queries and bodies', async () => {
    const base = libBase(sb);
    const segment = fc.oneof(
      fc.constantFrom('folders', 'workspaces', 'children', 'path', 'security', 'subfolders', sb.ids.emptyFolder, 'ACTIVE_US!0', '!', '%21', '..'),
      fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
    );
    const query = fc.dictionary(
      fc.constantFrom('limit', 'offset', 'total', 'cursor', 'paging_mode', 'include_ids', 'container_id', 'name', 'exclude_docs', 'sort_order'),
      fc.string({ maxLength: 20 }),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 50 }),
      fc.json().map((j) => j),
    );
    const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT');
    await fc.assert(
      fc.asyncProperty(method, fc.array(segment, { maxLength: 4 }), query, body, async (m, segments, q, b) => {
        const path = `${base}/${segments.join('/')}`;
        const res = await call(sb, token, m, path, {
          query: q,
          body: m === 'GET' ? undefined : b,
          headers: m === 'GET' ? {} : { 'content-type': 'application/json' },
        });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('never answers 5xx to odd document paths, queries, bodies and Range headers', async () => {
    const base = libBase(sb);
    const segment = fc.oneof(
      fc.constantFrom(
        'documents',
        'download',
        'versions',
        'history',
        'search',
        'parents',
        'users',
        'me',
        sb.ids.documentId,
        sb.ids.largeDocument,
        'ACTIVE_US!1.0',
        '!.',
      ),
      fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
    );
    const query = fc.dictionary(
      fc.constantFrom('limit', 'offset', 'total', 'cursor', 'paging_mode', 'sort_by', 'sort_order', 'latest', 'activity', 'alias'),
      fc.string({ maxLength: 20 }),
    );
    const range = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.option(fc.nat()), fc.option(fc.nat())).map(([a, b]) => `bytes=${a ?? ''}-${b ?? ''}`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json(),
      fc
        .record({ limit: fc.anything(), offset: fc.anything(), filters: fc.dictionary(fc.string({ maxLength: 15 }), fc.anything()) })
        .map((r) => JSON.stringify(r)),
      fc.record({ document_numbers: fc.anything(), limit: fc.anything() }).map((r) => JSON.stringify(r)),
    );
    const method = fc.constantFrom('GET', 'HEAD', 'POST');
    await fc.assert(
      fc.asyncProperty(method, fc.array(segment, { maxLength: 4 }), query, range, body, async (m, segments, q, r, b) => {
        const path = `${base}/documents/${segments.join('/')}`;
        const headers: Record<string, string> = m === 'POST' ? { 'content-type': 'application/json' } : {};
        if (r !== undefined) headers.range = r;
        const url = new URL(path, sb.url);
        for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
        // Only the headers are awaited: a whole 2.5 GiB body would only cost time.
        const res = await fetch(url, { method: m, headers: { 'x-auth-token': token, ...headers }, body: m === 'POST' ? b : undefined });
        await res.body?.cancel();
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
