import fc from 'fast-check';
import { buildASTSchema, type GraphQLInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LIMITS, PROFILE_FIELDS } from '../src/folders/fields.js';
import { characters, validateCreateSubfolder } from '../src/folders/validate.js';
import { inputPathOf, toWireFolderCreate, userErrorsFromRefusal } from '../src/folders/wire.js';
import { typeDefs } from '../src/graphql/typeDefs.generated.js';
import type { CreateSubfolderInput } from '../src/graphql/types.generated.js';
import { IManageHttpError } from '../src/imanage/errors.js';

/** The pure parts of createSubfolder: input checks, the wire body, and iManage's field names mapped back. */

const base: CreateSubfolderInput = { parentId: 'ACTIVE_US!52811', name: 'Employee Agreements' };
const errorsOf = (input: Partial<CreateSubfolderInput>) => {
  const result = validateCreateSubfolder({ ...base, ...input });
  return result.ok ? [] : result.userErrors.map((e) => ({ field: e.field, code: e.code }));
};

describe('validateCreateSubfolder', () => {
  it('accepts a full input and normalises it', () => {
    const result = validateCreateSubfolder({
      ...base,
      name: '  Employee Agreements\u00a0',
      description: 'line one\nline two\ttabbed',
      defaultSecurity: 'VIEW',
      profile: { custom1: '1001', custom21: new Date('2024-03-01T00:00:00Z'), custom17: 0, custom25: false, custom2: null },
      userTrustees: [{ id: ' jsmith ', accessLevel: 'FULL_ACCESS' }],
      groupTrustees: [{ id: 'JSMITH', accessLevel: 'READ' }],
      idempotencyKey: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request).toMatchObject({
      parent: { id: 'ACTIVE_US!52811', library: 'ACTIVE_US' },
      name: 'Employee Agreements',
      defaultSecurity: 'VIEW',
      userTrustees: [{ id: 'jsmith', accessLevel: 'FULL_ACCESS' }],
      groupTrustees: [{ id: 'JSMITH', accessLevel: 'READ' }],
    });
    // Zero and false are values, null is "not given".
    expect(result.request.profile.map((p) => [p.field.input, p.value])).toEqual([
      ['custom1', '1001'],
      ['custom17', 0],
      ['custom21', new Date('2024-03-01T00:00:00Z')],
      ['custom25', false],
    ]);
  });

  it('defaults the security to INHERIT', () => {
    const result = validateCreateSubfolder(base);
    expect(result.ok && result.request.defaultSecurity).toBe('INHERIT');
  });

  it('checks each text field against its own limit, at the limit and one past it', () => {
    for (const field of PROFILE_FIELDS) {
      if (field.rule.type !== 'text') continue;
      expect(errorsOf({ profile: { [field.input]: 'x'.repeat(field.rule.max) } }), field.input).toEqual([]);
      expect(errorsOf({ profile: { [field.input]: 'x'.repeat(field.rule.max + 1) } }), field.input).toEqual([
        { field: ['input', 'profile', field.input], code: 'TOO_LONG' },
      ]);
    }
  });

  it('counts characters, not UTF-16 code units', () => {
    expect(errorsOf({ name: '𝄞'.repeat(254) })).toEqual([]);
    expect(errorsOf({ name: '𝄞'.repeat(255) })).toEqual([{ field: ['input', 'name'], code: 'TOO_LONG' }]);
    expect(characters('👍🏽')).toBe(2);
  });

  it('bounds dates to what iManage stores', () => {
    expect(errorsOf({ profile: { custom24: new Date('1752-12-31T23:59:59Z') } })).toEqual([{ field: ['input', 'profile', 'custom24'], code: 'OUT_OF_RANGE' }]);
    expect(errorsOf({ profile: { custom24: new Date('1753-01-01T00:00:00Z') } })).toEqual([]);
    expect(errorsOf({ profile: { custom24: new Date('9999-12-31T23:59:59Z') } })).toEqual([]);
  });

  it('allows line breaks in a description but not in a name or a code', () => {
    expect(errorsOf({ description: 'a\r\nb\tc' })).toEqual([]);
    expect(errorsOf({ description: 'a\u0000b' })).toEqual([{ field: ['input', 'description'], code: 'INVALID_CHARACTERS' }]);
    expect(errorsOf({ description: 'a\u0085b' })).toEqual([{ field: ['input', 'description'], code: 'INVALID_CHARACTERS' }]);
    expect(errorsOf({ name: 'a\tb' })).toEqual([{ field: ['input', 'name'], code: 'INVALID_CHARACTERS' }]);
    expect(errorsOf({ profile: { custom2: 'a\nb' } })).toEqual([{ field: ['input', 'profile', 'custom2'], code: 'INVALID_CHARACTERS' }]);
  });

  it('refuses format characters and separators that make a name display as something else, naming the character', () => {
    const result = validateCreateSubfolder({ ...base, name: 'invoice\u202Efdp.exe' });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.userErrors).toEqual([
      {
        field: ['input', 'name'],
        code: 'INVALID_CHARACTERS',
        imanageCode: null,
        message: '`name` may not contain control, format or separator characters: U+202E (a bidirectional text control) at character 8.',
      },
    ]);
    for (const name of ['a\u2066b', 'a\u200Bb', 'a\u00ADb', 'a\u2028b', 'a\u2029b', 'a\uFEFFb', 'a\u200Fb']) {
      expect(errorsOf({ name }), JSON.stringify(name)).toEqual([{ field: ['input', 'name'], code: 'INVALID_CHARACTERS' }]);
    }
    expect(errorsOf({ description: 'line one\nline \u202Etwo' })).toEqual([{ field: ['input', 'description'], code: 'INVALID_CHARACTERS' }]);
    expect(errorsOf({ profile: { custom1: 'A\u202DB' } })).toEqual([{ field: ['input', 'profile', 'custom1'], code: 'INVALID_CHARACTERS' }]);
    // Joiners reorder nothing, and Persian text and emoji sequences need them.
    expect(errorsOf({ name: 'می\u200Cخواهم 👩\u200D💻' })).toEqual([]);
  });

  it('finds duplicate trustees per kind, ignoring case and outer space', () => {
    expect(
      errorsOf({
        userTrustees: [
          { id: 'a', accessLevel: 'READ' },
          { id: 'b', accessLevel: 'READ' },
          { id: ' A', accessLevel: 'READ' },
          { id: 'B', accessLevel: 'READ' },
        ],
        groupTrustees: [{ id: 'a', accessLevel: 'READ' }],
      }),
    ).toEqual([
      { field: ['input', 'userTrustees', '2', 'id'], code: 'DUPLICATE' },
      { field: ['input', 'userTrustees', '3', 'id'], code: 'DUPLICATE' },
    ]);
  });

  it('bounds trustee lists with one error, not one per entry', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ id: i % 2 ? '' : 'same', accessLevel: 'READ' as const }));
    expect(errorsOf({ userTrustees: many })).toEqual([{ field: ['input', 'userTrustees'], code: 'TOO_MANY' }]);
    expect(errorsOf({ userTrustees: many.slice(0, LIMITS.trusteesPerKind).map((t, i) => ({ ...t, id: `U${i}` })) })).toEqual([]);
  });

  it('checks the idempotency key', () => {
    expect(errorsOf({ idempotencyKey: 'a' })).toEqual([]);
    expect(errorsOf({ idempotencyKey: 'k'.repeat(128) })).toEqual([]);
    for (const key of ['', 'a b', 'a#2', 'ключ', 'a/b', 'x\n'])
      expect(errorsOf({ idempotencyKey: key }), key).toEqual([{ field: ['input', 'idempotencyKey'], code: 'INVALID_FORMAT' }]);
    expect(errorsOf({ idempotencyKey: 'k'.repeat(129) })).toEqual([{ field: ['input', 'idempotencyKey'], code: 'TOO_LONG' }]);
  });

  it('refuses parent ids that are not LIBRARY!number', () => {
    // `../x!1` is a valid id (iManage allows any library name without `!`; it is escaped as one path segment), `..!1` is not.
    for (const parentId of ['', 'ACTIVE_US', 'ACTIVE_US!', 'ACTIVE_US!0', 'ACTIVE_US!1.1', '..!1', 'A\n!1', 'ACTIVE_US!1?x', 'A!1/subfolders']) {
      expect(errorsOf({ parentId }), parentId).toEqual([{ field: ['input', 'parentId'], code: 'INVALID_ID' }]);
    }
  });

  it('never throws, and refuses a name exactly when it is blank, too long or holds a control, format or separator character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 20 }), (a, b) => {
        const name = a + b;
        const trimmed = name.trim();
        const expected =
          trimmed === ''
            ? 'REQUIRED'
            : characters(trimmed) > 254
              ? 'TOO_LONG'
              : /(?![\u200C\u200D])[\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}]/u.test(trimmed)
                ? 'INVALID_CHARACTERS'
                : null;
        const errors = errorsOf({ name });
        expect(errors).toEqual(expected ? [{ field: ['input', 'name'], code: expected }] : []);
      }),
    );
  });
});

