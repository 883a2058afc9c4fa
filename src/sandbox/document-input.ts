/**
 * The `profile` part of an upload or new version (reference §4.3 [C]: JSON
 * `{warnings_for_required_and_disabled_fields, doc_profile{name, extension, ...}, user_trustees[],
 * group_trustees[]}`; PE's request models add `keep_locked` and `audit{comments}`), checked field by
 * field in iManage's shape: 400 NRC_INVALID_PROFILE with `messages[{field, code, code_message}]`,
 * field names bare as in the reference's example (`{code:"required", field:"custom1"}`, §5.4).
 * Then the class rules (classes.ts): required fields missing, disabled fields set.
 */
import { DEFAULT_CLASS, DOCUMENT_CLASSES } from './classes.js';
import { ApiError, invalidParam } from './errors.js';
import { checkProfileValue, Collector, isObject, profileRule, trustees } from './folder-input.js';
import type { DefaultSecurity, Profile, ProfileValue, Store, Trustee } from './store.js';

export interface UploadInput {
  name?: string;
  extension?: string;
  comment?: string;
  /** iManage's document type (e.g. WORDX); derived from the extension when not given. */
  type?: string;
  /** class, subclass, customN and customN_description; null removes an inherited value. */
  profile: Record<string, ProfileValue | null>;
  author?: string;
  operator?: string;
  defaultSecurity?: DefaultSecurity;
  trustees: Trustee[];
  /** `warnings_for_required_and_disabled_fields`: report class-rule problems as warnings instead of refusing. */
  warningsOnly: boolean;
  /** New versions: stay checked out to the caller. */
  keepLocked: boolean;
  /** `audit.comments`: kept on the version's history entry. */
  auditComments?: string;
}

/** A class-rule problem reported beside `data` when `warnings_for_required_and_disabled_fields` is set (§4.3 `warnings[{field, error}]`). */
export interface ProfileWarning {
  field: string;
  error: 'required' | 'disabled';
}

const NAME_MAX = 254;
const COMMENT_MAX = 254;
const EXTENSION = /^[A-Za-z0-9]{0,16}$/;
const SECURITY_VALUES: readonly DefaultSecurity[] = ['inherit', 'public', 'view', 'private'];
/** In PE's upload model, set by the server or not modelled here: accepted and ignored. */
const IGNORED_FIELDS = new Set(['size', 'checksum', 'content_type', 'file_create_date', 'file_edit_date', 'is_hipaa', 'retain_days']);

const CONTROL = /\p{Cc}/u;

function optionalBoolean(body: Record<string, unknown>, key: string, out: Collector): boolean {
  const v = body[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') {
    out.add(key, 'invalid_type', `${key} must be true or false.`);
    return false;
  }
  return v;
}

function text(value: unknown, key: string, max: number, out: Collector): string | undefined {
  if (typeof value !== 'string') out.add(key, 'invalid_type', `${key} must be a string.`);
  else if ([...value].length > max) out.add(key, 'too_long', `${key} must be at most ${max} characters.`);
  else return value;
  return undefined;
}

/** A document name: trimmed, 1..254 characters, no control characters. */
export function checkName(raw: string, out: Collector): string | undefined {
  const name = raw.trim();
  if (name === '') out.add('name', 'required', 'name must not be empty.');
  else if ([...name].length > NAME_MAX) out.add('name', 'too_long', `name must be at most ${NAME_MAX} characters.`);
  else if (CONTROL.test(name)) out.add('name', 'invalid_value', 'name must not contain control characters.');
  else return name;
  return undefined;
}

/** An extension without its dot (one leading dot is dropped): letters and digits, at most 16. */
export function checkExtension(raw: string, out: Collector): string | undefined {
  const extension = raw.startsWith('.') ? raw.slice(1) : raw;
  if (!EXTENSION.test(extension)) out.add('extension', 'invalid_value', 'extension must be at most 16 letters and digits.');
  else return extension;
  return undefined;
}

function docProfile(raw: Record<string, unknown>, store: Store, out: Collector, input: UploadInput): void {
  for (const [key, value] of Object.entries(raw)) {
    if (IGNORED_FIELDS.has(key) || value === undefined) continue;
    switch (key) {
      case 'name': {
        const t = text(value, key, 1024, out);
        if (t !== undefined) input.name = checkName(t, out);
        continue;
      }
      case 'extension': {
        const t = text(value, key, 32, out);
        if (t !== undefined) input.extension = checkExtension(t, out);
        continue;
      }
      case 'comment':
        if (value !== null) input.comment = text(value, key, COMMENT_MAX, out);
        else input.comment = '';
        continue;
      case 'type': {
        const t = text(value, key, 32, out);
        if (t !== undefined && t.trim() !== '') input.type = t.trim().toUpperCase();
        continue;
      }
      case 'default_security':
        if (typeof value !== 'string' || !(SECURITY_VALUES as readonly string[]).includes(value)) {
          out.add(key, 'invalid_value', `default_security must be one of ${SECURITY_VALUES.join(', ')}.`);
        } else input.defaultSecurity = value as DefaultSecurity;
        continue;
      case 'class': {
        const t = text(value, key, 32, out);
        if (t === undefined) continue;
        const upper = t.trim().toUpperCase();
        if (!(upper in DOCUMENT_CLASSES)) out.add(key, 'invalid_value', `No document class ${t}; known: ${Object.keys(DOCUMENT_CLASSES).join(', ')}.`);
        else input.profile.class = upper;
        continue;
      }
    }
    const rule = profileRule(key);
    if (!rule || key === 'description' || key === 'doc_type') {
      out.add(key, 'invalid_field', `${key} is not a document profile field.`);
      continue;
    }
    if (value === null) {
      if (rule.type === 'user') out.add(key, 'invalid_type', `${key} must be a user id.`);
      else input.profile[key] = null;
      continue;
    }
    const checked = checkProfileValue(rule, key, key, value, store, out);
    if (checked === undefined) continue;
    if (key === 'author') input.author = checked as string;
    else if (key === 'operator') input.operator = checked as string;
    else input.profile[key] = checked;
  }
}

