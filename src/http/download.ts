import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { create as contentDisposition, parse as parseContentDisposition } from 'content-disposition';
import type { Logger } from 'pino';
import { InvalidAppTokenError, type AppTokenVerifier } from '../auth/appTokens.js';
import type { ConnectionProvider } from '../auth/connections.js';
import { DownloadLinkRefusedError, type DownloadLink, type DownloadLinks } from '../auth/downloadLinks.js';
import type { ErrorCode } from '../graphql/errors.js';
import { IManageClient, type Upstream } from '../imanage/client.js';
import {
  IManageBadRequestError,
  IManageCancelledError,
  IManageCircuitOpenError,
  IManageError,
  IManageHttpError,
  IManageNotFoundError,
  IManageRateLimitedError,
  IManageTransfersBusyError,
  IManageTokenRejectedError,
  IManageUnauthorizedError,
} from '../imanage/errors.js';
import { parseDocumentId } from '../imanage/ids.js';
import { discard, type StreamResponse } from '../imanage/transport.js';
import { rateLimited, writeRefusal as writeJsonRefusal, type Refusal as SharedRefusal } from './refusals.js';
import type { StreamingRoute } from './router.js';

/**
 * `GET` and `HEAD /documents/:id/download?link=…`: the target of `Document.downloadUrl`. A browser
 * follows it without an Authorization header, so the signed link is the credential (auth/downloadLinks.ts
 * says what binds it). The bytes come from iManage as they arrive and go out as they came, with
 * backpressure: nothing is held whole, whatever the size. A failure before the first byte is a JSON
 * error (and the link may be tried again); one after it cuts the response short (the client sees an
 * aborted transfer, never a clean short one); a client that leaves cancels the iManage call.
 *
 * What is sent is built here, never copied from iManage: the type (checked), the length and range,
 * and a Content-Disposition built anew from the file name (RFC 6266, the name intact in `filename*`);
 * no iManage cookie, token or other header passes. One log line per request: user, document, status,
 * bytes, outcome; never the link.
 */

export const DOWNLOAD_PATH = '/documents/:id/download';

/** The download route's error codes: the API's (CONTRACT §6), and two for links that were good once. */
export type DownloadErrorCode = ErrorCode | 'DOWNLOAD_LINK_EXPIRED' | 'DOWNLOAD_LINK_USED';

export interface DownloadRouteOptions {
  links: DownloadLinks;
  connections: ConnectionProvider;
  upstream: Upstream;
  verifier: AppTokenVerifier;
  /** How long iManage may take to start answering (`OPERATION_DEADLINE_MS`), retries included. */
  deadlineMs: number;
  logger: Logger;
}

type Refusal = SharedRefusal<DownloadErrorCode>;

/** What every download answer carries, refusals included: the link is a credential, the body one user's file. */
const ALWAYS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function downloadRoute(options: DownloadRouteOptions): StreamingRoute {
  return {
    path: DOWNLOAD_PATH,
    methods: ['GET', 'HEAD'],
    serve: (req, res, params) => serveDownload(options, req, res, params.id ?? ''),
  };
}

