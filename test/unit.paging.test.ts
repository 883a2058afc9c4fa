import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectConnection, decodeCursor, encodeCursor, MAX_PAGES_PER_CONNECTION, pageRequest, type Resume } from '../src/graphql/paging.js';
import { IManageProtocolError, PageRepeatedError } from '../src/imanage/errors.js';
import type { Page } from '../src/imanage/records.js';

const limits = { maxPageSize: 100, defaultPageSize: 25 };
const LIST = JSON.stringify(['folderChildren', 'ACTIVE_US!1']);

const resumes: fc.Arbitrary<Resume> = fc.oneof(
  fc.record({ cursor: fc.option(fc.string({ minLength: 1, maxLength: 300 }), { nil: null }), position: fc.integer({ min: 0, max: 10_000_000 }) }),
  fc.record({
    cursor: fc.string({ minLength: 1, maxLength: 300 }),
    position: fc.integer({ min: 0, max: 10_000_000 }),
    before: fc.string({ minLength: 1, maxLength: 256 }),
  }),
  fc
    .record({
      cursor: fc.option(fc.string({ minLength: 1, maxLength: 300 }), { nil: null }),
      limit: fc.integer({ min: 1, max: 1000 }),
      id: fc.string({ minLength: 1, maxLength: 40 }),
      position: fc.integer({ min: 0, max: 10_000_000 }),
    })
    .chain((r) =>
      fc.integer({ min: 0, max: r.limit - 1 }).map((index) => ({ cursor: r.cursor, within: { limit: r.limit, index, id: r.id }, position: r.position })),
    ),
);

const isBadInput = (error: unknown) => (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT';

describe('cursors', () => {
  it('round-trip every resume point', () => {
    fc.assert(
      fc.property(resumes, (resume) => {
        expect(decodeCursor(LIST, encodeCursor(LIST, resume))).toEqual(resume);
      }),
    );
  });

  it('refuse anything not issued for this list with BAD_USER_INPUT', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          const resume = decodeCursor(LIST, s);
          // The only strings that decode are genuine cursors.
          return encodeCursor(LIST, resume) === s;
        } catch (error) {
          return isBadInput(error);
        }
      }),
    );
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const good = JSON.parse(Buffer.from(encodeCursor(LIST, { cursor: 'abc', position: 3 }), 'base64url').toString());
    const bad = [
      '',
      'x',
      encodeCursor(LIST, { cursor: null, position: 1 }).slice(0, -2) + '!',
      Buffer.from('o1:5').toString('base64url'), // the offset cursors of earlier versions
      encodeCursor(JSON.stringify(['folderChildren', 'ACTIVE_US!2']), { cursor: null, position: 1 }), // another list's
      json({ ...good, v: 1 }),
      json({ ...good, p: -1 }),
      json({ ...good, p: 1.5 }),
      json({ ...good, c: '' }),
      json({ ...good, c: 5 }),
      json({ ...good, l: 10, k: 10, i: 'A!1' }), // the index outside its page
      json({ ...good, l: 10, k: 2 }), // no id
      json({ ...good, l: 5000, k: 2, i: 'A!1' }), // a page larger than this service ever reads
      json({ ...good, extra: true }),
      json({ ...good, b: '' }), // no id of the item before
      json({ ...good, b: 'A'.repeat(257) }),
      json({ ...good, c: null, b: 'A!1' }), // the first page has no page before it
      'A'.repeat(5000),
    ];
    for (const cursor of bad) expect(() => decodeCursor(LIST, cursor), cursor).toThrow(/cursor/);
  });
});

describe('pageRequest', () => {
  it('defaults and bounds `first`, and starts at the list head without `after`', () => {
    expect(pageRequest({}, limits, LIST)).toEqual({ list: LIST, first: 25, resume: { cursor: null, position: 0 } });
    expect(pageRequest({ first: 100 }, limits, LIST).first).toBe(100);
    for (const first of [101, 0, -5, 1.5]) expect(() => pageRequest({ first }, limits, LIST)).toThrow(/1 to 100/);
  });

  it('resumes where the cursor of `after` says', () => {
    const resume = { cursor: 'c1', within: { limit: 10, index: 4, id: 'A!5' }, position: 5 };
    expect(pageRequest({ first: 10, after: encodeCursor(LIST, resume) }, limits, LIST).resume).toEqual(resume);
  });
});

/** A list of `count` items served in iManage's cursor pages, counting the pages asked for. */
function fakeList(count: number, options: { repeat?: boolean } = {}) {
  const items = Array.from({ length: count }, (_, i) => ({ id: `A!${i + 1}`, name: i % 3 === 0 ? `match ${i}` : `other ${i}` }));
  const calls: Array<{ cursor: string | null; limit: number }> = [];
  return {
    items,
    calls,
    async fetch(cursor: string | null, limit: number): Promise<Page<(typeof items)[number]>> {
      calls.push({ cursor, limit });
      const start = cursor === null || options.repeat ? 0 : Number(cursor.slice(1));
      const end = Math.min(start + limit, count);
      return { items: items.slice(start, end), next: end < count ? `@${end}` : null };
    },
  };
}

