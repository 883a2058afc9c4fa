import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../src/audit/trail.js';
import { AuditTrail } from '../src/audit/trail.js';
import { DEFAULT_PROXY_ALLOW } from '../src/http/passthroughPolicy.js';
import { createLogger } from '../src/logger.js';
import { get, submitLogin } from './helpers/browser.js';
import { childrenInSandbox, CREATE, uniqueName } from './helpers/createSubfolder.js';
import { ADD_VERSION, sendMultipart, UPLOAD_DOCUMENT } from './helpers/multipart.js';
import { codes, useStack, type GraphQLResponse } from './helpers/stack.js';

/**
 * The audit trail over HTTP against the sandbox (issue 19): a row for every write that reached
 * iManage (createSubfolder, the connect flow's callback and confirmation, disconnect), none for what
 * did not, nothing secret in any column; retention with a moved clock; a failed write that changes
 * nothing for the caller. The stack's database is a SQLite file, so that its rows can be read raw.
 */

const dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
const file = join(dir, 'audit.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY_MS = 86_400_000;
let offset = 0;
const SUBFOLDER_RULE = 'POST /work/api/v2/customers/{customerId}/libraries/*/folders/*/subfolders';
const stack = useStack({ env: { DATABASE_URL: file, IMANAGE_PROXY_ALLOW: `${DEFAULT_PROXY_ALLOW},${SUBFOLDER_RULE}` }, now: () => Date.now() + offset });
beforeEach(() => {
  offset = 0;
});

const SUBFOLDERS = /\/folders\/[^/]+\/subfolders$/;

/** Every event so far, once the writes in flight have landed. */
async function events(): Promise<AuditEvent[]> {
  await stack.services.audit.flush();
  return stack.services.audit.list({ limit: 100_000 });
}

/** The events written while `action` ran. */
async function recorded(action: () => Promise<unknown>): Promise<AuditEvent[]> {
  const before = new Set((await events()).map((e) => e.id));
  await action();
  return (await events()).filter((e) => !before.has(e.id));
}

/** The rows as SQLite holds them, every column, read beside the service's own connection. */
function rawRows(): Array<Record<string, unknown>> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM audit_events').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

const requestIdOf = (res: GraphQLResponse) => res.headers.get('x-request-id');
const demoIdentity = () => ({ customerId: String(stack.sandbox.ids.customerId), imanageUserId: stack.sandbox.users.demo!.id });

describe('createSubfolder', () => {
  it('iManage creates the folder: one row with the parent, the new folder and 201', async () => {
    const { emptyFolder } = stack.sandbox.ids;
    let res!: GraphQLResponse;
    const added = await recorded(async () => {
      res = await stack.gql(CREATE, { input: { parentId: emptyFolder, name: uniqueName('Audit created') } });
    });
    const folderId = res.body.data!.createSubfolder.folder.id;
    expect(folderId).toMatch(/^ACTIVE_US!\d+$/);
    expect(added).toEqual([
      {
        id: expect.any(String),
        at: expect.any(Date),
        appUserId: 'demo',
        ...demoIdentity(),
        kind: 'graphql',
        operation: 'mutation Create { createSubfolder }',
        targetIds: [emptyFolder, folderId],
        outcome: 'ok',
        imanageStatus: 201,
        errorCode: null,
        requestId: requestIdOf(res),
      },
    ]);
  });

  it('bad input answered in userErrors reaches nothing and records nothing', async () => {
    const added = await recorded(async () => {
      const res = await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: '   ' } });
      expect(res.body.data!.createSubfolder.userErrors[0].field).toEqual(['input', 'name']);
    });
    expect(stack.apiCalls()).toBe(0);
    expect(added).toEqual([]);
  });

  it('iManage refusing the create: user_error with its status and the userError code', async () => {
    const { readOnlyFolder } = stack.sandbox.ids;
    const added = await recorded(async () => {
      const res = await stack.gql(CREATE, { input: { parentId: readOnlyFolder, name: uniqueName('Audit refused') } });
      expect(res.body.data!.createSubfolder.userErrors[0].code).toBe('FORBIDDEN');
    });
    expect(added).toMatchObject([{ kind: 'graphql', targetIds: [readOnlyFolder], outcome: 'user_error', imanageStatus: 403, errorCode: 'FORBIDDEN' }]);
  });

  it('iManage failing the create (503): an error row with 503 and the code the caller got', async () => {
    const { emptyFolder } = stack.sandbox.ids;
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'status', status: 503 } });
    let res!: GraphQLResponse;
    const added = await recorded(async () => {
      res = await stack.gql(CREATE, { input: { parentId: emptyFolder, name: uniqueName('Audit failed') } });
    });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(added).toMatchObject([
      { targetIds: [emptyFolder], outcome: 'error', imanageStatus: 503, errorCode: 'UPSTREAM_UNAVAILABLE', requestId: requestIdOf(res) },
    ]);
  });

  it('a replay of an idempotency key, answered from its record, calls iManage for nothing and adds no row', async () => {
    const input = { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Audit replayed'), idempotencyKey: randomUUID() };
    const first = await recorded(() => stack.gql(CREATE, { input }));
    expect(first).toHaveLength(1);
    stack.resetCounts();
    const again = await recorded(async () => {
      const res = await stack.gql(`mutation Again($input: CreateSubfolderInput!) { createSubfolder(input: $input) { replayed folder { id } } }`, { input });
      expect(res.body.data!.createSubfolder.replayed).toBe(true);
    });
    expect(stack.apiCalls()).toBe(0);
    expect(again).toEqual([]);
  });

  it('an upload and a new version, each replayed: the first call has a row, the replay none (it looked its target up, and sent nothing)', async () => {
    const send = async (operations: { query: string; variables: { input: Record<string, unknown> } }) => {
      const res = await sendMultipart({
        url: stack.url,
        token: await stack.token(),
        operations,
        map: { 0: ['variables.input.file'] },
        files: [{ part: '0', fileName: 'memo.txt', mimeType: 'text/plain', body: Buffer.from('hello audit') }],
      });
      return JSON.parse(await res.body.text()) as { data: Record<string, { replayed: boolean; document: { id: string } | null }> };
    };
    const { emptyFolder, textDocument } = stack.sandbox.ids;
    /** A document filed, or a version. */
    const FILED = /\/folders\/[^/]+\/documents$|\/documents\/[^/]+\/versions$/;
    const upload = {
      query: UPLOAD_DOCUMENT,
      variables: { input: { folderId: emptyFolder, file: null, name: uniqueName('Audit upload'), idempotencyKey: randomUUID() } },
    };
    const version = {
      query: ADD_VERSION.replace('userErrors {', 'replayed userErrors {'),
      variables: { input: { documentId: textDocument, file: null, idempotencyKey: randomUUID() } },
    };
    for (const [field, operations, target] of [
      ['uploadDocument', upload, emptyFolder],
      ['addDocumentVersion', version, textDocument],
    ] as const) {
      stack.resetCounts();
      const first = await recorded(async () => expect((await send(operations)).data[field]!.replayed).toBe(false));
      expect(stack.apiCalls({ method: 'POST', path: FILED })).toBe(1);
      expect(first).toMatchObject([{ operation: `mutation ${field === 'uploadDocument' ? 'Upload' : 'AddVersion'} { ${field} }`, outcome: 'ok' }]);
      expect(first[0]!.targetIds[0]).toBe(target);
      stack.resetCounts();
      const again = await recorded(async () => expect((await send(operations)).data[field]!.replayed).toBe(true));
      // The replay read its target again (before its key was claimed), and sent nothing.
      expect(stack.apiCalls()).toBeGreaterThan(0);
      expect(stack.apiCalls({ method: 'POST', path: FILED })).toBe(0);
      expect(again).toEqual([]);
    }
  });

  it('two creates in one operation: a row each, with its own status', async () => {
    const { emptyFolder, readOnlyFolder } = stack.sandbox.ids;
    const added = await recorded(async () => {
      const res = await stack.gql(
        `mutation Two($a: CreateSubfolderInput!, $b: CreateSubfolderInput!) {
          a: createSubfolder(input: $a) { folder { id } userErrors { code } }
          b: createSubfolder(input: $b) { folder { id } userErrors { code } }
        }`,
        { a: { parentId: emptyFolder, name: uniqueName('Audit first') }, b: { parentId: readOnlyFolder, name: uniqueName('Audit second') } },
      );
      expect(res.body.data!.b.userErrors[0].code).toBe('FORBIDDEN');
    });
    expect(added.map((e) => [e.operation, e.targetIds[0], e.outcome, e.imanageStatus])).toEqual([
      ['mutation Two { createSubfolder }', emptyFolder, 'ok', 201],
      ['mutation Two { createSubfolder }', readOnlyFolder, 'user_error', 403],
    ]);
  });

  it('a mutation that never calls iManage (startIManageConnection) records nothing', async () => {
    const added = await recorded(async () => {
      const res = await stack.gql(`mutation { startIManageConnection(returnTo: "${stack.url}/app") { url } }`);
      expect(res.body.errors).toBeUndefined();
    });
    expect(added).toEqual([]);
  });
});

