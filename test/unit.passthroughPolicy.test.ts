import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { customerTemplate, decide, DEFAULT_PROXY_ALLOW, namesOtherCustomer, normalisePath, parseProxyRules } from '../src/http/passthroughPolicy.js';

/** The passthrough's path reading and rules, as pure functions (the route's behaviour is test/passthrough.test.ts). */

const rules = parseProxyRules(DEFAULT_PROXY_ALLOW);
const allowed = (method: 'GET' | 'POST', raw: string) => {
  const reading = normalisePath(raw);
  return reading.ok && decide(rules, method, customerTemplate(reading.segments).template).allowed;
};

describe('normalisePath', () => {
  it('resolves dot segments and empty segments, and decodes once', () => {
    expect(normalisePath('/a/./b/../c//d/')).toEqual({ ok: true, segments: ['a', 'c', 'd'] });
    expect(normalisePath('/a/%2e%2E/b/.%2e/c')).toEqual({ ok: true, segments: ['c'] });
    expect(normalisePath('/ACTIVE_US!12.3/R%26D%20%232%20%C3%9Cnits')).toEqual({ ok: true, segments: ['ACTIVE_US!12.3', 'R&D #2 Ünits'] });
  });

  it.each([
    ['/..', 'above the root'],
    ['/a/../..', 'above the root'],
    ['/a%2fb', 'encoded "/"'],
    ['/a%5cb', 'encoded "/"'],
    ['/a\\b', 'not allowed'],
    ['/a;b', 'not allowed'],
    ['/a%3bb', 'encoded'],
    ['/a%252e', 'encoded'],
    ['/a%3fb', 'encoded'],
    ['/a%zz', 'malformed'],
    ['/a%c0%ae', 'not UTF-8'],
    ['/a%ed%a0%80', 'not UTF-8'],
    ['/%ef%bb%bfa', 'invisible'],
    ['/a%e2%80%8b', 'invisible'],
    ['/a%00', 'control'],
    ['/a%7f', 'control'],
    ['/%e2%80%a4%e2%80%a4', 'compatibility'],
    ['/%ef%bc%8e%ef%bc%8e', 'compatibility'],
    ['/a%ef%bc%8fb', 'compatibility'],
    ['/%e2%84%aa', 'compatibility'],
    ['/U%cc%88', 'compatibility'],
    ['/d%c4%b1alog-tokens', 'ASCII letter'],
    ['/D%C4%B0ALOG-TOKENS', 'ASCII letter'],
    ['/...', 'only dots'],
    ['/a.', 'trailing dot'],
    ['/a%20', 'trailing dot or space'],
    ['/a%c2%a0b', 'space other'],
    ['/a::$DATA', 'encoded'],
    ['/a#b', 'not allowed'],
    ['/a\u00ffb', 'not allowed'],
  ])('refuses %s', (raw, why) => {
    const reading = normalisePath(raw);
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.reason).toContain(why);
  });

  it('never yields a segment that reads differently to a server (property)', () => {
    const alphabet = fc.constantFrom('a', 'B', '.', '/', '%', '2', 'e', 'E', 'f', 'F', '5', 'c', '\\', ';', '~', '!', '{', '}');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const reading = normalisePath(`/${chars.join('')}`);
        if (!reading.ok) return;
        for (const segment of reading.segments) {
          expect(segment).not.toMatch(/^\.{1,2}$|[/\\%;]|^$/);
          expect(encodeURIComponent(segment)).not.toMatch(/%2F|%5C|%25/i);
        }
        // Reading what would be forwarded gives the same segments: one reading only.
        expect(normalisePath(`/${reading.segments.map(encodeURIComponent).join('/')}`)).toEqual(reading);
      }),
    );
  });
});

