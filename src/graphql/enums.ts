import { IManageProtocolError } from '../imanage/errors.js';
import type { AccessLevel, DefaultSecurity, FolderType, LibraryType } from './types.generated.js';

/** iManage's lower-case values to the schema's enums (writes map them back in src/folders/wire.ts). Unknown values never pass silently. */

const DEFAULT_SECURITY: Record<string, DefaultSecurity> = { inherit: 'INHERIT', public: 'PUBLIC', view: 'VIEW', private: 'PRIVATE' };
const ACCESS_LEVEL: Record<string, AccessLevel> = { no_access: 'NO_ACCESS', read: 'READ', read_write: 'READ_WRITE', full_access: 'FULL_ACCESS' };
const FOLDER_TYPE: Record<string, FolderType> = {
  regular: 'REGULAR',
  search: 'SEARCH',
  tab: 'TAB',
  category: 'CATEGORY',
  my_matters: 'MY_MATTERS',
  my_favorites: 'MY_FAVORITES',
};
const LIBRARY_TYPE: Record<string, LibraryType> = { worksite: 'WORKSITE', linksite: 'LINKSITE' };

/** Security decides who sees what: a value we cannot read is an error on the field, not a guess. */
export function toDefaultSecurity(value: string | null): DefaultSecurity {
  const mapped = value === null ? undefined : DEFAULT_SECURITY[value.toLowerCase()];
  if (!mapped) throw new IManageProtocolError('default_security', `unknown value "${String(value).slice(0, 32)}"`);
  return mapped;
}

/** Null when iManage does not say, or says something outside the four levels. */
export function toAccessLevel(value: string | null): AccessLevel | null {
  return value === null ? null : (ACCESS_LEVEL[value.toLowerCase()] ?? null);
}

export function toFolderType(value: string | null): FolderType | null {
  return value === null ? null : (FOLDER_TYPE[value.toLowerCase()] ?? null);
}

export function toLibraryType(value: string | null | undefined): LibraryType | null {
  return value == null ? null : (LIBRARY_TYPE[value.toLowerCase()] ?? null);
}

/** iManage dates are ISO 8601; one that does not parse is reported as unknown (null). */
export function toDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
