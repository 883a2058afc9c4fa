import { GraphQLError } from 'graphql';
import { clip, CreateUnconfirmedError, DomainError, NotFoundError } from '../folders/errors.js';
import { SearchMovedError } from '../documents/paging.js';
import { UploadUnconfirmedError } from '../documents/upload.js';
import {
  IManageBadRequestError,
  IManageCallBudgetError,
  IManageCancelledError,
  IManageCircuitOpenError,
  IManageError,
  IManageForbiddenError,
  IManageHttpError,
  IManageNetworkError,
  IManageNotFoundError,
  IManageNotReplayedError,
  IManageProtocolError,
  IManageRateLimitedError,
  IManageTransfersBusyError,
  IManageServerError,
  IManageTimeoutError,
  IManageTokenRejectedError,
  IManageUnauthorizedError,
  IManageUnpagedListError,
  IManageUnsupportedError,
  PageRepeatedError,
} from '../imanage/errors.js';

export { clip };

/**
 * The one error vocabulary of the API (CONTRACT §6). Every deliberate error is an `AppError` with an
 * `extensions.code`; anything else is masked as INTERNAL. Messages are written for the frontend
 * developer and never carry a token, a secret, an upstream body or a stack trace.
 */

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'IMANAGE_NOT_CONNECTED'
  | 'IMANAGE_REAUTH_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'COST_LIMIT_EXCEEDED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL';

const ERROR_CODES = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'IMANAGE_NOT_CONNECTED',
  'IMANAGE_REAUTH_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'COST_LIMIT_EXCEEDED',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL',
]);

