/**
 * iManage identifiers. A container (workspace or folder) id is `<LIBRARY>!<number>`, e.g.
 * `ACTIVE_US!52811`; the library prefix is the library id. Parsing here is strict on purpose: an id
 * that is not of this form never reaches iManage, so it can never be used to build a different path.
 */

const LIBRARY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CONTAINER_ID = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})!([1-9][0-9]{0,17})$/;

export interface ContainerId {
  /** The whole id, as iManage spells it. */
  readonly id: string;
  readonly library: string;
}

export function isLibraryId(value: string): boolean {
  return LIBRARY_ID.test(value);
}

/** The parsed id, or null when `value` is not a container id. */
export function parseContainerId(value: string): ContainerId | null {
  const match = CONTAINER_ID.exec(value);
  return match ? { id: value, library: match[1]! } : null;
}
