import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { InvalidAppTokenError, type AppTokenVerifier, type AppUser } from '../auth/appTokens.js';
import type { ConnectionProvider, UserConnection } from '../auth/connections.js';
import type { ErrorCode } from '../graphql/errors.js';
import { IManageClient, type Upstream } from '../imanage/client.js';
import {
  IManageCancelledError,
  IManageCircuitOpenError,
  IManageError,
  IManageHttpError,
  IManageNotReplayedError,
  IManageRateLimitedError,
  IManageTransfersBusyError,
  IManageUnauthorizedError,
} from '../imanage/errors.js';
import { discard, type StreamResponse } from '../imanage/transport.js';
import {
  checkQuery,
  customerTemplate,
  decide,
  guardOf,
  namesOtherCustomer,
  normalisePath,
  PROXY_METHODS,
  type ProxyMethod,
  type ProxyRule,
} from './passthroughPolicy.js';
import { rateLimited, writeRefusal as writeJsonRefusal, type Refusal as SharedRefusal } from './refusals.js';
import { CSRF_HEADER, type StreamingRoute } from './router.js';

/**
 * `ANY /imanage/{path}`: one iManage REST call, `{path}` below the iManage host, made as the caller's
 * connection (the app token says who; the connection gives the token, the host and the customer id).
 * Checked here, in this order, and refused with a JSON error in the API's vocabulary before anything
 * reaches iManage: CORS preflights answered, the CSRF header for writes a browser could send cross-site,
 * the app token (401), the path as read by passthroughPolicy.ts (400), `IMANAGE_PROXY_ALLOW` (403 naming
 * the rule), the body's type and size (415, 413), the connection (401), and the customer the path
 * names (403). Then the call goes through the client's policy (refresh on 401, retries of reads,
 * rate-limit waits, the breaker, the user's slots) and iManage's status, chosen headers and body come
 * back as they arrive; a 401 iManage keeps giving, a 429 not waited out and a 5xx after the retries are
 * answered in the API's vocabulary instead, as for GraphQL.
 *
 * Bodies stream both ways with backpressure: an upload (multipart or octet-stream) is counted against
 * `UPLOAD_MAX_BYTES` as it passes and never held whole; a JSON body (at most the GraphQL body limit) is
 * read first, so that a 401 can be replayed with a fresh token. Only the headers listed below pass, in
 * either direction: never a cookie, an Authorization, an `X-Auth-Token` or a hop-by-hop header.
 */

export const PASSTHROUGH_PREFIX = '/imanage';

export interface PassthroughRouteOptions {
  verifier: AppTokenVerifier;
  connections: ConnectionProvider;
  upstream: Upstream;
  rules: readonly ProxyRule[];
  /** How long iManage may take to start answering (`OPERATION_DEADLINE_MS`), retries included; an upload's wait starts when it is sent. */
  deadlineMs: number;
  /** The largest JSON body (the GraphQL body limit). */
  jsonMaxBytes: number;
  /** The largest upload body (`UPLOAD_MAX_BYTES`). */
  uploadMaxBytes: number;
  corsOrigins: readonly string[];
  logger: Logger;
  /**
   * Called once for every call with a method other than GET or HEAD that was sent to iManage, when its
   * outcome is known: the one place the audit trail (issue 19) records passthrough writes from.
   */
  onWrite?: ((write: PassthroughWrite) => void) | undefined;
}

/** A passthrough call that may have changed something in iManage, as the audit trail needs it: no body, no query, no token. */
export interface PassthroughWrite {
  method: ProxyMethod;
  /** The path as read, `{customerId}` in place of the customer (`/work/api/v2/customers/{customerId}/libraries/…`). */
  path: string;
  /** The `IMANAGE_PROXY_ALLOW` rule that let it through, as written. */
  rule: string;
  appUserId: string;
  connectionId: string;
  customerId: string;
  imanageUserId: string;
  /** iManage's status, or null when no answer came (failure, cancellation). */
  status: number | null;
  /** `ok`: iManage answered below 400; `refused`: it answered 4xx; `error`: no usable answer. */
  outcome: 'ok' | 'refused' | 'error' | 'cancelled';
  /** Our answer's code when it was not iManage's. */
  code?: ErrorCode | undefined;
}

