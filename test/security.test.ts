import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../src/config.js';
import { exampleOperations } from '../src/graphql/examples.js';
import { CSRF_HEADER } from '../src/server.js';
import { startStack, useStack, type Stack } from './helpers/stack.js';
import { expectLimit, expectSafe, postJson, raw } from './support/hostile.js';

/**
 * The security suite of issue 5, over HTTP: hostile documents and requests are refused before any
 * resolver runs (zero iManage calls), nothing leaks, and the server stays up. `stack` is sandbox mode
 * (GraphiQL, introspection and suggestions on); `prod` has them off as outside sandbox mode, and CORS
 * configured.
 */

const APP_ORIGIN = 'https://app.example.com';
const stack = useStack();
const prod = useStack({
  env: { INTROSPECTION: 'false', FIELD_SUGGESTIONS: 'false', GRAPHIQL: 'false', CORS_ORIGINS: `${APP_ORIGIN},https://admin.example.com` },
  connect: [{ appUser: 'demo', sandboxUser: 'demo' }],
});

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

describe('realistic operations pass every limit', () => {
  it('the README tree query', async () => {
    const res = await postJson(stack, {
      query: `{ customer { libraries { id workspaces(first: 5) { edges { node { name
        folders { edges { node { name subfolders { totalCount } } } } } } } } } }`,
    });
    expectSafe(res);
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.customer.libraries.length).toBeGreaterThan(0);
  });

  it("GraphiQL's introspection query", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      oneOf: true,
    });
    const res = await postJson(stack, { query });
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.__schema.types.length).toBeGreaterThan(10);
    expect(stack.apiCalls()).toBe(0);
  });

  it.each(['WhoAmI', 'BrowseMatters', 'FindFolders', 'FolderPage'])(
    'the GraphiQL example %s, sent as GraphiQL sends it (the whole document)',
    async (operationName) => {
      const variables = operationName === 'FolderPage' ? { id: stack.sandbox.ids.bigFolder } : {};
      const res = await postJson(stack, { query: exampleOperations, operationName, variables });
      expectSafe(res);
      expect(res.json.errors).toBeUndefined();
    },
  );

  it('fetching many folders by id at once, with aliases', async () => {
    const list = await stack.gql(`{ library(id: "ACTIVE_US") { folders(first: ${QUERY_LIMITS.maxAliases}) { edges { node { id } } } } }`);
    const ids = list.body.data!.library.folders.edges.map((e: any) => e.node.id as string);
    expect(ids).toHaveLength(QUERY_LIMITS.maxAliases);
    const res = await postJson(stack, { query: `{ ${ids.map((id: string, i: number) => `f${i}: folder(id: "${id}") { id name }`).join(' ')} }` });
    expectSafe(res);
    expect(res.json.errors).toBeUndefined();
    expect(Object.keys(res.json.data)).toHaveLength(QUERY_LIMITS.maxAliases);
  });
});