async function serveDownload(options: DownloadRouteOptions, req: IncomingMessage, res: ServerResponse, documentId: string): Promise<void> {
  const started = performance.now();
  const head = req.method === 'HEAD';
  // Aborted when the browser leaves, from the start: the iManage call, or its transfer, stops too.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  const log = (fields: Record<string, unknown>, level: 'info' | 'warn' = 'info') =>
    options.logger[level](
      { download: { document: documentId, method: req.method, durationMs: Math.round(performance.now() - started), ...fields } },
      'download',
    );
  const refuse = (refusal: Refusal, fields: Record<string, unknown> = {}) => {
    writeRefusal(res, refusal);
    log({ status: refusal.status, code: refusal.code, ...fields }, refusal.status >= 500 ? 'warn' : 'info');
  };

  const token = new URL(req.url ?? '/', 'http://link.invalid').searchParams.get('link') ?? '';
  let link: DownloadLink;
  try {
    link = await options.links.verify(token, documentId);
  } catch (error) {
    if (!(error instanceof DownloadLinkRefusedError)) throw error;
    return refuse(linkRefusal(error.reason), { reason: error.reason });
  }
  const user = link.appUserId;
  const document = parseDocumentId(documentId);
  if (!document) return refuse(forbidden, { user, reason: 'bad_document_id' });

  // A caller that does send an app token (a fetch from the app's page) must be the link's user.
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    try {
      const caller = await options.verifier.verify(bearer);
      if (caller.id !== user) return refuse(forbidden, { user, reason: 'other_user' });
    } catch (error) {
      if (!(error instanceof InvalidAppTokenError)) throw error;
      return refuse(
        {
          status: 401,
          code: 'UNAUTHENTICATED',
          message: `The Authorization header's app user token was refused: ${error.description} Send none, or a valid one.`,
          headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${error.description}"` },
        },
        { user, reason: error.reason },
      );
    }
  }

  const connection = await options.connections.forUser(user);
  if (!connection) return refuse(notConnected, { user });
  if (!options.links.madeFor(link, connection.id)) return refuse(relinked, { user });
  if (connection.status === 'reauth_required') return refuse(reauthRequired, { user });

  if (gone.signal.aborted) return log({ user, status: null, outcome: 'cancelled' });
  // HEAD reads the headers and leaves the link unused; GET uses it, whoever comes first.
  const fresh = head ? !(await options.links.isUsed(link)) : await options.links.use(link);
  if (!fresh) return refuse(linkRefusal('used'), { user });

  const client = new IManageClient(options.upstream, connection, gone.signal, Date.now() + options.deadlineMs);
  let upstream: StreamResponse;
  try {
    upstream = await client.download(document, { head, range: rangeOf(req.headers) });
  } catch (error) {
    // Nothing was delivered: the user may try the same link again.
    if (!head) await options.links.release(link);
    if (error instanceof IManageCancelledError || gone.signal.aborted) return log({ user, status: null, outcome: 'cancelled' });
    if (!(error instanceof IManageError)) throw error;
    return refuse(upstreamRefusal(error), { user, upstream: error.kind, ...(error instanceof IManageHttpError ? { upstreamStatus: error.status } : {}) });
  }

  if (upstream.status === 416) {
    // No byte of the document went out: the link stays usable, with a range that fits.
    discard(upstream.body);
    if (!head) await options.links.release(link);
    const size = /^bytes \*\/(\d+)$/.exec(String(upstream.headers['content-range'] ?? ''))?.[1];
    return refuse(
      {
        status: 416,
        code: 'BAD_USER_INPUT',
        message: 'The requested range is outside the document.',
        headers: size ? { 'content-range': `bytes */${size}` } : {},
      },
      { user },
    );
  }

  try {
    res.writeHead(upstream.status, responseHeaders(upstream, documentId));
  } catch (error) {
    // Not one byte went out: the iManage body is let go (it would hold its connection and the user's
    // transfer slot until it ended, which a paused body never does) and the link may be tried again.
    discard(upstream.body);
    if (!head) await options.links.release(link);
    throw error;
  }
  if (head) {
    upstream.body.resume();
    res.end();
    return log({ user, status: upstream.status, outcome: 'complete' });
  }
  let bytes = 0;
  upstream.body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  try {
    await pipeline(upstream.body, res);
    log({ user, status: upstream.status, bytes, outcome: 'complete' });
  } catch (error) {
    // The response is cut short (pipeline destroyed it): a client never takes a part for the whole.
    const cause = gone.signal.aborted ? 'client_left' : 'upstream_failed';
    log({ user, status: upstream.status, bytes, outcome: 'aborted', cause, error: errorCode(error) }, cause === 'upstream_failed' ? 'warn' : 'info');
  }
}

/** The headers of a download: the document's type, length, range and name, and nothing else of iManage's. */
function responseHeaders(upstream: StreamResponse, documentId: string): Record<string, string> {
  const headers: Record<string, string> = {
    ...ALWAYS,
    'content-type': mediaType(upstream.headers['content-type']),
    'content-disposition': attachment(upstream.headers['content-disposition'], documentId),
    // A file served from this origin must never run as a page of it, whatever its type.
    'content-security-policy': "default-src 'none'; sandbox",
    'accept-ranges': upstream.headers['accept-ranges'] === 'bytes' ? 'bytes' : 'none',
  };
  const length = one(upstream.headers['content-length']);
  if (length !== undefined && /^\d{1,16}$/.test(length)) headers['content-length'] = length;
  const range = one(upstream.headers['content-range']);
  if (upstream.status === 206 && range !== undefined && /^bytes \d{1,16}-\d{1,16}\/(\d{1,16}|\*)$/.test(range)) headers['content-range'] = range;
  return headers;
}

