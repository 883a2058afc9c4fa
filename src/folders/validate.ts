import { parseContainerId, type ContainerId } from '../imanage/ids.js';
import { LIMITS, PROFILE_FIELDS, type ProfileField, type ProfileInputName } from './fields.js';
import { userError, type UserErrorEntry } from './userErrors.js';

/**
 * Checks a `createSubfolder` input against iManage's limits before anything is sent, and normalises it
 * (names and ids trimmed). Pure: every problem is reported at once, one entry per field, and no value
 * is echoed back (a hostile one could be megabytes).
 */

export type DefaultSecurity = 'INHERIT' | 'PUBLIC' | 'VIEW' | 'PRIVATE';
export type AccessLevel = 'NO_ACCESS' | 'READ' | 'READ_WRITE' | 'FULL_ACCESS';

export interface TrusteeInput {
  readonly id: string;
  readonly accessLevel: AccessLevel;
}

/** What is asked for, as the schema's `CreateSubfolderInput` carries it (the resolver passes it as it is). */
export interface CreateSubfolderInput {
  readonly parentId: string;
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly defaultSecurity?: DefaultSecurity | null | undefined;
  readonly profile?: { readonly [field in ProfileInputName]?: string | number | boolean | Date | null | undefined } | null | undefined;
  readonly userTrustees?: readonly TrusteeInput[] | null | undefined;
  readonly groupTrustees?: readonly TrusteeInput[] | null | undefined;
  readonly idempotencyKey?: string | null | undefined;
}

export interface ProfileValue {
  readonly field: ProfileField;
  readonly value: string | number | boolean | Date;
}

export interface Trustee {
  readonly id: string;
  readonly accessLevel: AccessLevel;
}

/** A create that passed every check, ready to be put in iManage's wire format. */
export interface CreateRequest {
  readonly parent: ContainerId;
  readonly name: string;
  readonly description: string | null;
  readonly defaultSecurity: DefaultSecurity;
  readonly profile: readonly ProfileValue[];
  readonly userTrustees: readonly Trustee[];
  readonly groupTrustees: readonly Trustee[];
  readonly idempotencyKey: string | null;
}

export type Validation = { ok: true; request: CreateRequest } | { ok: false; userErrors: UserErrorEntry[] };

/**
 * Characters no name may hold: C0 and C1 controls, DEL, lone surrogates (which no encoding can carry
 * to iManage), line and paragraph separators, and format characters (`\p{Cf}`: bidirectional overrides
 * and isolates, zero-width spaces, soft hyphens...), which make a name display as something it is not
 * (`invoice\u202Efdp.exe` shows as "invoiceexe.pdf"). The zero-width joiner and non-joiner are kept:
 * Persian and Indic scripts and emoji sequences need them, and they reorder nothing.
 */
export const CONTROL = /(?![\u200C\u200D])[\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]/u;
/** The same, but line breaks and tabs are fine in a description. */
export const CONTROL_EXCEPT_LINES = /(?![\t\n\r\u200C\u200D])[\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]/u;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]+$/;

/** Length in Unicode characters (code points), as iManage counts: an emoji is one, not two. */
export const characters = (value: string) => [...value].length;

export function validateCreateSubfolder(input: CreateSubfolderInput): Validation {
  const errors: UserErrorEntry[] = [];
  const at = (...path: string[]) => ['input', ...path];

  const parent = parseContainerId(input.parentId);
  if (!parent)
    errors.push(userError(at('parentId'), 'INVALID_ID', '`parentId` is not an iManage folder or workspace id. Expected LIBRARY!number, e.g. ACTIVE_US!52811.'));

  const name = input.name.trim();
  if (name === '') errors.push(userError(at('name'), 'REQUIRED', 'A folder needs a name: `name` is empty or only white space.'));
  else checkText(errors, at('name'), '`name`', name, LIMITS.name, CONTROL);

  const description = input.description ?? null;
  if (description !== null) checkText(errors, at('description'), '`description`', description, LIMITS.description, CONTROL_EXCEPT_LINES);

  const profile = checkProfile(errors, input.profile, at('profile'));

  const userTrustees = checkTrustees(errors, input.userTrustees, 'userTrustees', 'user');
  const groupTrustees = checkTrustees(errors, input.groupTrustees, 'groupTrustees', 'group');

  const key = checkIdempotencyKey(errors, input.idempotencyKey, at('idempotencyKey'));

  if (errors.length > 0 || !parent) return { ok: false, userErrors: errors };
  return {
    ok: true,
    request: {
      parent,
      name,
      description,
      defaultSecurity: input.defaultSecurity ?? 'INHERIT',
      profile,
      userTrustees,
      groupTrustees,
      idempotencyKey: key,
    },
  };
}