/** Steps 1 to 3 of the connect flow for `user`, signing in at iManage as `sandboxUser`; the link id, or the whole return URL. */
async function throughIManage(user: string, sandboxUser: string, options: { keepCookie?: boolean } = {}) {
  const start = await stack.gql(`mutation($r: String!) { startIManageConnection(returnTo: $r) { url } }`, { r: `${stack.url}/app` }, { user });
  const ticket = await get(start.body.data!.startIManageConnection.url);
  const login = await submitLogin(ticket.location!, stack.sandbox.users[sandboxUser]!.id, stack.sandbox.users[sandboxUser]!.password);
  const back = await get(login.location!, options.keepCookie === false ? null : ticket.cookie);
  const location = new URL(back.location!);
  return { link: location.searchParams.get('link'), reason: location.searchParams.get('reason'), state: new URL(ticket.location!).searchParams.get('state')! };
}

const CONFIRM = `mutation Confirm($link: String!) { confirmIManageConnection(link: $link) { imanage { status } } }`;

describe('connecting and disconnecting', () => {
  it('the callback and the confirmation: a row each, with the iManage account linked', async () => {
    const second = { customerId: String(stack.sandbox.ids.customerId), imanageUserId: stack.sandbox.users.second!.id };
    let link: string | null = null;
    const callback = await recorded(async () => {
      ({ link } = await throughIManage('audit-alice', 'second'));
    });
    expect(callback).toMatchObject([{ appUserId: 'audit-alice', ...second, kind: 'connect', operation: 'connect callback', outcome: 'ok', errorCode: null }]);
    expect(callback[0]!.requestId).toEqual(expect.any(String));
    let res!: GraphQLResponse;
    const confirm = await recorded(async () => {
      res = await stack.gql(CONFIRM, { link }, { user: 'audit-alice' });
      expect(res.body.data!.confirmIManageConnection.imanage.status).toBe('CONNECTED');
    });
    expect(confirm).toEqual([
      {
        id: expect.any(String),
        at: expect.any(Date),
        appUserId: 'audit-alice',
        ...second,
        kind: 'connect',
        operation: 'connect',
        targetIds: [],
        outcome: 'ok',
        imanageStatus: null,
        errorCode: null,
        requestId: requestIdOf(res),
      },
    ]);
  });

  it('a link confirmed by another app user: refused, FORBIDDEN, under the caller, with the revocation status', async () => {
    const { link } = await throughIManage('audit-mallory', 'second');
    const added = await recorded(async () => {
      expect(codes(await stack.gql(CONFIRM, { link }, { user: 'audit-victim' }))).toEqual(['FORBIDDEN']);
    });
    expect(added).toMatchObject([
      {
        appUserId: 'audit-victim',
        imanageUserId: stack.sandbox.users.second!.id,
        operation: 'connect',
        outcome: 'refused',
        imanageStatus: 200,
        errorCode: 'FORBIDDEN',
      },
    ]);
  });

  it('an unknown link reaches nothing and records nothing', async () => {
    const added = await recorded(async () => {
      expect(codes(await stack.gql(CONFIRM, { link: 'A'.repeat(43) }, { user: 'audit-victim' }))).toEqual(['BAD_USER_INPUT']);
    });
    expect(added).toEqual([]);
  });

  it('a callback in a browser the flow did not start in: refused, state_mismatch', async () => {
    let reason: string | null = null;
    const added = await recorded(async () => {
      ({ reason } = await throughIManage('audit-carol', 'second', { keepCookie: false }));
    });
    expect(reason).toBe('state_mismatch');
    expect(added).toMatchObject([
      { appUserId: 'audit-carol', customerId: null, imanageUserId: null, operation: 'connect callback', outcome: 'refused', errorCode: 'state_mismatch' },
    ]);
  });

  it('disconnect: one row with the connection it removed and iManage revoking its token; disconnecting again records nothing', async () => {
    await stack.connectUser('audit-dave', 'paralegal');
    let res!: GraphQLResponse;
    const added = await recorded(async () => {
      res = await stack.gql(`mutation Off { disconnectIManage { imanage { status } } }`, {}, { user: 'audit-dave' });
    });
    expect(added).toEqual([
      {
        id: expect.any(String),
        at: expect.any(Date),
        appUserId: 'audit-dave',
        customerId: String(stack.sandbox.ids.customerId),
        imanageUserId: stack.sandbox.users.paralegal!.id,
        kind: 'disconnect',
        operation: 'disconnect',
        targetIds: [],
        outcome: 'ok',
        imanageStatus: 200,
        errorCode: null,
        requestId: requestIdOf(res),
      },
    ]);
    const again = await recorded(() => stack.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'audit-dave' }));
    expect(again).toEqual([]);
  });
});

