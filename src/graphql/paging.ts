import { createHash } from 'node:crypto';
import { IManageBadRequestError, PageRepeatedError } from '../imanage/errors.js';
import { idKey, sameId } from '../imanage/ids.js';
import type { Page } from '../imanage/records.js';
import { badInput } from './errors.js';

/**
 * Relay connections over iManage's cursor paging (reference §5.2: `paging_mode=standard_cursor`, the
 * `cursor` of one page passed back unmodified for the next, no offsets, no total).
 *
 * An edge's cursor says where the edge sits in iManage's pages, so that `after` may be the cursor of
 * any edge, not only the last, and resumes right after it:
 * - an edge that ends its iManage page carries the cursor iManage gave for the next page: resuming
 *   costs the one call the next page costs anyway;
 * - any other edge carries the cursor and limit that fetched its page, its index there and its id:
 *   resuming fetches that page again and goes on after the id (after the index, should the id be gone).
 * Each also carries its position in the list (for `hasPreviousPage`, and a `totalCount` once the list
 * is seen to end) and a fingerprint of the list, so that the cursor of another list is refused.
 * Cursors are versioned; anything this service did not issue is BAD_USER_INPUT.
 *
 * A server that ignores paging is told by content, not by its cursors (a fresh cursor may name the
 * same first page again; a stable cursor may be a handle that advances): a cursor past the first
 * iManage page also carries the id of the last item of the page before, and the page it fetches must
 * not hold that item (PageRepeatedError), as a resumed page of a list by offset must start right after
 * it (src/documents/paging.ts).
 */

/** Where a page starts: iManage's page to fetch, and the edge inside it to go on after, if any. */
export interface Resume {
  /** iManage's cursor of the page to fetch; null for the list's first page. */
  readonly cursor: string | null;
  /** Set when the page must be fetched again and read after one of its items. */
  readonly within?: { readonly limit: number; readonly index: number; readonly id: string };
  /** How many items of the list come before this point (0-based position of the next one). */
  readonly position: number;
  /** The id of the last item of the iManage page before the one `cursor` fetches: it must not come back. */
  readonly before?: string;
}

const VERSION = 2;
const MAX_CURSOR_CHARS = 4096;
const MAX_UPSTREAM_CURSOR_CHARS = 2048;
const MAX_POSITION = 10_000_000;
/**
 * The largest iManage page a cursor may ask to fetch again. This service asks for 100 at most, and a
 * crafted cursor must not make one request read thousands of folders.
 */
const MAX_RESUME_LIMIT = 1000;
/** The longest item id a cursor carries. */
const MAX_ID_CHARS = 256;

/** A short digest of what the list is (kind, container, filter): cursors of other lists are refused. */
function fingerprint(list: string): string {
  return createHash('sha256').update(list).digest('base64url').slice(0, 10);
}

