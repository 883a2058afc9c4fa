/**
 * iManage identifiers. A container (workspace or folder) id is `<LIBRARY>!<number>`, e.g.
 * `ACTIVE_US!52811`; the library prefix is the library id, which iManage allows to be any name
 * without a `!` (reference §3: `^[^!]+![0-9]+$`, case-insensitive; §1.4: the library's name or alias).
 * So any such name is accepted, and what could still do harm is refused here: control characters (they
 * would forge log lines and cache keys), lone surrogates (they cannot be percent-encoded), `.` and
 * `..` (dot segments, which URL resolution removes from a path even when escaped) and absurd lengths.
 * Everything else is safe because every id is escaped as one URL path segment (`IManageClient.url`).
 */

/** Longer than any library name iManage shows (SQL Server database names stop at 128). */
const MAX_LIBRARY_LENGTH = 128;
const NUMBER = /^[1-9][0-9]{0,17}$/;
/** Control characters, line and paragraph separators, and lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

export interface ContainerId {
  /** The whole id, as iManage spells it. */
  readonly id: string;
  readonly library: string;
}

export function isLibraryId(value: string): boolean {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_LIBRARY_LENGTH &&
    !value.includes('!') &&
    value !== '.' &&
    value !== '..' &&
    !UNSAFE.test(value)
  );
}

/** The parsed id, or null when `value` is not a container id. */
export function parseContainerId(value: string): ContainerId | null {
  if (typeof value !== 'string') return null;
  const bang = value.indexOf('!');
  if (bang < 0) return null;
  const library = value.slice(0, bang);
  return isLibraryId(library) && NUMBER.test(value.slice(bang + 1)) ? { id: value, library } : null;
}

export interface DocumentId {
  /** The whole id, as given: `LIBRARY!number.version`, or `LIBRARY!number` for the latest version. */
  readonly id: string;
  readonly library: string;
  /** The document number, as digits (up to 18: beyond what a JavaScript number holds exactly). */
  readonly number: string;
  /** The version, or null when the id names none (the latest version). */
  readonly version: number | null;
}

const VERSION = /^[1-9][0-9]{0,8}$/;

/**
 * The parsed document id, or null when `value` is not one. iManage's form is `LIBRARY!number.version`
 * (reference §3: `^[^!]+![0-9]+\.[0-9]+$`); `LIBRARY!number` without a version names the latest
 * version, as iManage's profile call reads it.
 */
export function parseDocumentId(value: string): DocumentId | null {
  if (typeof value !== 'string') return null;
  const bang = value.indexOf('!');
  if (bang < 0) return null;
  const library = value.slice(0, bang);
  const [number, version, ...rest] = value.slice(bang + 1).split('.');
  if (!isLibraryId(library) || rest.length > 0 || number === undefined || !NUMBER.test(number)) return null;
  if (version !== undefined && !VERSION.test(version)) return null;
  return { id: value, library, number, version: version === undefined ? null : Number(version) };
}

/** `LIBRARY!number`: the key of a document's latest version, and of everything that is the same for all its versions. */
export function documentNumberId(library: string, number: string | number): string {
  return `${library}!${number}`;
}

/**
 * The one form ids are compared and keyed in. Library ids ignore case: iManage's own examples spell
 * the same library's prefix differently (reference §3, "Library prefix case in ids varies in examples
 * (`Active_uk!2222`, `active!72634.3`)"), and the library id is that prefix (§1.4). So a library id and
 * a container id are each one key whatever their case.
 */
export function idKey(id: string): string {
  return id.toLowerCase();
}

/** Whether two library or container ids name the same object. */
export function sameId(a: string, b: string): boolean {
  return idKey(a) === idKey(b);
}
