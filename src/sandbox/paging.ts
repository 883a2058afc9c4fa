/**
 * Paging as iManage documents it (reference §5.2):
 * - `limit` 1..9999, default 500; `offset` 0-based, past the end gives an empty page.
 * - `paging_mode=standard` (default) pages by offset and ignores `cursor`; `total=true` adds total_count.
 * - `paging_mode=standard_cursor` pages by an opaque cursor and ignores `offset` and `total`.
 *
 * The cursor is a keyset cursor (the sort key of the last item sent), signed with a per-instance
 * secret and bound to the listing it came from, so a tampered or foreign cursor is a 400 and an
 * item created between two pages does not shift the following page.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidParam } from './errors.js';

export const DEFAULT_LIMIT = 500;
export const MAX_LIMIT = 9999;

export interface Paging {
  mode: 'standard' | 'standard_cursor';
  limit: number;
  offset: number;
  total: boolean;
  descending: boolean;
  /** Sort key of the last item of the previous page (cursor mode). */
  afterKey?: string;
}

export interface Page<T> {
  items: T[];
  totalCount?: number;
  cursor?: string;
}

/** 'true'/'false' (any case), also 1/0; absent → undefined; anything else is a 400. */
export function parseBool(query: Record<string, string>, name: string): boolean | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalidParam(`Parameter '${name}' must be true or false.`);
}

function parseInteger(query: Record<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (!/^\s*\d{1,9}\s*$/.test(raw)) throw invalidParam(`Parameter '${name}' must be an integer between ${min} and ${max}.`);
  const n = Number(raw);
  if (n < min || n > max) throw invalidParam(`Parameter '${name}' must be an integer between ${min} and ${max}.`);
  return n;
}

export class CursorCodec {
  constructor(private readonly secret: Buffer) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }

  encode(scope: string, key: string): string {
    const payload = Buffer.from(JSON.stringify({ s: this.sign(`scope:${scope}`), k: key }), 'utf8').toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The sort key inside a cursor, or a 400 when it was altered or belongs to another listing. */
  decode(scope: string, cursor: string): string {
    const bad = invalidParam('The cursor is invalid; pass back the cursor value of the previous response unchanged.');
    const dot = cursor.indexOf('.');
    if (dot <= 0) throw bad;
    const payload = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1));
    const expected = Buffer.from(this.sign(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw bad;
    }
    const p = parsed as { s?: unknown; k?: unknown };
    if (typeof p.k !== 'string' || p.s !== this.sign(`scope:${scope}`)) {
      throw invalidParam('The cursor belongs to a different listing (other container, filters or user).');
    }
    return p.k;
  }
}

/**
 * Reads limit/offset/total/paging_mode/cursor/sort_order. `scope` names the listing (endpoint,
 * container, filters, caller), so a cursor is only accepted by the listing that issued it.
 * A `cursor` without `paging_mode` selects cursor mode (the continuation call then needs only it).
 */
export function parsePaging(query: Record<string, string>, scope: string, codec: CursorCodec): Paging {
  const limit = parseInteger(query, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  const offset = parseInteger(query, 'offset', 0, 999_999_999) ?? 0;
  const total = parseBool(query, 'total') ?? false;
  const modeRaw = query.paging_mode;
  if (modeRaw !== undefined && modeRaw !== 'standard' && modeRaw !== 'standard_cursor') {
    throw invalidParam("Parameter 'paging_mode' must be 'standard' or 'standard_cursor'.");
  }
  const mode = modeRaw ?? (query.cursor !== undefined ? 'standard_cursor' : 'standard');
  const order = query.sort_order?.toLowerCase();
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw invalidParam("Parameter 'sort_order' must be 'asc' or 'desc'.");
  }
  if (mode === 'standard') return { mode, limit, offset, total, descending: false };
  const descending = order === 'desc';
  const fullScope = `${scope}|${descending ? 'desc' : 'asc'}`;
  const afterKey = query.cursor !== undefined && query.cursor !== '' ? codec.decode(fullScope, query.cursor) : undefined;
  return { mode, limit, offset: 0, total: false, descending, afterKey };
}

/** One page of `sorted` (ascending by `keyOf`, keys unique). */
export function paginate<T>(sorted: readonly T[], keyOf: (item: T) => string, paging: Paging, scope: string, codec: CursorCodec): Page<T> {
  if (paging.mode === 'standard') {
    const items = sorted.slice(paging.offset, paging.offset + paging.limit);
    return paging.total ? { items, totalCount: sorted.length } : { items };
  }
  const ordered = paging.descending ? [...sorted].reverse() : sorted;
  let start = 0;
  if (paging.afterKey !== undefined) {
    const after = paging.afterKey;
    start = ordered.findIndex((item) => (paging.descending ? keyOf(item) < after : keyOf(item) > after));
    if (start < 0) start = ordered.length;
  }
  const items = ordered.slice(start, start + paging.limit);
  const more = start + items.length < ordered.length;
  const last = items[items.length - 1];
  if (!more || last === undefined) return { items };
  const fullScope = `${scope}|${paging.descending ? 'desc' : 'asc'}`;
  return { items, cursor: codec.encode(fullScope, keyOf(last)) };
}
