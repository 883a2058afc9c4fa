import type { Page } from '../imanage/records.js';
import { badInput } from './errors.js';

/**
 * Relay connections over iManage's offset paging. A cursor is the opaque, versioned encoding of one
 * item's position in its list, so `after` may be the cursor of any edge, not only the last.
 */

const CURSOR_PREFIX = 'o1:';
const MAX_OFFSET = 1_000_000;

export function encodeCursor(position: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`, 'utf8').toString('base64url');
}

/** The position a cursor names, or a BAD_USER_INPUT error for anything this service did not issue. */
export function decodeCursor(cursor: string): number {
  const invalid = () => badInput('`after` is not a cursor this API issued. Use the cursor of an edge from an earlier page.', 'after');
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) throw invalid();
  const digits = text.slice(CURSOR_PREFIX.length);
  if (!/^(0|[1-9][0-9]{0,6})$/.test(digits)) throw invalid();
  const position = Number(digits);
  if (position > MAX_OFFSET) throw invalid();
  return position;
}

export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export interface PageLimits {
  maxPageSize: number;
  defaultPageSize: number;
}

/** Checks `first` and `after` and turns them into iManage's offset and limit. */
export function pageRequest(args: PageArgs, limits: PageLimits): { offset: number; limit: number } {
  const first = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(first) || first < 1 || first > limits.maxPageSize) {
    throw badInput(`\`first\` must be an integer from 1 to ${limits.maxPageSize}.`, 'first');
  }
  const offset = args.after == null ? 0 : decodeCursor(args.after) + 1;
  return { offset, limit: first };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

export function toConnection<T>(page: Page<T>, offset: number): Connection<T> {
  const edges = page.items.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasMore,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: page.totalCount,
  };
}

export function emptyConnection<T>(offset: number): Connection<T> {
  return toConnection({ items: [], totalCount: offset === 0 ? 0 : null, hasMore: false }, offset);
}
