import { describe, expect, it } from 'vitest';
import { startStack, useStack } from './helpers/stack.js';

/** `GET /metrics`: the series the README promises, and no user data in any label. */

const stack = useStack({ env: { METRICS_OPERATION_NAMES: 'KnownOperation' } });

async function scrape(headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${stack.url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Every label value of every sample. */
function labelValues(text: string): string[] {
  return [...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/="((?:[^"\\]|\\.)*)"/g)].map((v) => v[1]!));
}

describe('/metrics', () => {
  it('exposes operations, iManage calls by endpoint and status, retries and limit rejections, without user data', async () => {
    const { ids, users } = stack.sandbox;
    const folders = ids.deepFolderPath;
    await stack.gql(`query KnownOperation($id: ID!) { folder(id: $id) { name path { name } workspace { name } } }`, { id: folders.at(-1) });
    await stack.gql(`query SecretClientName${'x'.repeat(20)} { a: folder(id: "${folders[0]}") { name } b: folder(id: "${folders[1]}") { name } }`);
    await stack.gql(`{ folder(id: "${ids.privateFolderOfOther}") { name } }`); // NOT_FOUND: an error outcome
    await stack.gql(`{ folder(id: "A!1") { ${'parent { '.repeat(16)}name${' }'.repeat(16)} } }`); // too deep: refused
    await stack.gql(`{ viewer { id } }`, {}, { token: null }); // no token: rejected
    const big = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ viewer { id } }${' '.repeat(200_000)}` }),
    });
    expect(big.status).toBe(413);
    stack.sandbox.knobs.expireAllTokens(); // the next call is refused: one refresh
    await stack.gql(`{ folder(id: "${folders[0]}") { name } }`);
    stack.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'status', status: 503 }, times: 1 });
    await stack.gql(`query KnownOperation($id: ID!) { folder(id: $id) { name } }`, { id: ids.emptyFolder });

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^graphql_operation_duration_seconds_count\{type="query",operation="KnownOperation",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^graphql_operation_duration_seconds_count\{type="query",operation="other",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^graphql_operation_duration_seconds_count\{type="query",operation="anonymous",outcome="error"\} [1-9]/m);
    expect(text).toMatch(/^graphql_operation_duration_seconds_count\{type="unknown",operation="anonymous",outcome="rejected"\} [1-9]/m);
    expect(text).toMatch(/^graphql_limit_rejections_total\{limit="depth"\} 1$/m);
    expect(text).toMatch(/^imanage_request_duration_seconds_count\{operation="GET \/libraries\/\{lib\}\/folders\/\{id\}",status="200"\} [1-9]/m);
    expect(text).toMatch(/^imanage_request_duration_seconds_count\{operation="GET \/libraries\/\{lib\}\/folders\/\{id\}",status="503"\} 1$/m);
    expect(text).toMatch(/^imanage_request_duration_seconds_count\{operation="GET \/libraries\/\{lib\}\/folders\?include_ids",status="200"\} 1$/m);
    expect(text).toMatch(/^imanage_retries_total\{operation="GET \/libraries\/\{lib\}\/folders\/\{id\}",reason="503"\} 1$/m);
    expect(text).toMatch(/^graphql_limit_rejections_total\{limit="bodySize"\} 1$/m);
    expect(text).toMatch(/^imanage_token_refreshes_total\{outcome="ok"\} 1$/m);
    expect(text).toMatch(/^imanage_circuit_breakers_open 0$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);

    // No ids, names, user ids or operation names from clients: only fixed words, templates and codes.
    const values = labelValues(text);
    expect(values.length).toBeGreaterThan(10);
    const secrets = [
      ...folders,
      ids.privateFolderOfOther,
      ids.workspaceWithDeepTree,
      users.demo!.id,
      'demo',
      'SecretClientName',
      'ACTIVE_US',
      String(stack.sandbox.customerId),
    ];
    for (const value of values) {
      for (const secret of secrets) expect(value).not.toContain(secret);
      expect(value).not.toMatch(/!/);
    }
  });

  it('needs the token when METRICS_TOKEN is set, and is absent when METRICS is false', async () => {
    const guarded = await startStack({ sharedSandbox: stack.sandbox, connect: [], env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    const off = await startStack({ sharedSandbox: stack.sandbox, connect: [], env: { METRICS: 'false' } });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-012345678X' } })).status).toBe(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
      expect((await fetch(`${guarded.url}/metrics`, { method: 'POST', headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(405);
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await guarded.close();
      await off.close();
    }
  });
});
