import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.js';

/**
 * The router in front of Yoga (src/http/router.ts), over HTTP: which path and method reaches what,
 * the headers every answer carries, and the HTTP status GraphQL answers get by `Accept`.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });
});
afterAll(async () => {
  await stack?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with its target sent exactly as written (fetch would resolve `..` and `\` first). */
function sendRaw(method: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('routing', () => {
  it('answers an unknown path 404, with the headers every answer carries', async () => {
    for (const path of ['/', '/nope', '/graphql/extra', '/healthz/', '/GRAPHQL', '/connect', '/connect/imanage/other', '/metrics2']) {
      const res = await sendRaw('GET', path, { 'x-request-id': 'router-test-0001' });
      expect(res.status, path).toBe(404);
      expect(res.headers['x-request-id'], path).toBe('router-test-0001');
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
    expect(stack.logs.join('\n')).not.toMatch(/"level":50/);
  });

  it('answers a method a route does not serve 405 with Allow', async () => {
    for (const [method, path, allow] of [
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/readyz', 'GET, HEAD'],
      ['POST', '/connect/imanage', 'GET'],
      ['PUT', '/connect/imanage/callback', 'GET'],
      ['POST', '/metrics', 'GET'],
    ] as const) {
      const res = await sendRaw(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow, `${method} ${path}`).toBe(allow);
    }
  });

  it('leaves every method on /graphql to Yoga (PUT is refused there, with its own Allow)', async () => {
    const res = await sendRaw('PUT', '/graphql', { 'content-type': 'application/json' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toMatch(/GET, POST/);
  });

  it('answers HEAD like GET without a body', async () => {
    for (const path of ['/healthz', '/readyz', '/graphiql/graphiql.css', '/favicon.ico']) {
      const get = await sendRaw('GET', path);
      const head = await sendRaw('HEAD', path);
      expect(head.status, path).toBe(get.status);
      expect(head.headers['content-type'], path).toBe(get.headers['content-type']);
      expect(head.text, path).toBe('');
    }
  });

  it('matches paths as sent: dot segments and backslashes are not resolved into a route', async () => {
    for (const path of ['/graphql/../readyz', '/graphiql/../readyz', '/./readyz', '/\\readyz', '//readyz', '/graphql/..%2freadyz', '/graphql%2f..%2freadyz']) {
      const res = await sendRaw('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.text.trim(), path).not.toBe('ready');
    }
    // A target that does not start with `/` never reaches the router: Node's HTTP parser refuses it.
    expect((await sendRaw('GET', '\\readyz')).status).toBe(400);
    // An unreserved character percent-encoded is the same path (RFC 3986 §2.3): `%79` is `y`.
    expect((await sendRaw('GET', '/read%79z')).text.trim()).toBe('ready');
    // A malformed escape is a bad request, answered by the router with its headers.
    const bad = await sendRaw('GET', '/%zz');
    expect(bad.status).toBe(400);
    expect(bad.headers['x-request-id']).toBeTruthy();
  });

  it('answers /readyz and /healthz with any query string', async () => {
    for (const path of ['/readyz?', '/readyz?verbose=1', '/readyz?x=/graphql', '/healthz?probe=k8s&x=%2e%2e']) {
      const res = await sendRaw('GET', path);
      expect(res.status, path).toBe(200);
    }
    expect((await sendRaw('GET', '/readyz?verbose=1')).text.trim()).toBe('ready');
  });

  it('does not answer a GraphQL request whose URL merely ends like another route', async () => {
    const token = await stack.token('demo');
    for (const tail of ['/readyz', '/healthz', '/health', '/metrics']) {
      const query = encodeURIComponent('{ __typename }');
      const res = await sendRaw('GET', `/graphql?query=${query}&x=${tail}`, {
        accept: 'application/json',
        'x-graphql-yoga-csrf': '1',
        authorization: `Bearer ${token}`,
      });
      expect(res.status, tail).toBe(200);
      expect(JSON.parse(res.text), tail).toEqual({ data: { __typename: 'Query' } });
    }
  });
});

describe('/favicon.ico', () => {
  it('answers 204 (no icon), which browsers take without an error, and may be kept', async () => {
    const res = await fetch(`${stack.url}/favicon.ico`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
  });
});

describe('HTTP status of an invalid document, by Accept (GraphQL over HTTP)', () => {
  const ask = async (accept: string | null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('demo')}` };
    if (accept !== null) headers.accept = accept;
    const res = await fetch(`${stack.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: '{ viewer { nope } }' }) });
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    return { status: res.status, type: res.headers.get('content-type') };
  };

  it('400 when the answer is application/graphql-response+json (the client asks for it)', async () => {
    for (const accept of ['application/graphql-response+json', 'application/graphql-response+json, application/json']) {
      expect(await ask(accept)).toEqual({ status: 400, type: expect.stringMatching(/^application\/graphql-response\+json/) });
    }
  });

  it("200 when it is application/json: a client that accepts only that, any type (curl's */*), or says nothing", async () => {
    for (const accept of ['application/json', '*/*', null]) {
      expect(await ask(accept), String(accept)).toEqual({ status: 200, type: expect.stringMatching(/^application\/json/) });
    }
  });
});
