/**
 * What can go wrong when calling iManage, as types the domain and the GraphQL layer act on by class.
 * Messages never contain a token, a URL query string or an upstream body: only the method, the
 * path template and iManage's own error code.
 */

/** One entry of iManage's `error.messages[]`: a field-level validation problem. */
export interface IManageFieldMessage {
  field?: string;
  code?: string;
  message?: string;
}

export abstract class IManageError extends Error {
  abstract readonly kind: string;
  /** The operation that failed, e.g. `GET /libraries/{lib}/folders/{id}`: a template, never the real URL. */
  readonly operation: string;
  constructor(operation: string, message: string, options?: ErrorOptions) {
    super(`${operation}: ${message}`, options);
    this.operation = operation;
  }
}

/** iManage answered with an HTTP error status and (usually) its `{error:{code, code_message, messages}}` body. */
export class IManageHttpError extends IManageError {
  readonly kind = 'http';
  constructor(
    operation: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly messages: IManageFieldMessage[] = [],
    /** Seconds to wait, from `x-ratelimit-reset` or `Retry-After`, on 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(operation, `iManage answered ${status}${code ? ` ${code}` : ''}`);
  }
}

/**
 * The HTTP statuses callers act on, one class each, so that code above the transport asks
 * `instanceof IManageNotFoundError` rather than reading numbers. `httpError` picks the class.
 */

/** 4xx: iManage refused the request as it was asked; it did nothing. */
export class IManageRefusedError extends IManageHttpError {}
/** 400: the request was invalid (field-level problems in `messages`). */
export class IManageBadRequestError extends IManageRefusedError {}
/** 401 on one call: the access token was not accepted (the client renews it and asks once more). */
export class IManageTokenRejectedError extends IManageRefusedError {}
/** 403: the user may not do this. */
export class IManageForbiddenError extends IManageRefusedError {}
/** 404: no such object, or the user cannot see it. */
export class IManageNotFoundError extends IManageRefusedError {}
/** 409: the request conflicts with the object's state. */
export class IManageConflictError extends IManageRefusedError {}
/** 429: too many calls; `retryAfterSeconds` says when to ask again. */
export class IManageRateLimitedError extends IManageRefusedError {}
/** 5xx: iManage failed. */
export class IManageServerError extends IManageHttpError {}

/** The error for an HTTP error status: the class of its status, else the plain `IManageHttpError`. */
export function httpError(
  operation: string,
  status: number,
  code?: string,
  messages: IManageFieldMessage[] = [],
  retryAfterSeconds?: number,
): IManageHttpError {
  const Class = httpErrorClass(status);
  return new Class(operation, status, code, messages, retryAfterSeconds);
}

function httpErrorClass(status: number): typeof IManageHttpError {
  switch (status) {
    case 400:
      return IManageBadRequestError;
    case 401:
      return IManageTokenRejectedError;
    case 403:
      return IManageForbiddenError;
    case 404:
      return IManageNotFoundError;
    case 409:
      return IManageConflictError;
    case 429:
      return IManageRateLimitedError;
    default:
      if (status >= 500) return IManageServerError;
      return status >= 400 ? IManageRefusedError : IManageHttpError;
  }
}

/** iManage refused the access token and no fresh one could be had: the user must connect again. */
export class IManageUnauthorizedError extends IManageError {
  readonly kind = 'unauthorized';
  constructor(operation: string) {
    super(operation, 'iManage refused the access token');
  }
}

/** The call did not complete within its deadline. */
export class IManageTimeoutError extends IManageError {
  readonly kind = 'timeout';
  constructor(
    operation: string,
    readonly timeoutMs: number,
  ) {
    super(operation, `no complete answer within ${timeoutMs} ms`);
  }
}

/**
 * A transfer (download, upload, passthrough call) was never sent: every one of its user's transfer
 * slots (`IMANAGE_TRANSFERS_PER_USER`) stayed taken until its deadline. Nothing reached iManage; the
 * same transfer may be tried again once one of the others ends. Says nothing about iManage's health.
 */
export class IManageTransfersBusyError extends IManageError {
  readonly kind = 'transfers_busy';
  /** When to try again: the user's other transfers end when they end, so a short wait. */
  readonly retryAfterSeconds = 1;
  constructor(
    operation: string,
    readonly slots: number,
  ) {
    super(operation, `not sent: the user's ${slots} transfer slots stayed taken until the deadline`);
  }

  /** What the caller is told. */
  get advice(): string {
    return `This user already has ${this.slots} downloads, uploads or passthrough calls running (IMANAGE_TRANSFERS_PER_USER). Nothing was sent: retry in ${this.retryAfterSeconds} s, or once one of them ends.`;
  }
}

/**
 * The caller went away (its HTTP request was closed) before iManage answered, and the call was
 * abandoned. Says nothing about iManage's health: never retried, never counted by the breaker.
 */
export class IManageCancelledError extends IManageError {
  readonly kind = 'cancelled';
  constructor(operation: string) {
    super(operation, 'cancelled: the caller went away');
  }
}

/** The connection failed: refused, reset, DNS, TLS. */
export class IManageNetworkError extends IManageError {
  readonly kind = 'network';
  constructor(
    operation: string,
    readonly causeCode: string | undefined,
    options?: ErrorOptions,
  ) {
    super(operation, `network failure${causeCode ? ` (${causeCode})` : ''}`, options);
  }
}

/** iManage answered 2xx but the body was not what the API promises: not JSON, truncated, wrong shape. */
export class IManageProtocolError extends IManageError {
  readonly kind = 'protocol';
  constructor(operation: string, detail: string) {
    super(operation, `unexpected reply: ${detail}`);
  }
}

/**
 * A page that holds an item of a page before it: iManage ignored the cursor (or the list changed
 * since). Followed, it would repeat pages without end.
 */
export class PageRepeatedError extends IManageProtocolError {
  constructor() {
    super('list paging', 'iManage sent an item of an earlier page again: it ignores the cursor, or the list changed since');
  }
}

/**
 * A list that iManage did not page as asked: it answered fewer items than its own `total_count` and no
 * cursor to the rest (it paged by offset, ignoring `paging_mode=standard_cursor`). Ending the list
 * there would show it short as if it were whole.
 */
export class IManageUnpagedListError extends IManageProtocolError {
  constructor(
    operation: string,
    readonly sent: number,
    readonly total: number,
  ) {
    super(operation, `iManage sent ${sent} of ${total} items and no cursor to the rest: it did not page the list by cursor`);
  }
}

/**
 * Discovery (`GET /api`) named an API base this service will not send tokens to: another origin than
 * the configured iManage host, plain http outside sandbox mode, or not a plain URL. The reason says
 * which; it never carries the URL.
 */
export class IManageUntrustedApiError extends IManageError {
  readonly kind = 'untrusted_api';
  constructor(
    operation: string,
    readonly reason: string,
  ) {
    super(operation, `refused the API base from discovery: ${reason}`);
  }
}

/**
 * Not sent: the GraphQL operation has made as many iManage calls as it may
 * (`MAX_UPSTREAM_CALLS_PER_OPERATION`). Nothing reached iManage for this call.
 */
export class IManageCallBudgetError extends IManageError {
  readonly kind = 'call_budget';
  constructor(
    operation: string,
    readonly maxCalls: number,
  ) {
    super(operation, `not sent: the operation has made its ${maxCalls} iManage calls`);
  }
}

/** Too many recent failures of this iManage host: calls fail fast until a probe succeeds. */
export class IManageCircuitOpenError extends IManageError {
  readonly kind = 'circuit_open';
  constructor(operation: string) {
    super(operation, 'iManage is failing; not calling it for a while');
  }
}

/**
 * This iManage server has no such route: it answered 405, or 404 without iManage's own `NRC_NO_RECORD`
 * (which would mean a missing object). What was asked for is not offered by this server; asking again
 * will not help.
 */
export class IManageUnsupportedError extends IManageError {
  readonly kind = 'unsupported';
  constructor(operation: string) {
    super(operation, 'this iManage server does not offer this call');
  }
}

/**
 * iManage refused the access token (401) of a call whose request body was streamed: the body has gone
 * and cannot be sent a second time, so the call is not replayed. A fresh token was had (without one the
 * error is IManageUnauthorizedError): the same request sent again goes through.
 */
export class IManageNotReplayedError extends IManageError {
  readonly kind = 'not_replayed';
  constructor(operation: string) {
    super(operation, 'iManage refused the token; the streamed request body cannot be replayed with the fresh one');
  }
}
