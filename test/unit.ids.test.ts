import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLibraryId, parseContainerId } from '../src/imanage/ids.js';

/** Ids as iManage allows them (reference §3: `^[^!]+![0-9]+$`), and nothing that could change a path. */

/** A library name iManage allows that this service must accept: anything but `!`, a control character or a dot segment. */
const allowedLibrary = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => !s.includes('!') && !/[\p{Cc}\u2028\u2029]/u.test(s) && s !== '.' && s !== '..');

describe('iManage ids', () => {
  it('parses container ids and their library', () => {
    expect(parseContainerId('ACTIVE_US!52811')).toEqual({ id: 'ACTIVE_US!52811', library: 'ACTIVE_US' });
    expect(parseContainerId('Active_uk!2222')).toEqual({ id: 'Active_uk!2222', library: 'Active_uk' });
    for (const library of ['R&D #2', 'Müller & Co', 'A B', 'A/B', 'A%2F', 'x?y=1', '東京', 'LIB,2', '...', 'a'.repeat(128)]) {
      expect(parseContainerId(`${library}!52811`), library).toEqual({ id: `${library}!52811`, library });
      expect(isLibraryId(library), library).toBe(true);
    }
  });

  it('accepts every library name iManage allows', () => {
    fc.assert(
      fc.property(allowedLibrary, fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), (library, number) => {
        const id = `${library}!${number}`;
        expect(isLibraryId(library)).toBe(true);
        expect(parseContainerId(id)).toEqual({ id, library });
      }),
    );
  });

  it('refuses ids that are not LIBRARY!number, control characters, dot segments, lone surrogates and absurd lengths', () => {
    for (const bad of [
      '',
      '!1',
      'ACTIVE!',
      'ACTIVE!0',
      'ACTIVE!12a',
      'ACTIVE!453.1',
      'A!1/children',
      'A!1?x=1',
      'A!1\n',
      'A\n!1',
      'A\u0000B!1',
      'A\u0085!1',
      'A\u2028!1',
      '.!1',
      '..!1',
      'A!B!1',
      '\uD800!1',
      `${'a'.repeat(129)}!1`,
      'A!1234567890123456789',
    ]) {
      expect(parseContainerId(bad), JSON.stringify(bad)).toBeNull();
    }
    for (const bad of ['', '.', '..', 'A!1', 'A\tB', '\uDC00', 'x'.repeat(129)]) expect(isLibraryId(bad), JSON.stringify(bad)).toBe(false);
  });

  it('never yields an id that would leave its URL path segment once escaped, or carry a control character', () => {
    fc.assert(
      // Any text, and text shaped like an id (library!number), so that the checks below run often.
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1 })).map(([library, n]) => `${library}!${n}`),
        ),
        (s) => {
          const parsed = parseContainerId(s);
          if (parsed === null) return;
          expect(parsed.id).toBe(s);
          expect(s).not.toMatch(/[\p{Cc}\p{Cs}]/u);
          // One segment, whatever the name: escaping leaves no `/`, and no dot segment remains.
          const segment = encodeURIComponent(parsed.library);
          expect(segment).not.toContain('/');
          expect(new URL(`https://h/l/${segment}/x`).pathname).toBe(`/l/${segment}/x`);
        },
      ),
    );
  });
});
