import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { freePort } from './helpers/stack.js';

/**
 * `npm start` as a newcomer runs it: src/ compiled to dist/ (prestart), then sandbox mode, the demo user
 * connected, a dev token printed; SIGTERM to npm reaches the server, which drains and exits 0.
 */

let server: ServerProcess;
let port: number;
const dataDir = mkdtempSync(join(tmpdir(), 'imanage-graphql-start-'));

beforeAll(async () => {
  port = await freePort();
  server = startProcess('npm', ['start'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), LOG_LEVEL: 'info', DATABASE_URL: join(dataDir, 'store.sqlite') },
    detached: true,
  });
  await server.until(/Dev token \(7 days\): \S+/, 'the dev token');
}, 40_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start in sandbox mode', () => {
  it('answers the demo user with the sandbox data, opens GraphiQL with the token, and drains on SIGTERM', async () => {
    const { child } = server;
    const token = /Dev token \(7 days\): (\S+)/.exec(server.stdout)![1]!;
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ viewer { id imanage { status } } customer { libraries { id workspaces(first: 5) { edges { node { name folders { edges { node { name subfolders { totalCount } } } } } } } } } }`,
      }),
    });
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer).toEqual({ id: 'demo', imanage: { status: 'CONNECTED' } });
    expect(body.data.customer.libraries.length).toBeGreaterThanOrEqual(2);
    expect(body.data.customer.libraries[0].workspaces.edges.length).toBe(5);

    const page = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toMatch(/graphiql/i);
    expect(html).toContain(token);

    // As a terminal's Ctrl-C or `timeout` signal it: the whole group, npm and the server alike. npm
    // ends at once, by the signal; the server drains, says so, and closes the output it shares with npm.
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    process.kill(-child.pid!, 'SIGTERM');
    await closed;
    expect(server.stdout).toMatch(/"signal":"SIGTERM","msg":"draining"\}\n.*"msg":"stopped"\}/);

    // Every line is out by the exit, the operation's included.
    // The token is printed for the developer, never logged.
    const logLines = server.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.filter((l) => l.includes('"msg":"graphql operation"')).length).toBe(1);
    expect(logLines.join('\n')).not.toContain(token);
  });
});