/**
 * Parses the profile part. `doc_profile` is required for an upload [C] and optional for a new
 * version [I] (everything then carries over from the latest version). Unknown top-level fields are
 * ignored, unknown `doc_profile` fields refused (`invalid_field`), as for folders.
 */
export function parseUploadProfile(json: string, mode: 'upload' | 'version', store: Store): UploadInput {
  let raw: unknown;
  try {
    raw = JSON.parse(json) as unknown;
  } catch {
    throw invalidParam("The 'profile' part is not valid JSON.");
  }
  if (!isObject(raw)) throw invalidParam("The 'profile' part must be a JSON object.");
  const out = new Collector();
  const input: UploadInput = {
    profile: {},
    trustees: [],
    warningsOnly: optionalBoolean(raw, 'warnings_for_required_and_disabled_fields', out),
    keepLocked: optionalBoolean(raw, 'keep_locked', out),
  };
  const doc = raw.doc_profile;
  if (doc === undefined || doc === null) {
    if (mode === 'upload') out.add('doc_profile', 'required', 'doc_profile is required.');
  } else if (!isObject(doc)) out.add('doc_profile', 'invalid_type', 'doc_profile must be an object.');
  else docProfile(doc, store, out, input);

  const audit = raw.audit;
  if (audit !== undefined && audit !== null) {
    if (!isObject(audit)) out.add('audit', 'invalid_type', 'audit must be an object {comments}.');
    else if (audit.comments !== undefined && audit.comments !== null) input.auditComments = text(audit.comments, 'audit.comments', COMMENT_MAX, out);
  }
  // Later entries win: a user or group named twice gets the last access level given.
  const byKey = new Map<string, Trustee>();
  for (const t of [...(trustees(raw, 'user_trustees', store, out) ?? []), ...(trustees(raw, 'group_trustees', store, out) ?? [])])
    byKey.set(`${t.type}:${t.id}`, t);
  input.trustees = [...byKey.values()];

  if (out.messages.length > 0) throw new ApiError(400, 'NRC_INVALID_PROFILE', 'One or more fields are invalid.', out.messages);
  return input;
}

/**
 * Lays the input's fields over `base` (the folder's matter fields, or the previous version's
 * profile) and applies the class rules: a required field without a value, or a disabled field with
 * one, refuses the upload (NRC_INVALID_PROFILE, codes `required` / `disabled`) — or, with
 * `warnings_for_required_and_disabled_fields`, is reported as a warning and the disabled value
 * dropped [I: the reference names the flag only].
 */
export function assembleProfile(base: Profile, input: UploadInput): { profile: Profile; warnings: ProfileWarning[] } {
  const profile: Profile = { class: DEFAULT_CLASS, subclass: '', ...base };
  for (const [k, v] of Object.entries(input.profile)) {
    if (v === null) delete profile[k];
    else profile[k] = v;
  }
  // A changed client or matter number without a description drops the old description.
  for (const n of [1, 2]) {
    if (input.profile[`custom${n}`] !== undefined && input.profile[`custom${n}_description`] === undefined) delete profile[`custom${n}_description`];
  }
  const rules = DOCUMENT_CLASSES[String(profile.class)] ?? DOCUMENT_CLASSES[DEFAULT_CLASS]!;
  const problems: ProfileWarning[] = [];
  for (const field of rules.required) {
    const v = profile[field];
    if (v === undefined || (typeof v === 'string' && v.trim() === '')) problems.push({ field, error: 'required' });
  }
  // Only values this request sets count: a disabled field inherited from the folder is dropped silently.
  for (const field of rules.disabled) {
    if (input.profile[field] !== undefined && input.profile[field] !== null) problems.push({ field, error: 'disabled' });
    delete profile[field];
  }
  if (problems.length > 0 && !input.warningsOnly) {
    throw new ApiError(
      400,
      'NRC_INVALID_PROFILE',
      'One or more fields are invalid.',
      problems.map((p) => ({
        field: p.field,
        code: p.error,
        code_message:
          p.error === 'required' ? `${p.field} is required for class ${String(profile.class)}.` : `${p.field} is disabled for class ${String(profile.class)}.`,
      })),
    );
  }
  return { profile, warnings: problems };
}
