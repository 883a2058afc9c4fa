/**
 * What `npm run audit` (cli.ts) reads from its arguments and how it prints events: pure, so that
 * every option is tested without a process.
 */
import { parseArgs } from 'node:util';
import type { AuditEvent } from './trail.js';

export const USAGE =
  'usage: npm run audit -- [--user <app user id>] [--since <date|time|7d|12h>] [--until <date|time|7d|12h>] [--format jsonl|table] [--limit <1-100000>]';
const MAX_LIMIT = 100_000;

export class UsageError extends Error {}

export interface ReportOptions {
  user: string | undefined;
  since: Date | undefined;
  until: Date | undefined;
  format: 'jsonl' | 'table';
  limit: number;
}

export function parseReportOptions(argv: readonly string[], now: number = Date.now()): ReportOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        user: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string', default: 'jsonl' },
        limit: { type: 'string', default: '1000' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.format !== 'jsonl' && values.format !== 'table') throw new UsageError('--format must be jsonl or table');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
  if (values.user !== undefined && values.user.trim() === '') throw new UsageError('--user must not be empty');
  return {
    user: values.user,
    since: values.since === undefined ? undefined : when('--since', values.since, now),
    until: values.until === undefined ? undefined : when('--until', values.until, now),
    format: values.format,
    limit,
  };
}

/** An ISO date (midnight UTC) or time, or an age before now: `7d`, `12h`, `30m`. */
function when(name: string, text: string, now: number): Date {
  const age = /^(\d{1,6})([dhm])$/.exec(text);
  if (age) return new Date(now - Number(age[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as 'd' | 'h' | 'm']);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const date = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${name} must be an ISO date or time (2026-12-01, 2026-12-01T09:30:00Z) or an age (7d, 12h, 30m)`);
  return date;
}

/** One event as a JSON line: the row's columns, the time in ISO 8601. */
export function jsonLine(event: AuditEvent): string {
  return JSON.stringify({
    id: event.id,
    at: event.at.toISOString(),
    appUserId: event.appUserId,
    customerId: event.customerId,
    imanageUserId: event.imanageUserId,
    kind: event.kind,
    operation: event.operation,
    targetIds: event.targetIds,
    outcome: event.outcome,
    imanageStatus: event.imanageStatus,
    errorCode: event.errorCode,
    requestId: event.requestId,
  });
}

/** The events as an aligned text table with a header line. */
export function table(events: readonly AuditEvent[]): string {
  const header = ['at', 'app user', 'imanage', 'operation', 'targets', 'outcome', 'status', 'code', 'request id'];
  const rows = events.map((e) => [
    e.at.toISOString(),
    e.appUserId,
    e.customerId === null && e.imanageUserId === null ? '-' : `${e.customerId ?? '?'}/${e.imanageUserId ?? '?'}`,
    e.operation,
    e.targetIds.join(',') || '-',
    e.outcome,
    e.imanageStatus === null ? '-' : String(e.imanageStatus),
    e.errorCode ?? '-',
    e.requestId ?? '-',
  ]);
  // Control and format characters and line and paragraph separators never reach the terminal: an app
  // user id may hold any but the first (the token's `sub`), and a bidi override or a separator would
  // make a row read as something else.
  const clean = (cell: string) => cell.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
  const all = [header, ...rows].map((row) => row.map(clean));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
