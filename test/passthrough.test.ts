import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { documentSha256 } from '../src/sandbox/index.js';
import { DEFAULT_PROXY_ALLOW } from '../src/http/passthroughPolicy.js';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET, useStack } from './helpers/stack.js';

/**
 * `ANY /imanage/{path}` (issue 19) over HTTP against the sandbox: what passes and what is refused (a
 * table of hostile spellings, each checked against the sandbox's request log), iManage's answer coming
 * back, the same policy as GraphQL's calls (refresh, retries, rate limits), headers in both directions,
 * and bodies streamed both ways.
 */

const UPLOAD_MAX = 12 * 1024 * 1024;
const UPLOAD_RULE = 'POST /work/api/v2/customers/{customerId}/libraries/*/folders/*/documents';
const ORIGIN = 'https://app.example.com';
const stack = useStack({
  env: { IMANAGE_PROXY_ALLOW: `${DEFAULT_PROXY_ALLOW},${UPLOAD_RULE}`, UPLOAD_MAX_BYTES: String(UPLOAD_MAX), CORS_ORIGINS: ORIGIN },
  connect: [
    { appUser: 'demo', sandboxUser: 'demo' },
    { appUser: 'second', sandboxUser: 'second' },
    { appUser: 'para', sandboxUser: 'paralegal' },
  ],
});

const CSRF = { 'x-graphql-yoga-csrf': '1' };
const P = '/imanage/work/api/v2/customers/{customerId}';
const lib = () => `${P}/libraries/${stack.sandbox.ids.preferredLibrary}`;
const api = (rest: string) => `/work/api/v2/customers/${stack.sandbox.customerId}${rest}`;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  json: any;
}