/** Request headers that reach iManage (besides its token, which the transport sets). */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  // Not `traceparent`/`tracestate`: the router continues the caller's trace, and the transport sends
  // iManage the context of its own call span when tracing is on (nothing when it is off).
] as const;

/**
 * iManage's response headers that come back: the representation (type, length, encoding, language,
 * name, range, validators), and paging and rate-limit headers by name. iManage pages in the body
 * (`cursor`, `total_count`: reference §5.2) and names its rate limit's reset `x-ratelimit-reset` (§5.5);
 * `link` and `x-total-count` pass for servers in front of it that page in headers.
 */
const RETURNED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-disposition',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'link',
  'x-total-count',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
] as const;

/** What every passthrough answer carries: iManage's bytes must never run as a page of this origin. */
const ALWAYS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'referrer-policy': 'no-referrer',
};

/** What a browser page may read of an answer, with CORS. */
const EXPOSED = [
  'x-request-id',
  'retry-after',
  'www-authenticate',
  ...RETURNED_RESPONSE_HEADERS.filter((name) => !['content-type', 'content-length', 'content-language'].includes(name)),
];
/** What a browser page may send, with CORS. */
const ALLOWED_REQUEST_HEADERS = ['authorization', CSRF_HEADER, 'x-request-id', ...FORWARDED_REQUEST_HEADERS];

type Refusal = SharedRefusal<ErrorCode>;

/** How the request's body goes to iManage. */
type BodyPlan = { kind: 'none' } | { kind: 'json'; length: number | null } | { kind: 'stream'; length: number | null };

export function passthroughRoute(options: PassthroughRouteOptions): StreamingRoute {
  return {
    path: `${PASSTHROUGH_PREFIX}/*`,
    methods: [...PROXY_METHODS, 'OPTIONS'],
    serve: (req, res) => servePassthrough(options, req, res),
  };
}

