import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREATE, CREATE_BARE, childrenInSandbox, createFolder, uniqueName } from './helpers/createSubfolder.js';
import { findCreatedFolder, ReconcileLimitError, type ReconcileTarget } from '../src/folders/reconcile.js';
import { IManageClient } from '../src/imanage/client.js';
import { IManageProtocolError, IManageUnpagedListError } from '../src/imanage/errors.js';
import { parseContainerId } from '../src/imanage/ids.js';
import { codes, useStack } from './helpers/stack.js';
import { call, libBase, login } from './sandbox/helpers.js';

/**
 * createSubfolder never makes two folders of one request: idempotency keys (sequential, concurrent,
 * per user, expiring), and creates whose answer is lost (5xx after the create, unreadable replies,
 * stalls past the client's timeout), which are reconciled by looking at the parent, never re-sent blindly.
 */

// A short per-call timeout keeps the stall tests quick.
const stack = useStack({ env: { IMANAGE_TIMEOUT_MS: '1000' } });

const SUBFOLDERS = /\/folders\/[^/]+\/subfolders$/;
const ROOT_FOLDERS = /\/workspaces\/[^/]+\/folders$/;
const posts = () => stack.apiCalls({ method: 'POST' });
const childListings = () => stack.apiCalls({ method: 'GET', path: /\/children$/ });

/** A fresh, empty parent per test, so that counts of folders by name are exact. */
async function freshParent(defaultSecurity = 'INHERIT'): Promise<string> {
  const id = await createFolder(stack, { parentId: stack.sandbox.ids.emptyFolder, name: uniqueName('Parent'), defaultSecurity });
  stack.resetCounts();
  return id;
}

async function named(parentId: string, name: string, kind: 'folder' | 'workspace' = 'folder') {
  return (await childrenInSandbox(stack, parentId, kind)).filter((f) => f.name === name);
}

