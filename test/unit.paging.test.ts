import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageRequest, toConnection } from '../src/graphql/paging.js';

const limits = { maxPageSize: 100, defaultPageSize: 25 };

describe('cursors', () => {
  it('round-trips every position', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => decodeCursor(encodeCursor(n)) === n));
  });

  it('refuses anything it did not issue with BAD_USER_INPUT', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        try {
          const n = decodeCursor(s);
          // The only strings that decode are genuine cursors.
          return encodeCursor(n) === s;
        } catch (error) {
          return (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT';
        }
      }),
    );
    for (const bad of ['', 'x', encodeCursor(1).slice(0, -1) + '!', Buffer.from('o1:-1').toString('base64url'), Buffer.from('o1:99999999').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });
});

describe('pageRequest', () => {
  it('defaults and bounds `first`', () => {
    expect(pageRequest({}, limits)).toEqual({ offset: 0, limit: 25 });
    expect(pageRequest({ first: 100 }, limits)).toEqual({ offset: 0, limit: 100 });
    expect(() => pageRequest({ first: 101 }, limits)).toThrow(/1 to 100/);
    expect(() => pageRequest({ first: 0 }, limits)).toThrow(/1 to 100/);
    expect(() => pageRequest({ first: -5 }, limits)).toThrow(/1 to 100/);
  });

  it('continues after the edge a cursor names', () => {
    expect(pageRequest({ first: 10, after: encodeCursor(0) }, limits)).toEqual({ offset: 1, limit: 10 });
    expect(pageRequest({ first: 10, after: encodeCursor(41) }, limits)).toEqual({ offset: 42, limit: 10 });
  });
});

describe('toConnection', () => {
  it('gives each edge its own position and fills pageInfo', () => {
    const connection = toConnection({ items: ['a', 'b'], totalCount: 7, hasMore: true }, 3);
    expect(connection.edges.map((e) => decodeCursor(e.cursor))).toEqual([3, 4]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor(3), endCursor: encodeCursor(4) });
    expect(connection.totalCount).toBe(7);
  });
});
