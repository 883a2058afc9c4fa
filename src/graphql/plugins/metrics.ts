import { timingSafeEqual } from 'node:crypto';
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Gauge, Histogram, Counter, Registry } from 'prom-client';
import type { RetryEvent } from '../../imanage/resilience.js';
import type { CallObserver } from '../../imanage/transport.js';

/**
 * Prometheus metrics, served at `GET /metrics` in the text format:
 *
 * - `graphql_operation_duration_seconds{type, operation, outcome}`: every GraphQL request from its
 *   arrival to its response. `type` is query, mutation or unknown (refused before an operation was
 *   chosen); `outcome` is ok, error (executed, with errors) or rejected (never executed: bad document,
 *   a limit, no valid app token); `operation` is the operation's name only when it is on the
 *   configured allow-list, else `other`, or `anonymous`: names come from clients, and a label value
 *   per name would let any client grow the series without bound.
 * - `graphql_limit_rejections_total{limit}`: requests refused by a query limit (README "Limits and
 *   security"), by the limit's name.
 * - `imanage_request_duration_seconds{operation, status}`: every call to iManage, by endpoint template
 *   (`GET /libraries/{lib}/folders/{id}`: the client's names, never a URL) and HTTP status, or the
 *   failure's kind (`timeout`, `network`, …) when no status came back.
 * - `imanage_retries_total{operation, reason}`, `imanage_token_refreshes_total{outcome}`,
 *   `imanage_circuit_breakers_open`, `audit_write_failures_total`, and Node's own process metrics
 *   (`process_*`, `nodejs_*`).
 *
 * No label ever holds user data (ids, names, tokens, query text): every label value is either from a
 * fixed set or checked against the shape of one, and anything else becomes `other`.
 */

