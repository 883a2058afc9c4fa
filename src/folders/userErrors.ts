/**
 * The `UserError` entries of `createSubfolder` and the uploads: the codes the schema documents, and the shape the
 * resolvers return.
 */

export type UserErrorCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'INVALID_CHARACTERS'
  | 'INVALID_ID'
  | 'OUT_OF_RANGE'
  | 'DUPLICATE'
  | 'TOO_MANY'
  | 'INVALID_FORMAT'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_PROGRESS'
  | 'FILE_TOO_LARGE'
  | 'FILE_INCOMPLETE'
  | 'CHECKED_OUT';

export interface UserErrorEntry {
  /** From the argument down, e.g. `['input', 'profile', 'custom3']`; list positions as strings. */
  readonly field: readonly string[] | null;
  readonly message: string;
  readonly code: UserErrorCode;
  /** iManage's own code when iManage reported it. */
  readonly imanageCode: string | null;
}

export function userError(field: readonly string[] | null, code: UserErrorCode, message: string, imanageCode: string | null = null): UserErrorEntry {
  return { field, code, message, imanageCode };
}