/** Profile fields (`FolderProfileInput`, at `at`): the values that pass; an entry per bad one. */
export function checkProfile(errors: UserErrorEntry[], input: CreateSubfolderInput['profile'], at: string[]): ProfileValue[] {
  const profile: ProfileValue[] = [];
  const given = (input ?? {}) as Record<string, unknown>;
  for (const field of PROFILE_FIELDS) {
    const value = given[field.input];
    if (value === undefined || value === null) continue;
    const path = [...at, field.input];
    const label = `\`profile.${field.input}\``;
    switch (field.rule.type) {
      case 'text':
        if (checkText(errors, path, label, value as string, field.rule.max, CONTROL)) profile.push({ field, value: value as string });
        break;
      case 'date': {
        const year = (value as Date).getUTCFullYear();
        if (year < LIMITS.firstYear || year > LIMITS.lastYear) {
          errors.push(userError(path, 'OUT_OF_RANGE', `${label} must be a date from the year ${LIMITS.firstYear} to ${LIMITS.lastYear}.`));
        } else profile.push({ field, value: value as Date });
        break;
      }
      // Float and Boolean are enforced by GraphQL itself: a Float is always finite.
      case 'number':
      case 'boolean':
        profile.push({ field, value: value as number | boolean });
        break;
    }
  }
  return profile;
}

/** An `idempotencyKey` (at `at`): the key, or null when none was given or it is bad (an entry says why). */
export function checkIdempotencyKey(errors: UserErrorEntry[], input: string | null | undefined, at: string[]): string | null {
  const key = input ?? null;
  if (key !== null) {
    if (characters(key) > LIMITS.idempotencyKey) {
      errors.push(userError(at, 'TOO_LONG', `\`idempotencyKey\` may be at most ${LIMITS.idempotencyKey} characters.`));
    } else if (!IDEMPOTENCY_KEY.test(key)) {
      errors.push(
        userError(at, 'INVALID_FORMAT', '`idempotencyKey` must be 1 or more of the characters A-Z, a-z, 0-9, "-", "_", "." and ":" (a UUID is a good key).'),
      );
    }
  }
  return errors.some((e) => e.field?.join('.') === at.join('.')) ? null : key;
}

/** Adds the entry for a bad text value; true when the value is fine. */
export function checkText(errors: UserErrorEntry[], path: string[], label: string, value: string, max: number, forbidden: RegExp): boolean {
  const length = characters(value);
  if (length > max) {
    errors.push(userError(path, 'TOO_LONG', `${label} may be at most ${max} characters; it has ${length}.`));
    return false;
  }
  const found = forbidden.exec(value);
  if (found) {
    // Which character and where, never the value itself.
    const codePoint = `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const position = characters(value.slice(0, found.index)) + 1;
    errors.push(
      userError(
        path,
        'INVALID_CHARACTERS',
        `${label} may not contain control, format or separator characters${forbidden === CONTROL_EXCEPT_LINES ? ' other than line breaks and tabs' : ''}: ${codePoint} (${kindOf(found[0])}) at character ${position}.`,
      ),
    );
    return false;
  }
  return true;
}

function kindOf(character: string): string {
  if (/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u.test(character)) return 'a bidirectional text control';
  if (/\p{Cf}/u.test(character)) return 'an invisible format character';
  if (/[\p{Zl}\p{Zp}]/u.test(character)) return 'a line or paragraph separator';
  if (/\p{Cs}/u.test(character)) return 'a lone surrogate';
  return 'a control character';
}

export function checkTrustees(
  errors: UserErrorEntry[],
  list: readonly TrusteeInput[] | null | undefined,
  argument: 'userTrustees' | 'groupTrustees',
  kind: 'user' | 'group',
): Trustee[] {
  if (!list) return [];
  if (list.length > LIMITS.trusteesPerKind) {
    // One entry, not one per item: a hostile list could be huge.
    errors.push(userError(['input', argument], 'TOO_MANY', `\`${argument}\` may name at most ${LIMITS.trusteesPerKind} ${kind}s; it has ${list.length}.`));
    return [];
  }
  const seen = new Map<string, number>();
  const trustees: Trustee[] = [];
  list.forEach((trustee, index) => {
    const path = ['input', argument, String(index), 'id'];
    const id = trustee.id.trim();
    if (id === '') return errors.push(userError(path, 'REQUIRED', `\`${argument}[${index}].id\` is empty: name a ${kind} id.`));
    if (!checkText(errors, path, `\`${argument}[${index}].id\``, id, LIMITS.trusteeId, CONTROL)) return;
    const first = seen.get(id.toUpperCase());
    if (first !== undefined) {
      return errors.push(
        userError(path, 'DUPLICATE', `\`${argument}[${index}]\` names the same ${kind} as \`${argument}[${first}]\`: give each ${kind} once.`),
      );
    }
    seen.set(id.toUpperCase(), index);
    trustees.push({ id, accessLevel: trustee.accessLevel });
  });
  return trustees;
}
