/**
 * The iManage error vocabulary, in one place.
 *
 * Body shape (reference §5.4): {"error":{"code","code_message","dms_version","transaction","messages"?}}.
 * Only NRC_NO_RECORD, NRC_INVALID_PARAM and NRC_INVALID_PROFILE are attested; the other codes are
 * this sandbox's picks (listed in README.md) so that clients must key on the HTTP status.
 */
import { randomUUID } from 'node:crypto';

/** What `dms_version` says everywhere (discovery and error bodies). */
export const DMS_VERSION = '10.4.2.1187';

export type ErrorCode =
  | 'NRC_NO_RECORD'
  | 'NRC_INVALID_PARAM'
  | 'NRC_INVALID_PROFILE'
  | 'NRC_UNAUTHORIZED'
  | 'NRC_ACCESS_DENIED'
  | 'NRC_METHOD_NOT_ALLOWED'
  | 'NRC_FOLDER_NOT_EMPTY'
  | 'NRC_CHECKED_OUT'
  | 'NRC_REQUEST_TOO_LARGE'
  | 'NRC_UNSUPPORTED_MEDIA_TYPE'
  | 'NRC_TOO_MANY_REQUESTS'
  | 'NRC_SERVICE_UNAVAILABLE'
  | 'NRC_INTERNAL_ERROR';

export interface FieldMessage {
  field: string;
  code: string;
  code_message: string;
}

/** Thrown by handlers; the server turns it into the iManage error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly messages?: FieldMessage[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string, messages?: FieldMessage[]): unknown {
  const error: Record<string, unknown> = {
    code,
    code_message: message,
    dms_version: DMS_VERSION,
    // iManage puts a per-request id here for support tickets; random is as good as anything.
    transaction: randomUUID(),
  };
  if (messages && messages.length > 0) error.messages = messages;
  return { error };
}

/** The code an injected status fault (or any bare status) carries when the caller gave no body. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'NRC_INVALID_PARAM';
    case 401:
      return 'NRC_UNAUTHORIZED';
    case 403:
      return 'NRC_ACCESS_DENIED';
    case 404:
      return 'NRC_NO_RECORD';
    case 405:
      return 'NRC_METHOD_NOT_ALLOWED';
    case 409:
      return 'NRC_FOLDER_NOT_EMPTY';
    case 413:
      return 'NRC_REQUEST_TOO_LARGE';
    case 415:
      return 'NRC_UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'NRC_TOO_MANY_REQUESTS';
    case 503:
      return 'NRC_SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'NRC_INTERNAL_ERROR' : 'NRC_INVALID_PARAM';
  }
}

export const noRecord = (what: string): ApiError => new ApiError(404, 'NRC_NO_RECORD', `${what} was not found.`);

export const invalidParam = (message: string): ApiError => new ApiError(400, 'NRC_INVALID_PARAM', message);

export const accessDenied = (message: string): ApiError => new ApiError(403, 'NRC_ACCESS_DENIED', message);

export const unauthorized = (message: string): ApiError =>
  new ApiError(401, 'NRC_UNAUTHORIZED', message, undefined, {
    'www-authenticate': 'Bearer error="invalid_token"',
  });

/**
 * OAuth token-endpoint errors use the RFC 6749 shape {error, error_description}, not the
 * iManage one (reference §2.2: clients read `error` / `error_description`).
 */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

export class OAuthError extends Error {
  readonly status: number;
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly basicChallenge = false,
  ) {
    super(description);
    this.name = 'OAuthError';
    this.status = error === 'invalid_client' ? 401 : 400;
  }
}
