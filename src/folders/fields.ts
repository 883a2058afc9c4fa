/**
 * The limits of a folder create, in one place: iManage's (reference §4.1, from the PA-A connector's
 * constraints) and this service's own sanity bounds. The schema's descriptions state the same numbers;
 * `test/unit.createSubfolder.validate.test.ts` checks that they agree.
 */
export const LIMITS = {
  /** iManage: `name` ≤ 254 characters. */
  name: 254,
  /** Not in the reference; 254 is what iManage stores for a folder's description (and the sandbox's choice). */
  description: 254,
  /** iManage: `class`, `subclass`, `custom1`–`12`, `29`, `30` ≤ 32. */
  code: 32,
  /** iManage: `custom13`–`16` ≤ 96. */
  longText: 96,
  /** `customN_description` ≤ 254, as iManage stores descriptions. */
  codeDescription: 254,
  /** Dates iManage stores (SQL Server `datetime`) run from 1753 to 9999. */
  firstYear: 1753,
  lastYear: 9999,
  /** Ours: an iManage user or group id is short; 64 leaves room for any real one. */
  trusteeId: 64,
  /** Ours: a folder's access list of more than this many names is a mistake, not a request. */
  trusteesPerKind: 100,
  /** Ours: long enough for a UUID with a prefix, short enough to index. */
  idempotencyKey: 128,
} as const;

export type ProfileRule = { type: 'text'; max: number } | { type: 'number' } | { type: 'date' } | { type: 'boolean' };

/** The names of `FolderProfileInput`'s fields. */
export type ProfileInputName = 'class' | 'subclass' | `custom${number}` | `custom${number}Description`;

export interface ProfileField {
  /** The field of `FolderProfileInput`. */
  input: ProfileInputName;
  /** The key in iManage's `profile` object. */
  wire: string;
  rule: ProfileRule;
}

function customRule(n: number): ProfileRule {
  if (n >= 13 && n <= 16) return { type: 'text', max: LIMITS.longText };
  if (n >= 17 && n <= 20) return { type: 'number' };
  if (n >= 21 && n <= 24) return { type: 'date' };
  if (n >= 25 && n <= 28) return { type: 'boolean' };
  return { type: 'text', max: LIMITS.code };
}

/** Only the code-like fields (1–12, 29, 30) carry a description. */
const hasDescription = (n: number) => n <= 12 || n >= 29;

/** Every field of `FolderProfileInput`, its iManage key and its rule, in schema order. */
export const PROFILE_FIELDS: readonly ProfileField[] = [
  { input: 'class', wire: 'class', rule: { type: 'text', max: LIMITS.code } },
  { input: 'subclass', wire: 'subclass', rule: { type: 'text', max: LIMITS.code } },
  ...Array.from({ length: 30 }, (_, i) => i + 1).flatMap((n): ProfileField[] => [
    { input: `custom${n}` as ProfileField['input'], wire: `custom${n}`, rule: customRule(n) },
    ...(hasDescription(n)
      ? [
          {
            input: `custom${n}Description` as ProfileField['input'],
            wire: `custom${n}_description`,
            rule: { type: 'text', max: LIMITS.codeDescription } as const,
          },
        ]
      : []),
  ]),
];