describe('what a row never holds', () => {
  it('no token, name, description, key, link or state in any column of any row', async () => {
    const secrets: string[] = [];
    const demo = (await stack.services.store.connections.get('demo'))!;
    secrets.push(demo.accessToken, demo.refreshToken!);
    const appToken = await stack.token('demo');
    secrets.push(appToken);
    const name = uniqueName('Project Nightingale acquisition');
    const description = `confidential-${randomUUID()}`;
    const idempotencyKey = randomUUID();
    secrets.push(name, description, idempotencyKey);
    const created = await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name, description, idempotencyKey } }, { token: appToken });
    expect(created.body.data!.createSubfolder.folder.name).toBe(name);
    // A refusal's row too: iManage's answer is never kept.
    await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.readOnlyFolder, name, description } }, { token: appToken });
    const { link, state } = await throughIManage('audit-erin', 'second');
    secrets.push(link!, state);
    await stack.gql(CONFIRM, { link }, { user: 'audit-erin' });
    const erin = (await stack.services.store.connections.get('audit-erin'))!;
    secrets.push(erin.accessToken, erin.refreshToken!);
    await stack.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'audit-erin' });
    await stack.services.audit.flush();

    const rows = rawRows();
    expect(rows.filter((row) => row.app_user_id === 'audit-erin').map((row) => row.operation)).toEqual(['connect callback', 'connect', 'disconnect']);
    const text = JSON.stringify(rows);
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nor in the log lines written about them.
    const logs = stack.logs.join('');
    for (const secret of [demo.accessToken, erin.accessToken, appToken, link!]) expect(logs).not.toContain(secret);
  });
});

