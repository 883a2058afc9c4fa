/**
 * Validation of folder create (POST) and update (PATCH) bodies against reference §4.1's
 * limits. Every bad field is reported at once, in iManage's shape:
 * 400 {error:{code:'NRC_INVALID_PROFILE', messages:[{field, code, code_message}]}}.
 * Hand-written rather than zod so each field gets iManage's codes (required, too_long, ...).
 */
import { ApiError, invalidParam, type FieldMessage } from './errors.js';
import type { AccessLevel, DefaultSecurity, ProfileValue, Store, Trustee } from './store.js';
import { ACCESS_LEVELS } from './store.js';

export interface FolderInput {
  name?: string;
  description?: string;
  defaultSecurity?: DefaultSecurity;
  owner?: string;
  emailPrefix?: string;
  isExternalAsNormal?: boolean;
  /** null clears a field (PATCH). */
  profile?: Record<string, ProfileValue | null>;
  projectCustom?: [string | undefined, string | undefined, string | undefined];
  userTrustees?: Trustee[];
  groupTrustees?: Trustee[];
  /** PATCH only: move under this container. */
  parentId?: string;
}

const SECURITY_VALUES: readonly DefaultSecurity[] = ['inherit', 'public', 'view', 'private'];
const NAME_MAX = 254;
const DESCRIPTION_MAX = 254;
const OWNER_MAX = 63;

export type FieldRule = { type: 'string'; max: number } | { type: 'user' } | { type: 'number' } | { type: 'date' } | { type: 'boolean' };

/** Profile fields a folder accepts, and each one's type and limit (PA-A constraints). */
export function profileRule(key: string): FieldRule | undefined {
  if (key === 'class' || key === 'subclass' || key === 'doc_type') return { type: 'string', max: 32 };
  if (key === 'author' || key === 'operator') return { type: 'user' };
  if (key === 'description') return { type: 'string', max: DESCRIPTION_MAX };
  const desc = /^custom(\d{1,2})_description$/.exec(key);
  if (desc) return Number(desc[1]) >= 1 && Number(desc[1]) <= 31 ? { type: 'string', max: 254 } : undefined;
  const m = /^custom(\d{1,2})$/.exec(key);
  if (!m) return undefined;
  const n = Number(m[1]);
  if ((n >= 1 && n <= 12) || n === 29 || n === 30) return { type: 'string', max: 32 };
  if (n >= 13 && n <= 16) return { type: 'string', max: 96 };
  if (n >= 17 && n <= 20) return { type: 'number' };
  if (n >= 21 && n <= 24) return { type: 'date' };
  if (n >= 25 && n <= 28) return { type: 'boolean' };
  if (n === 31) return { type: 'string', max: 254 };
  return undefined;
}

export const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export class Collector {
  readonly messages: FieldMessage[] = [];
  add(field: string, code: string, message: string): void {
    this.messages.push({ field, code, code_message: message });
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringField(
  body: Record<string, unknown>,
  key: string,
  max: number,
  out: Collector,
  opts: { required?: boolean; nullable?: boolean } = {},
): string | undefined {
  const v = body[key];
  if (v === undefined || (v === null && opts.nullable)) {
    if (opts.required) out.add(key, 'required', `${key} is required.`);
    return v === null ? '' : undefined;
  }
  if (typeof v !== 'string') {
    out.add(key, 'invalid_type', `${key} must be a string.`);
    return undefined;
  }
  if (opts.required && v.trim() === '') {
    out.add(key, 'required', `${key} must not be empty.`);
    return undefined;
  }
  if ([...v].length > max) {
    out.add(key, 'too_long', `${key} must be at most ${max} characters.`);
    return undefined;
  }
  return v;
}

export function trustees(body: Record<string, unknown>, key: 'user_trustees' | 'group_trustees', store: Store, out: Collector): Trustee[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    out.add(key, 'invalid_type', `${key} must be an array.`);
    return undefined;
  }
  const type = key === 'user_trustees' ? 'user' : 'group';
  const result: Trustee[] = [];
  v.forEach((entry: unknown, i) => {
    const field = `${key}[${i}]`;
    if (!isObject(entry)) return out.add(field, 'invalid_type', `${field} must be an object {id, access_level}.`);
    const id = typeof entry.id === 'string' ? entry.id.trim().toUpperCase() : undefined;
    if (!id) return out.add(`${field}.id`, 'required', `${field}.id is required.`);
    const known = type === 'user' ? store.users.has(id) : store.groups.has(id);
    if (!known) return out.add(`${field}.id`, 'invalid_value', `No ${type} ${id}.`);
    const level = entry.access_level;
    if (typeof level !== 'string' || !(ACCESS_LEVELS as readonly string[]).includes(level)) {
      return out.add(`${field}.access_level`, 'invalid_value', `access_level must be one of ${ACCESS_LEVELS.join(', ')}.`);
    }
    result.push({ id, type, access_level: level as AccessLevel });
  });
  return result;
}

/** One profile value checked against its rule; undefined (and a message in `out`) when it is wrong. */
export function checkProfileValue(rule: FieldRule, key: string, field: string, value: unknown, store: Store, out: Collector): ProfileValue | undefined {
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') out.add(field, 'invalid_type', `${key} must be a string.`);
      else if ([...value].length > rule.max) out.add(field, 'too_long', `${key} must be at most ${rule.max} characters.`);
      else return value;
      return undefined;
    case 'user': {
      const id = typeof value === 'string' ? value.trim().toUpperCase() : '';
      if (typeof value !== 'string') out.add(field, 'invalid_type', `${key} must be a user id.`);
      else if (!store.users.has(id)) out.add(field, 'invalid_value', `No user ${value}.`);
      else return id;
      return undefined;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) out.add(field, 'invalid_type', `${key} must be a number.`);
      else return value;
      return undefined;
    case 'date':
      if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
        out.add(field, 'invalid_type', `${key} must be an ISO 8601 date.`);
        return undefined;
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') out.add(field, 'invalid_type', `${key} must be true or false.`);
      else return value;
      return undefined;
  }
}

