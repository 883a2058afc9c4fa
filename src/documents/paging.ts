import { IManageProtocolError } from '../imanage/errors.js';
import { sameId } from '../imanage/ids.js';
import type { IManageLoaders } from '../imanage/loaders.js';
import type { DocumentRecord, Page } from '../imanage/records.js';
import type { DocumentSearch } from './search.js';

/**
 * The document search pages by offset, where the other lists page by iManage's cursor. The reference
 * (§4.3 search POST) shows only `limit` and `overflow`; `offset` is the standard paging parameter
 * (§5.2) sent in the body, which the simulator honours. A server that ignored it would answer every
 * page as the first, so a page after the first is asked for from one result earlier: the result the
 * last page ended with must come back first, or the search is refused as a protocol error
 * (UPSTREAM_UNAVAILABLE) rather than shown again. The same check catches results that moved since the
 * last page (a document filed or removed before the resumed position), which offsets alone would skip
 * or repeat without a word.
 *
 * So that one Relay paging serves both, a search position is written as a cursor: `"0"` for the
 * start, `"50:LIB!123.1"` for the offset after the result `LIB!123.1`. The offset after any result is
 * known, so every edge's cursor resumes right after its own result, in one call.
 */

const operation = 'POST /libraries/{lib}/documents/search';

/**
 * A search page that did not start right after the result the page before ended with: iManage ignored
 * the offset, or the results moved since. Asking again with the same cursor cannot help; searching
 * again from the start can.
 */
export class SearchMovedError extends IManageProtocolError {
  constructor() {
    super(operation, 'the search did not resume after the last result of the page before (iManage ignored the offset, or the results changed since)');
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
  const match = /^(0|[1-9][0-9]{0,7})(?::([^\p{Cc}]{1,300}))?$/u.exec(cursor);
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
 * One page of a library's search, from the position its cursor names: `next` is the position after
 * it while iManage says more matched (`overflow`), null at the end. A page iManage says is followed by
 * more but holds nothing ends the list rather than asking for the same offset again.
 */
export function searchPages(loaders: IManageLoaders, library: string, search: DocumentSearch) {
  return async (cursor: string | null, limit: number): Promise<Page<DocumentRecord>> => {
    const { offset, after } = searchPosition(cursor) ?? { offset: 0, after: null };
    let items: DocumentRecord[];
    let overflow: boolean;
    if (after === null) {
      ({ items, overflow } = await loaders.documents.search.load({ library, filters: search.filters, offset, limit }));
    } else {
      const page = await loaders.documents.search.load({ library, filters: search.filters, offset: offset - 1, limit: limit + 1 });
      const [anchor, ...rest] = page.items;
      if (anchor === undefined || !sameId(anchor.id, after)) throw new SearchMovedError();
      items = rest;
      overflow = page.overflow;
    }
    const last = items.at(-1);
    return { items, next: overflow && last ? `${offset + items.length}:${last.id}` : null };
  };
}
