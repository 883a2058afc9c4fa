import type { Logger } from 'pino';
import type { AuditEvent, AuditEventFilter, AuditEventStore, AuditOutcome, NewAuditEvent } from '../auth/store/types.js';

/**
 * The audit trail (issue 19): who did what in iManage. Every write that reached iManage (a GraphQL
 * mutation field that called iManage, a passthrough call with a non-read method, a connect, a
 * disconnect) becomes one row in the database: when, the app user, the iManage customer and user, the
 * operation, the iManage ids it named or made, the outcome, iManage's status, the error code, the
 * request id. Never a body, a name or a token: names (of matters, folders, documents) may themselves
 * be confidential, so only ids are kept.
 *
 * Recording never slows or fails the user's request: `record` starts the insert and returns. An insert
 * that fails is logged at error level and counted (`failedWrites`, the `audit_write_failures_total`
 * metric), and the answer goes out as it would have. `flush` (and `close`, on shutdown) waits for the
 * inserts still running, so a graceful stop loses none.
 */

export type { AuditEvent, AuditEventFilter, AuditKind, AuditOutcome } from '../auth/store/types.js';

/** What a caller records; the request id is taken from the request being served when not given. */
export type AuditEntry = Omit<NewAuditEvent, 'requestId'> & { requestId?: string | null | undefined };

/** Where the connect flow, connections and the GraphQL layer record to. */
export interface AuditRecorder {
  /** Records in the background: never throws, never waits. */
  record(entry: AuditEntry): void;
}

/**
 * A passthrough call (`ANY /imanage/{path}`) as its route reports it once iManage has answered (or
 * failed to). Only non-read methods are recorded.
 */
export interface PassthroughWrite {
  appUserId: string;
  /** The caller's connection's iManage identity. */
  customerId: string | null;
  imanageUserId: string | null;
  method: string;
  /**
   * The path as a template, e.g. `/work/api/v2/customers/{customerId}/libraries/{lib}/folders/{id}/subfolders`:
   * never the path as sent (a segment may be a name). Anything from `?` or `#` on is dropped.
   */
  pathTemplate: string;
  /** iManage ids the call names (from the path) or made (from the answer). */
  targetIds?: readonly string[] | undefined;
  /** iManage's status, or null when none came back. */
  imanageStatus: number | null;
  /** The error code the caller was answered with, if any. */
  errorCode?: string | null | undefined;
  /** By default: `ok` below 400, `user_error` for a 4xx other than 408 and 429, else `error`. */
  outcome?: AuditOutcome | undefined;
  requestId?: string | null | undefined;
}

/** Methods that only read: a passthrough call with one of them is not recorded. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const DAY_MS = 86_400_000;
/** How often old rows are purged (and once at start). */
export const AUDIT_PURGE_EVERY_MS = 3_600_000;
/** Bounds on what one row holds, so that no caller can make a row large. */
const MAX_TARGET_IDS = 20;
const MAX_ID_LENGTH = 255;
const MAX_OPERATION_LENGTH = 500;
const MAX_CODE_LENGTH = 64;

export interface AuditTrailOptions {
  store: AuditEventStore;
  logger: Logger;
  /** `AUDIT_RETENTION_DAYS`: rows older than this are purged; null keeps them forever. */
  retentionDays: number | null;
  /** The id of the request being served, if any (the router's `x-request-id`). */
  currentRequestId?: () => string | null | undefined;
}

export class AuditTrail implements AuditRecorder {
  private readonly pending = new Set<Promise<void>>();
  private failures = 0;
  private purger: NodeJS.Timeout | null = null;

  constructor(private readonly options: AuditTrailOptions) {}

