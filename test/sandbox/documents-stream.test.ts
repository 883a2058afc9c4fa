import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentSha256, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, libBase, login } from './helpers.js';

/**
 * A multi-GiB download streams with constant memory (bytes are generated as the client reads them),
 * and a client that hangs up stops the generation. Memory, not time, is asserted.
 */

let sb: Sandbox;
let demo: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
});
afterAll(async () => {
  await sb.close();
});

const MiB = 1024 * 1024;

function downloadUrl(id: string): URL {
  return new URL(`${libBase(sb)}/documents/${id}/download`, sb.url);
}

describe('streamed downloads', () => {
  it('streams the 2.5 GiB document whole: every byte arrives, sampled ranges hash as expected, memory stays flat', { timeout: 300_000 }, async () => {
    const id = sb.ids.largeDocument;
    const size = (await get(sb, demo, `${libBase(sb)}/documents/${id}`)).body.data.size as number;
    expect(size).toBeGreaterThan(2.5 * 1024 * MiB);
    // Ranges at the start, across the 2 GiB boundary, unaligned in the middle, and at the end.
    const samples: Array<[number, number]> = [
      [0, 4095],
      [2 ** 31 - 3000, 2 ** 31 + 5000],
      [1_000_000_007, 1_000_070_000],
      [size - 4096, size - 1],
    ];
    const captured = samples.map(([start, end]) => Buffer.alloc(end - start + 1));

    const res = await fetch(downloadUrl(id), { headers: { 'x-auth-token': demo } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(size));
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let received = 0;
    let reads = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      samples.forEach(([start, end], i) => {
        const from = Math.max(start, received);
        const to = Math.min(end + 1, received + value.length);
        if (from < to) captured[i]!.set(value.subarray(from - received, to - received), from - start);
      });
      received += value.length;
      if (++reads % 256 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(received).toBe(size);
    samples.forEach(([start, end], i) => {
      expect(createHash('sha256').update(captured[i]!).digest('hex'), `${start}-${end}`).toBe(documentSha256(id, 1, start, end));
    });
    // Holding the body would take 2.5 GiB; streaming keeps growth to buffers in flight.
    expect(peak - baseline).toBeLessThan(256 * MiB);
  });

  it('stops generating when the client hangs up: the request leaves flight without the rest being produced', { timeout: 60_000 }, async () => {
    sb.log.clear();
    const controller = new AbortController();
    const res = await fetch(downloadUrl(sb.ids.largeDocument), { headers: { 'x-auth-token': demo }, signal: controller.signal });
    const reader = res.body!.getReader();
    let received = 0;
    while (received < 4 * MiB) received += (await reader.read()).value!.length;
    expect(sb.log.inFlight()).toBe(1);
    controller.abort();
    await vi.waitFor(() => expect(sb.log.inFlight()).toBe(0), { timeout: 30_000, interval: 20 });
    expect(sb.log.entries().at(-1)).toMatchObject({ path: expect.stringMatching(/\/download$/), status: 200 });
    // The sandbox still answers afterwards.
    expect((await get(sb, demo, `${libBase(sb)}/documents/${sb.ids.textDocument}`)).status).toBe(200);
  });
});