async function servePassthrough(options: PassthroughRouteOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? 'GET') as ProxyMethod | 'OPTIONS';
  const cors = corsHeaders(options.corsOrigins, req.headers.origin);
  if (method === 'OPTIONS') return preflight(res, cors);

  // Aborted when the caller leaves (or its upload is too large), from the start: the iManage call stops too.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  req.once('close', () => {
    if (!req.complete) gone.abort();
  });
  const fields: Record<string, unknown> = { method };
  const log = (more: Record<string, unknown>, level: 'info' | 'warn' = 'info') =>
    options.logger[level]({ passthrough: { ...fields, durationMs: Math.round(performance.now() - started), ...more } }, 'passthrough');
  const refuse = (refusal: Refusal, more: Record<string, unknown> = {}) => {
    writeRefusal(req, res, refusal, cors);
    log({ status: refusal.status, code: refusal.code, ...more }, refusal.status >= 500 ? 'warn' : 'info');
  };

  // The CSRF header, as Yoga asks it on /graphql, for a write a browser could send cross-site.
  if (method !== 'GET' && method !== 'HEAD' && !isJson(req.headers['content-type']) && req.headers[CSRF_HEADER] === undefined) {
    return refuse({ status: 403, code: 'FORBIDDEN', message: `Required CSRF header not present: send "${CSRF_HEADER}" with a request that is not JSON.` });
  }

  const caller = await authenticate(options.verifier, req.headers.authorization);
  if (!('id' in caller)) return refuse(caller, { reason: caller.extensions?.reason });
  fields.user = caller.id;

  const target = req.url ?? '/';
  // Only the origin form this route was found by: an absolute-form target (`GET http://host/imanage/…`)
  // or an escaped prefix (`/%69manage/`) would otherwise be cut at the wrong place.
  if (!target.startsWith(`${PASSTHROUGH_PREFIX}/`))
    return refuse(badInput(`The request target cannot be passed to iManage: send a path starting with ${PASSTHROUGH_PREFIX}/.`));
  const queryAt = target.indexOf('?');
  const rawPath = (queryAt < 0 ? target : target.slice(0, queryAt)).slice(PASSTHROUGH_PREFIX.length);
  const query = checkQuery(queryAt < 0 ? '' : target.slice(queryAt + 1));
  const reading = normalisePath(rawPath);
  if (!reading.ok) return refuse(badInput(`The path cannot be passed to iManage: ${reading.reason}.`));
  if (query === null)
    return refuse(
      badInput('The query cannot be passed to iManage: it holds "#", a space, a control or non-ASCII character, a malformed escape, or is too long.'),
    );
  const { template, named } = customerTemplate(reading.segments);
  const path = `/${template.join('/')}`;

  const decision = decide(options.rules, method, template);
  // A path a refusing rule guards (for any method) may hold a secret (a dialog token): the log and a
  // refusal show that rule's pattern in its place.
  const shown = guardOf(options.rules, template)?.path ?? path;
  fields.path = shown;
  if (!decision.allowed) {
    const message = decision.rule
      ? `IMANAGE_PROXY_ALLOW's rule "${decision.rule.text}" refuses ${method} ${shown}.`
      : `No rule of IMANAGE_PROXY_ALLOW allows ${method} ${shown}.`;
    return refuse({ status: 403, code: 'FORBIDDEN', message, extensions: { rule: decision.rule?.text ?? null, method, path: shown } });
  }
  fields.rule = decision.rule.text;

  const plan = bodyPlan(method, req.headers, options);
  if ('status' in plan) return refuse(plan);

  const connection = await options.connections.forUser(caller.id);
  if (!connection) return refuse(notConnected);
  if (connection.status === 'reauth_required') return refuse(reauthRequired);
  if (namesOtherCustomer(named, connection.customerId)) {
    return refuse({
      status: 403,
      code: 'FORBIDDEN',
      message: `The path names another iManage customer than this user's: write ${'{customerId}'} (or the connection's own id) after "customers".`,
      extensions: { rule: null, method, path: shown },
    });
  }

  // The body: JSON read whole (bounded) so that a 401 can be replayed; an upload counted as it passes.
  let body: Uint8Array | Transform | undefined;
  let bytesIn = 0;
  let tooLarge = false;
  if (plan.kind === 'json') {
    const read = await readAtMost(req, options.jsonMaxBytes);
    if (read === 'aborted') return log({ status: null, outcome: 'cancelled' });
    if (read === 'too_large') return refuse(tooLargeRefusal(options.jsonMaxBytes, 'jsonBody'));
    body = read;
    bytesIn = read.length;
  } else if (plan.kind === 'stream') {
    const limit = options.uploadMaxBytes;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytesIn += chunk.length;
        if (bytesIn <= limit) return done(null, chunk);
        // Aborted first, so that the call ends as cancelled: a caller's oversized upload says nothing of iManage's health.
        tooLarge = true;
        gone.abort();
        done(new Error('upload over UPLOAD_MAX_BYTES'));
      },
    });
    req.pipe(counted);
    req.once('error', (error) => counted.destroy(error));
    body = counted;
  }

  const client = new IManageClient(options.upstream, connection, gone.signal, Date.now() + options.deadlineMs);
  // Recorded once it left for iManage: one refused here first (an open breaker, a rate-limit wait, no
  // transfer slot in time, the caller gone while it queued) changed nothing there.
  const write = (status: number | null, outcome: PassthroughWrite['outcome'], code?: ErrorCode) => {
    if (method === 'GET' || method === 'HEAD' || !options.onWrite || client.sentCount === 0) return;
    options.onWrite({ method, path: shown, rule: decision.rule.text, ...who(caller, connection), status, outcome, code });
  };

  let upstream: StreamResponse;
  try {
    upstream = await client.passthrough({
      method,
      segments: template,
      query,
      // Named by the rule that let it through: metrics get a label per rule, never per path.
      operation: `${method} ${PASSTHROUGH_PREFIX}${decision.rule.path}`,
      headers: forwardedHeaders(req.headers, plan),
      body,
      // 401, 429 and 5xx are the policy's to handle (refresh, waits, retries, the breaker); the rest is iManage's answer.
      passStatus: (status) => status !== 401 && status !== 429 && status < 500,
    });
  } catch (error) {
    if (tooLarge) {
      write(null, 'cancelled', 'BAD_USER_INPUT');
      return refuse(tooLargeRefusal(options.uploadMaxBytes, 'uploadBody'), { bytesIn });
    }
    if (error instanceof IManageCancelledError || gone.signal.aborted) {
      write(null, 'cancelled');
      return log({ status: null, outcome: 'cancelled', bytesIn });
    }
    if (!(error instanceof IManageError)) throw error;
    const refusal = upstreamRefusal(error);
    const upstreamStatus = error instanceof IManageHttpError ? error.status : null;
    write(upstreamStatus, 'error', refusal.code);
    return refuse(refusal, { upstream: error.kind, upstreamStatus, bytesIn });
  }

  write(upstream.status, upstream.status < 400 ? 'ok' : 'refused');
  try {
    res.writeHead(upstream.status, { ...ALWAYS, ...cors, ...returnedHeaders(upstream.headers) });
  } catch (error) {
    // Nothing went out: iManage's body is let go rather than left holding its connection and the user's transfer slot.
    discard(upstream.body);
    throw error;
  }
  if (method === 'HEAD') {
    upstream.body.resume();
    res.end();
    return log({ status: upstream.status, bytesIn, bytesOut: 0, outcome: 'complete' });
  }
  let bytesOut = 0;
  upstream.body.on('data', (chunk: Buffer) => {
    bytesOut += chunk.length;
  });
  try {
    await pipeline(upstream.body, res);
    log({ status: upstream.status, bytesIn, bytesOut, outcome: 'complete' });
  } catch {
    // Cut short (pipeline destroyed the response): the caller sees a broken transfer, never a short one.
    const cause = gone.signal.aborted ? 'client_left' : 'upstream_failed';
    log({ status: upstream.status, bytesIn, bytesOut, outcome: 'aborted', cause }, cause === 'upstream_failed' ? 'warn' : 'info');
  }
}

