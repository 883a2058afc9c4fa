import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import {
  IManageCancelledError,
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
 */

export interface TransportOptions {
  /** The most a single call may take, headers and body together. */
  timeoutMs: number;
  /** Open sockets per iManage origin. */
  connectionsPerOrigin?: number;
  /** Largest response body accepted; a bigger one is a protocol error. */
  maxResponseBytes?: number;
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
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

/** Observes every completed or failed upstream call (counts and latency for logs and metrics). */
export type CallObserver = (event: { operation: string; status: number | null; durationMs: number; error?: string }) => void;

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export class IManageTransport {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly observers = new Set<CallObserver>();

  constructor(options: TransportOptions) {
    this.timeoutMs = options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 32,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
      // A reply body past this aborts the request (ResponseExceededMaxSizeError), however it is framed.
      maxResponseSize: this.maxResponseBytes,
    });
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
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
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
      const text = await this.readBody(res, req.operation);
      const parsed = this.parse(res, text, req.operation);
      if (status >= 400) throw errorFromReply(req.operation, status, res.headers, parsed);
      this.emit({ operation: req.operation, status, durationMs: performance.now() - started });
      return { status, headers: res.headers, body: parsed };
    } catch (error) {
      const typed = this.classify(error, req.operation, timeout, timeoutMs, req.signal);
      this.emit({ operation: req.operation, status, durationMs: performance.now() - started, error: typed.kind });
      throw typed;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The body as text; one past `maxResponseBytes` is refused by its length up front, or by undici as it streams in. */
  private async readBody(res: Dispatcher.ResponseData, operation: string): Promise<string> {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      res.body.destroy();
      throw new IManageProtocolError(operation, `body of ${declared} bytes is over the limit`);
    }
    return res.body.text();
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

  private classify(error: unknown, operation: string, timeout: AbortSignal, timeoutMs: number, callerSignal?: AbortSignal): Error & { kind: string } {
    if (error instanceof IManageHttpError || error instanceof IManageProtocolError) return error;
    if (timeout.aborted) return new IManageTimeoutError(operation, timeoutMs);
    // Aborted by whoever asked (their GraphQL request is gone): undici has closed the connection, and
    // iManage was not too slow, so this must not count against it (resilience.ts).
    if (callerSignal?.aborted) return new IManageCancelledError(operation);
    if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
      return new IManageTimeoutError(operation, timeoutMs);
    }
    if (error instanceof undiciErrors.ConnectTimeoutError) return new IManageTimeoutError(operation, timeoutMs);
    if (error instanceof undiciErrors.ResponseExceededMaxSizeError) return new IManageProtocolError(operation, 'body is over the size limit');
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
    return new IManageNetworkError(operation, code, { cause: error });
  }

  private emit(event: Parameters<CallObserver>[0]): void {
    for (const observer of this.observers) observer(event);
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