export interface MetricsOptions {
  /** Every iManage call is reported here (`IManageTransport.observe`). */
  transport?: { observe(observer: CallObserver): () => void } | undefined;
  /** Retries are reported here (`ResilientUpstream.onRetry`); `openHosts` counts open breakers. */
  upstream?: { onRetry(observer: (event: RetryEvent) => void): () => void; openHosts(): string[] } | undefined;
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <token>`. */
  token?: string | null | undefined;
  /** Operation names that get a label value of their own. */
  operationNames?: readonly string[] | undefined;
  /** The audit trail, whose failed writes `audit_write_failures_total` counts. */
  audit?: { failedWrites(): number } | undefined;
  /** Node's process metrics (CPU, memory, event loop, GC) too. Default true. */
  processMetrics?: boolean | undefined;
}

export interface Metrics {
  readonly registry: Registry;
  /** Times every request Yoga gets (the router gives it `/graphql` alone). */
  readonly plugin: Plugin;
  /** `GET /metrics` (the router's route): the text format, behind the token when one is set. */
  serve(request: Request): Promise<Response>;
  /** Stops listening to the transport and the upstream. */
  close(): void;
}

/** The limits of `LimitName` (src/graphql/errors.ts); anything else is `other`. */
const LIMITS = new Set(['depth', 'aliases', 'tokens', 'directives', 'cost', 'identicalSelections', 'introspectionDepth', 'bodySize']);
/** An endpoint template as the client names it: a method, a path of words and `{placeholders}`, maybe `(grant)`. */
const ENDPOINT = /^(GET|POST|PATCH|PUT|DELETE) \/[A-Za-z0-9_/{}?=.-]{0,100}( \([a-z_]{1,32}\))?$/;
/** A status code, or a failure kind (`timeout`, `network`, `circuit_open`, …). */
const STATUS = /^([1-5][0-9]{2}|[a-z_]{1,32})$/;
const REFRESH = 'POST /auth/oauth2/token (refresh_token)';

const endpointLabel = (operation: string) => (ENDPOINT.test(operation) && !operation.includes('!') ? operation : 'other');
const statusLabel = (value: string) => (STATUS.test(value) ? value : 'other');

interface RequestTiming {
  started: number;
  type: string;
  operation: string;
  outcome: 'ok' | 'error' | 'rejected';
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const operationNames = new Set(options.operationNames ?? []);

  const operations = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL requests, from arrival to response, by operation type, allow-listed operation name and outcome.',
    labelNames: ['type', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'graphql_limit_rejections_total',
    help: 'GraphQL requests refused by a query limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const upstreamCalls = new Histogram({
    name: 'imanage_request_duration_seconds',
    help: 'Calls to iManage, by endpoint template and HTTP status (or failure kind).',
    labelNames: ['operation', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'imanage_retries_total',
    help: 'Calls to iManage retried, by endpoint template and reason (status or failure kind).',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  });
  const refreshes = new Counter({
    name: 'imanage_token_refreshes_total',
    help: 'iManage token refreshes, by outcome: ok, refused (the user must connect again) or failed.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const { upstream, audit } = options;
  if (audit) {
    new Counter({
      name: 'audit_write_failures_total',
      help: 'Audit events that could not be written to the database (each logged at error level); the requests they recorded were answered as usual.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(audit.failedWrites());
      },
    });
  }
  if (upstream) {
    new Gauge({
      name: 'imanage_circuit_breakers_open',
      help: 'iManage hosts whose circuit breaker is open (calls fail fast).',
      registers: [registry],
      collect() {
        this.set(upstream.openHosts().length);
      },
    });
  }

  const unsubscribe: Array<() => void> = [];
  if (options.transport) {
    unsubscribe.push(
      options.transport.observe(({ operation, status, durationMs, error }) => {
        upstreamCalls.observe(
          { operation: endpointLabel(operation), status: statusLabel(status !== null ? String(status) : (error ?? 'none')) },
          durationMs / 1000,
        );
        if (operation === REFRESH)
          refreshes.inc({ outcome: status !== null && status < 300 ? 'ok' : status !== null && status < 500 && status !== 429 ? 'refused' : 'failed' });
      }),
    );
  }
  if (upstream) {
    unsubscribe.push(upstream.onRetry(({ operation, reason }) => retries.inc({ operation: endpointLabel(operation), reason: statusLabel(reason) })));
  }

  const timings = new WeakMap<Request, RequestTiming>();
  const token = options.token ? Buffer.from(`Bearer ${options.token}`) : null;
  const authorized = (request: Request) => {
    if (!token) return true;
    const given = Buffer.from(request.headers.get('authorization') ?? '');
    return given.length === token.length && timingSafeEqual(given, token);
  };

  // Children by label values, so that recording does not hash the labels on every request.
  const operationSeries = new Map<string, { observe(seconds: number): void }>();
  const observeOperation = (timing: RequestTiming, seconds: number) => {
    const key = `${timing.type}\u0000${timing.operation}\u0000${timing.outcome}`;
    let series = operationSeries.get(key);
    if (!series) {
      series = operations.labels({ type: timing.type, operation: timing.operation, outcome: timing.outcome });
      operationSeries.set(key, series);
    }
    series.observe(seconds);
  };

  const serve = async (request: Request): Promise<Response> => {
    if (!authorized(request)) return new Response('unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    return new Response(await registry.metrics(), { status: 200, headers: { 'content-type': registry.contentType } });
  };

  const plugin: Plugin = {
    onRequest({ request }) {
      timings.set(request, { started: performance.now(), type: 'unknown', operation: 'anonymous', outcome: 'rejected' });
    },
    onExecute({ args }) {
      const timing = timings.get((args.contextValue as { request: Request }).request);
      if (!timing) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      timing.type = operation?.operation ?? 'unknown';
      const name = operation?.name?.value;
      timing.operation = name === undefined ? 'anonymous' : operationNames.has(name) ? name : 'other';
      // Executed: `ok` unless the answer has errors (onResultProcess), with no hook of its own after execution.
      timing.outcome = 'ok';
    },
    onResultProcess({ request, result }) {
      const timing = timings.get(request);
      for (const single of Array.isArray(result) ? result : [result]) {
        const errors = ('errors' in single ? (single.errors ?? []) : []) as GraphQLError[];
        if (errors.length > 0 && timing?.outcome === 'ok') timing.outcome = 'error';
        for (const error of errors) {
          const limit = error.extensions?.limit;
          if (typeof limit === 'string') rejections.inc({ limit: LIMITS.has(limit) ? limit : 'other' });
        }
      }
    },
    onResponse({ request }) {
      const timing = timings.get(request);
      if (!timing) return;
      timings.delete(request);
      observeOperation(timing, (performance.now() - timing.started) / 1000);
    },
  };

  return {
    registry,
    plugin,
    serve,
    close() {
      for (const stop of unsubscribe) stop();
    },
  };
}
