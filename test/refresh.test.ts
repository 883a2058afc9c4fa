import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reencryptConnections } from '../src/auth/store/rotation.js';
import { codes, startStack, useStack, type Stack } from './helpers/stack.js';

/** Refresh that never races, and "no refresh token" as a normal end (issue 3 §4). */

const FOLDER = `query($id: ID!) { folder(id: $id) { id name } }`;
const tokenGrants = (stack: Stack) => stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/token' });

describe('one server instance', () => {
  const stack = useStack({
    connect: [
      { appUser: 'demo', sandboxUser: 'demo' },
      { appUser: 'second', sandboxUser: 'second' },
      { appUser: 'norefresh', sandboxUser: 'paralegal', app: 'noRefresh' },
    ],
  });

  it('answers 50 concurrent queries after iManage expires every token, with exactly one refresh', async () => {
    const before = (await stack.services.store.connections.get('demo'))!;
    stack.sandbox.knobs.expireAllTokens();
    const id = stack.sandbox.ids.deepFolderPath[2]!;
    const results = await Promise.all(Array.from({ length: 50 }, () => stack.gql(FOLDER, { id })));
    for (const res of results) expect(res.body).toEqual({ data: { folder: { id, name: expect.any(String) } } });
    expect(tokenGrants(stack)).toBe(1);
    const after = (await stack.services.store.connections.get('demo'))!;
    expect(after.version).toBe(before.version + 1);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);

    // Rotation: iManage refuses the refresh token that was just replaced; the stored one still works.
    const reuse = await fetch(`${stack.sandbox.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: before.refreshToken!,
        client_id: stack.sandbox.apps.default.clientId,
        client_secret: stack.sandbox.apps.default.clientSecret,
      }),
    });
    expect(reuse.status).toBe(400);
    expect((await reuse.json()).error).toBe('invalid_grant');
  });

  it('refreshes ahead of expiry, before iManage has to refuse the token', async () => {
    const row = (await stack.services.store.connections.get('second'))!;
    await stack.services.store.connections.updateTokens('second', row.version, {
      accessToken: row.accessToken,
      refreshToken: row.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + 10_000),
    });
    const res = await stack.gql(FOLDER, { id: stack.sandbox.ids.deepFolderPath[0]! }, { user: 'second' });
    expect(res.body.errors).toBeUndefined();
    expect(tokenGrants(stack)).toBe(1);
    expect(stack.sandbox.log.entries().filter((e) => e.status === 401)).toHaveLength(0);
    expect((await stack.services.store.connections.get('second'))!.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it('reports REAUTH_REQUIRED for a connection without a refresh token once iManage refuses its token', async () => {
    const ok = await stack.gql(`{ viewer { imanage { status } } customer { id } }`, {}, { user: 'norefresh' });
    expect(ok.body.data).toEqual({ viewer: { imanage: { status: 'CONNECTED' } }, customer: { id: String(stack.sandbox.customerId) } });
    expect((await stack.services.store.connections.get('norefresh'))!.refreshToken).toBeNull();

    stack.sandbox.knobs.expireAllTokens();
    const failed = await stack.gql(FOLDER, { id: stack.sandbox.ids.deepFolderPath[0]! }, { user: 'norefresh' });
    expect(codes(failed)).toEqual(['IMANAGE_REAUTH_REQUIRED']);
    expect(tokenGrants(stack)).toBe(0); // nothing to refresh with: no grant attempted
    const viewer = await stack.gql(`{ viewer { imanage { status userId } } }`, {}, { user: 'norefresh' });
    expect(viewer.body.data!.viewer.imanage).toEqual({ status: 'REAUTH_REQUIRED', userId: stack.sandbox.users.paralegal!.id });
    const again = await stack.gql(`{ customer { id } }`, {}, { user: 'norefresh' });
    expect(codes(again)).toEqual(['IMANAGE_REAUTH_REQUIRED']);
    expect(stack.apiCalls()).toBe(1); // the refused call only: a known-dead connection makes none
  });

  it('declares REAUTH_REQUIRED when iManage refuses the refresh token itself', async () => {
    await stack.connectUser('revoked', 'london');
    stack.sandbox.knobs.revokeRefreshTokens(stack.sandbox.users.london!.id);
    stack.sandbox.knobs.expireAllTokens();
    const res = await stack.gql(`{ customer { libraries { id } } }`, {}, { user: 'revoked' });
    expect(codes(res)).toEqual(['IMANAGE_REAUTH_REQUIRED']);
    expect((await stack.services.store.connections.get('revoked'))!.status).toBe('reauth_required');
  });

  it('keeps the connection when the refresh fails for a passing reason, and recovers', async () => {
    await stack.connectUser('flaky', 'london');
    stack.sandbox.knobs.expireAllTokens();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: '/auth/oauth2/token', kind: { type: 'status', status: 503 } });
    const failed = await stack.gql(`{ customer { libraries { id } } }`, {}, { user: 'flaky' });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect((await stack.services.store.connections.get('flaky'))!.status).toBe('connected');
    const recovered = await stack.gql(`{ customer { libraries { id } } }`, {}, { user: 'flaky' });
    expect(recovered.body.errors).toBeUndefined();
  });

  it('never shares tokens or data between two users refreshing at once', async () => {
    stack.sandbox.knobs.expireAllTokens();
    const { privateFolder } = stack.sandbox.ids;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stack.gql(FOLDER, { id: privateFolder }, { user: i % 2 ? 'demo' : 'second' })));
    results.forEach((res, i) => {
      if (i % 2) expect(res.body.data!.folder.id).toBe(privateFolder);
      else expect(codes(res)).toEqual(['NOT_FOUND']);
    });
    expect(tokenGrants(stack)).toBe(2);
    const demo = (await stack.services.store.connections.get('demo'))!;
    const second = (await stack.services.store.connections.get('second'))!;
    expect(demo.accessToken).not.toBe(second.accessToken);
    expect(demo.refreshToken).not.toBe(second.refreshToken);
  });
});

describe('a refresh beside a key rotation or a disconnect', () => {
  const stack = useStack({
    connect: [
      { appUser: 'rotated', sandboxUser: 'demo' },
      { appUser: 'leaving', sandboxUser: 'london' },
    ],
  });
  const folderId = () => stack.sandbox.ids.deepFolderPath[0]!;
  /** iManage's token answer held back 600 ms, then a query that must refresh; resolves once iManage has the grant. */
  async function refreshInFlight(user: string) {
    stack.sandbox.knobs.expireAllTokens();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: '/auth/oauth2/token', kind: { type: 'stallBody', ms: 600 } });
    const query = stack.gql(FOLDER, { id: folderId() }, { user });
    await vi.waitFor(() => expect(tokenGrants(stack)).toBe(1), { timeout: 5_000, interval: 10 });
    return query;
  }

  it('keeps the refresh token iManage rotated when the key rotation rewrites the row meanwhile', async () => {
    const before = (await stack.services.store.connections.get('rotated'))!;
    const query = await refreshInFlight('rotated');
    // `npm run rotate-keys` against the live database: every row written again, its version bumped.
    await reencryptConnections(stack.services.store.connections, 'another-key');
    expect((await query).body.errors).toBeUndefined();
    const after = (await stack.services.store.connections.get('rotated'))!;
    expect(after).toMatchObject({ status: 'connected' });
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const again = await stack.gql(FOLDER, { id: folderId() }, { user: 'rotated' });
    expect(again.body.errors).toBeUndefined();
    expect(tokenGrants(stack)).toBe(1);
  });

  it('revokes the tokens a refresh rotated while the user disconnected', async () => {
    // Watches the token answers go by (the real transport does the work), to try the rotated pair after.
    const transport = stack.services.transport as unknown as { send: (req: any) => Promise<any> };
    const send = transport.send.bind(transport);
    let rotated: { access_token: string; refresh_token: string } | null = null;
    transport.send = async (req) => {
      const res = await send(req);
      if (req.body?.form?.grant_type === 'refresh_token') rotated = res.body;
      return res;
    };
    try {
      const query = await refreshInFlight('leaving');
      const disconnected = await stack.gql('mutation { disconnectIManage { imanage { status } } }', {}, { user: 'leaving' });
      expect(disconnected.body.errors).toBeUndefined();
      await query;
      await stack.services.connections.revocationsSettled();
    } finally {
      transport.send = send;
    }
    expect(rotated).not.toBeNull();
    const app = stack.sandbox.apps.default;
    const grant = await fetch(`${stack.sandbox.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: rotated!.refresh_token,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    expect(grant.status).toBe(400);
    expect((await fetch(`${stack.sandbox.url}/api`, { headers: { 'x-auth-token': rotated!.access_token } })).status).toBe(401);
    expect(await stack.services.store.connections.get('leaving')).toBeNull();
  });
});

describe('idle expiry (reference §2.5), on a clock the test moves', () => {
  let now = Date.now();
  const stack = useStack({
    clock: () => now,
    connect: [
      { appUser: 'active', sandboxUser: 'paralegal', app: 'noRefresh' },
      { appUser: 'refreshing', sandboxUser: 'demo' },
    ],
  });
  const minutes = (n: number) => (now += n * 60_000);
  const status = async (user: string) => (await stack.gql(`{ viewer { imanage { status } } }`, {}, { user })).body.data!.viewer.imanage.status;
  const folder = (user: string) => stack.gql(FOLDER, { id: stack.sandbox.ids.deepFolderPath[0]! }, { user });

  it('keeps a connection without a refresh token working past expires_in while it is used, then REAUTH_REQUIRED once iManage refuses it after 30 idle minutes', async () => {
    const issued = (await stack.services.store.connections.get('active'))!;
    expect(issued.refreshToken).toBeNull();
    expect(issued.accessTokenExpiresAt.getTime()).toBe(now + 30 * 60_000);
    for (let i = 0; i < 5; i++) {
      minutes(20); // 100 minutes in all, never 30 idle
      expect((await folder('active')).body.errors).toBeUndefined();
      expect(await status('active')).toBe('CONNECTED');
    }
    expect(tokenGrants(stack)).toBe(0);
    expect(stack.sandbox.log.entries().filter((e) => e.status === 401)).toHaveLength(0);

    minutes(31);
    // Nothing has asked iManage yet: the connection is not known to be dead.
    expect(await status('active')).toBe('CONNECTED');
    expect(codes(await folder('active'))).toEqual(['IMANAGE_REAUTH_REQUIRED']);
    expect(stack.sandbox.log.entries().filter((e) => e.status === 401)).toHaveLength(1);
    expect(await status('active')).toBe('REAUTH_REQUIRED');
    expect(tokenGrants(stack)).toBe(0);
  });

  it('refreshes a connection with a refresh token ahead of expiry, and only then', async () => {
    stack.sandbox.log.clear();
    const before = (await stack.services.store.connections.get('refreshing'))!;
    now = before.accessTokenExpiresAt.getTime() - 10 * 60_000;
    expect((await folder('refreshing')).body.errors).toBeUndefined();
    expect(tokenGrants(stack)).toBe(0);
    now = before.accessTokenExpiresAt.getTime() - 30_000;
    expect((await folder('refreshing')).body.errors).toBeUndefined();
    expect(tokenGrants(stack)).toBe(1);
    expect(stack.sandbox.log.entries().filter((e) => e.status === 401)).toHaveLength(0);
    const after = (await stack.services.store.connections.get('refreshing'))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.accessTokenExpiresAt.getTime()).toBe(now + 30 * 60_000);
    expect((await folder('refreshing')).body.errors).toBeUndefined();
    expect(tokenGrants(stack)).toBe(1);
  });
});

