import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../src/auth/store/index.js';
import type { TokenStore } from '../src/auth/store/types.js';
import { requestHashOf, runKeyed, type AttemptPlan, type AttemptResult, type KeyedCreate } from '../src/folders/idempotency.js';
import type { FolderRecord } from '../src/imanage/records.js';
import { deferred, TestClock, testCipher } from './store/helpers.js';

/** The idempotency key's life against a real (in-memory SQLite) token store and a settable clock. */

const DEMO = { appUserId: 'demo', customerId: '5948', imanageUserId: 'JSMITH' };

const stores: TokenStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function setUp(clock = new TestClock()) {
  const store = openSqliteStore({ filename: ':memory:', cipher: testCipher(), now: clock.now });
  await store.migrate();
  stores.push(store);
  const options = (overrides: Partial<KeyedCreate> = {}): KeyedCreate => ({
    store: store.idempotencyKeys,
    scope: DEMO,
    key: 'key-1',
    requestHash: requestHashOf('ACTIVE_US!1', { name: 'A' }),
    waitMs: 5_000,
    staleMs: 60_000,
    logger: pino({ level: 'silent' }),
    now: clock.now,
    ...overrides,
  });
  return { store, clock, options };
}

const folder = (id: string): FolderRecord => ({
  kind: 'folder',
  id,
  library: 'ACTIVE_US',
  name: 'A',
  description: null,
  defaultSecurity: 'inherit',
  effectiveSecurity: 'full_access',
  folderType: 'regular',
  owner: 'JSMITH',
  editDate: '2030-01-01T00:00:00.000Z',
  hasSubfolders: false,
  hasDocuments: false,
  parentId: 'ACTIVE_US!1',
  workspaceId: 'ACTIVE_US!1',
  workspaceName: 'W',
  profile: { custom1: '1001' },
  partial: false,
});

const created = (id = 'ACTIVE_US!2'): AttemptResult => ({ kind: 'created', folder: folder(id), parentKind: 'workspace' });
const unconfirmed = (): AttemptResult => ({ kind: 'unconfirmed', parentKind: 'folder', error: new Error('lost') });