describe('idempotencyKey', () => {
  it('answers a repeat with the first result, without calling iManage', async () => {
    const parentId = await freshParent();
    const input = { parentId, name: 'Once', idempotencyKey: randomUUID() };
    const first = await stack.gql(CREATE, { input });
    expect(first.body.data!.createSubfolder).toMatchObject({ replayed: false, userErrors: [] });
    stack.resetCounts();
    const second = await stack.gql(CREATE_BARE, { input: { ...input, name: '  Once ' } }); // the same request once trimmed
    expect(second.body.data!.createSubfolder).toMatchObject({
      replayed: true,
      userErrors: [],
      folder: { id: first.body.data!.createSubfolder.folder.id, name: 'Once' },
    });
    expect(stack.apiCalls()).toBe(0);
    expect(await named(parentId, 'Once')).toHaveLength(1);
  });

  it('makes one POST for two concurrent calls with one key; both get the folder', async () => {
    const parentId = await freshParent();
    // Hold the create in flight long enough for the second call to arrive while the first holds the key.
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'stall', ms: 400 } });
    const input = { parentId, name: 'Twice at once', idempotencyKey: randomUUID() };
    const [a, b] = await Promise.all([stack.gql(CREATE_BARE, { input }), stack.gql(CREATE_BARE, { input })]);
    const pa = a.body.data!.createSubfolder;
    const pb = b.body.data!.createSubfolder;
    expect(pa.userErrors).toEqual([]);
    expect(pb.userErrors).toEqual([]);
    expect(pa.folder.id).toBe(pb.folder.id);
    expect([pa.replayed, pb.replayed].sort()).toEqual([false, true]);
    expect(posts()).toBe(1);
    // The waiting call made no call of its own: one look at the parent, one POST.
    expect(stack.apiCalls()).toBe(2);
    expect(await named(parentId, 'Twice at once')).toHaveLength(1);
  });

  it('refuses the same key with different input, without calling iManage', async () => {
    const parentId = await freshParent();
    const key = randomUUID();
    await createFolder(stack, { parentId, name: 'First', idempotencyKey: key });
    stack.resetCounts();
    const res = await stack.gql(CREATE, { input: { parentId, name: 'Second', idempotencyKey: key } });
    expect(res.body.data!.createSubfolder).toMatchObject({
      folder: null,
      replayed: false,
      userErrors: [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }],
    });
    expect(stack.apiCalls()).toBe(0);
  });

  it('keeps keys per app user', async () => {
    const parentId = await freshParent('PUBLIC');
    const input = { parentId, name: 'Per user', idempotencyKey: 'shared-key-1' };
    const mine = await stack.gql(CREATE, { input });
    const theirs = await stack.gql(CREATE, { input }, { user: 'second' });
    expect(mine.body.data!.createSubfolder.replayed).toBe(false);
    expect(theirs.body.data!.createSubfolder.replayed).toBe(false);
    expect(theirs.body.data!.createSubfolder.folder.owner).toBe('AKUMAR');
    expect(posts()).toBe(2);
  });

  it('does not replay a key after the app user relinked to another iManage user: the new user gets their own folder', async () => {
    await stack.connectUser('relinker', 'demo');
    const parentId = await freshParent('PUBLIC');
    const input = { parentId, name: 'Before relink', idempotencyKey: randomUUID() };
    const first = (await stack.gql(CREATE, { input }, { user: 'relinker' })).body.data!.createSubfolder;
    expect(first).toMatchObject({ replayed: false, folder: { owner: stack.sandbox.users.demo!.id } });

    await stack.connectUser('relinker', 'second');
    stack.resetCounts();
    const again = (await stack.gql(CREATE, { input }, { user: 'relinker' })).body.data!.createSubfolder;
    expect(again).toMatchObject({ replayed: false, userErrors: [], folder: { owner: stack.sandbox.users.second!.id } });
    expect(again.folder.id).not.toBe(first.folder.id);
    expect(posts()).toBe(1);
    expect(await named(parentId, 'Before relink')).toHaveLength(2);
  });

  it("forgets a user's keys when they disconnect, and keeps them over a reconnect to the same iManage user", async () => {
    await stack.connectUser('returner', 'demo');
    const parentId = await freshParent();
    const input = { parentId, name: 'Kept over reconnect', idempotencyKey: randomUUID() };
    await stack.gql(CREATE, { input }, { user: 'returner' });
    await stack.connectUser('returner', 'demo'); // REAUTH_REQUIRED, then the same account again
    expect((await stack.gql(CREATE, { input }, { user: 'returner' })).body.data!.createSubfolder.replayed).toBe(true);

    await stack.gql(`mutation { disconnectIManage { imanage { status } } }`, {}, { user: 'returner' });
    await stack.connectUser('returner', 'demo');
    const claim = await stack.services.store.idempotencyKeys.claimIdempotencyKey({
      appUserId: 'returner',
      customerId: String(stack.sandbox.customerId),
      imanageUserId: stack.sandbox.users.demo!.id,
      key: input.idempotencyKey,
      requestHash: 'x',
      ttlSeconds: 60,
    });
    expect(claim).toEqual({ claimed: true });
  });

  it('frees the key when iManage refused (nothing was created), so it can be used with corrected input', async () => {
    const key = randomUUID();
    const refused = await stack.gql(CREATE, { input: { parentId: stack.sandbox.ids.readOnlyFolder, name: 'Attempt', idempotencyKey: key } });
    expect(refused.body.data!.createSubfolder.userErrors[0].code).toBe('FORBIDDEN');
    const parentId = await freshParent();
    const retried = await stack.gql(CREATE, { input: { parentId, name: 'Attempt', idempotencyKey: key } });
    expect(retried.body.data!.createSubfolder).toMatchObject({ replayed: false, userErrors: [], folder: { name: 'Attempt' } });
  });

  it('remembers keys in the token store for 24 hours', async () => {
    const parentId = await freshParent();
    const key = randomUUID();
    const before = Date.now();
    await createFolder(stack, { parentId, name: 'Stored', idempotencyKey: key });
    const demo = (await stack.services.store.connections.get('demo'))!;
    const claim = await stack.services.store.idempotencyKeys.claimIdempotencyKey({
      appUserId: 'demo',
      customerId: demo.customerId,
      imanageUserId: demo.imanageUserId,
      key,
      requestHash: 'whatever',
      ttlSeconds: 1,
    });
    expect(claim.claimed).toBe(false);
    if (claim.claimed) return;
    expect(claim.existing.status).toBe('done');
    const lifetime = claim.existing.expiresAt.getTime() - claim.existing.createdAt.getTime();
    expect(lifetime).toBe(24 * 60 * 60 * 1000);
    expect(claim.existing.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.parse(claim.existing.response!)).toMatchObject({ outcome: 'created', folder: { name: 'Stored', parentId } });
  });
});

