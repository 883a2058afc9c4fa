/**
 * `npm run audit -- [--user <app user>] [--since <when>] [--until <when>] [--format jsonl|table] [--limit <n>]`:
 * prints the audit trail from the database `DATABASE_URL` names (the service's default file when
 * unset), oldest first. `<when>` is an ISO date or time (`2026-12-01`, `2026-12-01T09:30:00Z`; a date
 * alone is midnight UTC) or an age (`7d`, `12h`). JSON lines by default, one event per line, for a log
 * shipper; `table` for a person. Exit 0 on success, 2 on a usage error, 1 when the database cannot be read.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_DATABASE_URL, openAuditReader, parseDatabaseUrl, StoreStartupError } from '../auth/store/index.js';
import { jsonLine, parseReportOptions, table, USAGE, UsageError, type ReportOptions } from './report.js';

async function main(argv: readonly string[]): Promise<number> {
  let options: ReportOptions;
  try {
    options = parseReportOptions(argv);
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
  // Read only: nothing is created or migrated, so a role that may only read will do.
  const store = await openAuditReader(databaseUrl);
  try {
    const events = await store.auditEvents.list({ appUserId: options.user, since: options.since, until: options.until, limit: options.limit });
    // Rows past the limit are not printed: say so, where a pipe to a shipper does not read it.
    if (events.length === options.limit) {
      process.stderr.write(`printed --limit ${options.limit} events; more may follow: read them with --since ${events.at(-1)!.at.toISOString()}\n`);
    }
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