describe('runKeyed', () => {
  it('does the work once and replays the stored folder until the key expires after 24 hours', async () => {
    const { options, clock } = await setUp();
    const attempt = vi.fn(async (_plan: AttemptPlan) => created());
    const first = await runKeyed(options(), attempt);
    expect(first).toEqual({ kind: 'result', result: created(), replayed: false });
    expect(attempt).toHaveBeenCalledWith({ since: clock.t, lookFirst: false, send: true, parentKind: null });

    clock.advance(24 * 60 * 60 * 1000 - 1000);
    expect(await runKeyed(options(), attempt)).toEqual({ kind: 'result', result: created(), replayed: true });
    expect(attempt).toHaveBeenCalledTimes(1);

    clock.advance(2000);
    attempt.mockResolvedValueOnce(created('ACTIVE_US!3'));
    expect(await runKeyed(options(), attempt)).toEqual({ kind: 'result', result: created('ACTIVE_US!3'), replayed: false });
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('refuses the key with another request, and keeps keys apart per user and per iManage identity', async () => {
    const { options } = await setUp();
    const attempt = vi.fn(async () => created());
    await runKeyed(options(), attempt);
    const other = await runKeyed(options({ requestHash: requestHashOf('ACTIVE_US!1', { name: 'B' }) }), attempt);
    expect(other).toMatchObject({ kind: 'userError', error: { code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] } });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(await runKeyed(options({ scope: { ...DEMO, appUserId: 'second' } }), attempt)).toMatchObject({ replayed: false });
    expect(attempt).toHaveBeenCalledTimes(2);
    // The same app user, relinked to another iManage user: not the first user's folder.
    expect(await runKeyed(options({ scope: { ...DEMO, imanageUserId: 'AKUMAR' } }), attempt)).toMatchObject({ replayed: false });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('frees the key after a refusal or a failure before sending, remembering nothing', async () => {
    const { options } = await setUp();
    const refused: AttemptResult = { kind: 'refused', userErrors: [] };
    const attempt = vi.fn(async (): Promise<AttemptResult> => refused);
    expect(await runKeyed(options(), attempt)).toEqual({ kind: 'result', result: refused, replayed: false });
    attempt.mockRejectedValueOnce(new Error('iManage down'));
    await expect(runKeyed(options(), attempt)).rejects.toThrow('iManage down');
    attempt.mockResolvedValueOnce(created());
    expect(await runKeyed(options(), attempt)).toMatchObject({ replayed: false, result: { kind: 'created' } });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('after an unconfirmed create, each retry looks first (since the first attempt); after three attempts it only looks', async () => {
    const { options, clock } = await setUp();
    const since = clock.t;
    const attempt = vi.fn(async (_plan: AttemptPlan) => unconfirmed());
    for (let i = 0; i < 4; i++) {
      const outcome = await runKeyed(options(), attempt);
      expect(outcome).toMatchObject({ kind: 'result', replayed: false, result: { kind: 'unconfirmed' } });
      clock.advance(1000);
    }
    expect(attempt.mock.calls.map(([plan]) => plan)).toEqual([
      { since, lookFirst: false, send: true, parentKind: null },
      { since, lookFirst: true, send: true, parentKind: 'folder', settleBy: null },
      { since, lookFirst: true, send: true, parentKind: 'folder', settleBy: null },
      { since, lookFirst: true, send: false, parentKind: 'folder', settleBy: null },
    ]);

    // Once found by looking, the folder is remembered and replayed.
    attempt.mockResolvedValueOnce(created('ACTIVE_US!9'));
    expect(await runKeyed(options(), attempt)).toMatchObject({ replayed: false, result: { kind: 'created' } });
    expect(await runKeyed(options(), attempt)).toEqual({ kind: 'result', result: created('ACTIVE_US!9'), replayed: true });
    expect(attempt).toHaveBeenCalledTimes(5);
  });

  it('while a lost send may still be running at iManage, a retry only looks and uses up no attempt', async () => {
    const { options, clock } = await setUp();
    const settleBy = clock.t + 2000;
    const attempt = vi.fn(async (_plan: AttemptPlan): Promise<AttemptResult> => ({
      kind: 'unconfirmed',
      parentKind: 'folder',
      error: new Error('lost'),
      settleBy,
    }));
    await runKeyed(options(), attempt);
    for (let i = 0; i < 4; i++) {
      clock.advance(400);
      await runKeyed(options(), attempt);
    }
    clock.advance(1000);
    attempt.mockResolvedValue(unconfirmed());
    await runKeyed(options(), attempt);
    await runKeyed(options(), attempt);
    // Four looks within the window, then the two attempts that may still send.
    expect(attempt.mock.calls.map(([plan]) => plan.send)).toEqual([true, false, false, false, false, true, true]);
  });

  it('lets a second attempt that creates answer every later call', async () => {
    const { options } = await setUp();
    const attempt = vi.fn(async (_plan: AttemptPlan): Promise<AttemptResult> => unconfirmed());
    await runKeyed(options(), attempt);
    attempt.mockResolvedValueOnce(created());
    expect(await runKeyed(options(), attempt)).toMatchObject({ replayed: false });
    expect(await runKeyed(options(), attempt)).toEqual({ kind: 'result', result: created(), replayed: true });
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('runs concurrent calls with one key once: the later one waits and replays', async () => {
    const { options } = await setUp();
    const gate = deferred();
    const attempt = vi.fn(async () => {
      await gate.promise;
      return created();
    });
    const a = runKeyed(options(), attempt);
    const b = runKeyed(options(), attempt);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(attempt).toHaveBeenCalledTimes(1);
    gate.resolve();
    const results = await Promise.all([a, b]);
    expect(results.map((r) => r.kind === 'result' && r.replayed).sort()).toEqual([false, true]);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('waits for a holder in another process by polling, bounded, then says IN_PROGRESS', async () => {
    const { store, options } = await setUp(new TestClock(Date.now()));
    // A claim held elsewhere (no in-process holder to wake us).
    await store.idempotencyKeys.claimIdempotencyKey({ ...DEMO, key: 'key-1', requestHash: options().requestHash, ttlSeconds: 60 });
    const attempt = vi.fn(async () => created());
    const outcome = await runKeyed(options({ waitMs: 150, now: Date.now }), attempt);
    expect(outcome).toMatchObject({ kind: 'userError', error: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' } });
    expect(attempt).not.toHaveBeenCalled();
  });

  it('treats a claim left pending past staleMs as unconfirmed: looks for the folder before sending', async () => {
    const { store, options, clock } = await setUp();
    const abandonedAt = clock.t;
    await store.idempotencyKeys.claimIdempotencyKey({ ...DEMO, key: 'key-1', requestHash: options().requestHash, ttlSeconds: 86_400 });
    clock.advance(61_000);
    const attempt = vi.fn(async (_plan: AttemptPlan) => created());
    expect(await runKeyed(options(), attempt)).toMatchObject({ replayed: false, result: { kind: 'created' } });
    expect(attempt).toHaveBeenCalledWith({ since: abandonedAt, lookFirst: true, send: true, parentKind: null });
  });

  it('treats an unreadable stored outcome as unconfirmed', async () => {
    const { store, options } = await setUp();
    await store.idempotencyKeys.claimIdempotencyKey({ ...DEMO, key: 'key-1', requestHash: options().requestHash, ttlSeconds: 86_400 });
    await store.idempotencyKeys.completeIdempotencyKey(DEMO, 'key-1', '{"v":99}');
    const attempt = vi.fn(async (_plan: AttemptPlan) => created());
    await runKeyed(options(), attempt);
    expect(attempt.mock.calls[0]![0]).toMatchObject({ lookFirst: true, send: true });
  });

  it('hashes the parent id ignoring case, and the body exactly', () => {
    expect(requestHashOf('active_us!1', { name: 'A' })).toBe(requestHashOf('ACTIVE_US!1', { name: 'A' }));
    expect(requestHashOf('ACTIVE_US!1', { name: 'A' })).not.toBe(requestHashOf('ACTIVE_US!1', { name: 'a' }));
  });
});