describe('a create whose answer is lost is never sent again blindly', () => {
  it('500 after iManage created the folder: the folder is found in the parent and returned, one folder', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'afterSuccess', status: 500 } });
    const res = await stack.gql(CREATE, { input: { parentId, name: 'Created anyway', description: 'desc' } });
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data!.createSubfolder;
    expect(payload).toMatchObject({ userErrors: [], folder: { name: 'Created anyway', description: 'desc', parent: { id: parentId } } });
    expect(posts()).toBe(1);
    expect(childListings()).toBe(1);
    const found = await named(parentId, 'Created anyway');
    expect(found).toHaveLength(1);
    expect(found[0]!.id).toBe(payload.folder.id);
  });

  it('500 after the create at a workspace root: found among the workspace folders', async () => {
    const ws = stack.sandbox.ids.workspaceWithDeepTree;
    const name = uniqueName('Root, answer lost');
    stack.sandbox.knobs.injectFault({ method: 'POST', path: ROOT_FOLDERS, kind: { type: 'afterSuccess', status: 502 } });
    const res = await stack.gql(CREATE, { input: { parentId: ws, name } });
    expect(res.body.data!.createSubfolder).toMatchObject({ userErrors: [], folder: { name, parent: null } });
    expect(posts()).toBe(1);
    expect(stack.apiCalls({ method: 'GET', path: new RegExp(`/workspaces/${ws}/children$`) })).toBe(1);
    expect(await named(ws, name, 'workspace')).toHaveLength(1);
  });

  it('a truncated reply to a create that happened: found, one folder', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'truncate' } });
    const res = await stack.gql(CREATE, { input: { parentId, name: 'Half an answer' } });
    expect(res.body.data!.createSubfolder).toMatchObject({ userErrors: [], folder: { name: 'Half an answer' } });
    expect(posts()).toBe(1);
    expect(await named(parentId, 'Half an answer')).toHaveLength(1);
  });

  it('with a key, a repeat after a recovered create is a replay', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'afterSuccess', status: 500 } });
    const input = { parentId, name: 'Recovered', idempotencyKey: randomUUID() };
    const first = await stack.gql(CREATE, { input });
    const second = await stack.gql(CREATE, { input });
    expect(second.body.data!.createSubfolder).toMatchObject({ replayed: true, folder: { id: first.body.data!.createSubfolder.folder.id } });
    expect(posts()).toBe(1);
    expect(await named(parentId, 'Recovered')).toHaveLength(1);
  });

  it('503 before the create: UPSTREAM_UNAVAILABLE saying the parent was checked; a retry with the key looks again, then creates once', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'status', status: 503 } });
    const input = { parentId, name: 'Unavailable', idempotencyKey: randomUUID() };
    const failed = await stack.gql(CREATE, { input });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.body.errors![0]!.extensions).toMatchObject({ parentChecked: true });
    expect(failed.body.errors![0]!.message).toMatch(/not among the parent's folders/);
    expect(posts()).toBe(1);
    expect(childListings()).toBe(1);
    expect(await named(parentId, 'Unavailable')).toHaveLength(0);

    stack.resetCounts();
    const retried = await stack.gql(CREATE_BARE, { input });
    expect(retried.body.data!.createSubfolder).toMatchObject({ replayed: false, userErrors: [], folder: { name: 'Unavailable' } });
    // Looked in the parent first (the folder could have appeared since), then sent once.
    expect(childListings()).toBe(1);
    expect(posts()).toBe(1);
    expect(stack.apiCalls()).toBe(2); // the parent's kind was remembered: no lookup
    expect(await named(parentId, 'Unavailable')).toHaveLength(1);

    stack.resetCounts();
    const again = await stack.gql(CREATE_BARE, { input });
    expect(again.body.data!.createSubfolder).toMatchObject({ replayed: true, folder: { id: retried.body.data!.createSubfolder.folder.id } });
    expect(stack.apiCalls()).toBe(0);
  });

  it('a create stalled past the timeout (dropped unprocessed): the outcome is unknown; retries only look while iManage may still run it, then one creates', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'stall' } });
    const input = { parentId, name: 'Stalled', idempotencyKey: randomUUID() };
    const failed = await stack.gql(CREATE, { input });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.body.errors![0]!.message).toMatch(/did not answer in time while creating the folder and may still be creating it/);
    expect(failed.body.errors![0]!.extensions).toMatchObject({ parentChecked: false });
    expect(posts()).toBe(1);
    expect(childListings()).toBe(1);
    expect(await named(parentId, 'Stalled')).toHaveLength(0);

    // Within twice the call timeout of the first send, a retry looks and sends nothing.
    stack.resetCounts();
    const early = await stack.gql(CREATE, { input });
    expect(codes(early)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(early.body.errors![0]!.message).toMatch(/Nothing was sent again/);
    expect(posts()).toBe(0);
    // Past it, a retry looks once more and sends.
    await expect
      .poll(async () => (await stack.gql(CREATE_BARE, { input })).body.data?.createSubfolder?.folder?.name ?? null, { timeout: 10_000, interval: 250 })
      .toBe('Stalled');
    expect(posts()).toBe(1);
    expect(await named(parentId, 'Stalled')).toHaveLength(1);
  });

  it('a create iManage commits after the timeout: a keyed retry in the meantime only looks, so one folder is made', async () => {
    const parentId = await freshParent();
    // iManage carries the create out 1.8 s after it arrived; the facade gives up at 1 s.
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'commitLate', ms: 1800 } });
    const input = { parentId, name: 'Slow create', idempotencyKey: randomUUID() };
    const failed = await stack.gql(CREATE_BARE, { input });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.body.errors![0]!.extensions).toMatchObject({ parentChecked: false });
    expect(failed.body.errors![0]!.message).not.toMatch(/safe to ask again|it was not created/);
    // The frontend's "Try again" at once: before iManage's late commit lands, and nothing sent.
    const retried = await stack.gql(CREATE_BARE, { input });
    expect(retried.body.data?.createSubfolder?.folder?.name ?? codes(retried)[0]).toMatch(/^(Slow create|UPSTREAM_UNAVAILABLE)$/);
    // Until iManage has carried out the first call.
    await expect.poll(() => stack.sandbox.log.inFlight(), { timeout: 10_000, interval: 100 }).toBe(0);
    expect(await named(parentId, 'Slow create')).toHaveLength(1);
    const found = await stack.gql(CREATE_BARE, { input });
    const [folder] = await named(parentId, 'Slow create');
    expect(found.body.data!.createSubfolder.folder).toMatchObject({ id: folder!.id });
    expect(await named(parentId, 'Slow create')).toHaveLength(1);
  });

  it('the look-only window counts from when the create left, not from when it was asked for', async () => {
    const parentId = await freshParent();
    // The create is refused with a 401 first, and renewing the token takes 0.9 s: the create sent again
    // leaves 0.9 s after it was asked for. iManage carries that one out 1.8 s after it arrived, past the
    // facade's 1 s wait; the look in the parent that follows takes 0.5 s. So the answer comes 1.5 s
    // after the create left: past 2 s after it was asked for, inside 2 s of its leaving.
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, times: 1, kind: { type: 'status', status: 401 } });
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, times: 1, kind: { type: 'commitLate', ms: 1800 } });
    stack.sandbox.knobs.injectFault({ method: 'POST', path: '/auth/oauth2/token', times: 1, kind: { type: 'stall', ms: 900 } });
    stack.sandbox.knobs.injectFault({ method: 'GET', path: /\/children$/, times: 1, kind: { type: 'stall', ms: 500 } });
    const input = { parentId, name: 'Renewed create', idempotencyKey: randomUUID() };
    const failed = await stack.gql(CREATE_BARE, { input });
    expect(failed.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', parentChecked: false });
    // At once: over 2 s after the create was asked for, but not after the one that went.
    const early = await stack.gql(CREATE_BARE, { input });
    expect(early.body.errors?.[0]?.message ?? '').toMatch(/Nothing was sent again/);
    await expect.poll(() => stack.sandbox.log.inFlight(), { timeout: 10_000, interval: 100 }).toBe(0);
    expect(await named(parentId, 'Renewed create')).toHaveLength(1);
    expect(stack.sandbox.log.count({ method: 'POST', path: SUBFOLDERS })).toBe(2);
  });

  it('without a key, a create that timed out is not said to be absent: the parent is to be checked before asking again', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'stall' } });
    const failed = await stack.gql(CREATE_BARE, { input: { parentId, name: 'Slow unkeyed' } });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.body.errors![0]!.extensions).toMatchObject({ parentChecked: false });
    expect(failed.body.errors![0]!.message).toMatch(/may still be creating it.*Check the parent in a few seconds before creating the folder again/);
    expect(failed.body.errors![0]!.message).not.toMatch(/safe to ask again/);
  });

  it('a create that iManage carries out after the facade gave up is found by the retry, not made twice', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'stall' } });
    const input = { parentId, name: 'Late', description: 'Arrives late', idempotencyKey: randomUUID() };
    const failed = await stack.gql(CREATE_BARE, { input });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    // The sandbox drops a stalled request; a real server may still run it. Play that part by hand.
    const { access_token } = await login(stack.sandbox, 'demo');
    const late = await call(stack.sandbox, access_token, 'POST', `${libBase(stack.sandbox)}/folders/${parentId}/subfolders`, {
      json: { name: 'Late', description: 'Arrives late', default_security: 'inherit' },
    });
    expect(late.status).toBe(201);

    stack.resetCounts();
    const retried = await stack.gql(CREATE_BARE, { input });
    expect(retried.body.data!.createSubfolder).toMatchObject({ userErrors: [], folder: { id: late.body.data.id } });
    expect(posts()).toBe(0);
    expect(childListings()).toBe(1);
    expect(await named(parentId, 'Late')).toHaveLength(1);
  });

  it('without a key, a lost answer with nothing created is UPSTREAM_UNAVAILABLE, and nothing is sent twice', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'reset' } });
    const failed = await stack.gql(CREATE, { input: { parentId, name: 'Reset' } });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(posts()).toBe(1);
    expect(await named(parentId, 'Reset')).toHaveLength(0);
  });

  it('when the parent cannot be checked either, says that the outcome is not known', async () => {
    const parentId = await freshParent();
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'afterSuccess', status: 500 } });
    stack.sandbox.knobs.injectFault({ method: 'GET', path: /\/children$/, kind: { type: 'status', status: 500 }, times: Infinity });
    const input = { parentId, name: 'Unknown', idempotencyKey: randomUUID() };
    const failed = await stack.gql(CREATE, { input });
    expect(codes(failed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.body.errors![0]!.extensions).toMatchObject({ parentChecked: false });
    expect(posts()).toBe(1);

    // iManage recovers: the retry finds the folder the first call made, and sends nothing.
    stack.sandbox.knobs.clearFaults();
    stack.resetCounts();
    const retried = await stack.gql(CREATE, { input });
    expect(retried.body.data!.createSubfolder).toMatchObject({ userErrors: [], folder: { name: 'Unknown' } });
    expect(posts()).toBe(0);
    expect(await named(parentId, 'Unknown')).toHaveLength(1);
  });
});

