import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { sendMultipart, UPLOAD_DOCUMENT } from './helpers/multipart.js';
import { useStack } from './helpers/stack.js';

/**
 * An upload whose idempotencyKey another call holds waits for that call, but never past its own
 * operation's deadline (OPERATION_DEADLINE_MS). Here one iManage call may take 10 s and an upload's
 * transfer up to REQUEST_TIMEOUT_MS, so the wait's own bound (the held call's worst case, capped at
 * 60 s) is far past the deadline of 0.5 s.
 */
const stack = useStack({ env: { IMANAGE_TIMEOUT_MS: '10000', OPERATION_DEADLINE_MS: '500' } });

type Answer = { data?: { uploadDocument?: { document: { size: number | null } | null; userErrors: Array<{ code: string }> } | null } | null };

async function upload(input: Record<string, unknown>, body: Buffer | (() => Readable), size?: number): Promise<Answer> {
  const res = await sendMultipart({
    url: stack.url,
    token: await stack.token('demo'),
    operations: { query: UPLOAD_DOCUMENT, variables: { input: { file: null, ...input } } },
    map: { '0': ['variables.input.file'] },
    files: [{ part: '0', fileName: 'Held.docx', body, ...(size === undefined ? {} : { size }) }],
  });
  return (await res.body.json()) as Answer;
}

describe('waiting on an upload that holds the idempotencyKey', () => {
  it('answers IDEMPOTENCY_KEY_IN_PROGRESS by the operation deadline, while the first is still sending its file', { timeout: 20_000 }, async () => {
    const folderId = stack.sandbox.ids.emptyFolder;
    const input = { folderId, name: `Held ${randomUUID()}`, idempotencyKey: randomUUID() };
    // The first call's file arrives slowly: the key is held while it streams to iManage.
    const slow = new Readable({ read() {} });
    slow.push(Buffer.alloc(1000, 1));
    let firstSettled = false;
    const first = upload(input, () => slow, 2000).finally(() => (firstSettled = true));
    try {
      await vi.waitFor(() => expect(stack.sandbox.log.inFlight()).toBe(1), { timeout: 5000, interval: 10 });
      // Without the cap this waits for the first call (up to 60 s), past this test's timeout.
      const second = await upload(input, Buffer.alloc(2000, 1));
      expect(second.data!.uploadDocument).toMatchObject({ document: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' }] });
      expect(firstSettled).toBe(false);
    } finally {
      slow.push(Buffer.alloc(1000, 1));
      slow.push(null);
    }
    expect((await first).data!.uploadDocument!.document).toMatchObject({ size: 2000 });
  });
});