  record(entry: AuditEntry): void {
    let event: NewAuditEvent;
    try {
      event = this.bounded(entry);
    } catch (error) {
      this.failed(error, entry);
      return;
    }
    const write: Promise<void> = this.options.store
      .append(event)
      .then(
        () => undefined,
        (error: unknown) => this.failed(error, entry),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /**
   * For the passthrough route: records a call with a non-read method and answers true; a read
   * (GET, HEAD, OPTIONS) is not recorded and answers false.
   */
  recordPassthrough(call: PassthroughWrite): boolean {
    const method = call.method.toUpperCase();
    if (READ_METHODS.has(method)) return false;
    const path = call.pathTemplate.split(/[?#]/, 1)[0]!;
    this.record({
      appUserId: call.appUserId,
      customerId: call.customerId,
      imanageUserId: call.imanageUserId,
      kind: 'passthrough',
      operation: `${method} ${path}`,
      targetIds: [...(call.targetIds ?? [])],
      outcome: call.outcome ?? outcomeOfStatus(call.imanageStatus),
      imanageStatus: call.imanageStatus,
      errorCode: call.errorCode ?? null,
      requestId: call.requestId,
    });
    return true;
  }

  list(filter: AuditEventFilter): Promise<AuditEvent[]> {
    return this.options.store.list(filter);
  }

  /** Deletes rows older than the retention; answers how many (0 when rows are kept forever). */
  async purge(): Promise<number> {
    const { retentionDays } = this.options;
    if (retentionDays === null) return 0;
    return this.options.store.purge(retentionDays * DAY_MS);
  }

  /**
   * Purges now and then every `AUDIT_PURGE_EVERY_MS` until `close`; a failed pass is logged, the next
   * tries again. Answers the first pass's count (0 when it failed, or rows are kept forever); start-up
   * need not wait for it.
   */
  startPurging(): Promise<number> {
    if (this.purger || this.options.retentionDays === null) return Promise.resolve(0);
    const pass = () =>
      this.purge().then(
        (deleted) => {
          if (deleted > 0) this.options.logger.info({ deleted, retentionDays: this.options.retentionDays }, 'audit events past their retention purged');
          return deleted;
        },
        (error: unknown) => {
          this.options.logger.warn({ err: { message: (error as Error).message } }, 'purging old audit events failed');
          return 0;
        },
      );
    this.purger = setInterval(() => void pass(), AUDIT_PURGE_EVERY_MS);
    this.purger.unref();
    return pass();
  }

  /** Inserts that failed since start (each logged at error level). */
  failedWrites(): number {
    return this.failures;
  }

  /** Resolves once every insert started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops purging and waits for the inserts still running: call before closing the store. */
  async close(): Promise<void> {
    if (this.purger) clearInterval(this.purger);
    this.purger = null;
    await this.flush();
  }

  /** The event as stored: sizes bounded, the request id filled in. */
  private bounded(entry: AuditEntry): NewAuditEvent {
    const requestId = entry.requestId === undefined ? (this.options.currentRequestId?.() ?? null) : entry.requestId;
    const ids = [...new Set(entry.targetIds)].filter((id) => typeof id === 'string' && id !== '' && id.length <= MAX_ID_LENGTH);
    return {
      ...entry,
      operation: entry.operation.slice(0, MAX_OPERATION_LENGTH),
      targetIds: ids.slice(0, MAX_TARGET_IDS),
      errorCode: entry.errorCode === null ? null : entry.errorCode.slice(0, MAX_CODE_LENGTH),
      requestId: requestId ?? null,
    };
  }

  /** What was lost, without anything the row would have held beyond its kind and operation. */
  private failed(error: unknown, entry: AuditEntry): void {
    this.failures += 1;
    this.options.logger.error(
      { err: { message: (error as Error)?.message }, kind: entry.kind, operation: entry.operation, appUserId: entry.appUserId },
      'audit event could not be written',
    );
  }
}

/** A passthrough call's outcome from iManage's status. */
export function outcomeOfStatus(status: number | null): AuditOutcome {
  if (status === null) return 'error';
  if (status < 400) return 'ok';
  return status < 500 && status !== 408 && status !== 429 ? 'user_error' : 'error';
}
