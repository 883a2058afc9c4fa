import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../src/sandbox/index.js';
import { useStack, type Stack } from './helpers/stack.js';

/**
 * OpenTelemetry traces across the hop (issue 19): the service exports OTLP/HTTP JSON to a receiver this
 * test runs on loopback, and the iManage spans of a trace are matched one to one with the sandbox's
 * request log, through the `traceparent` header the sandbox saw on each request.
 */

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean | Array<string | number | boolean>>;
  status: { code?: number; message?: string };
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  /** The span as the collector received it, all of it: for what must be in no part of any span. */
  raw: string;
}

/** An OTLP JSON attribute's value. */
function valueOf(value: any): any {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  // OTLP JSON: 64-bit integers may come as strings.
  return value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue));
}

function attributesOf(list: Array<{ key: string; value: unknown }> | undefined): Record<string, any> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

const SERVER = 2;
const CLIENT = 3;

/** An OTLP/HTTP receiver (JSON): every span posted to /v1/traces, in the order received. */
class OtlpReceiver {
  readonly spans: ExportedSpan[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
          this.take(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  clear(): void {
    this.spans.length = 0;
  }

  private take(body: any): void {
    for (const resource of body.resourceSpans ?? []) {
      for (const scope of resource.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          const attributes: ExportedSpan['attributes'] = attributesOf(span.attributes);
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes,
            status: span.status ?? {},
            events: (span.events ?? []).map((event: any) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
            raw: JSON.stringify(span),
          });
        }
      }
    }
  }
}

const receiver = new OtlpReceiver();
const env: Record<string, string> = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'imanage-graphql-test' };
// Before the stack's own beforeAll (hooks run in order), which reads `env`; closed after the stack's afterAll.
beforeAll(async () => {
  env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = await receiver.start();
});
afterAll(() => receiver.close());

