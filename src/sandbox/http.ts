/**
 * Replies as values. Handlers return a Reply instead of writing to the socket, so the fault
 * layer can run the real handler and then mangle, truncate or replace what it produced.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, errorBody, invalidParam } from './errors.js';
import type { UploadProgress } from './types.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** The body; empty when `stream` is set. */
  body: Buffer;
  /** A body produced while it is sent (downloads), never held whole. */
  stream?: StreamBody;
  /** Nothing is sent: the client went away mid-request (logged with status 0). */
  dropped?: boolean;
}

export interface StreamBody {
  /** Bytes in the body (the Content-Length). */
  length: number;
  /** Bytes `from` (inclusive) to `to` (exclusive) of the body. */
  open(from: number, to: number): Readable;
}

/** Bytes in a reply's body, whichever form it has. */
export function bodyLength(reply: Reply): number {
  return reply.stream ? reply.stream.length : reply.body.length;
}

export interface RequestContext {
  method: string;
  /** Percent-decoded pathname. */
  pathname: string;
  /** First value of each query parameter. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The whole body, read before the handler runs; empty on streamed-body routes (uploads). */
  body: Buffer;
  /** Streamed-body routes only: the request itself, not yet read; the handler consumes it. */
  bodyStream?: IncomingMessage;
  params: Record<string, string>;
  /** Set once the caller is known, for the request log. */
  userId?: string;
  /** Streamed-body routes only: what has arrived so far, for the request log. */
  upload?: UploadProgress;
  /** Set by the `slowUpload` fault: pause `delayMs` after every `everyBytes` bytes of the body. */
  throttle?: { delayMs: number; everyBytes: number };
  /** Set by the `commitLate` fault on streamed-body routes: the body is read as it comes, the commit waits until then (epoch ms), client or not. */
  commitAt?: number;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

export function htmlReply(status: number, html: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: Buffer.from(html, 'utf8'),
  };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: Buffer.alloc(0) };
}

export function redirectReply(location: string): Reply {
  return emptyReply(302, { location, 'cache-control': 'no-store' });
}

/** Thrown by a handler whose client went away before its request ended. */
export class ClientGone extends Error {
  constructor() {
    super('The client went away before the request ended.');
    this.name = 'ClientGone';
  }
}

export function droppedReply(): Reply {
  return { status: 0, headers: {}, body: Buffer.alloc(0), dropped: true };
}

export function apiErrorReply(err: ApiError): Reply {
  return jsonReply(err.status, errorBody(err.code, err.message, err.messages), err.headers ?? {});
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the whole request body, keeping at most `cap` bytes. Past the cap it keeps draining
 * (up to `hardCap`) so the client sees a 413 rather than a broken pipe; past `hardCap` it gives
 * up and the caller destroys the socket.
 */
export function readBody(req: IncomingMessage, cap: number, hardCap = cap * 16): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
      else if (size > hardCap) {
        settle({ ok: false, reason: 'too_large' });
        req.destroy();
      }
    });
    req.on('end', () => {
      settle(size > cap ? { ok: false, reason: 'too_large' } : { ok: true, body: Buffer.concat(chunks) });
    });
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

function mediaType(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['content-type'];
  if (raw === undefined) return undefined;
  return raw.split(';')[0]?.trim().toLowerCase();
}

/**
 * A JSON request body. No content type is tolerated (many scripts omit it); any other
 * non-JSON type is refused with 415, and unparsable JSON with 400.
 */
export function parseJsonBody(ctx: RequestContext): unknown {
  const type = mediaType(ctx.headers);
  if (type !== undefined && type !== 'application/json' && !type.endsWith('+json')) {
    throw new ApiError(415, 'NRC_UNSUPPORTED_MEDIA_TYPE', `Expected application/json, got ${type}.`);
  }
  const text = ctx.body.toString('utf8');
  if (text.trim() === '') throw invalidParam('The request body is empty; a JSON object is expected.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidParam('The request body is not valid JSON.');
  }
}

/** Form fields (application/x-www-form-urlencoded), or undefined when the body is another type. */
export function parseFormBody(ctx: RequestContext): URLSearchParams | undefined {
  if (mediaType(ctx.headers) !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(ctx.body.toString('utf8'));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
