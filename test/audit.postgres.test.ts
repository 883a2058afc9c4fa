import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CREATE, uniqueName } from './helpers/createSubfolder.js';
import { startStack, type Stack } from './helpers/stack.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, testSchemaName } from './store/helpers.js';

/**
 * The audit trail on PostgreSQL (migration 6's other half): the same rows as on SQLite, `target_ids`
 * a text[] and `at` a timestamptz a SIEM can read as they are, nothing secret in any column, and
 * retention with a moved clock. Outside CI a developer without PostgreSQL gets it skipped, by name.
 */

const available = await postgresAvailable();
const describePostgres = available ? describe : describe.skip;
if (!available) describe.skip(`PostgreSQL unreachable at ${POSTGRES_URL}: PostgreSQL audit tests skipped`, () => {});

const DAY_MS = 86_400_000;

describePostgres('the audit trail on PostgreSQL', () => {
  const schema = testSchemaName('audit');
  let offset = 0;
  let stack: Stack | undefined;
  const started = async () => (stack ??= await startStack({ env: { DATABASE_URL: POSTGRES_URL }, postgresSchema: schema, now: () => Date.now() + offset }));
  beforeEach(() => {
    offset = 0;
  });
  afterAll(async () => {
    await stack?.close();
    await dropSchema(schema);
  });

  async function rawRows(): Promise<Array<Record<string, unknown>>> {
    await stack!.services.audit.flush();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return (await client.query(`SELECT * FROM "${schema}".audit_events ORDER BY at, seq`)).rows;
    } finally {
      await client.end();
    }
  }

  it('a folder created and a disconnect: their rows as PostgreSQL holds them, with no token or name', async () => {
    const s = await started();
    const { emptyFolder } = s.sandbox.ids;
    const name = uniqueName('Audit Postgres confidential');
    const demo = (await s.services.store.connections.get('demo'))!;
    const res = await s.gql(CREATE, { input: { parentId: emptyFolder, name } });
    const folderId = res.body.data!.createSubfolder.folder.id;
    const second = (await s.services.store.connections.get('second'))!;
    await s.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'second' });

    const rows = await rawRows();
    expect(
      rows.map(({ app_user_id, kind, operation, target_ids, outcome, imanage_status, error_code }) => ({
        app_user_id,
        kind,
        operation,
        target_ids,
        outcome,
        imanage_status,
        error_code,
      })),
    ).toEqual([
      {
        app_user_id: 'demo',
        kind: 'graphql',
        operation: 'mutation Create { createSubfolder }',
        target_ids: [emptyFolder, folderId],
        outcome: 'ok',
        imanage_status: 201,
        error_code: null,
      },
      { app_user_id: 'second', kind: 'disconnect', operation: 'disconnect', target_ids: [], outcome: 'ok', imanage_status: 200, error_code: null },
    ]);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(rows[0]!.request_id).toBe(res.headers.get('x-request-id'));
    const text = JSON.stringify(rows);
    for (const secret of [name, demo.accessToken, demo.refreshToken!, second.accessToken, second.refreshToken!]) expect(text).not.toContain(secret);
    // The API reads them back alike.
    const listed = await s.services.audit.list({ appUserId: 'demo' });
    expect(listed.map((e) => e.targetIds)).toEqual([[emptyFolder, folderId]]);
  });

  it('purges rows past the retention and keeps the rest', async () => {
    const s = await started();
    await s.gql(CREATE, { input: { parentId: s.sandbox.ids.emptyFolder, name: uniqueName('Audit Postgres old') } });
    await s.services.audit.flush();
    const before = (await rawRows()).length;
    offset = 90 * DAY_MS + 60_000;
    await s.gql(CREATE, { input: { parentId: s.sandbox.ids.emptyFolder, name: uniqueName('Audit Postgres recent') } });
    await s.services.audit.flush();
    expect(await s.services.audit.purge()).toBe(before);
    const rows = await rawRows();
    expect(rows).toHaveLength(1);
    expect((rows[0]!.at as Date).getTime()).toBeGreaterThan(Date.now() + offset - 90 * DAY_MS);
  });
});