const TREE = `query Tree { customer { libraries { id workspaces(first: 5) { edges { node { name
  folders(first: 10) { edges { node { name subfolders(first: 10) { totalCount edges { node { name hasSubfolders } } } } } } } } } } } }`;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`;

async function post(stack: Stack, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const res = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: unknown[] } };
}

/** The span id a sandbox log entry's `traceparent` names (the span of the call that sent it). */
function spanIdOf(entry: RequestLogEntry): string | undefined {
  return /^00-[0-9a-f]{32}-([0-9a-f]{16})-0[01]$/.exec(entry.traceparent ?? '')?.[1];
}

/** `span`'s ancestors, nearest first, among `spans`. */
function ancestors(span: ExportedSpan, spans: ExportedSpan[]): ExportedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ExportedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
  return chain;
}

/**
 * Every iManage span (kind client) matches one request in the sandbox's log, and every request one
 * span: the span the request's `traceparent` names, with the same method, path and status.
 */
function expectOneToOne(calls: ExportedSpan[], log: RequestLogEntry[]): void {
  expect(log.length).toBeGreaterThan(0);
  expect(calls).toHaveLength(log.length);
  const byId = new Map(calls.map((span) => [span.spanId, span]));
  const matched = new Set<string>();
  for (const entry of log) {
    const span = byId.get(spanIdOf(entry) ?? '');
    expect(span, `${entry.method} ${entry.path} was sent without the traceparent of a span`).toBeDefined();
    expect([span!.attributes['http.request.method'], span!.attributes['url.path'], span!.attributes['http.response.status_code']]).toEqual([
      entry.method,
      entry.path,
      entry.status,
    ]);
    expect(entry.traceparent).toBe(`00-${span!.traceId}-${span!.spanId}-01`);
    matched.add(span!.spanId);
  }
  expect(matched.size).toBe(calls.length);
}

describe('with an OTLP exporter configured', () => {
  const stack = useStack({ env });

  beforeEach(async () => {
    // Spans of the stack's start (connecting its users) and of earlier tests are out of the way.
    await stack.services.tracing!.forceFlush();
    receiver.clear();
  });

  it('traces a tree query under the caller’s traceparent: its iManage spans are the sandbox’s requests, one to one', async () => {
    const res = await post(stack, TREE, { traceparent: TRACEPARENT });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.customer.libraries.length).toBeGreaterThan(0);
    await stack.services.tracing!.forceFlush();
    const spans = receiver.spans;
    const log = stack.sandbox.log.entries();

    // Every span is in the caller's trace; the operation's span is the caller's span's child.
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([TRACE_ID]));
    const operations = spans.filter((s) => s.name === 'query.Tree');
    expect(operations).toHaveLength(1);
    const operation = operations[0]!;
    expect(operation.kind).toBe(SERVER);
    expect(operation.parentSpanId).toBe(CALLER_SPAN_ID);

    // A tree that deep makes several calls, each its own span, matched one to one with the log.
    const calls = spans.filter((s) => s.kind === CLIENT);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expectOneToOne(calls, log);
    for (const call of calls) {
      expect(call.name).toBe(`GET ${call.attributes['url.template']}`);
      expect(call.attributes['http.response.body.size']).toBeGreaterThan(0);
      // Each list page is loaded by the resolver of its field, within the operation.
      const [resolver, ...above] = ancestors(call, spans);
      expect(resolver!.name).toMatch(/^[A-Z]\w*\.\w+$/);
      expect(above).toEqual([operation]);
    }

    // Spans only where iManage was waited on: a resolver span for each resolver that made a call, not
    // one per field (the answer has far more fields than spans).
    const resolvers = spans.filter((s) => /^[A-Z]\w*\.\w+$/.test(s.name));
    for (const span of resolvers) expect(calls.some((call) => call.parentSpanId === span.spanId)).toBe(true);
    expect(new Set(resolvers.map((s) => s.name))).toEqual(new Set(['Customer.libraries', 'Library.workspaces', 'Workspace.folders', 'Folder.subfolders']));
    expect(spans).toHaveLength(1 + resolvers.length + calls.length);
  });

  it('puts the calls of a DataLoader batch under the batch’s span, under the resolver that started it', async () => {
    const [a, b] = stack.sandbox.ids.deepFolderPath.slice(1, 3);
    const res = await post(
      stack,
      'query Two($a: ID!, $b: ID!) { a: folder(id: $a) { name } b: folder(id: $b) { name } }',
      { traceparent: TRACEPARENT },
      { a, b },
    );
    expect(res.body.errors).toBeUndefined();
    await stack.services.tracing!.forceFlush();

    const spans = receiver.spans;
    const calls = spans.filter((s) => s.kind === CLIENT);
    expectOneToOne(calls, stack.sandbox.log.entries());
    // Two ids, one batch, one include_ids call.
    expect(calls.map((s) => s.attributes['url.template'])).toEqual(['/libraries/{lib}/folders?include_ids']);
    const [batch, resolver, operation, ...rest] = ancestors(calls[0]!, spans);
    expect([batch!.name, batch!.attributes['dataloader.name'], batch!.attributes['dataloader.batch.size']]).toEqual(['DataLoader folder', 'folder', 2]);
    // The first resolver to ask started the batch; the second joined it and waited under that one's span.
    expect(resolver!.name).toBe('Query.folder');
    expect(resolver!.attributes['graphql.resolver.path']).toBe('a');
    expect([operation!.name, rest]).toEqual(['query.Two', []]);
    expect(spans).toHaveLength(4);
  });

  it('gives each attempt of a retried call its own span, as the sandbox saw two requests', async () => {
    const folderId = stack.sandbox.ids.deepFolderPath[1]!;
    stack.sandbox.knobs.injectFault({ path: /\/folders\/[^/]+$/, kind: { type: 'status', status: 503 } });
    const res = await post(stack, 'query One($id: ID!) { folder(id: $id) { id name } }', { traceparent: TRACEPARENT }, { id: folderId });
    expect(res.body.errors).toBeUndefined();
    await stack.services.tracing!.forceFlush();

    const calls = receiver.spans.filter((s) => s.kind === CLIENT);
    expectOneToOne(calls, stack.sandbox.log.entries());
    const attempts = calls.filter((s) => s.attributes['url.template'] === '/libraries/{lib}/folders/{id}');
    expect(attempts.map((s) => [s.attributes['http.response.status_code'], s.attributes['http.request.resend_count'] ?? 0])).toEqual([
      [503, 0],
      [200, 1],
    ]);
    expect(attempts[0]!.attributes['error.type']).toBe('503');
    expect(attempts[0]!.status.code).toBe(2); // ERROR
  });

  it('starts a trace of its own without a traceparent, or with a malformed one', async () => {
    for (const headers of [{}, { traceparent: 'not-a-trace-context' }] as Array<Record<string, string>>) {
      receiver.clear();
      const res = await post(stack, 'query Libraries { customer { libraries { id } } }', headers);
      expect(res.body.errors).toBeUndefined();
      await stack.services.tracing!.forceFlush();
      const operation = receiver.spans.find((s) => s.name === 'query.Libraries')!;
      expect(operation.parentSpanId).toBe('');
      expect(operation.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(operation.traceId).not.toBe(TRACE_ID);
      expect(new Set(receiver.spans.map((s) => s.traceId))).toEqual(new Set([operation.traceId]));
    }
  });

  it('traces a plain route’s request (a download) as a server span, its iManage call under it', async () => {
    const documentId = stack.sandbox.ids.documentId;
    const linked = await stack.gql<{ document: { downloadUrl: string } }>(`query ($id: ID!) { document(id: $id) { downloadUrl } }`, { id: documentId });
    const url = linked.body.data!.document.downloadUrl;
    await stack.services.tracing!.forceFlush();
    receiver.clear();
    stack.resetCounts();

    const res = await fetch(url, { headers: { traceparent: TRACEPARENT } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    await stack.services.tracing!.forceFlush();

    const spans = receiver.spans;
    const route = spans.find((s) => s.kind === SERVER)!;
    expect(route.name).toBe('GET /documents/:id/download');
    expect(route.parentSpanId).toBe(CALLER_SPAN_ID);
    expect(route.attributes['http.response.status_code']).toBe(200);
    // The link is a credential: the span has the path, never the query.
    expect(route.attributes['url.path']).toBe(new URL(url).pathname);
    expect(JSON.stringify(route)).not.toContain(new URL(url).search.slice(1));
    const calls = spans.filter((s) => s.kind === CLIENT);
    expectOneToOne(calls, stack.sandbox.log.entries());
    expect(calls.map((s) => s.parentSpanId)).toEqual([route.spanId]);
    expect(calls[0]!.attributes['http.response.body.size']).toBeGreaterThan(0);
  });

  it('never puts a token in a span', async () => {
    const token = await stack.token();
    await post(stack, TREE, { traceparent: TRACEPARENT });
    await stack.services.tracing!.forceFlush();
    const connection = await stack.services.connections.forUser('demo');
    expect(receiver.spans.length).toBeGreaterThan(10);
    const exported = receiver.spans.map((span) => span.raw).join('\n');
    expect(exported).not.toContain(token);
    expect(exported).not.toContain(await connection!.tokens.current());
  });
});

describe('what no span holds', () => {
  const stack = useStack({ env });

  beforeEach(async () => {
    await stack.services.tracing!.forceFlush();
    receiver.clear();
  });

  it('a variable’s value that an error message echoes: the operation’s span says the code the caller got', async () => {
    const secret = 'CONFIDENTIAL-Smith-v-Jones-settlement';
    const res = await post(stack, 'query Q($id: ID!) { folder(id: $id) { id } }', {}, { id: secret });
    // The caller is told which value was refused: the message quotes it.
    expect(JSON.stringify(res.body.errors)).toContain(secret);
    await stack.services.tracing!.forceFlush();

    const operation = receiver.spans.find((s) => s.name === 'query.Q')!;
    expect(operation.status.code).toBe(2); // ERROR
    expect(operation.attributes['error.type']).toBe('BAD_USER_INPUT');
    expect(operation.attributes['graphql.error.codes']).toEqual(['BAD_USER_INPUT']);
    for (const span of receiver.spans) expect(span.raw, span.name).not.toContain(secret);
  });

  it('the message of an error masked as INTERNAL, which the caller never sees', async () => {
    const key = randomUUID();
    const secret = `duplicate key value violates unique constraint "idempotency_keys_pkey" DETAIL: Key (app_user_id, key)=(demo, ${key})`;
    const keys = stack.services.store.idempotencyKeys;
    const claim = keys.claimIdempotencyKey;
    keys.claimIdempotencyKey = () => Promise.reject(new Error(secret));
    let res: Awaited<ReturnType<typeof post>>;
    try {
      res = await post(
        stack,
        'mutation Create($input: CreateSubfolderInput!) { createSubfolder(input: $input) { folder { id } } }',
        {},
        { input: { parentId: stack.sandbox.ids.emptyFolder, name: 'Traced', idempotencyKey: key } },
      );
    } finally {
      keys.claimIdempotencyKey = claim;
    }
    expect(res.body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL' } })]);
    await stack.services.tracing!.forceFlush();

    const operation = receiver.spans.find((s) => s.name === 'mutation.Create')!;
    expect(operation.status.code).toBe(2);
    expect(operation.attributes['graphql.error.codes']).toEqual(['INTERNAL']);
    // Envelop's plugin records the errors as an event: by class only, if at all.
    for (const event of operation.events) expect(Object.keys(event.attributes)).not.toContain('exception.message');
    for (const span of receiver.spans) {
      expect(span.raw, span.name).not.toContain('idempotency_keys_pkey');
      expect(span.raw, span.name).not.toContain(key);
    }
  });
});

describe('span sizes', () => {
  const stack = useStack({ env });

  it('cuts every attribute to 1024 characters: a 90 000-character alias does not make a 90 KB span', async () => {
    await stack.services.tracing!.forceFlush();
    receiver.clear();
    const alias = 'a' + 'x'.repeat(90_000);
    const res = await post(stack, `query Long($id: ID!) { ${alias}: folder(id: $id) { id } }`, {}, { id: stack.sandbox.ids.emptyFolder });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data[alias].id).toBe(stack.sandbox.ids.emptyFolder);
    await stack.services.tracing!.forceFlush();

    const operation = receiver.spans.find((s) => s.name === 'query.Long')!;
    // The document is recorded (it has no inline argument), cut.
    expect(operation.attributes['graphql.execute.document']).toHaveLength(1024);
    expect(receiver.spans.length).toBeGreaterThan(1);
    for (const span of receiver.spans) {
      for (const value of Object.values(span.attributes)) expect(String(value).length).toBeLessThanOrEqual(1024);
      expect(span.raw.length).toBeLessThan(5_000);
    }
  });

  it('cuts a span’s name as well: an operation named with 90 000 characters', async () => {
    await stack.services.tracing!.forceFlush();
    receiver.clear();
    const name = 'L' + 'x'.repeat(90_000);
    const res = await post(stack, `query ${name} { viewer { id } }`);
    expect(res.body.errors).toBeUndefined();
    await stack.services.tracing!.forceFlush();

    const [operation, ...others] = receiver.spans;
    expect(others).toEqual([]);
    expect(operation!.name).toBe(`query.${name}`.slice(0, 1024));
    expect(operation!.raw.length).toBeLessThan(5_000);
  });
});

describe('without OTEL_* variables', () => {
  const stack = useStack();

  it('makes no spans and sends iManage no traceparent, even when the caller sends one', async () => {
    expect(stack.services.tracing).toBeNull();
    expect(stack.config.tracing).toBeNull();
    const res = await post(stack, TREE, { traceparent: TRACEPARENT });
    expect(res.body.errors).toBeUndefined();
    const log = stack.sandbox.log.entries();
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((entry) => entry.traceparent !== undefined)).toEqual([]);
  });
});