/** One request with its path sent exactly as written (no URL parser in between). */
async function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Readable; user?: string | null } = {},
): Promise<Answer> {
  const user = options.user === undefined ? 'demo' : options.user;
  const headers: Record<string, string> = { ...(user ? { authorization: `Bearer ${await stack.token(user)}` } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.url}/`, { method: options.method ?? 'GET', path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const json = /json/.test(res.headers['content-type'] ?? '') && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined;
        resolve({ status: res.statusCode!, headers: res.headers, bytes, json });
      });
    });
    req.on('error', reject);
    if (options.body instanceof Readable) options.body.pipe(req);
    else req.end(options.body);
  });
}

/** What a raw socket gets back for `requestLine` (for spellings no HTTP client would send). */
function rawSocket(requestLine: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(stack.url);
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.end(Buffer.from(`${requestLine}\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`, 'latin1'));
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** One read, so that a token expired by an earlier test is refreshed; then the counts start afresh. */
async function settled(): Promise<void> {
  expect((await send(`${P}/libraries`)).status).toBe(200);
  stack.resetCounts();
}

const codeOf = (answer: Answer) => answer.json?.errors?.[0]?.extensions?.code;
const sandboxRequests = () => stack.sandbox.log.entries();
const search = (body: unknown = { limit: 2, filters: {} }) =>
  send(`${lib()}/documents/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('what passes', () => {
  it("answers a read with iManage's status, type and body, as the caller's iManage user, {customerId} filled", async () => {
    const answer = await send(`${P}/libraries`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json.data.map((l: { id: string }) => l.id)).toEqual(stack.sandbox.ids.libraries);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const [seen] = sandboxRequests();
    expect(seen).toMatchObject({ method: 'GET', path: api('/libraries'), userId: stack.sandbox.users.demo!.id, status: 200 });
    expect(sandboxRequests()).toHaveLength(1);
  });

  it("passes iManage's refusals as they are: a 404 with its body, a 403 on a folder behind a wall", async () => {
    const missing = await send(`${lib()}/folders/${stack.sandbox.ids.preferredLibrary}!999999999`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NRC_NO_RECORD');
    const walled = await send(`${lib()}/folders/${encodeURIComponent(stack.sandbox.ids.deniedFolder)}`);
    expect(walled.status).toBe(403);
    expect(sandboxRequests().map((e) => e.status)).toEqual([404, 403]);
  });

  it('runs the search POST with its JSON body, and the query string as sent', async () => {
    const answer = await search({ limit: 3, filters: { name: 'Settlement' } });
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.json.data)).toBe(true);
    const listing = await send(`${lib()}/folders?name=*orresp*&limit=2`);
    expect(listing.status).toBe(200);
    expect(sandboxRequests()[1]!.query).toMatchObject({ name: '*orresp*', limit: '2' });
  });

  it('downloads a document with its disposition and ranges, streamed', async () => {
    const id = stack.sandbox.ids.documentId;
    const path = `${lib()}/documents/${encodeURIComponent(id)}/download`;
    const whole = await send(path);
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(stack.sandbox.documentBytes(id))).toBe(true);
    expect(whole.headers['content-disposition']).toMatch(/filename/);
    expect(whole.headers['content-length']).toBe(String(whole.bytes.length));
    const part = await send(path, { headers: { range: 'bytes=2-9' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toMatch(/^bytes 2-9\//);
    expect(part.bytes.equals(stack.sandbox.documentBytes(id, 2, 9))).toBe(true);
    const head = await send(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.bytes).toHaveLength(0);
  });
});

describe('hostile spellings', () => {
  // Each row: what is sent, and the answer. `reaches`: the only path the sandbox may then see (else none).
  const F = () => encodeURIComponent(stack.sandbox.ids.documentFolder);
  const S = () => `${lib()}/documents/search`;
  type Row = [name: string, method: string, path: () => string, status: number, reaches?: () => string];
  const rows: Row[] = [
    ['a write (subfolder POST)', 'POST', () => `${lib()}/folders/${F()}/subfolders`, 403],
    ['a PUT', 'PUT', () => `${lib()}/folders/${F()}`, 403],
    ['a DELETE', 'DELETE', () => `${lib()}/folders/${F()}`, 403],
    ['discovery at the host root', 'GET', () => '/imanage/api', 403],
    ['the OAuth token endpoint', 'POST', () => '/imanage/auth/oauth2/token', 403],
    ['the dialog-token exchange (answers a token)', 'GET', () => `${P}/dialog-tokens/x`, 403],
    ['the dialog-token exchange in capitals', 'GET', () => `${P}/DIALOG-TOKENS/x`, 403],
    ['the dialog-token exchange behind ..', 'GET', () => `${P}/libraries/../dialog-tokens/x`, 403],
    ['the dialog-token exchange, HEAD', 'HEAD', () => `${P}/dialog-tokens/x`, 403],
    ['.. from search to a write', 'POST', () => `${S()}/../../folders/${F()}/subfolders`, 403],
    ['%2e%2e from search to a write', 'POST', () => `${S()}/%2e%2e/%2E%2E/folders/${F()}/subfolders`, 403],
    ['.%2e from search to a write', 'POST', () => `${S()}/.%2e/%2e./folders/${F()}/subfolders`, 403],
    ['an encoded slash', 'POST', () => `${S()}%2f..%2f..%2ffolders%2f${F()}%2fsubfolders`, 400],
    ['an encoded slash in capitals', 'GET', () => `${P}/dialog-tokens%2Fx`, 400],
    ['double encoding', 'POST', () => `${S()}/%252e%252e/%252e%252e/folders/${F()}/subfolders`, 400],
    ['a raw backslash', 'POST', () => `${S()}/..\\..\\folders\\${F()}\\subfolders`, 400],
    ['an encoded backslash', 'POST', () => `${S()}/..%5c..%5cfolders`, 400],
    ['a matrix parameter', 'POST', () => `${S()};x=1/../../folders/${F()}/subfolders`, 400],
    ['an encoded ;', 'POST', () => `${S()}%3bx/../../folders/${F()}/subfolders`, 400],
    ['an encoded NUL', 'POST', () => `${S()}%00`, 400],
    ['an encoded line feed', 'GET', () => `${P}/libraries%0aX-Injected:%201`, 400],
    ['overlong UTF-8 dots', 'POST', () => `${S()}/%c0%ae%c0%ae/%c0%ae%c0%ae/folders/${F()}/subfolders`, 400],
    ['one-dot leaders', 'POST', () => `${S()}/%e2%80%a5/folders/${F()}/subfolders`, 400],
    ['fullwidth dots and slash', 'POST', () => `${S()}/%ef%bc%8e%ef%bc%8e%ef%bc%8f%ef%bc%8e%ef%bc%8e`, 400],
    ['a byte-order mark', 'GET', () => `${P}/%ef%bb%bfdialog-tokens/x`, 400],
    ['a dotless ı (upper-cased, an I)', 'GET', () => `${P}/d%C4%B1alog-tokens/x`, 400],
    ['a dotted İ (lower-cased, an i)', 'GET', () => `${P}/D%C4%B0ALOG-TOKENS/x`, 400],
    ['a zero-width space', 'GET', () => `${P}/dialog-tokens%e2%80%8b/x`, 400],
    ['a trailing dot (Windows trims it)', 'GET', () => `${P}/dialog-tokens./x`, 400],
    ['an alternate data stream', 'GET', () => `${P}/dialog-tokens::$DATA/x`, 400],
    ['an encoded ?', 'GET', () => `${P}/libraries%3f`, 400],
    ['a raw #', 'GET', () => `${P}/libraries#x`, 400],
    ['.. above the root', 'GET', () => '/imanage/../graphql', 400],
    ['%2e%2e above the root', 'GET', () => '/imanage/%2e%2e/readyz', 400],
    ['another host after //', 'GET', () => '/imanage//evil.example/work/api/v2/customers/{customerId}/libraries', 403],
    ['another customer', 'GET', () => '/imanage/work/api/v2/customers/1/libraries', 403],
    ['another customer behind ..', 'GET', () => `${P}/../1/libraries`, 403],
    ['a method override header on a refused write', 'PATCH', () => `${lib()}/folders/${F()}`, 403],
    // Allowed spellings reach iManage as their one reading.
    ['the search POST with a trailing slash', 'POST', () => `${S()}/`, 200, () => api(`/libraries/${stack.sandbox.ids.preferredLibrary}/documents/search`)],
    ['. and // in a read', 'GET', () => '/imanage/work//api/./v2/customers/{customerId}/libraries/x/..', 200, () => api('/libraries')],
    ['{customerId} percent-encoded', 'GET', () => '/imanage/work/api/v2/customers/%7BcustomerId%7D/libraries', 200, () => api('/libraries')],
    ["the connection's own customer id", 'GET', () => `/imanage/work/api/v2/customers/${stack.sandbox.customerId}/libraries`, 200, () => api('/libraries')],
    [
      'a read in capitals (allowed; iManage decides)',
      'GET',
      () => '/imanage/WORK/API/V2/CUSTOMERS/{customerId}/LIBRARIES',
      404,
      () => `/WORK/API/V2/CUSTOMERS/${stack.sandbox.customerId}/LIBRARIES`,
    ],
  ];

  it.each(rows)('%s (%s)', async (_name, method, path, status, reaches) => {
    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? '{"limit":1}' : undefined;
    const headers = { ...CSRF, 'x-http-method-override': 'GET', ...(body ? { 'content-type': 'application/json' } : {}) };
    const answer = await send(path(), { method, headers, ...(body ? { body } : {}) });
    expect(answer.status).toBe(status);
    if (status === 403 || status === 400) {
      if (method !== 'HEAD') expect(codeOf(answer)).toBe(status === 403 ? 'FORBIDDEN' : 'BAD_USER_INPUT');
      expect(sandboxRequests()).toEqual([]);
    } else {
      expect(sandboxRequests().map((e) => `${e.method} ${e.path}`)).toEqual([`${method} ${reaches!()}`]);
    }
  });

  it("says which rule refused, and how the path was read (a refusing rule's pattern in place of the path it guards)", async () => {
    const logged = stack.logs.length;
    const denied = await send(`${P}/libraries/../dialog-tokens/DIALOGTOKEN-s3cr3t-4f1c`);
    expect(denied.json.errors[0].extensions).toEqual({
      code: 'FORBIDDEN',
      rule: '!GET|HEAD /work/api/v2/customers/{customerId}/dialog-tokens/**',
      method: 'GET',
      path: '/work/api/v2/customers/{customerId}/dialog-tokens/**',
    });
    expect(denied.json.errors[0].message).toBe(
      `IMANAGE_PROXY_ALLOW's rule "!GET|HEAD /work/api/v2/customers/{customerId}/dialog-tokens/**" refuses GET /work/api/v2/customers/{customerId}/dialog-tokens/**.`,
    );
    // Nor for a method no rule names: the path is the one the refusing rule guards.
    const posted = await send(`${P}/dialog-tokens/DIALOGTOKEN-s3cr3t-4f1c`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(posted.json.errors[0].extensions).toEqual({
      code: 'FORBIDDEN',
      rule: null,
      method: 'POST',
      path: '/work/api/v2/customers/{customerId}/dialog-tokens/**',
    });
    // The dialog token, which iManage exchanges for an access token, is in no log line either.
    const lines = stack.logs.slice(logged);
    expect(lines.filter((line) => line.includes('"passthrough"') && line.includes('FORBIDDEN'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('s3cr3t');
    expect(JSON.stringify(posted.json)).not.toContain('s3cr3t');
    const unmatched = await send(`${lib()}/folders/x/subfolders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unmatched.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: null, method: 'POST' });
    expect(unmatched.json.errors[0].message).toMatch(/^No rule of IMANAGE_PROXY_ALLOW allows POST \/work\/api\/v2\/customers\/\{customerId\}\/libraries\//);
  });

  it('never lets control characters, raw bytes past ASCII, absolute targets or lower-case methods through (raw sockets)', async () => {
    const token = await stack.token('demo');
    const answers = await Promise.all([
      rawSocket(`GET ${P}/libra\tries HTTP/1.1`, token),
      rawSocket(`GET ${P}/libraries\x00 HTTP/1.1`, token),
      rawSocket(`GET ${P}/libraries\xff HTTP/1.1`, token),
      rawSocket(`GET ${P}/libraries%c0%ae%c0%ae/x HTTP/1.1`, token),
      rawSocket(`GET http://evil.example${P}/libraries HTTP/1.1`, token),
      rawSocket(`get ${P}/libraries HTTP/1.1`, token),
    ]);
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(sandboxRequests()).toEqual([]);
  });

  it('answers 400 to a target that is not a path under /imanage/ as sent: absolute form, or an escaped prefix', async () => {
    const token = await stack.token('demo');
    const answers = await Promise.all([
      // Read from where the prefix would be, these reached iManage (`..` resolved above the prefix) or
      // were read as another path (`/27.0.0.1/imanage/…`, `/ge/work/…`).
      rawSocket(`GET http://localhost/imanage/../../work/api/v2/customers/{customerId}/libraries HTTP/1.1`, token),
      rawSocket(`GET http://127.0.0.1${P}/libraries HTTP/1.1`, token),
      rawSocket(`GET /%69manage/work/api/v2/customers/{customerId}/libraries HTTP/1.1`, token),
    ]);
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('send a path starting with /imanage/');
    }
    expect(sandboxRequests()).toEqual([]);
  });
});

describe('a caller who leaves', () => {
  it.each([
    ['before its JSON body arrived', '{"limit":'],
    ['with its whole JSON body sent', '{"limit":2,"x":true}'],
  ])('%s, while its connection was looked up: logged as cancelled, nothing sent', async (_, body) => {
    // The lookup made slow (a database under load), so that the caller is gone before the body is read.
    const { connections } = stack.services;
    const lookup = connections.forUser.bind(connections);
    const slow = vi.spyOn(connections, 'forUser').mockImplementation(async (user) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return lookup(user);
    });
    try {
      const logged = stack.logs.length;
      const token = await stack.token('demo');
      const url = new URL(stack.url);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(
            `POST ${lib()}/documents/search HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n${body}`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 30);
        });
        socket.on('error', () => {});
      });
      await vi.waitFor(
        () => {
          const line = stack.logs.slice(logged).find((l) => l.includes('"passthrough"'));
          expect(line && JSON.parse(line).passthrough).toMatchObject({ method: 'POST', outcome: 'cancelled', status: null });
        },
        { timeout: 3000, interval: 20 },
      );
      expect(sandboxRequests()).toEqual([]);
    } finally {
      slow.mockRestore();
    }
  });
});

describe('who may call', () => {
  it('answers 401 without a valid app token, and IMANAGE_NOT_CONNECTED for a user without a connection, calling nothing', async () => {
    const none = await send(`${P}/libraries`, { user: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(codeOf(none)).toBe('UNAUTHENTICATED');
    const bad = await send(`${P}/libraries`, { user: null, headers: { authorization: 'Bearer not.a.jwt' } });
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    const stranger = await send(`${P}/libraries`, { user: 'stranger' });
    expect(stranger.status).toBe(401);
    expect(codeOf(stranger)).toBe('IMANAGE_NOT_CONNECTED');
    expect(sandboxRequests()).toEqual([]);
  });

  it('asks writes a browser could send cross-site for the CSRF header, as /graphql does', async () => {
    const upload = (headers: Record<string, string>) =>
      send(`${lib()}/folders/${encodeURIComponent(stack.sandbox.ids.emptyFolder)}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', ...headers },
        body: '--x--\r\n',
      });
    const without = await upload({});
    expect(without.status).toBe(403);
    expect(without.json.errors[0].message).toMatch(/CSRF/);
    expect(sandboxRequests()).toEqual([]);
    const withHeader = await upload(CSRF);
    expect(withHeader.status).toBe(sandboxRequests()[0]!.status);
    expect(sandboxRequests()).toHaveLength(1);
  });

  it('answers CORS for the configured origins only', async () => {
    const preflight = await send(`${P}/libraries`, {
      method: 'OPTIONS',
      user: null,
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const read = await send(`${P}/libraries`, { headers: { origin: ORIGIN } });
    expect(read.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(read.headers['access-control-expose-headers']).toMatch(/content-disposition/);
    expect(read.headers.vary).toBe('Origin');
    const other = await send(`${P}/libraries`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(sandboxRequests()).toHaveLength(2);
  });
});

describe('bodies', () => {
  it('refuses a JSON body over the GraphQL limit, a form, and a body on a GET, before calling iManage', async () => {
    const big = await search({ filters: {}, pad: 'x'.repeat(stack.config.limits.maxRequestBodyBytes) });
    expect(big.status).toBe(413);
    expect(big.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'jsonBody' });
    const form = await send(`${lib()}/documents/search`, { method: 'POST', headers: { ...CSRF, 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    const getBody = await send(`${P}/libraries`, { headers: { 'content-type': 'application/json', 'content-length': '2' }, body: '{}' });
    expect(getBody.status).toBe(400);
    const declared = await send(`${lib()}/folders/x/documents`, {
      method: 'POST',
      headers: { ...CSRF, 'content-type': 'application/octet-stream', 'content-length': String(UPLOAD_MAX + 1) },
      body: Readable.from([Buffer.alloc(1)]),
    }).catch(() => null);
    // Refused on its declared length; the socket may be closed before the rest is sent.
    if (declared) expect(declared.status).toBe(413);
    expect(sandboxRequests()).toEqual([]);
  });

  it('cuts off a streamed upload at UPLOAD_MAX_BYTES with 413, and iManage gets no complete request', async () => {
    const before = stack.sandbox.folderDocuments(stack.sandbox.ids.emptyFolder).length;
    const upload = multipartUpload('Too large', UPLOAD_MAX + 1024 * 1024);
    const answer = await send(`${lib()}/folders/${encodeURIComponent(stack.sandbox.ids.emptyFolder)}/documents`, {
      method: 'POST',
      headers: { ...CSRF, 'content-type': upload.contentType },
      body: upload.body,
    }).catch(() => null);
    if (answer) {
      expect(answer.status).toBe(413);
      expect(answer.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'uploadBody' });
    }
    await vi.waitFor(() => expect(stack.logs.join('')).toMatch(/"code":"BAD_USER_INPUT","bytesIn":/), { interval: 5 });
    // iManage (which takes uploads) read part of the body and was cut off: it answered nothing and filed nothing.
    await vi.waitFor(() => expect(sandboxRequests()).toHaveLength(1), { interval: 5 });
    expect(sandboxRequests().filter((e) => e.status !== 0)).toEqual([]);
    expect(stack.sandbox.folderDocuments(stack.sandbox.ids.emptyFolder)).toHaveLength(before);
  });
});

describe('the same policy as GraphQL', () => {
  it('refreshes an expired token once and replays a read and a JSON search', async () => {
    stack.sandbox.knobs.expireAllTokens();
    expect((await send(`${P}/libraries`)).status).toBe(200);
    expect(stack.sandbox.log.count({ method: 'GET', path: api('/libraries') })).toBe(2);
    expect(stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/token' })).toBe(1);
    stack.sandbox.knobs.expireAllTokens();
    expect((await search()).status).toBe(200);
    expect(stack.sandbox.log.count({ method: 'POST', path: /\/documents\/search$/ })).toBe(2);
  });

  it('does not replay a streamed body after a 401: the token is renewed and the caller sends it again', async () => {
    // The search route, which authenticates before reading its body.
    const upload = () =>
      send(`${lib()}/documents/search`, {
        method: 'POST',
        headers: { ...CSRF, 'content-type': 'application/octet-stream' },
        body: chunks(64 * 1024),
      });
    stack.sandbox.knobs.expireAllTokens();
    const first = await upload();
    expect(first.status).toBe(503);
    expect(first.json.errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 0 });
    const uploads = () => stack.sandbox.log.count({ method: 'POST', path: /\/documents\/search$/ });
    expect(uploads()).toBe(1);
    const second = await upload();
    expect(uploads()).toBe(2);
    expect(second.status).toBe(stack.sandbox.log.entries().at(-1)!.status);
    expect(second.status).not.toBe(401);
  });

  it('answers IMANAGE_REAUTH_REQUIRED when iManage refuses the token and the refresh token', async () => {
    stack.sandbox.knobs.revokeRefreshTokens(stack.sandbox.users.paralegal!.id);
    stack.sandbox.knobs.expireAllTokens();
    const answer = await send(`${P}/libraries`, { user: 'para' });
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('IMANAGE_REAUTH_REQUIRED');
  });

  it('retries a read only after a broken connection: a 5xx is answered at once, and a POST is never sent twice', async () => {
    await settled();
    stack.sandbox.knobs.injectFault({ method: 'GET', path: api('/libraries'), times: 1, kind: { type: 'reset' } });
    expect((await send(`${P}/libraries`)).status).toBe(200);
    expect(stack.sandbox.log.count({ method: 'GET', path: api('/libraries') })).toBe(2);
    stack.sandbox.log.clear();
    // The caller chose this request: its 5xx may be its own doing, and is not sent three times.
    stack.sandbox.knobs.injectFault({ method: 'GET', path: api('/libraries'), times: 1, kind: { type: 'status', status: 503 } });
    const unavailable = await send(`${P}/libraries`);
    expect(unavailable.status).toBe(503);
    expect(codeOf(unavailable)).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.sandbox.log.count({ method: 'GET', path: api('/libraries') })).toBe(1);
    stack.sandbox.knobs.injectFault({ method: 'POST', path: /\/documents\/search$/, times: 3, kind: { type: 'reset' } });
    const failed = await search();
    expect(failed.status).toBe(502);
    expect(codeOf(failed)).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.sandbox.log.count({ method: 'POST', path: /\/documents\/search$/ })).toBe(1);
  });

  it("one user's failing passthrough calls do not open the breaker for everyone", async () => {
    await settled();
    const path = `${lib()}/documents`;
    stack.sandbox.knobs.injectFault({
      method: 'GET',
      path: `${api('/libraries/')}${stack.sandbox.ids.preferredLibrary}/documents`,
      times: Infinity,
      kind: { type: 'status', status: 500 },
    });
    for (let i = 0; i < 20; i++) expect((await send(`${path}?anywhere=x`)).status).toBe(502);
    // Each was sent once, and each reached iManage: the breaker never opened.
    expect(stack.sandbox.log.count({ method: 'GET', path: /\/documents$/ })).toBe(20);
    expect(stack.services.upstream.openHosts()).toEqual([]);
    const other = await stack.gql(`{ customer { libraries { id } } }`, {}, { user: 'second' });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data!.customer.libraries.length).toBeGreaterThan(0);
  });

  it("an open breaker, opened by the service's own calls, fails the passthrough fast without calling iManage", async () => {
    await settled();
    stack.sandbox.knobs.injectFault({ path: /\/libraries$/, times: Infinity, kind: { type: 'status', status: 500 } });
    for (let i = 0; i < 20 && stack.services.upstream.openHosts().length === 0; i++) await stack.gql(`{ customer { libraries { id } } }`);
    expect(stack.services.upstream.openHosts()).toHaveLength(1);
    const calls = stack.sandbox.log.count({ path: /\/libraries$/ });
    const answer = await send(`${P}/libraries`);
    expect(answer.status).toBe(503);
    expect(codeOf(answer)).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.sandbox.log.count({ path: /\/libraries$/ })).toBe(calls);
  });

  it("waits out a 429 on a read, and answers RATE_LIMITED with iManage's wait on a POST", async () => {
    await settled();
    const limited = { type: 'status', status: 429, headers: { 'x-ratelimit-reset': '0' } } as const;
    stack.sandbox.knobs.injectFault({ method: 'GET', path: api('/libraries'), times: 1, kind: limited });
    expect((await send(`${P}/libraries`)).status).toBe(200);
    expect(stack.sandbox.log.count({ method: 'GET', path: api('/libraries') })).toBe(2);
    stack.sandbox.knobs.injectFault({ method: 'POST', path: /\/documents\/search$/, times: 1, kind: { ...limited, headers: { 'x-ratelimit-reset': '7' } } });
    const answer = await search();
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('7');
    expect(answer.json.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 7 });
  });
});

describe('headers and secrets', () => {
  it('sends iManage only its token and the listed headers, whatever the caller adds', async () => {
    const second = await stack.services.store.connections.get('second');
    const answer = await send(`${P}/libraries`, {
      headers: {
        cookie: 'session=abc',
        'x-auth-token': second!.accessToken,
        'proxy-authorization': 'Basic eDp5',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        'x-http-method-override': 'DELETE',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        te: 'trailers',
        accept: 'application/json',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        ...CSRF,
      },
    });
    expect(answer.status).toBe(200);
    const [seen] = sandboxRequests();
    expect(seen!.userId).toBe(stack.sandbox.users.demo!.id);
    expect(seen!.headerNames.filter((name) => !['host', 'connection', 'content-length'].includes(name))).toEqual(['accept', 'x-auth-token']);
  });

  it("brings back none of iManage's cookies, tokens or challenges, and logs no token or query", async () => {
    const row = await stack.services.store.connections.get('demo');
    stack.sandbox.knobs.injectFault({
      method: 'GET',
      path: api('/libraries'),
      kind: {
        type: 'status',
        status: 200,
        body: { data: [] },
        headers: {
          'set-cookie': 'IMANAGE=secret; Path=/',
          'x-auth-token': row!.accessToken,
          'www-authenticate': 'Bearer realm="imanage"',
          'x-powered-by': 'iManage',
          'x-total-count': '0',
          link: '<https://imanage.example/next>; rel="next"',
          etag: '"v1"',
        },
      },
    });
    const token = await stack.token('demo');
    const answer = await send(`${P}/libraries?secret=s3cr3t-query`);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-total-count']).toBe('0');
    expect(answer.headers.etag).toBe('"v1"');
    expect(answer.headers.link).toBeDefined();
    const headerText = Object.entries(answer.headers)
      .map(([name, value]) => `${name}: ${String(value)}`)
      .join('\n');
    expect(headerText).not.toMatch(/set-cookie|x-auth-token|www-authenticate|x-powered-by/i);
    const logText = stack.logs.join('');
    for (const secret of [row!.accessToken, row!.refreshToken!, token, TEST_JWT_SECRET, TEST_ENCRYPTION_KEY, 's3cr3t-query']) {
      expect(headerText).not.toContain(secret);
      expect(logText).not.toContain(secret);
    }
    const line = stack.logs
      .map((l) => JSON.parse(l))
      .findLast((l) => l.passthrough?.status === 200 && l.passthrough.path === '/work/api/v2/customers/{customerId}/libraries');
    expect(line.passthrough).toMatchObject({ method: 'GET', user: 'demo', outcome: 'complete', bytesIn: 0 });
    expect(line.passthrough.bytesOut).toBe(answer.bytes.length);
  });
});

describe('memory', () => {
  // The sandbox, the service and this client share the process: its growth bounds the service's.
  it('streams a 128 MiB download with the process growing by less than 64 MB', async () => {
    const size = 128 * 1024 * 1024;
    const id = stack.sandbox.knobs.addDocument({ folderId: stack.sandbox.ids.documentFolder, name: 'proxy export', extension: 'bin', size });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const hash = createHash('sha256');
    let received = 0;
    const token = await stack.token('demo');
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${stack.url}${lib()}/documents/${encodeURIComponent(id)}/download`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
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

  it('streams ten concurrent 11 MiB uploads (110 MiB) into iManage with the process growing by less than 64 MB', async () => {
    const size = 11 * 1024 * 1024;
    const before = stack.sandbox.folderDocuments(stack.sandbox.ids.emptyFolder).length;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const upload = multipartUpload(`Concurrent ${i}`, size);
        return send(`${lib()}/folders/${encodeURIComponent(stack.sandbox.ids.emptyFolder)}/documents`, {
          method: 'POST',
          headers: { ...CSRF, 'content-type': upload.contentType, 'content-length': String(upload.length) },
          body: upload.body,
        });
      }),
    );
    clearInterval(sample);
    for (const answer of answers) expect(answer.status).toBe(201);
    expect(answers.map((a) => a.json.data.size)).toEqual(Array.from({ length: 10 }, () => size));
    expect(stack.sandbox.folderDocuments(stack.sandbox.ids.emptyFolder)).toHaveLength(before + 10);
    // Client, passthrough and sandbox share this process: all of them together held far less than the 110 MiB.
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);
  });

  it('cancels the iManage transfer when the caller leaves a download', async () => {
    const id = stack.sandbox.knobs.addDocument({ folderId: stack.sandbox.ids.documentFolder, name: 'left', extension: 'bin', size: 256 * 1024 * 1024 });
    const controller = new AbortController();
    const res = await fetch(`${stack.url}${lib()}/documents/${encodeURIComponent(id)}/download`, {
      headers: { authorization: `Bearer ${await stack.token('demo')}` },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(stack.sandbox.log.inFlight()).toBe(1);
    controller.abort();
    await vi.waitFor(() => expect(stack.sandbox.log.inFlight()).toBe(0), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(stack.logs.join('')).toMatch(/"outcome":"aborted","cause":"client_left"/), { interval: 5 });
  });
});

/** `size` bytes as a stream of 64 KiB pieces of one buffer: the sender holds nothing. */
/** An iManage upload (reference §4.3: a `profile` part, then the `file` part) whose file is `size` generated bytes. */
function multipartUpload(name: string, size: number): { contentType: string; length: number; body: Readable } {
  const boundary = `passthrough-${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="profile"\r\nContent-Type: application/json\r\n\r\n` +
      `${JSON.stringify({ doc_profile: { name, extension: 'bin' } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of chunks(size)) yield chunk as Buffer;
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + size + tail.length,
    body: Readable.from(parts(), { objectMode: false }),
  };
}

function chunks(size: number): Readable {
  const piece = Buffer.alloc(64 * 1024, 120);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, piece.length);
      left -= n;
      this.push(n === piece.length ? piece : piece.subarray(0, n));
    },
  });
}