export function encodeCursor(list: string, resume: Resume): string {
  const payload: Record<string, unknown> = { v: VERSION, f: fingerprint(list), p: resume.position, c: resume.cursor };
  if (resume.within) Object.assign(payload, { l: resume.within.limit, k: resume.within.index, i: resume.within.id });
  if (resume.before !== undefined) payload.b = resume.before;
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The refusal of an `after` this service did not issue for the list it is sent with. */
export const foreignCursor = () =>
  badInput('`after` is not a cursor this API issued for this list. Use the cursor of an edge from an earlier page of the same list.', 'after');

/** The point a cursor names in `list`, or a BAD_USER_INPUT error for anything this service did not issue for it. */
export function decodeCursor(list: string, cursor: string): Resume {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw foreignCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw foreignCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw foreignCursor();
  const { v, f, p, c, l, k, i, b, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || v !== VERSION || f !== fingerprint(list)) throw foreignCursor();
  const isCount = (n: unknown, min: number, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
  if (!isCount(p, 0, MAX_POSITION)) throw foreignCursor();
  if (c !== null && (typeof c !== 'string' || c.length === 0 || c.length > MAX_UPSTREAM_CURSOR_CHARS)) throw foreignCursor();
  const isId = (s: unknown): s is string => typeof s === 'string' && s.length > 0 && s.length <= MAX_ID_CHARS;
  // Only a cursor past the first iManage page has a page before it.
  if (b !== undefined && (!isId(b) || c === null)) throw foreignCursor();
  const before = b === undefined ? {} : { before: b };
  if (l === undefined && k === undefined && i === undefined) return { cursor: c, position: p, ...before };
  if (!isCount(l, 1, MAX_RESUME_LIMIT) || !isCount(k, 0, l - 1) || !isId(i)) throw foreignCursor();
  return { cursor: c, within: { limit: l, index: k, id: i }, position: p, ...before };
}

const staleCursor = () =>
  badInput('iManage refused to go on from this cursor: it may have expired. Start again from the first page (without `after`).', 'after');

export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export interface PageLimits {
  maxPageSize: number;
  defaultPageSize: number;
}

/** A connection asked for: which list, how many items, from where. */
export interface ConnectionRequest {
  /** What the list is (kind, container, filter): cursors are bound to it. */
  readonly list: string;
  readonly first: number;
  readonly resume: Resume;
}

/** Checks `first` and `after` for `list`. */
export function pageRequest(args: PageArgs, limits: PageLimits, list: string): ConnectionRequest {
  const first = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(first) || first < 1 || first > limits.maxPageSize) {
    throw badInput(`\`first\` must be an integer from 1 to ${limits.maxPageSize}.`, 'first');
  }
  const resume = args.after == null ? { cursor: null, position: 0 } : decodeCursor(list, args.after);
  return { list, first, resume };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

/** Where a connection's items come from. */
export interface Listing<T> {
  /** One iManage page (through the request's loaders, so a page asked for twice costs one call). */
  fetch(cursor: string | null, limit: number): Promise<Page<T>>;
  /** Which items the connection shows; all when absent. */
  keep?: (item: T) => boolean;
  /** The limit of pages fetched afresh; `first` when absent. */
  pageSize?: number;
  /**
   * For lists whose pages are named by offset (the document search): the upstream cursor that starts
   * right after `item`, at `index` of the page fetched at `cursor`. Every edge then carries it, and
   * resuming after any edge costs one call for a whole page.
   */
  resumeAfter?: (cursor: string | null, index: number, item: T) => string;
}

/** The most iManage pages one connection reads while filling a page: a bound on a sparse search. */
export const MAX_PAGES_PER_CONNECTION = 10;

/**
 * One page of a connection: `first` items kept, read from as many iManage pages as that takes (at
 * most MAX_PAGES_PER_CONNECTION; when that bound cuts a page short, `hasNextPage` is true and
 * `endCursor` resumes where the reading stopped). `totalCount` is exact when the list is seen to end
 * within the pages read, null otherwise: in cursor mode iManage does not count. A server that repeats
 * items it already sent, in this request or as the last item of the page before the cursor, ignores
 * paging: PageRepeatedError, not a list without end.
 */
export async function collectConnection<T extends { id: string }>(request: ConnectionRequest, listing: Listing<T>): Promise<Connection<T>> {
  const { list, first, resume } = request;
  // A list paged by offset names every position in its cursor: one that resumes within a page was
  // not written by this service for it (and would set the size of the page read).
  if (listing.resumeAfter && resume.within) throw foreignCursor();
  const pageSize = listing.pageSize ?? first;
  const edges: Connection<T>['edges'] = [];
  const seen = new Set<string>();
  let cursor = resume.cursor;
  let limit = resume.within?.limit ?? pageSize;
  let after = resume.within;
  // Lists by offset check their own resumed pages (`resumeAfter`): theirs are not tracked here.
  let before = listing.resumeAfter ? undefined : resume.before;
  let position = resume.position;
  let hasNextPage = false;
  let ended = false;
  let stoppedAt: Resume | null = null;
  for (let fetched = 1; ; fetched++) {
    const page = await listing.fetch(cursor, limit).catch((error: unknown) => {
      // iManage's cursor inside the caller's `after` may have expired (or be another session's): a 400
      // there is the cursor's, not the caller's request's.
      if (fetched === 1 && resume.cursor !== null && error instanceof IManageBadRequestError) throw staleCursor();
      throw error;
    });
    const repeated = before;
    if (repeated !== undefined && page.items.some((item) => sameId(item.id, repeated))) throw new PageRepeatedError();
    const last = listing.resumeAfter ? undefined : (page.items.at(-1)?.id ?? before);
    let start = 0;
    if (after) {
      const { id } = after;
      const at = page.items.findIndex((item) => sameId(item.id, id));
      start = (at >= 0 ? at : after.index) + 1;
      after = undefined;
    }
    let full = false;
    for (let i = start; i < page.items.length; i++) {
      const item = page.items[i]!;
      const id = idKey(item.id);
      if (seen.has(id)) throw new PageRepeatedError();
      seen.add(id);
      if (listing.keep && !listing.keep(item)) continue;
      if (edges.length === first) {
        hasNextPage = true;
        full = true;
        break;
      }
      position += 1;
      const here: Resume = listing.resumeAfter
        ? { cursor: listing.resumeAfter(cursor, i, item), position }
        : i === page.items.length - 1 && page.next !== null
          ? { cursor: page.next, position, ...(last === undefined ? {} : { before: last }) }
          : { cursor, within: { limit, index: i, id: item.id }, position, ...(before === undefined ? {} : { before }) };
      edges.push({ cursor: encodeCursor(list, here), node: item });
    }
    if (full) break;
    if (page.next === null) {
      ended = true;
      break;
    }
    if (edges.length === first) {
      hasNextPage = true;
      break;
    }
    if (fetched >= MAX_PAGES_PER_CONNECTION) {
      hasNextPage = true;
      stoppedAt = { cursor: page.next, position, ...(last === undefined ? {} : { before: last }) };
      break;
    }
    cursor = page.next;
    before = last;
    limit = pageSize;
  }
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: resume.position > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: stoppedAt ? encodeCursor(list, stoppedAt) : (edges.at(-1)?.cursor ?? null),
    },
    totalCount: ended ? position : null,
  };
}

/** A connection known to be empty without asking iManage. */
export function emptyConnection<T>(request: ConnectionRequest): Connection<T> {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: request.resume.position > 0, startCursor: null, endCursor: null },
    totalCount: request.resume.position === 0 ? 0 : null,
  };
}