/** The caller, or the 401 saying why not (as /graphql: RFC 6750's challenge, never the token). */
async function authenticate(verifier: AppTokenVerifier, header: string | undefined): Promise<AppUser | Refusal> {
  const value = header?.trim() ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(value);
  if (!match) {
    const malformed = /^Bearer(\s|$)/i.test(value) ? new InvalidAppTokenError('malformed').description : null;
    return unauthenticated(malformed, malformed === null ? 'missing' : 'malformed');
  }
  const token = match[1]!;
  try {
    return verifier.verifiedUser(token) ?? (await verifier.verify(token));
  } catch (error) {
    if (!(error instanceof InvalidAppTokenError)) throw error;
    return unauthenticated(error.description, error.reason);
  }
}

function unauthenticated(description: string | null, reason: string): Refusal {
  return {
    status: 401,
    code: 'UNAUTHENTICATED',
    message:
      description === null
        ? 'A valid app user token is required: send it as "Authorization: Bearer <token>".'
        : `The app user token was refused: ${description} Send a valid one as "Authorization: Bearer <token>".`,
    headers: { 'www-authenticate': description === null ? 'Bearer' : `Bearer error="invalid_token", error_description="${description}"` },
    extensions: { reason },
  };
}

/**
 * How the body goes, or why it may not: none on GET, HEAD and DELETE; otherwise JSON (the GraphQL body
 * limit), or multipart/form-data or application/octet-stream (`UPLOAD_MAX_BYTES`), judged first by a
 * declared `content-length`. Other types (forms, text) are not iManage's API's and are refused.
 */
function bodyPlan(method: ProxyMethod, headers: IncomingHttpHeaders, options: PassthroughRouteOptions): BodyPlan | Refusal {
  const declared = headers['content-length'];
  const length = declared === undefined ? null : Number(declared);
  const hasBody = headers['transfer-encoding'] !== undefined || (length !== null && length > 0);
  if (!hasBody) return { kind: 'none' };
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return badInput(`A ${method} through the passthrough carries no body.`);
  const type = headers['content-type'];
  if (isJson(type)) {
    return length !== null && length > options.jsonMaxBytes ? tooLargeRefusal(options.jsonMaxBytes, 'jsonBody') : { kind: 'json', length };
  }
  if (/^\s*(multipart\/form-data|application\/octet-stream)\s*(;|$)/i.test(type ?? '')) {
    return length !== null && length > options.uploadMaxBytes ? tooLargeRefusal(options.uploadMaxBytes, 'uploadBody') : { kind: 'stream', length };
  }
  return {
    status: 415,
    code: 'BAD_USER_INPUT',
    message: 'The passthrough sends JSON (application/json), multipart/form-data or application/octet-stream bodies only.',
  };
}

function isJson(type: string | undefined): boolean {
  return /^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type ?? '');
}

/** The caller's headers iManage may see: the listed ones, sane, and the length of a streamed body. */
function forwardedHeaders(headers: IncomingHttpHeaders, plan: BodyPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value.length <= 2048) out[name] = value;
  }
  if (plan.kind === 'stream' && plan.length !== null) out['content-length'] = String(plan.length);
  if (plan.kind === 'none') delete out['content-type'];
  return out;
}