/** iManage's type when it is a plain media type (parameters allowed), else `application/octet-stream`. */
function mediaType(value: string | string[] | undefined): string {
  const type = one(value)?.trim();
  return type && type.length <= 200 && /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\\\p{Cc}]*"|[\w!#$&^.+-]+))*$/u.test(type)
    ? type
    : 'application/octet-stream';
}

/**
 * `attachment` with the file name iManage gave (its `filename*`, else `filename`), rebuilt per RFC
 * 6266: an ASCII fallback (accents dropped, the rest `_`) and the whole name in UTF-8 `filename*`.
 * Without a usable name, the document id stands in.
 */
function attachment(value: string | string[] | undefined, documentId: string): string {
  let name: string | undefined;
  try {
    const header = one(value);
    if (header) name = parseContentDisposition(header).parameters.filename;
  } catch {
    name = undefined; // malformed: the id stands in
  }
  const safe = (name ?? '').replace(/[\p{Cc}\p{Cs}\u2028\u2029/\\]/gu, '_').trim();
  // 255 characters, counted by code point: cutting by UTF-16 unit could split an emoji in two, and
  // a lone half cannot be percent-encoded into `filename*`.
  const clipped = Array.from(safe).slice(0, 255).join('');
  const fileName = clipped === '' || clipped === '.' || clipped === '..' ? documentId.replace(/[^\w.-]/g, '_') : clipped;
  const fallback = fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_');
  return contentDisposition(fileName, { fallback });
}

/**
 * The browser's `Range`, when it is one iManage can be asked for (`bytes=` ranges, including several,
 * which iManage may answer whole); anything else is dropped and the whole document is asked for, as
 * RFC 9110 lets a server ignore a Range it does not understand.
 */
function rangeOf(headers: IncomingHttpHeaders): string | undefined {
  const range = headers.range;
  return range !== undefined && range.length <= 200 && /^bytes=\s*(\d*-\d*)(\s*,\s*\d*-\d*)*\s*$/.test(range) ? range : undefined;
}

const forbidden: Refusal = { status: 403, code: 'FORBIDDEN', message: 'This download link is not valid here: ask the app for a new one.' };
const notConnected: Refusal = {
  status: 401,
  code: 'IMANAGE_NOT_CONNECTED',
  message: 'The user this link was made for has no iManage connection any more. Connect it with the startIManageConnection mutation.',
};
const reauthRequired: Refusal = {
  status: 401,
  code: 'IMANAGE_REAUTH_REQUIRED',
  message: "iManage no longer accepts this user's connection. Connect again with the startIManageConnection mutation.",
};
const relinked: Refusal = {
  status: 409,
  code: 'IMANAGE_REAUTH_REQUIRED',
  message: 'This link was made for another iManage account than the one connected now: ask the app for a new link.',
};

function linkRefusal(reason: DownloadLinkRefusedError['reason']): Refusal {
  if (reason === 'expired') return { status: 410, code: 'DOWNLOAD_LINK_EXPIRED', message: 'This download link has expired: ask the app for a new one.' };
  if (reason === 'used') return { status: 410, code: 'DOWNLOAD_LINK_USED', message: 'This download link was used already: ask the app for a new one.' };
  return forbidden;
}

/** An iManage failure before the first byte, as the download's answer. */
function upstreamRefusal(error: IManageError): Refusal {
  if (error instanceof IManageNotFoundError) return { status: 404, code: 'NOT_FOUND', message: 'iManage has no such document, or this user cannot see it.' };
  if (error instanceof IManageUnauthorizedError || error instanceof IManageTokenRejectedError) return reauthRequired;
  if (error instanceof IManageRateLimitedError || error instanceof IManageTransfersBusyError) return rateLimited(error);
  if (error instanceof IManageBadRequestError)
    return { status: 400, code: 'BAD_USER_INPUT', message: `iManage rejected the request${error.code ? ` (${error.code})` : ''}.` };
  const unavailable = error instanceof IManageCircuitOpenError || (error instanceof IManageHttpError && error.status === 503);
  if (error instanceof IManageHttpError && error.status < 500)
    return { status: 502, code: 'UPSTREAM_UNAVAILABLE', message: 'iManage refused the download. Try again later.' };
  return { status: unavailable ? 503 : 502, code: 'UPSTREAM_UNAVAILABLE', message: 'iManage failed or did not answer in time. Try again later.' };
}

function writeRefusal(res: ServerResponse, refusal: Refusal): void {
  writeJsonRefusal(res, refusal, ALWAYS);
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A failure's code for the log (undici's `UND_ERR_…`, Node's `ERR_…`), never its message. */
function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code.slice(0, 60) : undefined;
}
