import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { defaultTextMapSetter, SpanKind, type Span } from '@opentelemetry/api';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { failed, startSpan, type SpanSource } from '../telemetry/spans.js';
import {
  IManageCancelledError,
  IManageError,
  IManageHttpError,
  httpError,
  IManageNetworkError,
  IManageProtocolError,
  IManageTimeoutError,
  type IManageFieldMessage,
} from './errors.js';

/**
 * HTTP to iManage: one keep-alive connection pool per process, a timeout on every call, bodies always
 * read to the end (or destroyed), JSON parsed and iManage error bodies turned into typed errors. It
 * knows nothing about paths or tokens beyond putting the token in the `X-Auth-Token` header.
 *
 * Two kinds of call share the pool: `send` reads a JSON reply whole (bounded by `maxResponseBytes`,
 * headers and body within one timeout), and `stream` hands the reply body over unread, as it arrives
 * (document bytes, any size): its timeout covers the wait for the headers, and then only the silence
 * between two pieces of the body, never the whole transfer.
 *
 * With tracing on, each call (each attempt, when a read is retried) is a client span named by its
 * operation, under whatever span is active, and iManage is sent its W3C `traceparent`.
 */

export interface TransportOptions {
  /** The most a `send` may take, headers and body together; for a `stream`, the wait for headers and the longest silence in its body. */
  timeoutMs: number;
  /** Open sockets per iManage origin: as many for `send` and again for `stream` (each its own pool). */
  connectionsPerOrigin?: number;
  /** Largest reply body `send` accepts; a bigger one is a protocol error. Streamed bodies have no limit. */
  maxResponseBytes?: number;
  /** Tracing, when it is on: a span per call, and its trace context sent to iManage. */
  tracing?: SpanSource | null | undefined;
}

export type RequestBody = { json: unknown } | { form: Record<string, string> };

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  /** A path template naming the call in errors and logs, e.g. `GET /libraries/{lib}/folders/{id}`. */
  operation: string;
  token?: string;
  body?: RequestBody;
  /** Cancels the call, e.g. when the GraphQL request that needs it is gone. */
  signal?: AbortSignal;
  /** A shorter timeout than the transport's own, e.g. what is left before the operation's deadline. */
  timeoutMs?: number;
  /** How many times this call was sent before (its retries so far), for its span. */
  resendCount?: number;
  /**
   * A POST that only reads (iManage's search and `documents/parents`, whose JSON body is a query):
   * safe to send again, so retried as a GET is. Unset, only a GET is.
   */
  read?: boolean;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

export type StreamMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A call whose reply body is streamed to the caller rather than read here (downloads, the passthrough). */
export interface StreamRequest {
  method: StreamMethod;
  url: URL;
  /** A path template naming the call in errors and logs. */
  operation: string;
  token?: string;
  /** Request headers besides the token, names in lower case (`range`, `content-type`, …); an `x-auth-token` among them is replaced by `token`. */
  headers?: Record<string, string>;
  /** A body sent as it is; a stream is read once, so a call with one is never replayed. */
  body?: Readable | Uint8Array | string;
  /** Cancels the call, the body's transfer included: the connection to iManage is closed. */
  signal?: AbortSignal;
  /** A shorter wait for the headers than the transport's own. */
  timeoutMs?: number;
  /** How many times this call was sent before (its retries so far), for its span. */
  resendCount?: number;
  /**
   * Which statuses are answered as a reply, body and all (default: below 400). Any other is read
   * (its first 64 KiB) and thrown as the typed error of its status, as `send` does.
   */
  passStatus?: (status: number) => boolean;
  /**
   * A call whose path and parameters an app's caller chose (the passthrough), not this service: its
   * 5xx and timeouts may be that request's own doing, so they say nothing of iManage's health (see
   * `ResilientUpstream`).
   */
  relayed?: boolean;
}

export interface StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /**
   * The reply body as it arrives, with backpressure (nothing is buffered beyond the socket's and the
   * stream's own few kilobytes). Read it to its end or destroy it: until then the connection stays
   * busy. A failure while it flows (iManage hung up, a silence past the timeout, the caller's signal)
   * is an 'error' on it.
   */
  body: Readable;
}