/** iManage's headers that come back: the listed ones, with values Node can send as they are. */
function returnedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value.length <= 2048 && /^[\t\x20-\x7e\x80-\xff]*$/.test(value)) out[name] = value;
  }
  if (out['content-length'] !== undefined && !/^\d{1,16}$/.test(out['content-length'])) delete out['content-length'];
  return out;
}

/** CORS for the configured origins only, as for /graphql: an allowed Origin answered with itself, never with credentials. */
function corsHeaders(origins: readonly string[], origin: string | undefined): Record<string, string> {
  if (origins.length === 0) return {};
  if (origin === undefined || !origins.includes(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED.join(', '), vary: 'Origin' };
}

function preflight(res: ServerResponse, cors: Record<string, string>): void {
  const allowed = 'access-control-allow-origin' in cors;
  res.writeHead(204, {
    ...(allowed
      ? {
          'access-control-allow-origin': cors['access-control-allow-origin']!,
          'access-control-allow-methods': PROXY_METHODS.join(', '),
          'access-control-allow-headers': ALLOWED_REQUEST_HEADERS.join(', '),
          'access-control-max-age': '600',
        }
      : {}),
    ...(cors.vary ? { vary: cors.vary } : {}),
    allow: [...PROXY_METHODS, 'OPTIONS'].join(', '),
  });
  res.end();
}

const badInput = (message: string): Refusal => ({ status: 400, code: 'BAD_USER_INPUT', message });

function tooLargeRefusal(limit: number, which: 'jsonBody' | 'uploadBody'): Refusal {
  return {
    status: 413,
    code: 'BAD_USER_INPUT',
    message: `The request body is larger than ${limit} bytes, the most the passthrough takes for ${which === 'jsonBody' ? 'JSON' : 'an upload (UPLOAD_MAX_BYTES)'}.`,
    extensions: { limit: which },
  };
}

const notConnected: Refusal = {
  status: 401,
  code: 'IMANAGE_NOT_CONNECTED',
  message: 'This user has not connected an iManage account. Connect it with the startIManageConnection mutation.',
};
const reauthRequired: Refusal = {
  status: 401,
  code: 'IMANAGE_REAUTH_REQUIRED',
  message: "iManage no longer accepts this user's connection. Connect again with the startIManageConnection mutation.",
};

/** An iManage failure before the first byte, in the API's vocabulary (as a download's). */
function upstreamRefusal(error: IManageError): Refusal {
  if (error instanceof IManageUnauthorizedError) return reauthRequired;
  if (error instanceof IManageNotReplayedError) {
    return {
      status: 503,
      code: 'UPSTREAM_UNAVAILABLE',
      message: "iManage refused the connection's token before taking the upload; the token is renewed now: send the request again.",
      headers: { 'retry-after': '0' },
      extensions: { retryAfter: 0 },
    };
  }
  if (error instanceof IManageRateLimitedError || error instanceof IManageTransfersBusyError) return rateLimited(error);
  const unavailable = error instanceof IManageCircuitOpenError || (error instanceof IManageHttpError && error.status === 503);
  return { status: unavailable ? 503 : 502, code: 'UPSTREAM_UNAVAILABLE', message: 'iManage failed or did not answer in time. Try again later.' };
}

function who(user: AppUser, connection: UserConnection) {
  return { appUserId: user.id, connectionId: connection.id, customerId: connection.customerId, imanageUserId: connection.imanageUserId };
}

/**
 * A refusal as JSON (`{"errors":[{"message","extensions":{"code",…}}]}`); a HEAD gets the status and
 * headers alone. A body the caller is still sending is not read: the connection closes after the answer.
 */
function writeRefusal(req: IncomingMessage, res: ServerResponse, refusal: Refusal, cors: Record<string, string>): void {
  const unread = !req.complete && (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0);
  writeJsonRefusal(res, refusal, { ...ALWAYS, ...cors, ...(unread ? { connection: 'close' } : {}) });
}

/** The whole body if it is at most `limit` bytes. */
function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    // The caller may have left while the token and the connection were looked up: its events have
    // fired, and a destroyed request gives no more data, whether or not its body had all arrived.
    if (req.destroyed) return resolve('aborted');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        resolve('too_large');
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}
