import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { freePort } from './helpers/stack.js';

/**
 * Graceful drain, on the real process: `npm start` in sandbox mode with iManage slowed down
 * (SANDBOX_LATENCY_MS), a request in flight, then SIGTERM. The request completes, new connections
 * are refused, and the process exits 0.
 */

const LATENCY_MS = 1_500;
let server: ServerProcess;
let base: string;
const dataDir = mkdtempSync(join(tmpdir(), 'imanage-graphql-drain-'));

/** The JSON log lines printed so far; a line still being written is left for the next look. */
const logLines = (stdout = server.stdout) =>
  stdout
    .slice(0, stdout.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; yoga?: string[] });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: 'debug',
      DATABASE_URL: join(dataDir, 'store.sqlite'),
      SANDBOX_LATENCY_MS: String(LATENCY_MS),
    },
  });
  await server.until(/Dev token \(7 days\): \S+/, 'the dev token', 15_000);
}, 20_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, and exits 0', async () => {
    const token = /Dev token \(7 days\): (\S+)/.exec(server.stdout)![1]!;
    const inFlight = fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ customer { libraries { id } } }' }),
    });
    // Yoga logs (at debug) when it starts on a request: from then on it is in flight, waiting on iManage.
    await server.until(
      (stdout) => logLines(stdout).some((l) => l.yoga?.some((m) => m.includes('Processing GraphQL Parameters'))),
      'the request to be in flight',
      15_000,
    );
    server.child.kill('SIGTERM');
    await server.until((stdout) => logLines(stdout).some((l) => l.msg === 'draining'), 'draining', 15_000);

    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.customer.libraries.length).toBeGreaterThan(0);

    expect(await server.exited).toBe(0);
    expect(logLines().map((l) => l.msg)).toContain('stopped');
  });
});
