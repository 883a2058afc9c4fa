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
 * `notCreated` is true when the parent's folders were searched and the folder is not there, after a
 * failure that shows iManage was done with the request (a 5xx, an unreadable reply): nothing was
 * created, as far as iManage shows. False when that is not known: the parent could not be searched,
 * or iManage did not answer in time (or the connection broke) and may still create the folder.
 */
export class CreateUnconfirmedError extends DomainError {
  constructor(
    message: string,
    readonly notCreated: boolean,
  ) {
    super(message);
  }
}

/** Echo user input in messages only clipped, so a hostile value cannot bloat or forge a message. */
export function clip(value: string, max = 80): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