describe('IMANAGE_PROXY_ALLOW', () => {
  it('allows reads and the read POSTs by default, and refuses writes, the host root and the dialog-token exchange', () => {
    const lib = '/work/api/v2/customers/{customerId}/libraries/ACTIVE_US';
    expect(allowed('GET', `${lib}/folders/ACTIVE_US!1/children`)).toBe(true);
    expect(allowed('GET', '/work/api/v2/customers/5948/libraries')).toBe(true);
    expect(allowed('POST', `${lib}/documents/search`)).toBe(true);
    expect(allowed('POST', `${lib}/Documents/SEARCH/`)).toBe(true);
    expect(allowed('POST', `${lib}/documents/parents`)).toBe(true);
    expect(allowed('POST', `${lib}/folders/ACTIVE_US!1/subfolders`)).toBe(false);
    expect(allowed('POST', `${lib}/documents/search/../../folders/ACTIVE_US!1/subfolders`)).toBe(false);
    expect(allowed('GET', '/api')).toBe(false);
    expect(allowed('GET', '/work/api/v2/customers/{customerId}/dialog-tokens/x')).toBe(false);
    expect(allowed('GET', '/work/api/v2/customers/{customerId}/Dialog-Tokens/x')).toBe(false);
    const denied = decide(rules, 'GET', ['work', 'api', 'v2', 'customers', '{customerId}', 'dialog-tokens']);
    expect(denied).toMatchObject({ allowed: false, rule: { text: '!GET|HEAD /work/api/v2/customers/{customerId}/dialog-tokens/**' } });
    expect(decide(rules, 'DELETE', ['work'])).toEqual({ allowed: false, rule: null });
  });

  it('matches * as one segment, ** as any rest, first rule first', () => {
    const custom = parseProxyRules('!* /a/secret/**, GET|PATCH /a/*/b, * /a/**');
    expect(decide(custom, 'GET', ['a', 'x', 'b']).allowed).toBe(true);
    expect(decide(custom, 'PATCH', ['a', 'secret', 'b']).allowed).toBe(false);
    expect(decide(custom, 'DELETE', ['a']).allowed).toBe(true);
    expect(decide(custom, 'DELETE', ['b']).allowed).toBe(false);
    expect(parseProxyRules('none')).toEqual([]);
  });

  it.each([
    ['GET work', 'is not "METHODS /path/pattern"'],
    ['FETCH /a', 'names the method "FETCH"'],
    ['GET /a/**/b', '"**" before its last segment'],
    ['GET /a//b', 'empty'],
    ['GET /a/../b', '".."'],
    ['GET /a/b%2f', 'has the segment'],
  ])('refuses the rule %s at start-up', (rule, message) => {
    expect(() => parseProxyRules(rule)).toThrow(message);
    expect(() => loadConfig({ IMANAGE_PROXY_ALLOW: `GET /x,${rule}` })).toThrow(/^IMANAGE_PROXY_ALLOW is invalid: rule 2/);
  });

  it('reads UPLOAD_MAX_BYTES with a documented default and range', () => {
    expect(loadConfig({}).uploadMaxBytes).toBe(100 * 1024 * 1024);
    expect(loadConfig({ UPLOAD_MAX_BYTES: '2000000' }).uploadMaxBytes).toBe(2_000_000);
    for (const bad of ['1000', '1e9', '-1', '200000000000']) expect(() => loadConfig({ UPLOAD_MAX_BYTES: bad })).toThrow(/^UPLOAD_MAX_BYTES is invalid/);
  });
});

describe('the customer segment', () => {
  it('reads {customerId} after "customers", and tells another customer apart', () => {
    const { template, named } = customerTemplate(['work', 'api', 'v2', 'customers', '5948', 'libraries']);
    expect(template).toEqual(['work', 'api', 'v2', 'customers', '{customerId}', 'libraries']);
    expect(namesOtherCustomer(named, '5948')).toBe(false);
    expect(namesOtherCustomer(named, '1')).toBe(true);
    expect(namesOtherCustomer(customerTemplate(['x', 'CUSTOMERS', '{customerid}']).named, '1')).toBe(false);
  });
});
