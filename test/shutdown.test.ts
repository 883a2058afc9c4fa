import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/stack.js';

/**
 * Graceful drain, on the real process: `npm start` in sandbox mode with iManage slowed down
 * (SANDBOX_LATENCY_MS), a request in flight, then SIGTERM. The request completes, new connections
 * are refused, and the process exits 0.
 */

const LATENCY_MS = 1_500;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let base: string;
const dataDir = mkdtempSync(join(tmpdir(), 'imanage-graphql-drain-'));

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} waiting for ${what}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${stdout} ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const logLines = () =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; yoga?: string[] });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'debug', DATABASE_URL: join(dataDir, 'store.sqlite'), SANDBOX_LATENCY_MS: String(LATENCY_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  await until(() => /Dev token \(7 days\): \S+/.test(stdout), 'the dev token');
}, 20_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, and exits 0', async () => {
    const token = /Dev token \(7 days\): (\S+)/.exec(stdout)![1]!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const inFlight = fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ customer { libraries { id } } }' }),
    });
    // Yoga logs (at debug) when it starts on a request: from then on it is in flight, waiting on iManage.
    await until(() => logLines().some((l) => l.yoga?.some((m) => m.includes('Processing GraphQL Parameters'))), 'the request to be in flight');
    child.kill('SIGTERM');
    await until(() => logLines().some((l) => l.msg === 'draining'), 'draining');

    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.customer.libraries.length).toBeGreaterThan(0);

    expect(await exited).toBe(0);
    expect(logLines().map((l) => l.msg)).toContain('stopped');
  });
});