function profile(body: Record<string, unknown>, store: Store, out: Collector): Record<string, ProfileValue | null> | undefined {
  const v = body.profile;
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    out.add('profile', 'invalid_type', 'profile must be an object.');
    return undefined;
  }
  const result: Record<string, ProfileValue | null> = {};
  for (const [key, value] of Object.entries(v)) {
    const field = `profile.${key}`;
    const rule = profileRule(key);
    if (!rule) {
      out.add(field, 'invalid_field', `${key} is not a folder profile field.`);
      continue;
    }
    if (value === null) {
      result[key] = null;
      continue;
    }
    const checked = checkProfileValue(rule, key, field, value, store, out);
    if (checked !== undefined) result[key] = checked;
  }
  return result;
}

/**
 * Parses a create (`mode: 'create'`, name required) or update body. Unknown top-level fields
 * are ignored, as iManage accepts many fields the sandbox does not model; unknown profile
 * fields are refused.
 */
export function parseFolderInput(raw: unknown, mode: 'create' | 'update', store: Store): FolderInput {
  if (!isObject(raw)) throw invalidParam('The request body must be a JSON object.');
  const out = new Collector();
  const input: FolderInput = {};

  const name = stringField(raw, 'name', NAME_MAX, out, { required: mode === 'create' || raw.name !== undefined });
  if (name !== undefined) input.name = name.trim();
  const description = stringField(raw, 'description', DESCRIPTION_MAX, out, { nullable: true });
  if (description !== undefined) input.description = description;

  if (raw.default_security !== undefined) {
    const v = raw.default_security;
    if (typeof v !== 'string' || !(SECURITY_VALUES as readonly string[]).includes(v)) {
      out.add('default_security', 'invalid_value', `default_security must be one of ${SECURITY_VALUES.join(', ')}.`);
    } else input.defaultSecurity = v as DefaultSecurity;
  }

  const owner = stringField(raw, 'owner', OWNER_MAX, out);
  if (owner !== undefined) {
    const id = owner.trim().toUpperCase();
    if (!store.users.has(id)) out.add('owner', 'invalid_value', `No user ${owner}.`);
    else input.owner = id;
  }

  const email = stringField(raw, 'email', 64, out, { nullable: true });
  if (email !== undefined) {
    if (email !== '' && !/^[A-Za-z0-9._-]+$/.test(email)) {
      out.add('email', 'invalid_value', 'email is the local-part prefix only (letters, digits, . _ -).');
    } else input.emailPrefix = email;
  }

  if (raw.is_external_as_normal !== undefined) {
    if (typeof raw.is_external_as_normal !== 'boolean') out.add('is_external_as_normal', 'invalid_type', 'is_external_as_normal must be true or false.');
    else input.isExternalAsNormal = raw.is_external_as_normal;
  }

  const pc = [1, 2, 3].map((n) => stringField(raw, `project_custom${n}`, 254, out, { nullable: true }));
  if (pc.some((v) => v !== undefined)) input.projectCustom = [pc[0], pc[1], pc[2]];

  const p = profile(raw, store, out);
  if (p) input.profile = p;

  if (mode === 'create') {
    const users = trustees(raw, 'user_trustees', store, out);
    if (users) input.userTrustees = users;
    const groups = trustees(raw, 'group_trustees', store, out);
    if (groups) input.groupTrustees = groups;
  } else if (raw.parent_id !== undefined) {
    if (typeof raw.parent_id !== 'string' || raw.parent_id.trim() === '') out.add('parent_id', 'invalid_type', 'parent_id must be a container id.');
    else input.parentId = raw.parent_id;
  }

  if (out.messages.length > 0) {
    throw new ApiError(400, 'NRC_INVALID_PROFILE', 'One or more fields are invalid.', out.messages);
  }
  return input;
}
