import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../src/audit/report.js';
import { CREATE, uniqueName } from './helpers/createSubfolder.js';
import { startStack } from './helpers/stack.js';
import { createTokenStore } from '../src/auth/store/index.js';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { dropSchema, POSTGRES_URL, postgresAvailable, testCipher, KEY_A, testSchemaName } from './store/helpers.js';

/**
 * `npm run audit` as an operator runs it, against the SQLite file a server wrote: JSON lines by
 * default, a table on request, filtered by user and time; a usage error or a missing database said
 * in one line, with its exit code. Each run is its own process, ended before the test ends.
 */

const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
const file = join(dir, 'service.sqlite');
const today = new Date().toISOString().slice(0, 10);
let folderName = '';
let demoRows = 0;

beforeAll(async () => {
  const stack = await startStack({ env: { DATABASE_URL: file } });
  try {
    folderName = uniqueName('CLI confidential');
    await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: folderName } });
    await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.readOnlyFolder, name: uniqueName('CLI refused') } });
    await stack.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'second' });
    demoRows = (await stack.services.audit.flush().then(() => stack.services.audit.list({ appUserId: 'demo' }))).length;
  } finally {
    await stack.close();
  }
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (npm's script, or tsx straight) with DATABASE_URL set. */
function run(args: string[], options: { databaseUrl?: string; viaNpm?: boolean } = {}): Promise<Run> {
  const [command, argv] = options.viaNpm
    ? ['npm', ['run', '--silent', 'audit', '--', ...args]]
    : [join('node_modules', '.bin', 'tsx'), ['src/audit/cli.ts', ...args]];
  return new Promise((resolve) => {
    execFile(command, argv, { env: { ...process.env, DATABASE_URL: options.databaseUrl ?? file }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('npm run audit', () => {
  it('prints one JSON line per event of the user since a date, oldest first, with no name in them', async () => {
    const result = await run(['--user', 'demo', '--since', today], { viaNpm: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(demoRows).toBe(2);
    expect(lines).toHaveLength(demoRows);
    expect(lines.map((l) => [l.appUserId, l.kind, l.operation, l.outcome, l.imanageStatus, l.errorCode])).toEqual([
      ['demo', 'graphql', 'mutation Create { createSubfolder }', 'ok', 201, null],
      ['demo', 'graphql', 'mutation Create { createSubfolder }', 'user_error', 403, 'FORBIDDEN'],
    ]);
    expect(Object.keys(lines[0]).sort()).toEqual(
      ['at', 'appUserId', 'customerId', 'errorCode', 'id', 'imanageStatus', 'imanageUserId', 'kind', 'operation', 'outcome', 'requestId', 'targetIds'].sort(),
    );
    expect(Date.parse(lines[0].at)).toBeLessThanOrEqual(Date.parse(lines[1].at));
    expect(result.stdout).not.toContain(folderName);
  });

  it('a table of every user, up to a limit it says it reached, and a window that holds nothing', async () => {
    const [tableRun, empty] = await Promise.all([
      run(['--format', 'table', '--since', '1h', '--limit', '3']),
      run(['--until', '2000-01-01T00:00:00Z', '--limit', '5']),
    ]);
    expect(tableRun.code).toBe(0);
    // As many rows as the limit: maybe more follow, and stderr says where to go on from.
    expect(tableRun.stderr).toMatch(/^printed --limit 3 events; more may follow: read them with --since \S+Z\n$/);
    const lines = tableRun.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^at\s+app user\s+imanage\s+operation\s+targets\s+outcome\s+status\s+code\s+request id$/);
    expect(lines).toHaveLength(1 + 3);
    expect(lines[3]).toMatch(/^\S+Z\s+second\s+\d+\/\S+\s+disconnect\s+-\s+ok\s+200\s+-\s+\S+$/);
    expect(empty).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a table never prints a format or line separator character: an app user id with them, written by the server', async () => {
    // A bidi override (it reverses what follows on a terminal), a zero-width space, a line and a
    // paragraph separator: none is a control character, and an app token's `sub` may hold them.
    const user = 'mallory\u202Eresu\u200Bx\u2028forged line\u2029y';
    const own = join(dir, 'separators.sqlite');
    const stack = await startStack({ env: { DATABASE_URL: own }, connect: [{ appUser: user, sandboxUser: 'demo' }] });
    try {
      const res = await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('CLI separators') } }, { user });
      expect(res.body.data!.createSubfolder.folder).not.toBeNull();
      await stack.services.audit.flush();
    } finally {
      await stack.close();
    }
    const result = await run(['--format', 'table'], { databaseUrl: own });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\S+Z\s+mallory\?resu\?x\?forged line\?y\s+\d+\/\S+\s+mutation Create \{ createSubfolder \}\s/);
    expect(result.stdout).not.toMatch(/[\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('refuses what it cannot read: a bad argument (2), no database (1, and none is created)', async () => {
    const missing = join(dir, 'nowhere.sqlite');
    const [badSince, noDatabase] = await Promise.all([run(['--since', 'yesterday']), run(['--user', 'demo'], { databaseUrl: missing })]);
    expect(badSince.code).toBe(2);
    expect(badSince.stdout).toBe('');
    expect(badSince.stderr).toBe(`--since must be an ISO date or time (2026-12-01, 2026-12-01T09:30:00Z) or an age (7d, 12h, 30m)\n${USAGE}\n`);
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.stderr).toBe(`DATABASE_URL: there is no database at ${missing} (sandbox mode keeps its database in memory: nothing to read).\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it('only reads: the database file is the same bytes after a run, and one the service never migrated is refused as it is', async () => {
    const digest = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = { digest: digest(), mtimeMs: statSync(file).mtimeMs };
    expect((await run(['--user', 'demo'])).code).toBe(0);
    expect({ digest: digest(), mtimeMs: statSync(file).mtimeMs }).toEqual(before);

    const bare = join(dir, 'bare.sqlite');
    new BetterSqlite3(bare).close();
    const refused = await run([], { databaseUrl: bare });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'DATABASE_URL: the database has no audit trail yet (schema version 0, the trail comes with 6): start the service on it once to migrate it.\n',
    );
    const tables = new BetterSqlite3(bare, { readonly: true });
    try {
      expect(tables.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
    } finally {
      tables.close();
    }
  });
});

const pgAvailable = await postgresAvailable();
describe.skipIf(!pgAvailable)('npm run audit on PostgreSQL, as a role that may only read', () => {
  const schema = testSchemaName('audit_cli');
  const role = `audit_reader_${process.pid}`;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    const store = await createTokenStore(POSTGRES_URL, testCipher(KEY_A), { postgresSchema: schema });
    try {
      await store.auditEvents.append({
        appUserId: 'reader-test',
        customerId: '1',
        imanageUserId: 'U',
        kind: 'graphql',
        operation: 'mutation { createSubfolder }',
        targetIds: ['LIB!1'],
        outcome: 'ok',
        imanageStatus: 201,
        errorCode: null,
        requestId: null,
      });
    } finally {
      await store.close();
    }
    await admin(async (client) => {
      await client.query(`DROP ROLE IF EXISTS ${role}`);
      await client.query(`CREATE ROLE ${role} LOGIN`);
      await client.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
      await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
      await client.query(`ALTER ROLE ${role} SET search_path = "${schema}"`);
    });
  }, 30_000);
  afterAll(async () => {
    await dropSchema(schema);
    await admin((client) => client.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('prints the rows, creating and migrating nothing', async () => {
    const url = new URL(POSTGRES_URL);
    url.username = role;
    const result = await run(['--user', 'reader-test'], { databaseUrl: url.toString() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ appUserId: 'reader-test', kind: 'graphql', targetIds: ['LIB!1'], outcome: 'ok' });
  });
});
