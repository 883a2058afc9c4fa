import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllowedReturnUrl } from '../src/auth/returnUrls.js';

const allowed = [new URL('https://app.example.com/return')];
const check = (candidate: string) => isAllowedReturnUrl(candidate, allowed)?.toString() ?? null;

describe('isAllowedReturnUrl', () => {
  it('accepts the prefix and paths below it, with their query', () => {
    expect(check('https://app.example.com/return')).toBe('https://app.example.com/return');
    expect(check('https://app.example.com/return/matters?x=1')).toBe('https://app.example.com/return/matters?x=1');
    expect(check('https://app.example.com/return/a.b/c..d/.well')).toBe('https://app.example.com/return/a.b/c..d/.well');
  });

  it('refuses other origins and paths beside the prefix', () => {
    for (const candidate of [
      'https://app.example.com.evil.test/return',
      'https://app.example.com@evil.test/return',
      'http://app.example.com/return',
      'https://app.example.com/returned',
      'https://app.example.com/',
      '//evil.test/return',
      'javascript:alert(1)',
    ]) {
      expect(check(candidate), candidate).toBeNull();
    }
  });

  it('refuses paths the app may read differently: encoded slashes and dots, backslashes, dot segments, ; parameters', () => {
    for (const candidate of [
      'https://app.example.com/return/..%2Fevil',
      'https://app.example.com/return/..%2fevil',
      'https://app.example.com/return/%2e%2e/evil',
      'https://app.example.com/return/.%2E/evil',
      'https://app.example.com/return/..%5Cevil',
      'https://app.example.com/return/..\\evil',
      'https://app.example.com/return/..;/evil',
      'https://app.example.com/return;jsessionid=1',
      'https://app.example.com/return/../return/x',
      'https://app.example.com/return/./x',
    ]) {
      expect(check(candidate), candidate).toBeNull();
    }
  });

  it('never lets a path outside the prefix through, whatever the text after it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (rest) => {
        const result = isAllowedReturnUrl(`https://app.example.com/return/${rest}`, allowed);
        if (result === null) return;
        expect(result.origin).toBe('https://app.example.com');
        expect(result.pathname.startsWith('/return/') || result.pathname === '/return').toBe(true);
        expect(result.pathname).not.toMatch(/%2f|%5c|%2e|;/i);
      }),
    );
  });
});
