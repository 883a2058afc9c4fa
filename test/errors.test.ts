import { createHmac } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { maskError } from '../src/graphql/errors.js';
import { codes, startStack, TEST_JWT_SECRET, useStack } from './helpers/stack.js';

/** CONTRACT §6 on the read path: each failure has its code, and nothing secret leaks. */

const stack = useStack();

const FOLDER = `query($id: ID!) { folder(id: $id) { id name } }`;

describe('app user tokens', () => {
  const secret = new TextEncoder().encode(TEST_JWT_SECRET);
  const t = () => Math.floor(Date.now() / 1000);
  /** A token with exactly these claims, signed with the test secret (jose's builder refuses some of them). */
  const forge = (claims: Record<string, unknown>) => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
  };
  // [case, token, what WWW-Authenticate's error_description says]
  const cases: Array<[string, () => Promise<string | null>, RegExp]> = [
    ['garbage', async () => 'not.a.jwt', /not a well-formed signed JWT/],
    [
      'expired',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('demo')
          .setExpirationTime(t() - 3600)
          .sign(secret),
      /has expired/,
    ],
    ['no exp', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('demo').sign(secret), /lacks the required exp claim/],
    [
      'wrong key',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('demo')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(40))),
      /signature does not verify/,
    ],
    [
      'alg none',
      async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'demo', exp: 9999999999 })).toString('base64url')}.`,
      /algorithm this service does not accept/,
    ],
    ['not valid yet (nbf)', async () => forge({ sub: 'demo', nbf: t() + 600, exp: t() + 900 }), /not valid yet/],
    ['issued in the future', async () => forge({ sub: 'demo', iat: t() + 86_400, exp: t() + 86_460 }), /not valid yet/],
    ['an exp of 1e300', async () => forge({ sub: 'demo', exp: 1e300 }), /longer lifetime than this service accepts/],
    ['a lifetime over AUTH_JWT_MAX_AGE', async () => forge({ sub: 'demo', iat: t(), exp: t() + 8 * 86_400 }), /longer lifetime/],
    ['a sub with NUL', async () => forge({ sub: 'demo\u0000', exp: t() + 60 }), /sub is empty, too long or contains control characters/],
    ['a sub of 1 000 characters', async () => forge({ sub: 'd'.repeat(1_000), exp: t() + 60 }), /sub is empty, too long/],
    ['a Bearer header that is not a token', async () => 'a b"c', /not a well-formed signed JWT/],
  ];
  for (const [name, make, why] of cases) {
    it(`refuses ${name} with UNAUTHENTICATED, 401 and a WWW-Authenticate saying why`, async () => {
      const token = await make();
      const res = await stack.gql(`{ viewer { id } }`, {}, { token });
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.body.data ?? null).toBeNull();
      const challenge = res.headers.get('www-authenticate')!;
      expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[\x20-\x21\x23-\x5b\x5d-\x7e]+"$/);
      expect(challenge).toMatch(why);
      expect(res.body.errors![0]!.message).toMatch(why);
      for (const part of token!.split('.')) if (part.length > 8) expect(res.raw + challenge).not.toContain(part);
      expect(stack.apiCalls()).toBe(0);
    });
  }

  it('answers a request with no token, or another scheme, with a bare Bearer challenge (RFC 6750 §3.1)', async () => {
    for (const authorization of [null, 'Basic ZGVtbzpkZW1v']) {
      const res = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = await res.json();
      expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      expect(body.errors[0].extensions.http).toBeUndefined();
    }
  });

  it('still accepts a good token, within AUTH_JWT_MAX_AGE', async () => {
    const res = await stack.gql(`{ viewer { id } }`, {}, { token: forge({ sub: 'demo', iat: t(), exp: t() + 600 }) });
    expect(res.body).toEqual({ data: { viewer: { id: 'demo' } } });
    expect(res.headers.get('www-authenticate')).toBeNull();
  });
});

describe('bad input never reaches iManage', () => {
  it('refuses malformed ids with BAD_USER_INPUT', async () => {
    for (const id of ['', 'ACTIVE_US', 'ACTIVE_US!abc', 'ACTIVE_US!1/../../x', 'ACTIVE_US!1?x=y', '!1', 'x'.repeat(5000)]) {
      const res = await stack.gql(FOLDER, { id });
      expect(codes(res), id.slice(0, 30)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.message.length).toBeLessThan(200);
    }
    const ws = await stack.gql(`{ workspace(id: "nope") { id } }`);
    expect(codes(ws)).toEqual(['BAD_USER_INPUT']);
    const q = await stack.gql(`query($lib: ID!, $q: String) { library(id: $lib) { folders(query: $q) { totalCount } } }`, {
      lib: stack.sandbox.ids.preferredLibrary,
      q: 'x'.repeat(255),
    });
    expect(codes(q)).toEqual(['BAD_USER_INPUT']);
    expect(stack.apiCalls({ path: /folders$/ })).toBe(0);
    expect(stack.apiCalls({ path: /folders\// })).toBe(0);
  });

  it('answers malformed GraphQL and wrong variable types with a clear error and no call', async () => {
    const syntax = await stack.gql(`{ folder(id: "A!1") { name `);
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors![0]!.message).toMatch(/Syntax Error/);
    expect(codes(syntax)).toEqual(['BAD_USER_INPUT']);
    const types = await stack.gql(FOLDER, { id: { nested: true } });
    expect(types.body.errors![0]!.message).toMatch(/\$id/);
    expect(codes(types)).toEqual(['BAD_USER_INPUT']);
    const unknown = await stack.gql(`{ folder(id: "A!1") { nope } }`);
    expect(unknown.body.errors![0]!.message).toMatch(/nope/);
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(stack.apiCalls()).toBe(0);
  });

  it('answers an operation name the document lacks, or none where it has two, with BAD_USER_INPUT, printing nothing', async () => {
    const printed = vi.spyOn(console, 'error');
    try {
      const send = async (operationName?: string) => {
        const res = await fetch(`${stack.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}` },
          body: JSON.stringify({ query: 'query A { viewer { id } } query B { viewer { id } }', ...(operationName ? { operationName } : {}) }),
        });
        return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: { code: string } }> } };
      };
      const missing = await send('Nope');
      expect(missing.body.errors!.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
      expect(missing.body.errors![0]!.message).toMatch(/operation/i);
      const ambiguous = await send();
      expect(ambiguous.body.errors!.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
      expect(ambiguous.body.errors![0]!.message).toMatch(/operation/i);
      expect(await send('B')).toMatchObject({ status: 200, body: { data: { viewer: { id: 'demo' } } } });
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });
});

describe('upstream failures', () => {
  const id = () => stack.sandbox.ids.deepFolderPath[1]!;

  it('maps a 404 to NOT_FOUND', async () => {
    const res = await stack.gql(FOLDER, { id: `${stack.sandbox.ids.preferredLibrary}!999999999` });
    expect(res.body.data!.folder).toBeNull();
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  it('answers a read iManage refuses with 403 as NOT_FOUND, word for word as for a missing object', async () => {
    stack.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'status', status: 403 } });
    const refused = await stack.gql(FOLDER, { id: id() });
    expect(codes(refused)).toEqual(['NOT_FOUND']);
    expect(stack.apiCalls({ path: /\/folders\/[^/]+$/ })).toBe(1);

    // The sandbox's ethical wall: an ACL naming the demo user with no_access answers 403 on every read.
    const { deniedFolder, preferredLibrary } = stack.sandbox.ids;
    const missingId = `${preferredLibrary}!999999998`;
    const denied = await stack.gql(`query($id: ID!) { folder(id: $id) { id subfolders { totalCount } } }`, { id: deniedFolder });
    const missing = await stack.gql(`query($id: ID!) { folder(id: $id) { id subfolders { totalCount } } }`, { id: missingId });
    expect(stack.sandbox.log.entries().some((e) => e.status === 403 && e.path.endsWith(`/folders/${deniedFolder}`))).toBe(true);
    expect(denied.body.data).toEqual({ folder: null });
    expect(codes(denied)).toEqual(['NOT_FOUND']);
    expect(denied.body.errors![0]!.message.replace(deniedFolder, 'ID')).toBe(missing.body.errors![0]!.message.replace(missingId, 'ID'));
    expect(JSON.stringify(denied.body)).not.toMatch(/forbid|denied|access/i);
  });

  it('answers a list of a container the user may not read as NOT_FOUND too', async () => {
    // The folder itself is known from an earlier page; its children answer 403.
    const { deepFolderPath } = stack.sandbox.ids;
    stack.sandbox.knobs.injectFault({ path: /\/children$/, kind: { type: 'status', status: 403 } });
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { id subfolders { totalCount } } }`, { id: deepFolderPath[0]! });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.body.errors![0]!.path).toEqual(['folder', 'subfolders']);
    expect(stack.apiCalls({ path: /\/children$/ })).toBe(1);
  });

  // Persistent faults: reads are retried twice (3 attempts) when a retry can help, once otherwise.
  for (const [name, kind, attempts] of [
    ['a 500', { type: 'status', status: 500 }, 3],
    ['a 503', { type: 'status', status: 503 }, 3],
    ['an HTML body', { type: 'nonJson' }, 1],
    ['JSON served as text/plain', { type: 'wrongContentType' }, 1],
    ['a truncated body', { type: 'truncate' }, 3],
    ['a reset connection', { type: 'reset' }, 3],
  ] as const) {
    it(`maps ${name} to UPSTREAM_UNAVAILABLE after ${attempts} attempt(s), with no upstream detail`, async () => {
      stack.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind, times: Infinity });
      const res = await stack.gql(FOLDER, { id: id() });
      expect(res.body.data!.folder).toBeNull();
      expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(res.raw).not.toMatch(/stack|at \w+ \(|127\.0\.0\.1|work\/api/);
      expect(stack.apiCalls({ path: /\/folders\/[^/]+$/ })).toBe(attempts);
    });
  }

  it('keeps the rest of the data when one list fails', async () => {
    const [a, b] = [stack.sandbox.ids.bigFolder, stack.sandbox.ids.deepFolderPath[0]!];
    stack.sandbox.knobs.injectFault({
      path: `/work/api/v2/customers/${stack.sandbox.customerId}/libraries/${a.split('!')[0]}/folders/${a}/children`,
      kind: { type: 'status', status: 500 },
      times: Infinity,
    });
    const res = await stack.gql(
      `{ a: folder(id: "${a}") { subfolders(first: 3) { totalCount } } b: folder(id: "${b}") { subfolders(first: 3) { totalCount } } }`,
    );
    expect(res.body.data!.a).toEqual({ subfolders: null });
    expect(res.body.data!.b.subfolders.totalCount).toBeGreaterThan(0);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]).toMatchObject({ path: ['a', 'subfolders'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });

  it('signs in again once when iManage expires every token, then answers', async () => {
    stack.sandbox.knobs.expireAllTokens();
    const results = await Promise.all(Array.from({ length: 10 }, () => stack.gql(FOLDER, { id: id() })));
    for (const res of results) expect(res.body.errors).toBeUndefined();
    expect(stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/token' })).toBe(1);
  });
});