describe('the wire body', () => {
  it("is iManage's create format: snake_case, lower-case enums, typed profile values, trustees split by kind, in order", () => {
    const result = validateCreateSubfolder({
      ...base,
      description: 'd',
      defaultSecurity: 'PRIVATE',
      profile: { class: 'DOC', custom1Description: 'Acme', custom17: 1.5, custom22: new Date('2024-01-02T03:04:05.678Z'), custom26: true },
      userTrustees: [
        { id: 'PLEE', accessLevel: 'NO_ACCESS' },
        { id: 'AKUMAR', accessLevel: 'READ_WRITE' },
      ],
      groupTrustees: [{ id: 'LITIGATION', accessLevel: 'FULL_ACCESS' }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(toWireFolderCreate(result.request)).toStrictEqual({
      name: 'Employee Agreements',
      default_security: 'private',
      description: 'd',
      profile: { class: 'DOC', custom1_description: 'Acme', custom17: 1.5, custom22: '2024-01-02T03:04:05.678Z', custom26: true },
      user_trustees: [
        { id: 'PLEE', access_level: 'no_access' },
        { id: 'AKUMAR', access_level: 'read_write' },
      ],
      group_trustees: [{ id: 'LITIGATION', access_level: 'full_access' }],
    });
  });

  it('leaves out what was not given', () => {
    const result = validateCreateSubfolder(base);
    expect(result.ok && toWireFolderCreate(result.request)).toStrictEqual({ name: 'Employee Agreements', default_security: 'inherit' });
  });
});

describe("iManage's field names back to input paths", () => {
  it.each([
    ['name', ['input', 'name']],
    ['description', ['input', 'description']],
    ['default_security', ['input', 'defaultSecurity']],
    ['custom1', ['input', 'profile', 'custom1']],
    ['profile.custom1', ['input', 'profile', 'custom1']],
    ['profile.custom29_description', ['input', 'profile', 'custom29Description']],
    ['class', ['input', 'profile', 'class']],
    ['user_trustees', ['input', 'userTrustees']],
    ['user_trustees[3]', ['input', 'userTrustees', '3']],
    ['group_trustees[0].access_level', ['input', 'groupTrustees', '0', 'accessLevel']],
    ['owner', null],
    ['custom31', null],
    ['profile.custom13_description', null],
    [undefined, null],
  ])('%s', (field, path) => {
    expect(inputPathOf(field)).toEqual(path);
  });

  it('turns a 400 into one user error per message, keeping iManage codes', () => {
    const error = new IManageHttpError('POST x', 400, 'NRC_INVALID_PROFILE', [
      { field: 'custom1', code: 'required', message: 'custom1 is required.' },
      { field: 'profile.custom2', code: 'too_long' },
      { field: 'owner', code: 'invalid_value' },
    ]);
    expect(userErrorsFromRefusal(error)).toEqual([
      { field: ['input', 'profile', 'custom1'], code: 'REQUIRED', imanageCode: 'required', message: 'iManage refused `profile.custom1`: custom1 is required.' },
      { field: ['input', 'profile', 'custom2'], code: 'TOO_LONG', imanageCode: 'too_long', message: 'iManage refused `profile.custom2` (too_long)' },
      { field: ['input'], code: 'INVALID_VALUE', imanageCode: 'invalid_value', message: 'iManage refused iManage field "owner" (invalid_value)' },
    ]);
    expect(userErrorsFromRefusal(new IManageHttpError('POST x', 400, 'NRC_INVALID_PARAM', []))).toEqual([
      { field: ['input'], code: 'INVALID_VALUE', imanageCode: 'NRC_INVALID_PARAM', message: 'iManage refused the folder (NRC_INVALID_PARAM).' },
    ]);
  });
});

describe('the schema states the limits the code enforces', () => {
  const schema = buildASTSchema(typeDefs);
  const input = (name: string) => (schema.getType(name) as GraphQLInputObjectType).getFields();

  it('for every profile field', () => {
    const fields = input('FolderProfileInput');
    expect(Object.keys(fields).sort()).toEqual(PROFILE_FIELDS.map((f) => f.input).sort());
    for (const field of PROFILE_FIELDS) {
      const description = fields[field.input]!.description ?? '';
      if (field.rule.type === 'text') expect(description, field.input).toContain(`At most ${field.rule.max} characters`);
      if (field.rule.type === 'date') expect(description, field.input).toContain(`from year ${LIMITS.firstYear} to ${LIMITS.lastYear}`);
    }
  });

  it('for the name, description, trustees and key', () => {
    const fields = input('CreateSubfolderInput');
    expect(fields.name!.description).toContain(`at most ${LIMITS.name} characters`);
    expect(fields.description!.description).toContain(`At most ${LIMITS.description} characters`);
    expect(fields.userTrustees!.description).toContain(`At most ${LIMITS.trusteesPerKind} entries`);
    expect(fields.idempotencyKey!.description).toContain(`1 to ${LIMITS.idempotencyKey} characters`);
    expect(input('TrusteeInput').id!.description).toContain(`at most ${LIMITS.trusteeId} characters`);
  });
});