describe('hostile documents are refused before any resolver runs', () => {
  it('alias overloading: 500 aliased __typename', async () => {
    const res = await postJson(stack, { query: `{ ${repeat(500, (i) => `a${i}: __typename`)} }` });
    expectLimit(res, 'identicalSelections');
    expect(res.status).toBe(400);
    expect(stack.apiCalls()).toBe(0);
  });

  it('alias overloading: more aliased lookups than the limit', async () => {
    const res = await postJson(stack, { query: `{ ${repeat(QUERY_LIMITS.maxAliases + 1, (i) => `f${i}: folder(id: "ACTIVE_US!${1000 + i}") { id }`)} }` });
    expectLimit(res, 'aliases');
    expect(stack.apiCalls()).toBe(0);
  });

  it('the same field selected over and over, unaliased (quadratic to validate)', async () => {
    // Refused before graphql-js compares the copies pairwise.
    // Each twice: the second answer comes from the verdict remembered for the parsed document.
    for (const query of [`{ ${'__typename '.repeat(1_500)} }`, `{ ${'viewer { id } '.repeat(390)} }`]) {
      expectLimit(await postJson(stack, { query }), 'identicalSelections');
      expectLimit(await postJson(stack, { query }), 'identicalSelections');
    }
    expect(stack.apiCalls()).toBe(0);
  });

  it('batched queries (a JSON array body)', async () => {
    const res = await postJson(stack, [{ query: '{ viewer { id } }' }, { query: '{ customer { id } }' }]);
    expectSafe(res);
    expect(res.status).toBe(400);
    expect(res.json.data ?? null).toBeNull();
    expect(res.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(stack.apiCalls()).toBe(0);
  });

  it('directive overloading', async () => {
    const res = await postJson(stack, { query: `{ __typename ${'@include(if: true) '.repeat(200)} }` });
    expectLimit(res, 'directives');
    expect(stack.apiCalls()).toBe(0);
  });

  it('circular introspection', async () => {
    const query = '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
    expectLimit(await postJson(stack, { query }), 'introspectionDepth');
    expectLimit(await postJson(stack, { query }), 'introspectionDepth');
    const viaType = '{ __type(name: "Folder") { fields { type { fields { type { fields { type { name } } } } } } } }';
    expectLimit(await postJson(stack, { query: viaType }), 'introspectionDepth');
    const viaFragments = `{ __schema { types { ...T } } }
      fragment T on __Type { fields { type { ...U } } }
      fragment U on __Type { fields { type { ...V } } }
      fragment V on __Type { fields { name } }`;
    expectLimit(await postJson(stack, { query: viaFragments }), 'introspectionDepth');
    expect(stack.apiCalls()).toBe(0);
  });

  it('deep queries', async () => {
    const res = await postJson(stack, {
      query: `{ folder(id: "${stack.sandbox.ids.deepFolderPath.at(-1)}") { ${'parent { '.repeat(30)}id${' }'.repeat(30)} } }`,
    });
    expectLimit(res, 'depth');
    expect(stack.apiCalls()).toBe(0);
  });

  // The static estimate is a guard against absurd documents (100 000 calls; a real operation is stopped
  // by MAX_UPSTREAM_CALLS_PER_OPERATION as it runs): three nested pages of 100 go past it.
  it('wide queries: nested pages of 100, by literal or by variable', async () => {
    const literal = `{ library(id: "ACTIVE_US") { folders(first: 100) { edges { node {
      subfolders(first: 100) { edges { node { subfolders(first: 100) { edges { node { subfolders { totalCount } } } } } } } } } } } }`;
    expectLimit(await postJson(stack, { query: literal }), 'cost');
    const variables = `query($n: Int) { library(id: "ACTIVE_US") { folders(first: $n) { edges { node {
      subfolders(first: $n) { edges { node { subfolders(first: $n) { edges { node { subfolders { totalCount } } } } } } } } } } } }`;
    expectLimit(await postJson(stack, { query: variables, variables: { n: 100 } }), 'cost');
    // Wide by aliases: ten copies of a page of 100 folders, each listing 100 subfolders' subfolders.
    const aliased = `{ library(id: "ACTIVE_US") { ${repeat(10, (i) => `p${i}: folders(first: 100, query: "${i}") { edges { node { subfolders(first: 100) { edges { node { subfolders { totalCount } } } } } } }`)} } }`;
    expectLimit(await postJson(stack, { query: aliased }), 'cost');
    expect(stack.apiCalls()).toBe(0);
  });

  it('the cost of one document follows its variables from request to request', async () => {
    const query = `query($n: Int) { library(id: "ACTIVE_US") { folders(first: $n) { edges { node {
      subfolders(first: $n) { edges { node { subfolders(first: $n) { edges { node { subfolders { totalCount } } } } } } } } } } } }`;
    expectLimit(await postJson(stack, { query, variables: { n: 100 } }), 'cost');
    const small = await postJson(stack, { query, variables: { n: 1 } });
    expect(small.json.errors).toBeUndefined();
    expectLimit(await postJson(stack, { query, variables: { n: 100 } }), 'cost');
    // Without variables the verdict is remembered for the document: refused again, and again at no call.
    const literal = `{ library(id: "ACTIVE_US") { folders(first: 100) { edges { node { subfolders(first: 100) { edges { node { subfolders(first: 100) { edges { node { subfolders { totalCount } } } } } } } } } } } }`;
    stack.resetCounts();
    expectLimit(await postJson(stack, { query: literal }), 'cost');
    expectLimit(await postJson(stack, { query: literal }), 'cost');
    expect(stack.apiCalls()).toBe(0);
  });

  it('too many tokens', async () => {
    const res = await postJson(stack, { query: `{ ${repeat(600, (i) => `f${i % 5}: viewer { id }`)} }` });
    expectLimit(res, 'tokens');
    expect(stack.apiCalls()).toBe(0);
  });

  it('fragment bombs (every fragment spreads the next twice: 2^30 paths) are refused at once', async () => {
    const bomb = (selection: (i: number) => string) =>
      `{ ...F0 }\n` +
      repeat(30, (i) => (i === 29 ? `fragment F${i} on Query { ${selection(i)} }` : `fragment F${i} on Query { ${selection(i)} ...F${i + 1} ...F${i + 1} }`));
    // The same field in every fragment: all merge into one selection set.
    // (Were any check to walk every path, this test would time out.)
    expectLimit(await postJson(stack, { query: bomb(() => '__typename') }), 'identicalSelections');
    // A different lookup in each: counted per path, as armor counts aliases.
    expectLimit(await postJson(stack, { query: bomb((i) => `t${i}: __type(name: "T${i}") { name }`) }), 'aliases');
    expect(stack.apiCalls()).toBe(0);
  });

  it('oversized bodies: 413 by content-length, and while streaming without one', async () => {
    const body = JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(QUERY_LIMITS.maxRequestBodyBytes) } });
    const sized = await postJson(stack, body);
    expect(sized.status).toBe(413);
    expectLimit(sized, 'bodySize');
    expect(sized.headers.get('connection')).toBe('close');

    const huge = new TextEncoder().encode(JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(5_000_000) } }));
    const streamed = await raw(stack, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let offset = 0; offset < huge.length; offset += 64 * 1024) controller.enqueue(huge.slice(offset, offset + 64 * 1024));
          controller.close();
        },
      }),
    });
    expect(streamed.status).toBe(413);
    expectLimit(streamed, 'bodySize');
    expect(stack.apiCalls()).toBe(0);
  });

  it('a content-length that is not a number of bytes is refused with 400 (in process: over HTTP Node refuses it first)', async () => {
    const res = await stack.app.yoga.fetch('http://in-process/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '12, 12', authorization: `Bearer ${await stack.token()}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors[0]!.message).toMatch(/Content-Length/);
  });

  it('garbage bodies and odd requests are refused, never with a 5xx', async () => {
    const cases: Array<Parameters<typeof raw>[1]> = [
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"{ viewer { id } }"' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": 42}' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ viewer { id } }", "variables": [1]}' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ viewer { id } }", "extensions": "x", "foo": 1}' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '\u0000\u0001\u0002' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' },
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query": "{ viewer { id } }"}' },
      { method: 'DELETE' },
      { method: 'POST', headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' }, body: '{"query": "subscription { x }"}' },
    ];
    // A query string longer than Node accepts in a request line (431).
    const longGet = await raw(stack, { query: { query: `{ ${'__typename '.repeat(3_000)} }` }, headers: { [CSRF_HEADER]: '1' } });
    expect(longGet.status).toBeGreaterThanOrEqual(400);
    expect(longGet.status).toBeLessThan(500);
    for (const init of cases) {
      const res = await raw(stack, { ...init, headers: { accept: 'application/graphql-response+json', ...(init!.headers as Record<string, string>) } });
      expectSafe(res);
      expect(res.json?.data ?? null, `${init!.method} ${String(init!.body)}`).toBeNull();
    }
    expect(stack.apiCalls()).toBe(0);
  });
});

