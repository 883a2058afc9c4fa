import type { IManageLoaders } from '../imanage/loaders.js';
import type { DocumentRecord, Page } from '../imanage/records.js';
import type { DocumentSearch } from './search.js';

/**
 * The document search pages by offset (reference §4.3 search POST: `offset`, `limit`, `overflow`),
 * where the other lists page by iManage's cursor. So that one Relay paging serves both, a search page
 * is named by its offset written as a cursor: `"0"`, `"50"`, … The offset after any result is known,
 * so every edge's cursor resumes right after its own result, in one call.
 */

/** The largest offset a cursor may name: far past any list a user pages through. */
const MAX_OFFSET = 10_000_000;

/** The offset a search cursor names (null: the first page), or undefined when it is not one this service wrote. */
export function offsetOf(cursor: string | null): number | undefined {
  if (cursor === null) return 0;
  if (!/^(0|[1-9][0-9]{0,7})$/.test(cursor)) return undefined;
  const offset = Number(cursor);
  return offset <= MAX_OFFSET ? offset : undefined;
}

/** The cursor that resumes right after the result at `index` of the page fetched at `cursor`. */
export function offsetAfter(cursor: string | null, index: number): string {
  return String((offsetOf(cursor) ?? 0) + index + 1);
}

/**
 * One page of a library's search, from the offset its cursor names: `next` is the offset after it
 * while iManage says more matched (`overflow`), null at the end. A page iManage says is followed by
 * more but holds nothing ends the list rather than asking for the same offset again.
 */
export function searchPages(loaders: IManageLoaders, library: string, search: DocumentSearch) {
  return async (cursor: string | null, limit: number): Promise<Page<DocumentRecord>> => {
    const offset = offsetOf(cursor) ?? 0;
    const page = await loaders.documents.search.load({ library, filters: search.filters, offset, limit });
    const more = page.overflow && page.items.length > 0;
    return { items: page.items, next: more ? String(offset + page.items.length) : null };
  };
}