/** Observes every completed or failed upstream call (counts and latency for logs and metrics). */
export type CallObserver = (event: { operation: string; status: number | null; durationMs: number; error?: string }) => void;

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** The most of an error reply `stream` reads to find iManage's error code. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export class IManageTransport {
  /** Connections for `send`. */
  private readonly agent: Agent;
  /** Connections for `stream`: transfers that last minutes cannot take the ones queries need. */
  private readonly streamAgent: Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly observers = new Set<CallObserver>();
  private readonly tracing: SpanSource | null;

  constructor(options: TransportOptions) {
    this.timeoutMs = options.timeoutMs;
    this.tracing = options.tracing ?? null;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const pool = {
      connections: options.connectionsPerOrigin ?? 32,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
      // No `maxResponseSize`: undici applies it to every call of the pool, streamed downloads too.
      // `send` counts its replies itself (readBody).
    };
    this.agent = new Agent(pool);
    this.streamAgent = new Agent(pool);
  }

  observe(observer: CallObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /**
   * Sends one request and returns the parsed 2xx reply. Any other status becomes an
   * `IManageHttpError` (401 included: deciding to refresh is the caller's business).
   */
  async send(req: TransportRequest): Promise<TransportResponse> {
    const started = performance.now();
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, req.timeoutMs ?? Infinity));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let status: number | null = null;
    const headers: Record<string, string> = { accept: 'application/json' };
    const span = this.startCallSpan(req, headers);
    try {
      if (req.token !== undefined) headers['x-auth-token'] = req.token;
      let body: string | undefined;
      if (req.body && 'json' in req.body) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.body.json);
      } else if (req.body) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(req.body.form).toString();
      }
      const res = await request(req.url, { method: req.method, headers, body, signal, dispatcher: this.agent });
      status = res.statusCode;
      span?.setAttribute('http.response.status_code', status);
      const bytes = await this.readBody(res, req.operation);
      span?.setAttribute('http.response.body.size', bytes.length);
      const parsed = this.parse(res, bytes.toString('utf8'), req.operation);
      if (status >= 400) throw errorFromReply(req.operation, status, res.headers, parsed);
      this.emit({ operation: req.operation, status, durationMs: performance.now() - started });
      span?.end();
      return { status, headers: res.headers, body: parsed };
    } catch (error) {
      const typed = this.classify(error, req.operation, timeout.aborted, timeoutMs, req.signal);
      this.emit({ operation: req.operation, status, durationMs: performance.now() - started, error: typed.kind });
      if (span) endFailed(span, typed);
      throw typed;
    }
  }

  /**
   * Sends one request and answers as soon as iManage's status and headers are in, with the body still
   * to come (see `StreamResponse`). The timeout covers the wait for the headers (a queue for a pooled
   * connection and connecting included; with a streamed request body, from its last byte on); after
   * that only a silence of `timeoutMs` in the body fails it. A status `passStatus` refuses is thrown as its typed error, as `send` does. The call is
   * reported to observers when the headers arrive (or the call fails before them): a transfer's own
   * length says nothing about iManage's latency.
   */
  async stream(req: StreamRequest): Promise<StreamResponse> {
    const started = performance.now();
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, req.timeoutMs ?? Infinity));
    // One signal for the whole call: the caller's, and the headers' deadline until the headers are in.
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let awaitingHeaders = true;
    const arm = () => {
      if (!awaitingHeaders) return;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    };
    // A streamed request body (an upload through the passthrough) may take longer than any timeout to
    // send, and iManage answers after it: the wait for the headers starts once the body is all sent.
    // Until then a client that stops sending is the caller's business (its request's own timeouts).
    if (req.body instanceof Readable && !req.body.readableEnded) req.body.once('end', arm);
    else arm();
    const onCallerAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (req.signal?.aborted) controller.abort();
    const release = () => req.signal?.removeEventListener('abort', onCallerAbort);
    let status: number | null = null;
    const headers: Record<string, string> = { ...req.headers };
    delete headers['x-auth-token'];
    delete headers.traceparent;
    delete headers.tracestate;
    const span = this.startCallSpan(req, headers);
    try {
      if (req.token !== undefined) headers['x-auth-token'] = req.token;
      const res = await request(req.url, {
        method: req.method,
        headers,
        body: req.body,
        signal: controller.signal,
        dispatcher: this.streamAgent,
        bodyTimeout: this.timeoutMs,
      });
      awaitingHeaders = false;
      clearTimeout(timer);
      status = res.statusCode;
      span?.setAttribute('http.response.status_code', status);
      if (!(req.passStatus ?? ((s: number) => s < 400))(status)) {
        const text = await this.readErrorBody(res);
        throw errorFromReply(req.operation, status, res.headers, parseLenient(text));
      }
      this.emit({ operation: req.operation, status, durationMs: performance.now() - started });
      const declared = Number(res.headers['content-length']);
      if (span && Number.isFinite(declared)) span.setAttribute('http.response.body.size', declared);
      // The caller's signal keeps aborting the transfer until the body is done, and no longer. The
      // call's span covers the transfer too: it ends with the body.
      finished(res.body).then(
        () => {
          release();
          span?.end();
        },
        (error: unknown) => {
          release();
          if (span) endFailed(span, error);
        },
      );
      return { status, headers: res.headers, body: res.body };
    } catch (error) {
      awaitingHeaders = false;
      clearTimeout(timer);
      release();
      const typed = this.classify(error, req.operation, timedOut, timeoutMs, req.signal);
      this.emit({ operation: req.operation, status, durationMs: performance.now() - started, error: typed.kind });
      if (span) endFailed(span, typed);
      throw typed;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.streamAgent.close()]);
  }

  /**
   * The span of one call, started under the active span, its trace context written into `headers`
   * (`traceparent`, `tracestate`); undefined when tracing is off. Its attributes name the call by its
   * template and path, never its query string or headers.
   */
  private startCallSpan(
    req: Pick<TransportRequest, 'method' | 'url' | 'operation' | 'resendCount'> | Pick<StreamRequest, 'method' | 'url' | 'operation' | 'resendCount'>,
    headers: Record<string, string>,
  ): Span | undefined {
    if (!this.tracing) return undefined;
    const { url } = req;
    const { span, context } = startSpan(this.tracing.tracer, req.operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': req.method,
        'url.template': req.operation.slice(req.operation.indexOf(' ') + 1),
        'url.path': url.pathname,
        'server.address': url.hostname,
        'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        ...(req.resendCount ? { 'http.request.resend_count': req.resendCount } : {}),
      },
    });
    this.tracing.propagator.inject(context, headers, defaultTextMapSetter);
    return span;
  }

  /** The body's bytes; one past `maxResponseBytes` is refused by its length up front, or as it streams in. */
  private async readBody(res: Dispatcher.ResponseData, operation: string): Promise<Buffer> {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      discard(res.body);
      throw new IManageProtocolError(operation, `body of ${declared} bytes is over the limit`);
    }
    const bytes = await readAtMost(res.body, this.maxResponseBytes);
    if (bytes === null) throw new IManageProtocolError(operation, 'body is over the size limit');
    return bytes;
  }

  /** An error reply's body, for its code: at most `MAX_ERROR_BODY_BYTES`, else nothing (the status still says what failed). */
  private async readErrorBody(res: Dispatcher.ResponseData): Promise<string> {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_ERROR_BODY_BYTES) {
      discard(res.body);
      return '';
    }
    return (await readAtMost(res.body, MAX_ERROR_BODY_BYTES))?.toString('utf8') ?? '';
  }

  private parse(res: Dispatcher.ResponseData, text: string, operation: string): unknown {
    if (text.trim() === '') return null;
    const type = String(res.headers['content-type'] ?? '');
    const isJson = /\bjson\b/i.test(type);
    if (res.statusCode < 400 && !isJson) {
      throw new IManageProtocolError(operation, `content type "${type.slice(0, 60)}" is not JSON`);
    }
    try {
      return JSON.parse(text);
    } catch {
      // An error status with an HTML page from a proxy is still an HTTP error; a 2xx must be JSON.
      if (res.statusCode >= 400) return null;
      throw new IManageProtocolError(operation, 'body is not valid JSON');
    }
  }

  private classify(error: unknown, operation: string, timedOut: boolean, timeoutMs: number, callerSignal?: AbortSignal): IManageError {
    if (error instanceof IManageHttpError || error instanceof IManageProtocolError) return error;
    if (timedOut) return new IManageTimeoutError(operation, timeoutMs);
    // Aborted by whoever asked (their GraphQL request is gone): undici has closed the connection, and
    // iManage was not too slow, so this must not count against it (resilience.ts).
    if (callerSignal?.aborted) return new IManageCancelledError(operation);
    if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
      return new IManageTimeoutError(operation, timeoutMs);
    }
    if (error instanceof undiciErrors.ConnectTimeoutError) return new IManageTimeoutError(operation, timeoutMs);
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
    return new IManageNetworkError(operation, code, { cause: error });
  }

  private emit(event: Parameters<CallObserver>[0]): void {
    for (const observer of this.observers) observer(event);
  }
}