describe('timeouts', () => {
  it('ends a call iManage stalls on with UPSTREAM_UNAVAILABLE within the configured timeout', async () => {
    const quick = await startStack({ env: { IMANAGE_TIMEOUT_MS: '300', OPERATION_DEADLINE_MS: '1500' } });
    try {
      quick.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'stall', ms: 5000 }, times: Infinity });
      const res = await quick.gql(FOLDER, { id: quick.sandbox.ids.deepFolderPath[0]! });
      expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
      quick.sandbox.knobs.clearFaults();
      quick.services.upstream.reset();
      quick.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'stallBody', ms: 5000 }, times: Infinity });
      const body = await quick.gql(FOLDER, { id: quick.sandbox.ids.deepFolderPath[0]! });
      expect(codes(body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    } finally {
      await quick.close();
    }
  });
});

describe('secrets', () => {
  it('never puts an iManage token or the app token in a log line or a response', async () => {
    const connection = (await stack.services.connections.forUser('demo'))!;
    const imanageToken = await connection.tokens.current();
    const appToken = await stack.token('demo');
    stack.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'status', status: 500 }, times: Infinity });
    const responses = [
      await stack.gql(FOLDER, { id: stack.sandbox.ids.deepFolderPath[0]! }, { token: appToken }),
      await stack.gql(`{ customer { libraries { id } } viewer { imanage { status } } }`, {}, { token: appToken }),
      await stack.gql(`{ nope }`, {}, { token: appToken }),
    ];
    const everything = [...stack.logs, ...responses.map((r) => r.raw)].join('\n');
    expect(stack.logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(imanageToken);
    expect(everything).not.toContain(appToken);
    expect(everything).not.toContain(stack.sandbox.users.demo!.password);
    expect(everything).not.toContain(stack.sandbox.apps.default.clientSecret);
  });

  it('masks unexpected errors as INTERNAL with no detail', () => {
    const masked = maskError(new GraphQLError('boom', { originalError: new Error('db password is hunter2'), path: ['folder'] })) as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions.code).toBe('INTERNAL');
    expect(masked.path).toEqual(['folder']);
    expect(JSON.stringify(masked)).not.toContain('hunter2');
  });

  it('logs one line per operation with its request id and upstream call count', async () => {
    const before = stack.logs.length;
    const res = await stack.gql(FOLDER, { id: stack.sandbox.ids.deepFolderPath[0]! });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = stack.logs
      .slice(before)
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'graphql operation');
    expect(line).toMatchObject({ requestId, upstreamCalls: 1, errorCodes: [] });
  });
});