describe('collectConnection', () => {
  it('reads one iManage page per connection page, and the next page from the last edge costs one call', async () => {
    const list = fakeList(12);
    const page1 = await collectConnection(pageRequest({ first: 5 }, limits, LIST), list);
    expect(page1.edges.map((e) => e.node.id)).toEqual(['A!1', 'A!2', 'A!3', 'A!4', 'A!5']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page1.totalCount).toBeNull();
    expect(list.calls).toEqual([{ cursor: null, limit: 5 }]);
    const page2 = await collectConnection(pageRequest({ first: 5, after: page1.pageInfo.endCursor }, limits, LIST), list);
    expect(page2.edges.map((e) => e.node.id)).toEqual(['A!6', 'A!7', 'A!8', 'A!9', 'A!10']);
    expect(list.calls.at(-1)).toEqual({ cursor: '@5', limit: 5 });
    const page3 = await collectConnection(pageRequest({ first: 5, after: page2.pageInfo.endCursor }, limits, LIST), list);
    expect(page3.edges.map((e) => e.node.id)).toEqual(['A!11', 'A!12']);
    expect(page3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(page3.totalCount).toBe(12); // the list ended within what was read
    expect(list.calls).toHaveLength(3);
  });

  it('resumes right after any edge: no item skipped or repeated', async () => {
    const list = fakeList(30);
    const page = await collectConnection(pageRequest({ first: 10 }, limits, LIST), list);
    for (const [i, edge] of page.edges.entries()) {
      const next = await collectConnection(pageRequest({ first: 7, after: edge.cursor }, limits, LIST), list);
      expect(next.edges.map((e) => e.node.id)).toEqual(list.items.slice(i + 1, i + 8).map((x) => x.id));
    }
  });

  it('keeps pages full of kept items across several iManage pages, with exact cursors', async () => {
    const list = fakeList(40);
    const keep = (item: { name: string }) => item.name.startsWith('match');
    const matches = list.items.filter(keep).map((x) => x.id);
    const page = await collectConnection(pageRequest({ first: 4 }, limits, LIST), { ...list, fetch: list.fetch, keep, pageSize: 3 });
    expect(page.edges.map((e) => e.node.id)).toEqual(matches.slice(0, 4));
    expect(list.calls.length).toBeGreaterThan(1);
    const after = await collectConnection(pageRequest({ first: 4, after: page.edges[1]!.cursor }, limits, LIST), { fetch: list.fetch, keep, pageSize: 3 });
    expect(after.edges.map((e) => e.node.id)).toEqual(matches.slice(2, 6));
    const all = await collectConnection(pageRequest({ first: 100 }, limits, LIST), { fetch: list.fetch, keep, pageSize: 20 });
    expect(all.totalCount).toBe(matches.length);
  });

  it('stops after a bounded number of iManage pages, and endCursor resumes where the reading stopped', async () => {
    const list = fakeList(200);
    const keep = (item: { id: string }) => item.id === 'A!150';
    const cut = await collectConnection(pageRequest({ first: 5 }, limits, LIST), { fetch: list.fetch, keep, pageSize: 5 });
    expect(list.calls).toHaveLength(MAX_PAGES_PER_CONNECTION);
    expect(cut.edges).toEqual([]);
    expect(cut.pageInfo.hasNextPage).toBe(true);
    const on = await collectConnection(pageRequest({ first: 5, after: cut.pageInfo.endCursor }, limits, LIST), { fetch: list.fetch, keep, pageSize: 50 });
    expect(on.edges.map((e) => e.node.id)).toEqual(['A!150']);
    expect(on.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a server that repeats items of an earlier page', async () => {
    const list = fakeList(20, { repeat: true });
    const keep = () => false;
    await expect(collectConnection(pageRequest({ first: 5 }, limits, LIST), { fetch: list.fetch, keep, pageSize: 5 })).rejects.toBeInstanceOf(
      IManageProtocolError,
    );
    expect(list.calls).toHaveLength(2);
  });

  it("tells a server that ignores the cursor by the page before's last item, whatever the cursors say", async () => {
    const list = fakeList(20, { repeat: true });
    const page1 = await collectConnection(pageRequest({ first: 5 }, limits, LIST), list);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    await expect(collectConnection(pageRequest({ first: 5, after: page1.pageInfo.endCursor }, limits, LIST), list)).rejects.toBeInstanceOf(PageRepeatedError);
    // Resuming inside a page fetched by cursor checks that page too.
    const honest = fakeList(20);
    const page2 = await collectConnection(pageRequest({ first: 5, after: page1.pageInfo.endCursor }, limits, LIST), honest);
    await expect(collectConnection(pageRequest({ first: 5, after: page2.edges[1]!.cursor }, limits, LIST), list)).rejects.toBeInstanceOf(PageRepeatedError);
    expect((await collectConnection(pageRequest({ first: 5, after: page2.edges[1]!.cursor }, limits, LIST), honest)).edges[0]!.node.id).toBe('A!8');
  });
});
