import type { ServerResponse } from 'node:http';
import { IManageTransfersBusyError, type IManageRateLimitedError } from '../imanage/errors.js';

/**
 * The plain routes' refusals (downloads, the passthrough), in the API's vocabulary: a status and a JSON
 * body `{"errors":[{"message","extensions":{"code",…}}]}`, as a GraphQL error would carry them.
 */
export interface Refusal<Code extends string = string> {
  status: number;
  code: Code;
  message: string;
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

/** Writes `refusal` with the route's own `headers` (the refusal's win), unless an answer has begun. A HEAD gets no body (Node's rule). */
export function writeRefusal(res: ServerResponse, refusal: Refusal, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.extensions } }] });
  res.writeHead(refusal.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...refusal.headers,
  });
  res.end(body);
}

/**
 * iManage's rate limit outlasting the caller's wait, or the user's transfer slots all taken until the
 * deadline: 429 with `Retry-After` (at least 1 s; 5 when iManage named none).
 */
export function rateLimited(error: IManageRateLimitedError | IManageTransfersBusyError): Refusal<'RATE_LIMITED'> {
  const retryAfter = Math.max(1, error.retryAfterSeconds ?? 5);
  return {
    status: 429,
    code: 'RATE_LIMITED',
    message: error instanceof IManageTransfersBusyError ? error.advice : `iManage is rate limiting this user. Retry in ${retryAfter} s.`,
    headers: { 'retry-after': String(retryAfter) },
    extensions: { retryAfter },
  };
}