describe('retention', () => {
  it('rows older than AUDIT_RETENTION_DAYS go, newer ones stay (the clock moved, not slept)', async () => {
    expect(stack.config.auditRetentionDays).toBe(90);
    const old = await recorded(() => stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Audit old') } }));
    offset = 90 * DAY_MS + 60_000;
    const recent = await recorded(() => stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Audit recent') } }));
    expect(old).toHaveLength(1);
    expect(recent).toHaveLength(1);
    const deleted = await stack.services.audit.purge();
    expect(deleted).toBeGreaterThanOrEqual(1);
    const ids = (await events()).map((e) => e.id);
    expect(ids).not.toContain(old[0]!.id);
    expect(ids).toContain(recent[0]!.id);
    // Nothing left older than the retention.
    expect((await events()).every((e) => e.at.getTime() >= Date.now() + offset - 90 * DAY_MS)).toBe(true);
  });

  it('a trail purges when it starts; kept forever, it never does', async () => {
    const kept = await recorded(() => stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Audit start') } }));
    offset = 2 * DAY_MS;
    const forever = new AuditTrail({ store: stack.services.store.auditEvents, logger: silent(), retentionDays: null });
    expect(await forever.startPurging()).toBe(0);
    expect((await events()).map((e) => e.id)).toContain(kept[0]!.id);
    const oneDay = new AuditTrail({ store: stack.services.store.auditEvents, logger: silent(), retentionDays: 1 });
    expect(await oneDay.startPurging()).toBeGreaterThanOrEqual(1);
    await oneDay.close();
    expect((await events()).map((e) => e.id)).not.toContain(kept[0]!.id);
  });
});

describe('a write to the trail that fails', () => {
  it('the caller gets the answer as usual; the failure is logged at error level and counted', async () => {
    const before = stack.services.audit.failedWrites();
    const db = new BetterSqlite3(file);
    db.exec('ALTER TABLE audit_events RENAME TO audit_events_away');
    try {
      const name = uniqueName('Audit unrecorded');
      const res = await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.emptyFolder, name } });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.createSubfolder.folder.name).toBe(name);
      await stack.services.audit.flush();
      expect(stack.services.audit.failedWrites()).toBe(before + 1);
      const lines = stack.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'audit event could not be written');
      expect(lines.at(-1)).toMatchObject({ level: 50, kind: 'graphql', operation: 'mutation Create { createSubfolder }', appUserId: 'demo' });
      expect(JSON.stringify(lines)).not.toContain(name);
      const metrics = await (await fetch(`${stack.url}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`^audit_write_failures_total ${before + 1}$`, 'm'));
    } finally {
      db.exec('ALTER TABLE audit_events_away RENAME TO audit_events');
      db.close();
    }
  });
});

describe('a caller who leaves while iManage creates the folder', () => {
  it('the row still says what became of it, and a retry with the key finds it instead of creating a second', async () => {
    const parent = stack.sandbox.ids.emptyFolder;
    const name = uniqueName('Audit hang-up');
    const input = { parentId: parent, name, idempotencyKey: randomUUID() };
    // iManage files the folder, then never answers: the caller gives up first.
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, times: 1, kind: { type: 'commitThenFail', then: 'stall' } });
    const token = await stack.token('demo');
    const before = new Set((await events()).map((e) => e.id));
    const leaving = new AbortController();
    const answer = fetch(`${stack.url}/graphql`, {
      method: 'POST',
      signal: leaving.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE, variables: { input } }),
    }).catch((error: unknown) => error);
    // Filed at iManage, its answer still held back.
    await vi.waitFor(async () => expect((await childrenInSandbox(stack, parent)).map((folder) => folder.name)).toContain(name), {
      timeout: 5000,
      interval: 20,
    });
    leaving.abort();
    await answer;
    // The row comes once the look for the folder, which goes on without the caller, has ended.
    const added = await vi.waitFor(
      async () => {
        const rows = (await events()).filter((e) => !before.has(e.id));
        expect(rows).toHaveLength(1);
        return rows;
      },
      { timeout: 5000, interval: 50 },
    );
    const created = (await childrenInSandbox(stack, parent)).filter((folder) => folder.name === name);
    expect(created).toHaveLength(1);
    expect(added).toMatchObject([{ kind: 'graphql', outcome: 'ok', targetIds: [parent, created[0]!.id], errorCode: null }]);
    const retry = await stack.gql(CREATE, { input });
    expect(retry.body.data!.createSubfolder).toMatchObject({ replayed: true, folder: { id: created[0]!.id } });
    expect((await childrenInSandbox(stack, parent)).filter((folder) => folder.name === name)).toHaveLength(1);
  });
});

describe('the passthrough (ANY /imanage/{path})', () => {
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}/imanage/work/api/v2/customers/{customerId}${path}`, {
      method,
      headers: { authorization: `Bearer ${await stack.token('demo')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await res.arrayBuffer();
    return res;
  };

  it('a write through it: one row with the pattern of its rule, the ids in the path and the status from iManage; a read: none', async () => {
    const { emptyFolder, readOnlyFolder, preferredLibrary } = stack.sandbox.ids;
    const name = uniqueName('Passthrough confidential');
    let created!: Response;
    const added = await recorded(async () => {
      created = await send('POST', `/libraries/${preferredLibrary}/folders/${emptyFolder}/subfolders`, { name });
      expect(created.status).toBe(201);
      expect((await send('POST', `/libraries/${preferredLibrary}/folders/${readOnlyFolder}/subfolders`, { name })).status).toBe(403);
      expect((await send('GET', `/libraries/${preferredLibrary}/folders/${emptyFolder}`)).status).toBe(200);
    });
    const row = (status: number, parent: string, outcome: string) => ({
      appUserId: 'demo',
      ...demoIdentity(),
      kind: 'passthrough',
      operation: SUBFOLDER_RULE,
      targetIds: [parent],
      outcome,
      imanageStatus: status,
      errorCode: null,
    });
    expect(added).toMatchObject([row(201, emptyFolder, 'ok'), row(403, readOnlyFolder, 'user_error')]);
    expect(added[0]!.requestId).toBe(created.headers.get('x-request-id'));
    expect(JSON.stringify(rawRows())).not.toContain(name);
  });

  it('a write refused here before it was sent (the breaker open) has no row; one iManage failed has', async () => {
    const { emptyFolder, preferredLibrary } = stack.sandbox.ids;
    const path = `/libraries/${preferredLibrary}/folders/${emptyFolder}/subfolders`;
    const failed = await recorded(async () => {
      stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, times: 1, kind: { type: 'status', status: 500 } });
      expect((await send('POST', path, { name: uniqueName('Passthrough failed') })).status).toBe(502);
    });
    expect(failed).toMatchObject([{ kind: 'passthrough', outcome: 'error', imanageStatus: 500, errorCode: 'UPSTREAM_UNAVAILABLE' }]);
    try {
      // The service's own calls open the breaker; the passthrough's write is then refused without being sent.
      stack.sandbox.knobs.injectFault({ path: /\/libraries$/, times: Infinity, kind: { type: 'status', status: 500 } });
      for (let i = 0; i < 20 && stack.services.upstream.openHosts().length === 0; i++) await stack.gql(`{ customer { libraries { id } } }`);
      expect(stack.services.upstream.openHosts()).toHaveLength(1);
      stack.sandbox.log.clear();
      const refused = await recorded(async () => {
        expect((await send('POST', path, { name: uniqueName('Passthrough never sent') })).status).toBe(503);
      });
      expect(stack.sandbox.log.count({ method: 'POST', path: SUBFOLDERS })).toBe(0);
      expect(refused).toEqual([]);
    } finally {
      stack.services.upstream.reset();
    }
  });
});

describe('the entry point of the passthrough route', () => {
  const TEMPLATE = '/work/api/v2/customers/{customerId}/libraries/{lib}/folders/{id}/subfolders';

  it('records a write with its method and path template; a read is not recorded', async () => {
    const { audit } = stack.services;
    const added = await recorded(async () => {
      expect(
        audit.recordPassthrough({
          appUserId: 'demo',
          ...demoIdentity(),
          method: 'post',
          pathTemplate: `${TEMPLATE}?name=Secret%20Matter`,
          targetIds: ['ACTIVE_US!1', 'ACTIVE_US!2'],
          imanageStatus: 201,
          requestId: 'req-passthrough-1',
        }),
      ).toBe(true);
      expect(audit.recordPassthrough({ appUserId: 'demo', ...demoIdentity(), method: 'GET', pathTemplate: TEMPLATE, imanageStatus: 200 })).toBe(false);
      audit.recordPassthrough({ appUserId: 'demo', ...demoIdentity(), method: 'DELETE', pathTemplate: TEMPLATE, imanageStatus: 403, errorCode: 'FORBIDDEN' });
      audit.recordPassthrough({
        appUserId: 'demo',
        ...demoIdentity(),
        method: 'PATCH',
        pathTemplate: TEMPLATE,
        imanageStatus: null,
        errorCode: 'UPSTREAM_UNAVAILABLE',
      });
    });
    expect(
      added.map(({ kind, operation, targetIds, outcome, imanageStatus, errorCode, requestId }) => ({
        kind,
        operation,
        targetIds,
        outcome,
        imanageStatus,
        errorCode,
        requestId,
      })),
    ).toEqual([
      {
        kind: 'passthrough',
        operation: `POST ${TEMPLATE}`,
        targetIds: ['ACTIVE_US!1', 'ACTIVE_US!2'],
        outcome: 'ok',
        imanageStatus: 201,
        errorCode: null,
        requestId: 'req-passthrough-1',
      },
      {
        kind: 'passthrough',
        operation: `DELETE ${TEMPLATE}`,
        targetIds: [],
        outcome: 'user_error',
        imanageStatus: 403,
        errorCode: 'FORBIDDEN',
        requestId: null,
      },
      {
        kind: 'passthrough',
        operation: `PATCH ${TEMPLATE}`,
        targetIds: [],
        outcome: 'error',
        imanageStatus: null,
        errorCode: 'UPSTREAM_UNAVAILABLE',
        requestId: null,
      },
    ]);
  });
});

/** A logger that writes nothing: these trails are the test's own. */
const silent = () => createLogger('silent');
