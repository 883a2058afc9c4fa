import type { IManageHttpError } from '../imanage/errors.js';
import type { WireAccessLevel, WireDefaultSecurity, WireFolderCreate, WireFolderProfile, WireTrustee } from '../imanage/wire.js';
import { clip } from './errors.js';
import { PROFILE_FIELDS } from './fields.js';
import { userError, type UserErrorEntry } from './userErrors.js';
import type { AccessLevel, CreateRequest, DefaultSecurity, Trustee } from './validate.js';

/**
 * `createSubfolder` in iManage's words, both ways: the checked input as iManage's create body
 * (snake_case keys, lower-case enum strings, trustees split by kind), and iManage's field-level
 * refusals (`messages[{field, code}]`) back on the input fields they concern.
 */

export const WIRE_DEFAULT_SECURITY: Record<DefaultSecurity, WireDefaultSecurity> = { INHERIT: 'inherit', PUBLIC: 'public', VIEW: 'view', PRIVATE: 'private' };
const WIRE_ACCESS_LEVEL: Record<AccessLevel, WireAccessLevel> = { NO_ACCESS: 'no_access', READ: 'read', READ_WRITE: 'read_write', FULL_ACCESS: 'full_access' };

export function toWireFolderCreate(request: CreateRequest): WireFolderCreate {
  const body: WireFolderCreate = { name: request.name, default_security: WIRE_DEFAULT_SECURITY[request.defaultSecurity] };
  if (request.description !== null) body.description = request.description;
  if (request.profile.length > 0) {
    const profile: WireFolderProfile = {};
    for (const { field, value } of request.profile) profile[field.wire] = value instanceof Date ? value.toISOString() : value;
    body.profile = profile;
  }
  // Positions are kept: iManage's `user_trustees[2]` is the input's `userTrustees[2]`.
  if (request.userTrustees.length > 0) body.user_trustees = toWireTrustees(request.userTrustees);
  if (request.groupTrustees.length > 0) body.group_trustees = toWireTrustees(request.groupTrustees);
  return body;
}

/** Trustees as iManage takes them on a create or an upload (reference §4.5), in the input's order. */
export function toWireTrustees(list: readonly Trustee[]): WireTrustee[] {
  return list.map((t) => ({ id: t.id, access_level: WIRE_ACCESS_LEVEL[t.accessLevel] }));
}

const TOP_LEVEL: Record<string, string> = { name: 'name', description: 'description', default_security: 'defaultSecurity' };
const PROFILE_INPUT_BY_WIRE = new Map(PROFILE_FIELDS.map((f) => [f.wire, f.input]));
const TRUSTEE_FIELD: Record<string, string> = { id: 'id', access_level: 'accessLevel' };
const TRUSTEE_LIST: Record<string, string> = { user_trustees: 'userTrustees', group_trustees: 'groupTrustees' };

/**
 * The input path an iManage message field names: `name`, `profile.custom3` or plain `custom3` (both
 * are seen), `custom1_description`, `user_trustees[2].id`, `group_trustees[0]`. Null for a field that
 * has no input counterpart.
 */
export function inputPathOf(field: string | undefined): string[] | null {
  if (!field) return null;
  const top = TOP_LEVEL[field];
  if (top) return ['input', top];
  const profileKey = field.startsWith('profile.') ? field.slice('profile.'.length) : field;
  const profileInput = PROFILE_INPUT_BY_WIRE.get(profileKey);
  if (profileInput) return ['input', 'profile', profileInput];
  const trustee = /^(user_trustees|group_trustees)(?:\[(\d{1,4})\](?:\.(id|access_level))?)?$/.exec(field);
  if (trustee) {
    const [, list, index, part] = trustee;
    return ['input', TRUSTEE_LIST[list!]!, ...(index === undefined ? [] : [index]), ...(part === undefined ? [] : [TRUSTEE_FIELD[part]!])];
  }
  return null;
}

const CODES: Record<string, UserErrorEntry['code']> = { required: 'REQUIRED', too_long: 'TOO_LONG' };

/**
 * iManage's 400 as user errors: one per message, on the input field it names (`pathOf`: a folder
 * create's fields by default; an upload names its own). `subject` is what was refused when no message says.
 */
export function userErrorsFromRefusal(
  error: IManageHttpError,
  pathOf: (field: string | undefined) => string[] | null = inputPathOf,
  subject = 'the folder',
): UserErrorEntry[] {
  const entries = error.messages.map((m) => {
    const path = pathOf(m.field);
    const what = path ? `\`${path.slice(1).join('.')}\`` : m.field ? `iManage field "${clip(m.field, 40)}"` : 'the input';
    const detail = m.message ? `: ${clip(m.message, 200)}` : m.code ? ` (${clip(m.code, 40)})` : '';
    return userError(path ?? ['input'], CODES[m.code ?? ''] ?? 'INVALID_VALUE', `iManage refused ${what}${detail}`, m.code ?? error.code ?? null);
  });
  if (entries.length > 0) return entries;
  return [userError(['input'], 'INVALID_VALUE', `iManage refused ${subject}${error.code ? ` (${clip(error.code, 40)})` : ''}.`, error.code ?? null)];
}
