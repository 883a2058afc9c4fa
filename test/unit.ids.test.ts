import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLibraryId, parseContainerId } from '../src/imanage/ids.js';

describe('iManage ids', () => {
  it('parses container ids and their library', () => {
    expect(parseContainerId('ACTIVE_US!52811')).toEqual({ id: 'ACTIVE_US!52811', library: 'ACTIVE_US' });
    expect(parseContainerId('Active_uk!2222')).toEqual({ id: 'Active_uk!2222', library: 'Active_uk' });
  });

  it('refuses anything that could change the path it is put into', () => {
    for (const bad of ['', '!1', 'ACTIVE!', 'ACTIVE!0', 'ACTIVE!12a', 'ACTIVE!453.1', '../x!1', 'A/B!1', 'A!1/children', 'A!1?x=1', 'A B!1', 'A!1\n', 'A%2F!1']) {
      expect(parseContainerId(bad), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseContainerId(s);
        return parsed === null || (!/[/?#%\s\\]/.test(s) && parsed.id === s);
      }),
    );
  });

  it('accepts library ids as iManage names them, and nothing path-like', () => {
    expect(isLibraryId('ACTIVE_US')).toBe(true);
    expect(isLibraryId('Dev')).toBe(true);
    for (const bad of ['', '..', '../etc', 'A/B', 'A!1', 'x'.repeat(65)]) expect(isLibraryId(bad), bad).toBe(false);
  });
});
