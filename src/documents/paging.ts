import { IManageProtocolError } from '../imanage/errors.js';
import { sameId } from '../imanage/ids.js';
import type { IManageLoaders } from '../imanage/loaders.js';
import type { DocumentRecord, Page } from '../imanage/records.js';
import type { DocumentSearch } from './search.js';

/**
 * Two lists page by offset, where the others page by iManage's cursor: the document search (the
 * reference, §4.3 search POST, shows only `limit` and `overflow`; `offset` is the standard paging
 * parameter of §5.2, sent in the body, which the simulator honours) and a saved-search folder's
 * documents (§5.2: cursor paging is "not for saved-search folders"). A server that ignored the offset
 * would answer every page as the first, so a page after the first is asked for from one result
 * earlier: the result the last page ended with must come back first, or the list is refused as a
 * protocol error (UPSTREAM_UNAVAILABLE) rather than shown again. The same check catches results that
 * moved since the last page (a document filed or removed before the resumed position), which offsets
 * alone would skip or repeat without a word.
 *
 * So that one Relay paging serves all lists, a position is written as a cursor: `"0"` for the start,
 * `"50:LIB!123.1"` for the offset after the result `LIB!123.1`. The offset after any result is known,
 * so every edge's cursor resumes right after its own result, in one call.
 */

/**
 * A page by offset that did not start right after the result the page before ended with: iManage
 * ignored the offset, or the results moved since. Asking again with the same cursor cannot help;
 * reading the list again from the start can.
 */
export class SearchMovedError extends IManageProtocolError {
  constructor() {
    super('list by offset', 'the page did not resume after the last result of the page before (iManage ignored the offset, or the results changed since)');
  }
}

/** The largest offset a cursor may name: far past any list a user pages through. */
const MAX_OFFSET = 10_000_000;

/** Where a search page starts: its offset, and the id of the result just before it (none at the start). */
export interface SearchPosition {
  readonly offset: number;
  readonly after: string | null;
}

/** The position a search cursor names (null: the start), or undefined when it is not one this service wrote. */
export function searchPosition(cursor: string | null): SearchPosition | undefined {
  if (cursor === null) return { offset: 0, after: null };
  const match = /^(0|[1-9][0-9]{0,7})(?::([^\p{Cc}]{1,1000}))?$/u.exec(cursor);
  if (!match) return undefined;
  const offset = Number(match[1]);
  const after = match[2] ?? null;
  // Past the start a cursor names the result it follows: that is what the next page is checked by.
  if (offset > MAX_OFFSET || offset > 0 !== (after !== null)) return undefined;
  return { offset, after };
}

/** The cursor that resumes right after `item`, the result at `index` of the page fetched at `cursor`. */
export function searchCursorAfter(cursor: string | null, index: number, item: { id: string }): string {
  return `${(searchPosition(cursor)?.offset ?? 0) + index + 1}:${item.id}`;
}

/**
 * Pages of a list read by offset (the document search, a saved-search folder's documents), from the
 * position each cursor names: `next` is the position after the page while iManage says more follow,
 * null at the end. A page after the first is asked for from one result earlier, and that result must
 * be the one the cursor follows (see above). A page iManage says is followed by more but holds nothing
 * ends the list rather than asking for the same offset again.
 */
export function offsetPages<T extends { id: string }>(fetchAt: (offset: number, limit: number) => Promise<{ items: T[]; overflow: boolean }>) {
  return async (cursor: string | null, limit: number): Promise<Page<T>> => {
    const { offset, after } = searchPosition(cursor) ?? { offset: 0, after: null };
    let items: T[];
    let overflow: boolean;
    if (after === null) {
      ({ items, overflow } = await fetchAt(offset, limit));
    } else {
      const page = await fetchAt(offset - 1, limit + 1);
      const [anchor, ...rest] = page.items;
      if (anchor === undefined || !sameId(anchor.id, after)) throw new SearchMovedError();
      items = rest;
      overflow = page.overflow;
    }
    const last = items.at(-1);
    return { items, next: overflow && last ? `${offset + items.length}:${last.id}` : null };
  };
}

/** The pages of a library's search. */
export function searchPages(
  loaders: IManageLoaders,
  library: string,
  search: DocumentSearch,
): (cursor: string | null, limit: number) => Promise<Page<DocumentRecord>> {
  return offsetPages((offset, limit) => loaders.documents.search.load({ library, filters: search.filters, offset, limit }));
}
