/**
 * What the folder workflows and lookups fail with, in their own words. They know no GraphQL: the API
 * layer maps each class to its error code (`fromDomainError` in src/graphql/errors.ts). Refusals a
 * caller can fix in the input are not errors but `UserErrorEntry` results (userErrors.ts).
 */

export abstract class DomainError extends Error {}

/** The object does not exist, or this user cannot see it (iManage does not tell the two apart). */
export class NotFoundError extends DomainError {
  constructor(
    readonly what: 'Folder' | 'Workspace' | 'Library' | 'Document',
    readonly id: string,
  ) {
    super(`${what} "${clip(id)}" does not exist, or this user cannot see it.`);
  }
}

/**
 * A create was sent and iManage's answer was lost; whether the folder exists is not confirmed.
 * `parentChecked` says whether the parent's folders could be searched for it.
 */
export class CreateUnconfirmedError extends DomainError {
  constructor(
    message: string,
    readonly parentChecked: boolean,
  ) {
    super(message);
  }
}

/** Echo user input in messages only clipped, so a hostile value cannot bloat or forge a message. */
export function clip(value: string, max = 80): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