export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, httpStatus?: number) {
    super(message, { extensions: { code, ...extensions, ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
    this.code = code;
  }
}

/**
 * No valid app user token: HTTP 401 with RFC 6750's challenge. `refusal` says why a token was refused
 * (a fixed sentence, never the token); null when the request carried no bearer token at all, which
 * gets a bare `Bearer` challenge (RFC 6750 §3.1).
 */
export const unauthenticated = (refusal: string | null) => {
  const challenge = refusal === null ? 'Bearer' : `Bearer error="invalid_token", error_description="${refusal}"`;
  const message =
    refusal === null
      ? 'A valid app user token is required: send it as "Authorization: Bearer <token>".'
      : `The app user token was refused: ${refusal} Send a valid one as "Authorization: Bearer <token>".`;
  return new AppError('UNAUTHENTICATED', message, { http: { status: 401, headers: { 'WWW-Authenticate': challenge } } });
};

export const notConnected = () =>
  new AppError('IMANAGE_NOT_CONNECTED', 'This user has not connected an iManage account. Connect it with the startIManageConnection mutation.');

export const reauthRequired = () =>
  new AppError('IMANAGE_REAUTH_REQUIRED', "iManage no longer accepts this user's connection. Connect again with the startIManageConnection mutation.");

export const notFound = (what: NotFoundError['what'], id: string) => fromDomainError(new NotFoundError(what, id));

export const badInput = (message: string, argument?: string) => new AppError('BAD_USER_INPUT', message, argument ? { argument } : {});

/** The request limits (README "Limits and security"), named in `extensions.limit` when one refuses a request. */
export type LimitName = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost' | 'identicalSelections' | 'introspectionDepth' | 'bodySize';

/**
 * A request refused by a limit before any resolver ran: BAD_USER_INPUT naming the limit. HTTP 400 as
 * for any invalid document (200 to clients that accept only `application/json`, as the GraphQL over
 * HTTP spec asks), or 413 for the body size.
 */
export const limitExceeded = (limit: LimitName, message: string) =>
  new AppError('BAD_USER_INPUT', message, {
    limit,
    http: limit === 'bodySize' ? { status: 413 } : { status: 400, spec: true },
  });

/** An iManage failure as the API's error. */
export function fromIManageError(error: IManageError): AppError {
  if (error instanceof IManageUnauthorizedError) return reauthRequired();
  if (error instanceof IManageTokenRejectedError) return reauthRequired();
  // Only writes get here: the client answers a read's 403 as a 404, so that nothing says the object exists.
  if (error instanceof IManageForbiddenError) return new AppError('FORBIDDEN', 'iManage does not allow this user to do that.');
  if (error instanceof IManageNotFoundError) return new AppError('NOT_FOUND', 'iManage has no such object, or this user cannot see it.');
  if (error instanceof IManageRateLimitedError) {
    const retryAfter = Math.max(1, error.retryAfterSeconds ?? 5);
    return new AppError('RATE_LIMITED', `iManage is rate limiting this user. Retry in ${retryAfter} s.`, {
      retryAfter,
      http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    });
  }
  if (error instanceof IManageTransfersBusyError) {
    const retryAfter = error.retryAfterSeconds;
    return new AppError('RATE_LIMITED', error.advice, {
      retryAfter,
      http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    });
  }
  if (error instanceof IManageServerError) return upstreamUnavailable(`iManage failed (${error.status})`);
  if (error instanceof IManageBadRequestError) return new AppError('BAD_USER_INPUT', `iManage rejected the request${error.code ? ` (${error.code})` : ''}.`);
  if (error instanceof IManageHttpError) return new AppError('INTERNAL', 'Unexpected error.');
  if (error instanceof IManageCallBudgetError) {
    return new AppError(
      'COST_LIMIT_EXCEEDED',
      `This operation reached its limit of ${error.maxCalls} iManage calls, so this field was not filled. Ask for less at once (smaller pages, fewer nested levels) and fetch the rest in another request.`,
      { maxUpstreamCalls: error.maxCalls },
    );
  }
  if (error instanceof IManageUnsupportedError) {
    // Asking again cannot help: the query asks for something this iManage server does not offer.
    return new AppError('BAD_USER_INPUT', `This iManage server does not offer ${error.operation}, so this field cannot be answered here.`, {
      unsupported: true,
    });
  }
  if (error instanceof IManageTimeoutError) return upstreamUnavailable('iManage did not answer in time');
  // A streamed upload refused with 401 before iManage took it: nothing was filed, and the token is renewed.
  if (error instanceof IManageNotReplayedError)
    return new AppError('UPSTREAM_UNAVAILABLE', 'iManage refused the upload before taking it (its session had ended; it is renewed now). Send it again.');
  // Nobody reads this answer (its caller left); the code only appears in the operation's log line.
  if (error instanceof IManageCancelledError) return new AppError('UPSTREAM_UNAVAILABLE', 'The request was cancelled before iManage answered.');
  if (error instanceof IManageCircuitOpenError) return upstreamUnavailable('iManage is failing');
  if (error instanceof IManageNetworkError) return upstreamUnavailable('iManage could not be reached');
  if (error instanceof SearchMovedError)
    return new AppError(
      'UPSTREAM_UNAVAILABLE',
      'The search results changed since the page before (or iManage ignored the position asked for), so this page cannot continue it. Run the search again without `after`.',
    );
  if (error instanceof PageRepeatedError)
    return new AppError(
      'UPSTREAM_UNAVAILABLE',
      'iManage sent an item of an earlier page again (it ignored the position asked for, or the list changed since), so this page cannot continue it. Read the list again without `after`.',
    );
  if (error instanceof IManageUnpagedListError)
    return upstreamUnavailable(
      `iManage did not page this list as asked: it sent ${error.sent} of its ${error.total} items and no cursor to the rest, so the list is not shown cut short`,
    );
  if (error instanceof IManageProtocolError) return upstreamUnavailable('iManage sent a reply this service cannot read');
  return new AppError('INTERNAL', 'Unexpected error.');
}

const upstreamUnavailable = (what: string) => new AppError('UPSTREAM_UNAVAILABLE', `${what}. Try again later.`);

/** A domain failure (src/folders/errors.ts) as the API's error. */
export function fromDomainError(error: DomainError): AppError {
  if (error instanceof NotFoundError) return new AppError('NOT_FOUND', error.message);
  // `parentChecked` is the extension's first name, kept: true says nothing was created, as far as iManage shows.
  if (error instanceof CreateUnconfirmedError) return new AppError('UPSTREAM_UNAVAILABLE', error.message, { parentChecked: error.notCreated });
  // `folderChecked` keeps its name: true says nothing was filed, as far as iManage shows.
  if (error instanceof UploadUnconfirmedError) return new AppError('UPSTREAM_UNAVAILABLE', error.message, { folderChecked: error.notFiled });
  return new AppError('INTERNAL', 'Unexpected error.');
}

/**
 * Yoga's `maskError`: deliberate errors keep their code, iManage and domain failures become theirs, errors about
 * the request itself (syntax, validation, variable coercion) pass as BAD_USER_INPUT, and everything
 * else becomes a bare INTERNAL with no detail.
 */
export function maskError(error: unknown): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof AppError) return withLocation(error, original);
  if (original instanceof IManageError) return withLocation(error, fromIManageError(original));
  if (original instanceof DomainError) return withLocation(error, fromDomainError(original));
  if (error instanceof GraphQLError && isRequestError(error)) {
    // Yoga's own codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED) become the contract's.
    const code = error.extensions?.code;
    if (ERROR_CODES.has(code as ErrorCode)) return error;
    // Yoga's body limit (maxRequestBodySize) is one of the request limits.
    if (code === 'REQUEST_ENTITY_TOO_LARGE') return limitExceeded('bodySize', 'The request body is larger than this service accepts.');
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      // Only the HTTP status survives: Yoga adds detail such as `originalError` (a JSON parser's message).
      extensions: { code: 'BAD_USER_INPUT', ...(error.extensions?.http ? { http: error.extensions.http } : {}) },
    });
  }
  return withLocation(error, new AppError('INTERNAL', 'Unexpected error.'));
}

/** The code the caller gets for `error` once it is masked (`INTERNAL` for anything unplanned). */
export function maskedCode(error: unknown): string {
  const code = (maskError(error) as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}

/**
 * graphql-js and Yoga raise these before any resolver runs: no path, and either no cause or a cause
 * that is itself a GraphQLError (a scalar refusing a variable). An exception thrown while building the
 * context also has no path, but its cause is a plain Error: that one is masked.
 */
function isRequestError(error: GraphQLError): boolean {
  return error.path === undefined && (error.originalError === undefined || error.originalError === null || error.originalError instanceof GraphQLError);
}

/** Keep the path and locations of the field that failed, with the mapped message and code. */
function withLocation(error: unknown, mapped: AppError): GraphQLError {
  if (!(error instanceof GraphQLError) || (error.path === undefined && error.nodes === undefined)) return mapped;
  return new GraphQLError(mapped.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: mapped.extensions,
  });
}