describe('looking for a lost create reads every folder of the parent, by cursor', () => {
  /** Adds `count` folders to `parentId` straight through the sandbox's API (no facade). */
  async function addFolders(parentId: string, count: number, label: string): Promise<void> {
    const { access_token } = await login(stack.sandbox, 'demo');
    for (let i = 0; i < count; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, async (_, j) => {
          const res = await call(stack.sandbox, access_token, 'POST', `${libBase(stack.sandbox)}/folders/${parentId}/subfolders`, {
            json: { name: `${label} ${String(i + j).padStart(4, '0')}` },
          });
          if (res.status !== 201) throw new Error(`seed: ${res.status}`);
        }),
      );
    }
    stack.resetCounts();
  }

  it('finds the folder on the second iManage page of a parent with more than 500 folders', async () => {
    const parentId = await freshParent();
    await addFolders(parentId, 500, 'Filler');
    stack.sandbox.knobs.injectFault({ method: 'POST', path: SUBFOLDERS, kind: { type: 'afterSuccess', status: 500 } });
    // Sorted by name, "Zz…" comes after the 500 fillers: on iManage's second page of 500.
    const res = await stack.gql(CREATE_BARE, { input: { parentId, name: 'Zz created last' } });
    expect(res.body.data!.createSubfolder).toMatchObject({ userErrors: [], folder: { name: 'Zz created last' } });
    expect(posts()).toBe(1);
    const listings = stack.sandbox.log.entries().filter((e) => e.method === 'GET' && /\/children$/.test(e.path));
    expect(listings.map((e) => ({ ...e.query, cursor: e.query.cursor === undefined ? 'none' : 'some' }))).toEqual([
      { exclude_docs: 'true', paging_mode: 'standard_cursor', limit: '500', total: 'true', cursor: 'none' },
      { exclude_docs: 'true', paging_mode: 'standard_cursor', limit: '500', total: 'true', cursor: 'some' },
    ]);
    expect(await named(parentId, 'Zz created last')).toHaveLength(1);
  });

  it('reads a bounded number of pages: past them, and from a server that repeats pages, a typed error', async () => {
    const parentId = await freshParent();
    await addFolders(parentId, 5, 'Item');
    const connection = await stack.services.connections.forUser('demo');
    const client = new IManageClient(stack.services.upstream, connection!);
    const target: ReconcileTarget = {
      parent: { kind: 'folder', id: parseContainerId(parentId)! },
      body: { name: 'Item 0004', default_security: 'inherit' },
      owner: stack.sandbox.users.demo!.id,
      since: Date.now() - 60_000,
    };
    // Five folders, two a page: three pages are enough, two are not.
    expect((await findCreatedFolder(client, target, { pageSize: 2, maxPages: 3 }))?.name).toBe('Item 0004');
    await expect(findCreatedFolder(client, target, { pageSize: 2, maxPages: 2 })).rejects.toBeInstanceOf(ReconcileLimitError);
    stack.sandbox.knobs.injectFault({ path: /\/children$/, times: Infinity, kind: { type: 'ignorePaging' } });
    await expect(findCreatedFolder(client, target, { pageSize: 2, maxPages: 3 })).rejects.toBeInstanceOf(IManageProtocolError);
  });

  it("fails, rather than reports the folder absent, when iManage pages a workspace's root by offset", async () => {
    // Reference §4.2 lists no cursor paging for workspace children: a server may page them by offset.
    const ws = stack.sandbox.ids.workspaceWithDeepTree;
    const roots = await childrenInSandbox(stack, ws, 'workspace');
    expect(roots.length).toBeGreaterThan(5);
    const connection = await stack.services.connections.forUser('demo');
    const client = new IManageClient(stack.services.upstream, connection!);
    // The last root folder by name: past the first page of five.
    const last = roots.at(-1)!;
    const target: ReconcileTarget = {
      parent: { kind: 'workspace', id: parseContainerId(ws)! },
      body: { name: last.name, default_security: last.default_security },
      owner: last.owner,
      since: 0,
    };
    expect((await findCreatedFolder(client, target, { pageSize: 5, maxPages: 10 }))?.id).toBe(last.id);
    stack.sandbox.knobs.injectFault({
      path: /\/workspaces\/[^/]+\/children$/,
      times: Infinity,
      kind: { type: 'ignoreParams', names: ['paging_mode', 'cursor'] },
    });
    await expect(findCreatedFolder(client, target, { pageSize: 5, maxPages: 10 })).rejects.toBeInstanceOf(IManageUnpagedListError);
  });
});
