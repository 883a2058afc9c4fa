/**
 * `npm run audit -- [--user <app user>] [--since <when>] [--until <when>] [--format jsonl|table] [--limit <n>]`:
 * prints the audit trail from the database `DATABASE_URL` names (the service's default file when
 * unset), oldest first. `<when>` is an ISO date or time (`2026-12-01`, `2026-12-01T09:30:00Z`; a date
 * alone is midnight UTC) or an age (`7d`, `12h`). JSON lines by default, one event per line, for a log
 * shipper; `table` for a person. Exit 0 on success, 2 on a usage error, 1 when the database cannot be read.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTokenStore, DEFAULT_DATABASE_URL, parseDatabaseUrl, StoreStartupError, TokenCipher } from '../auth/store/index.js';
import type { AuditEvent } from './trail.js';

const USAGE =
  'usage: npm run audit -- [--user <app user id>] [--since <date|time|7d|12h>] [--until <date|time|7d|12h>] [--format jsonl|table] [--limit <1-100000>]';
const MAX_LIMIT = 100_000;

class UsageError extends Error {}

interface Options {
  user: string | undefined;
  since: Date | undefined;
  until: Date | undefined;
  format: 'jsonl' | 'table';
  limit: number;
}

function parseOptions(argv: readonly string[], now: number = Date.now()): Options {
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
function jsonLine(event: AuditEvent): string {
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
function table(events: readonly AuditEvent[]): string {
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
  // Control characters (a crafted operation name cannot hold one, but an app user id could) never reach the terminal.
  const clean = (cell: string) => cell.replace(/\p{Cc}/gu, '?');
  const all = [header, ...rows].map((row) => row.map(clean));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const target = parseDatabaseUrl(databaseUrl);
  // Reading must not leave an empty database behind where there was none.
  if (target.kind === 'sqlite' && (target.filename === ':memory:' || !existsSync(target.filename))) {
    process.stderr.write(`DATABASE_URL: there is no database at ${target.filename} (sandbox mode keeps its database in memory: nothing to read).\n`);
    return 1;
  }
  // The audit rows hold no secret: this cipher is never used, so a throwaway key does.
  const store = await createTokenStore(databaseUrl, new TokenCipher([{ id: 'audit-cli', key: randomBytes(32) }]));
  try {
    const events = await store.auditEvents.list({ appUserId: options.user, since: options.since, until: options.until, limit: options.limit });
    const text = options.format === 'table' ? table(events) : events.map((e) => `${jsonLine(e)}\n`).join('');
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return 0;
  } finally {
    await store.close();
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof StoreStartupError ? error.message : `audit failed: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
