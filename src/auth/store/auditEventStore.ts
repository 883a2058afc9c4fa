/** The audit trail's rows (migration 6): appended once, read by user and time, purged by age. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { checkId } from './common.js';
import type { AuditEventsTable, Database } from './database.js';
import type { AuditEvent, AuditEventFilter, AuditEventStore, AuditKind, AuditOutcome, NewAuditEvent } from './types.js';

const KINDS: ReadonlySet<string> = new Set<AuditKind>(['graphql', 'passthrough', 'connect', 'disconnect']);
const OUTCOMES: ReadonlySet<string> = new Set<AuditOutcome>(['ok', 'user_error', 'error', 'refused']);
/** What one `list` reads when the caller names no limit, and the most it may ask for. */
const DEFAULT_LIMIT = 1_000;
const MAX_LIMIT = 100_000;

export class SqlAuditEventStore implements AuditEventStore {
  constructor(
    private readonly database: Database,
    private readonly now: () => number,
  ) {}

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    checkEvent(event);
    const { db, codec } = this.database;
    const stored: AuditEvent = { ...event, targetIds: [...event.targetIds], id: randomUUID(), at: new Date(this.now()) };
    await db
      .insertInto('audit_events')
      .values({
        id: stored.id,
        at: codec.time(stored.at),
        app_user_id: stored.appUserId,
        customer_id: stored.customerId,
        imanage_user_id: stored.imanageUserId,
        kind: stored.kind,
        operation: stored.operation,
        // A list of text as each database keeps one: JSON in SQLite, text[] in PostgreSQL.
        target_ids: codec.scopes(stored.targetIds),
        outcome: stored.outcome,
        imanage_status: stored.imanageStatus,
        error_code: stored.errorCode,
        request_id: stored.requestId,
      })
      .execute();
    return stored;
  }

  async list(filter: AuditEventFilter): Promise<AuditEvent[]> {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RangeError(`Audit events: limit must be an integer from 1 to ${MAX_LIMIT}`);
    if (filter.appUserId !== undefined) checkId('appUserId', filter.appUserId);
    for (const [name, value] of [
      ['since', filter.since],
      ['until', filter.until],
    ] as const) {
      if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) throw new TypeError(`Audit events: ${name} must be a valid Date`);
    }
    const { db, codec, insertionOrder } = this.database;
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .$if(filter.appUserId !== undefined, (query) => query.where('app_user_id', '=', filter.appUserId!))
      .$if(filter.since !== undefined, (query) => query.where('at', '>=', codec.time(filter.since!)))
      .$if(filter.until !== undefined, (query) => query.where('at', '<', codec.time(filter.until!)))
      .orderBy('at')
      .orderBy(sql.ref(insertionOrder))
      .limit(limit)
      .execute();
    return rows.map((row) => this.event(row));
  }

  async purge(retentionMs: number): Promise<number> {
    if (!Number.isFinite(retentionMs) || retentionMs <= 0) throw new RangeError('Audit events: retentionMs must be a positive number');
    const { db, codec } = this.database;
    const result = await db
      .deleteFrom('audit_events')
      .where('at', '<', codec.time(this.now() - retentionMs))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private event(row: AuditEventsTable): AuditEvent {
    const { codec } = this.database;
    return {
      id: row.id,
      at: codec.date(row.at),
      appUserId: row.app_user_id,
      customerId: row.customer_id,
      imanageUserId: row.imanage_user_id,
      kind: row.kind as AuditKind,
      operation: row.operation,
      targetIds: readTextList(row.target_ids),
      outcome: row.outcome as AuditOutcome,
      imanageStatus: row.imanage_status === null ? null : Number(row.imanage_status),
      errorCode: row.error_code,
      requestId: row.request_id,
    };
  }
}

function readTextList(value: string | string[]): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed) || !parsed.every((s): s is string => typeof s === 'string')) throw new Error('Audit events: a row has malformed target ids');
  return parsed;
}

function checkEvent(event: NewAuditEvent): void {
  checkId('appUserId', event.appUserId);
  checkId('operation', event.operation);
  if (!KINDS.has(event.kind)) throw new TypeError('Audit events: unknown kind');
  if (!OUTCOMES.has(event.outcome)) throw new TypeError('Audit events: unknown outcome');
  if (!Array.isArray(event.targetIds) || !event.targetIds.every((id) => typeof id === 'string')) throw new TypeError('Audit events: targetIds must be strings');
  if (event.imanageStatus !== null && !(Number.isInteger(event.imanageStatus) && event.imanageStatus >= 100 && event.imanageStatus <= 599)) {
    throw new TypeError('Audit events: imanageStatus must be an HTTP status or null');
  }
}
