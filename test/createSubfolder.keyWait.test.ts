import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestHashOf } from '../src/folders/idempotency.js';
import { CREATE_BARE } from './helpers/createSubfolder.js';
import { useStack } from './helpers/stack.js';

/**
 * A call whose idempotencyKey another call holds waits for that call, but never past its own
 * operation's deadline (OPERATION_DEADLINE_MS). Here one iManage call may take 10 s, so the wait's own
 * bound (the held call's worst case, capped at 60 s) is far past the deadline of 0.5 s.
 */
const stack = useStack({ env: { IMANAGE_TIMEOUT_MS: '10000', OPERATION_DEADLINE_MS: '500' } });

describe('waiting on a held idempotencyKey', () => {
  it('answers IDEMPOTENCY_KEY_IN_PROGRESS by the operation deadline, not after the held call’s worst case', { timeout: 20_000 }, async () => {
    const parentId = stack.sandbox.ids.emptyFolder;
    const key = randomUUID();
    const demo = (await stack.services.store.connections.get('demo'))!;
    // Held by a call on another instance that is still running (or died): nothing here wakes the waiter.
    const claim = await stack.services.store.idempotencyKeys.claimIdempotencyKey({
      appUserId: 'demo',
      customerId: demo.customerId,
      imanageUserId: demo.imanageUserId,
      key,
      requestHash: requestHashOf(parentId, { name: 'Held', default_security: 'inherit' }),
      ttlSeconds: 60,
    });
    expect(claim.claimed).toBe(true);
    stack.resetCounts();
    // Without the cap this waits 60 s, past this test's timeout.
    const res = await stack.gql(CREATE_BARE, { input: { parentId, name: 'Held', idempotencyKey: key } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createSubfolder).toMatchObject({ folder: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' }] });
    expect(stack.apiCalls({ method: 'POST' })).toBe(0);
  });
});