/**
 * Drops a reply body unread, closing its connection. undici reports a body destroyed before its end
 * as an 'error' ("Request aborted"), which must not reach the process as an uncaught one.
 */
export function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * A streamed reply's JSON body (a document filed by an upload), read whole up to `maxBytes`: null for an
 * empty body; a body that is too large, or not JSON, is a protocol error.
 */
export async function readJsonReply(response: StreamResponse, operation: string, maxBytes = 1024 * 1024): Promise<unknown> {
  const text = (await readAtMost(response.body, maxBytes))?.toString('utf8') ?? null;
  if (text === null) throw new IManageProtocolError(operation, 'body is over the size limit');
  if (text.trim() === '') return null;
  if (!/\bjson\b/i.test(String(response.headers['content-type'] ?? ''))) throw new IManageProtocolError(operation, 'the reply is not JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new IManageProtocolError(operation, 'body is not valid JSON');
  }
}

/** A stream's bytes, or null as soon as it passes `limit` bytes (the stream is then destroyed). */
async function readAtMost(body: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      discard(body);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** A call's span, ended as failed: its HTTP status when iManage answered one, else the error's class. */
function endFailed(span: Span, error: unknown): void {
  failed(span, error);
  if (error instanceof IManageHttpError) span.setAttribute('error.type', String(error.status));
  span.end();
}

/** An error reply's JSON, or null when it is not JSON (a proxy's HTML page): its status still says what failed. */
function parseLenient(text: string): unknown {
  try {
    return text.trim() === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function errorFromReply(operation: string, status: number, headers: Record<string, string | string[] | undefined>, body: unknown): IManageHttpError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const code =
    typeof error?.code === 'string'
      ? error.code
      : typeof body === 'object' && body && typeof (body as { error?: unknown }).error === 'string'
        ? String((body as { error: string }).error)
        : undefined;
  const messages: IManageFieldMessage[] = Array.isArray(error?.messages)
    ? error.messages.filter(isRecord).map((m) => ({
        field: typeof m.field === 'string' ? m.field : undefined,
        code: typeof m.code === 'string' ? m.code : undefined,
        message: typeof m.code_message === 'string' ? m.code_message : undefined,
      }))
    : [];
  return httpError(operation, status, code, messages, retryAfterSeconds(headers));
}

/** iManage sends `x-ratelimit-reset` (seconds); standard servers send `Retry-After` (seconds or a date). */
export function retryAfterSeconds(headers: Record<string, string | string[] | undefined>): number | undefined {
  for (const name of ['x-ratelimit-reset', 'retry-after']) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) continue;
    const seconds = Number(value);
    // Some gateways send the reset moment as epoch seconds rather than a delay.
    if (Number.isFinite(seconds) && seconds > 1e9) return Math.max(0, Math.ceil(seconds - Date.now() / 1000));
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