describe('tokens at rest', () => {
  it('keeps no token in clear text in the SQLite file, and none in logs or responses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imanage-graphql-store-'));
    const file = join(dir, 'store.sqlite');
    const stack = await startStack({ env: { DATABASE_URL: file } });
    try {
      stack.sandbox.knobs.expireAllTokens();
      const responses = [
        await stack.gql(`{ customer { id } viewer { imanage { status userId } } }`),
        await stack.gql(`{ customer { id } }`, {}, { user: 'second' }),
      ];
      const rows = [(await stack.services.store.connections.get('demo'))!, (await stack.services.store.connections.get('second'))!];
      const secrets = rows.flatMap((r) => [r.accessToken, r.refreshToken!]);
      expect(secrets.every((s) => typeof s === 'string' && s.length > 10)).toBe(true);
      const bytes = ['', '-wal', '-shm'].map((suffix) => (existsSync(file + suffix) ? readFileSync(file + suffix).toString('latin1') : '')).join('');
      expect(bytes.length).toBeGreaterThan(0);
      const seen = [bytes, ...stack.logs, ...responses.map((r) => r.raw)].join('\n');
      for (const secret of secrets) expect(seen).not.toContain(secret);
    } finally {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two server instances on one PostgreSQL database', () => {
  const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `refresh_test_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    a = await startStack({ env: { DATABASE_URL: url }, postgresSchema: schema });
    b = await startStack({ env: { DATABASE_URL: url }, postgresSchema: schema, sharedSandbox: a.sandbox, connect: [] });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('refresh exactly once between them when every token expires, and all queries succeed', async () => {
    a.sandbox.knobs.expireAllTokens();
    a.sandbox.log.clear();
    const id = a.sandbox.ids.deepFolderPath[1]!;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).gql(FOLDER, { id })));
    for (const res of results) expect(res.body.errors).toBeUndefined();
    expect(tokenGrants(a)).toBe(1);
  });

  it('a disconnect on one instance is seen by the other at once', async () => {
    const STATUS = '{ viewer { imanage { status } } }';
    expect((await b.gql(STATUS)).body.data!.viewer.imanage.status).toBe('CONNECTED');
    // a disconnects demo: b's next request must not run on the deleted tokens.
    expect((await a.gql('mutation { disconnectIManage { imanage { status } } }')).body.data!.disconnectIManage.imanage.status).toBe('NOT_CONNECTED');
    expect((await b.gql(STATUS)).body.data!.viewer.imanage.status).toBe('NOT_CONNECTED');
    // Connected again, for the tests after this one.
    await a.connectUser('demo', 'demo');
    await vi.waitFor(async () => expect((await b.gql(STATUS)).body.data!.viewer.imanage.status).toBe('CONNECTED'), { timeout: 3000, interval: 20 });
  });

  it('stores no token in clear text in the PostgreSQL rows', async () => {
    const row = (await a.services.store.connections.get('demo'))!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT * FROM "${schema}".imanage_connections`);
      expect(rows.length).toBe(2);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(row.accessToken);
      expect(text).not.toContain(row.refreshToken!);
    } finally {
      await client.end();
    }
  });
});