describe('HTTP hygiene', () => {
  it('GET runs queries only with the CSRF header, and never mutations', async () => {
    const query = await raw(stack, { query: { query: '{ viewer { id } }' }, headers: { [CSRF_HEADER]: '1' } });
    expect(query.status).toBe(200);
    expect(query.json).toEqual({ data: { viewer: { id: 'demo' } } });

    const noHeader = await raw(stack, { query: { query: '{ viewer { id } }' } });
    expect(noHeader.status).toBe(403);
    expectSafe(noHeader);

    for (const headers of [{ [CSRF_HEADER]: '1' }, {} as Record<string, string>]) {
      const mutation = await raw(stack, { query: { query: 'mutation { disconnectIManage { id } }' }, headers });
      expectSafe(mutation);
      expect([403, 405]).toContain(mutation.status);
      expect(mutation.json.data ?? null).toBeNull();
    }
    // Nothing was disconnected.
    const after = await stack.gql('{ viewer { imanage { status } } }');
    expect(after.body.data).toEqual({ viewer: { imanage: { status: 'CONNECTED' } } });
    expect(stack.apiCalls()).toBe(0);
  });

  it('refuses "simple" cross-site POSTs: form-encoded, text/plain and multipart', async () => {
    const query = '{ viewer { id } }';
    const posts: Array<[string, string | FormData]> = [
      ['application/x-www-form-urlencoded', new URLSearchParams({ query }).toString()],
      ['text/plain', JSON.stringify({ query })],
      ['text/plain;charset=UTF-8', JSON.stringify({ query: 'mutation { disconnectIManage { id } }' })],
    ];
    for (const [type, body] of posts) {
      const res = await raw(stack, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status, type).toBe(403);
      expectSafe(res);
      expect(res.json.data ?? null).toBeNull();
    }
    const form = new FormData();
    form.set('operations', JSON.stringify({ query }));
    form.set('map', '{}');
    const multipart = await raw(stack, { method: 'POST', body: form });
    expect(multipart.status).toBe(403);
    // With the CSRF header, a multipart request is one (uploads use it): a browser cannot add the
    // header cross-site without a preflight, which CORS refuses.
    const withHeader = await raw(stack, { method: 'POST', body: form, headers: { [CSRF_HEADER]: '1' } });
    expectSafe(withHeader);
    expect(withHeader.status).toBe(200);
    expect(withHeader.json.data).toEqual({ viewer: { id: 'demo' } });
    expect(stack.apiCalls()).toBe(0);
  });

  it('CORS answers the configured origins only, never with credentials', async () => {
    const preflight = (target: Stack, origin: string) =>
      raw(target, {
        method: 'OPTIONS',
        token: null,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const call = (target: Stack, origin: string) => postJson(target, { query: '{ __typename }' }, { origin });

    const allowed = await preflight(prod, APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await call(prod, APP_ORIGIN)).headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);

    for (const origin of ['https://evil.example', 'null', `${APP_ORIGIN}.evil.example`]) {
      for (const res of [await preflight(prod, origin), await call(prod, origin)]) {
        expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      }
    }
    // Without CORS_ORIGINS, no CORS headers for anyone.
    for (const res of [await preflight(stack, APP_ORIGIN), await call(stack, APP_ORIGIN)]) {
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('Vary: Origin wherever CORS could answer, with one configured origin or several', async () => {
    const single = await startStack({ env: { CORS_ORIGINS: APP_ORIGIN }, connect: [] });
    try {
      const varies = (res: { headers: Headers }) => (res.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());
      for (const target of [single, prod]) {
        const preflight = await raw(target, {
          method: 'OPTIONS',
          token: null,
          headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
        expect(varies(preflight)).toEqual(expect.arrayContaining(['origin', 'access-control-request-headers']));
        for (const origin of [APP_ORIGIN, 'https://evil.example']) {
          for (const token of [undefined, null]) {
            const res = await raw(target, {
              method: 'POST',
              token,
              headers: { origin, 'content-type': 'application/json' },
              body: JSON.stringify({ query: '{ __typename }' }),
            });
            expect(res.headers.get('access-control-allow-origin')).toBe(origin === APP_ORIGIN ? APP_ORIGIN : null);
            expect(varies(res), `${origin} ${res.status}`).toContain('origin');
            // A browser app may read why its token was refused.
            if (origin === APP_ORIGIN) expect(res.headers.get('access-control-expose-headers')).toMatch(/www-authenticate/i);
          }
        }
      }
    } finally {
      await single.close();
    }
  });

  it("Cache-Control: no-store on every answer but GraphiQL's static assets", async () => {
    const answers = await Promise.all([
      postJson(stack, { query: '{ viewer { id } }' }),
      postJson(stack, { query: '{ foldr { id } }' }),
      postJson(stack, { query: `{ ${repeat(60, (i) => `a${i}: viewer { id }`)} }` }),
      raw(stack, { method: 'POST', token: null, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { id } }' }) }),
      raw(stack, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
      raw(stack, { query: { query: '{ viewer { id } }' }, headers: { [CSRF_HEADER]: '1' } }),
      raw(stack, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '200000' }, body: 'x'.repeat(200_000) }),
      raw(stack, { headers: { accept: 'text/html' }, token: null }), // GraphiQL's page: it carries the dev token in sandbox mode
      raw(stack, { path: '/connect/imanage', token: null }), // no ticket
      raw(stack, { path: '/connect/imanage', query: { token: 'not.a.jwt' }, token: null }), // the old flow's token in a URL: refused
      raw(stack, { path: '/connect/imanage/callback', query: { code: 'x', state: 'unknown' }, token: null }),
      raw(stack, { path: '/healthz', token: null }),
      raw(stack, { path: '/readyz', token: null }),
      postJson(prod, { query: '{ viewer { id } }' }),
      raw(prod, { method: 'POST', token: 'not.a.jwt', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { id } }' }) }),
    ]);
    expect(answers.map((res) => res.status)).toEqual([200, 400, 400, 401, 403, 200, 413, 200, 400, 400, 400, 200, 200, 200, 401]);
    for (const res of answers) expect(res.headers.get('cache-control'), `${res.status} ${res.text.slice(0, 80)}`).toBe('no-store');
    // The bundle's files are the same for everyone, and large: browsers may keep them.
    const asset = await raw(stack, { path: '/graphiql/graphiql.css', token: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('no field suggestions outside sandbox mode, wherever graphql-js would make them', async () => {
    const cases = [
      '{ viewer { idd } }',
      '{ library(id: "ACTIVE_US") { workspaces(frist: 3) { totalCount } } }',
      '{ folder(id: "ACTIVE_US!1") { ...F } } fragment F on Foldr { id }',
      'mutation { createSubfolder(input: { parentId: "ACTIVE_US!1", name: "x", defaultSecurity: PUBLI }) { replayed } }',
      'mutation { createSubfolder(input: { parentId: "ACTIVE_US!1", nam: "x" }) { replayed } }',
    ];
    for (const query of cases) {
      const res = await postJson(prod, { query });
      expectSafe(res);
      expect(res.json.errors.length).toBeGreaterThan(0);
      expect(res.text).not.toMatch(/did you mean/i);
      // Sandbox mode keeps them: they help in GraphiQL.
      expect((await postJson(stack, { query })).text).toMatch(/Did you mean/);
    }
    // Variable coercion errors too (raised when execution starts, not by validation).
    const coercion = await postJson(prod, {
      query: 'mutation($s: DefaultSecurity) { createSubfolder(input: { parentId: "ACTIVE_US!1", name: "x", defaultSecurity: $s }) { replayed } }',
      variables: { s: 'PUBLI' },
    });
    expectSafe(coercion);
    expect(coercion.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(coercion.text).toMatch(/PUBLI/);
    expect(coercion.text).not.toMatch(/did you mean/i);
    expect(prod.apiCalls()).toBe(0);
  });

  it('introspection off outside sandbox mode; __typename still answers', async () => {
    for (const query of [getIntrospectionQuery(), '{ __type(name: "Folder") { name } }', '{ viewer { id } __schema { queryType { name } } }']) {
      const res = await postJson(prod, { query });
      expectSafe(res);
      expect(res.json.data ?? null).toBeNull();
      expect(res.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    expect((await postJson(prod, { query: '{ __typename }' })).json).toEqual({ data: { __typename: 'Query' } });
    expect((await postJson(stack, { query: '{ __type(name: "Folder") { name } }' })).json).toEqual({ data: { __type: { name: 'Folder' } } });
    expect(prod.apiCalls()).toBe(0);
  });

  it('without a valid token, 401 UNAUTHENTICATED before the document is looked at: nothing of the schema shows', async () => {
    const documents = [
      '{ foldr { id } }',
      '{ viewer { idd } }',
      '{ viewer {',
      '{ __schema { types { name } } }',
      '{ __type(name: "Folder") { fields { name } } }',
      'query($x: Foldr) { __typename }',
    ];
    for (const target of [stack, prod]) {
      for (const token of [null, 'not.a.jwt']) {
        for (const query of documents) {
          const res = await raw(target, {
            method: 'POST',
            token,
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
            body: JSON.stringify({ query }),
          });
          expectSafe(res);
          expect(res.status, query).toBe(401);
          expect(res.json.errors, res.text).toHaveLength(1);
          expect(res.json.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
          expect(res.text).not.toMatch(/Cannot query|Did you mean|Syntax Error|Unknown type|Folder|__schema/);
        }
        // GET (with the CSRF header) too.
        const get = await raw(target, { token, query: { query: '{ foldr { id } }' }, headers: { [CSRF_HEADER]: '1' } });
        expect(get.status).toBe(401);
        expect(get.text).not.toMatch(/Cannot query/);
      }
    }
    // With a valid token, the same documents get graphql-js's own answer (sandbox mode names the field).
    expect((await postJson(stack, { query: '{ foldr { id } }' })).json.errors[0].message).toMatch(/Cannot query field "foldr"/);
    expect(stack.apiCalls() + prod.apiCalls()).toBe(0);
  });

  it('GraphiQL is served in sandbox mode only (by default)', async () => {
    const page = (target: Stack) => raw(target, { headers: { accept: 'text/html' }, token: null });
    expect((await page(stack)).text).toMatch(/graphiql/i);
    // Off, a browser gets a short page saying how to query, without GraphiQL's code.
    const off = (await page(prod)).text;
    expect(off).not.toMatch(/yoga-graphiql|<script/i);
    expect(off).toContain('GRAPHIQL=false');
  });

  it('no trace or debug output, and no token or secret, in any answer', async () => {
    const answers = await Promise.all([
      postJson(stack, { query: '{ folder(id: "ACTIVE_US!999999999") { id } }' }),
      postJson(stack, { query: '{ folder(id: "not an id") { id } }' }),
      postJson(stack, { query: '{ viewer { id } }' }, { authorization: 'Bearer not.a.jwt' }),
      postJson(stack, { query: '{ viewer {' }),
      postJson(stack, { query: 'query($x: Int!) { __typename }', variables: { x: 'nope' } }),
    ]);
    const token = await stack.token('demo');
    for (const res of answers) {
      expectSafe(res);
      expect(res.text).not.toContain(token);
      expect(res.text).not.toContain('test-secret');
    }
  });
});

describe('unexpected failures', () => {
  it('are masked as INTERNAL, logged with their cause, and make /readyz answer 503', async () => {
    const broken = await startStack({ connect: [] });
    try {
      // The token store going away under the server: an exception nobody planned for.
      await broken.services.store.close();
      const res = await postJson(broken, { query: '{ viewer { id } }' }, { 'x-request-id': 'req-masked-0001' });
      expectSafe(res);
      expect(res.json.errors).toEqual([{ message: 'Unexpected error.', extensions: { code: 'INTERNAL' } }]);
      // The cause is in the log, with the request id; the answer has neither.
      const logged = broken.logs.filter((line) => line.includes('req-masked-0001'));
      expect(logged.join('\n')).toMatch(/not open/);
      expect(res.text).not.toMatch(/not open|database/i);

      const ready = await raw(broken, { path: '/readyz', token: null });
      expect(ready.status).toBe(503);
      expect(ready.text.trim()).toBe('not ready');
      expect((await raw(broken, { path: '/healthz', token: null })).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

describe('after all of that', () => {
  it('the server still answers a normal query', async () => {
    const res = await stack.gql('{ viewer { id } customer { libraries { id } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.viewer).toEqual({ id: 'demo' });
  });
});
