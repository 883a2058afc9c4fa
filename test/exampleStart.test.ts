import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { freePort } from './helpers/stack.js';

/**
 * `npm run example` as a frontend developer runs it: the facade in sandbox mode and the folder
 * browser, wired together (shared JWT secret, CORS, connect-flow return URL), both stopped by one
 * Ctrl-C. The browser half is test/e2e/folderBrowser.test.ts; this checks the wiring over HTTP.
 */

let example: ServerProcess;
let facadePort: number;
let appPort: number;

beforeAll(async () => {
  [facadePort, appPort] = [await freePort(), await freePort()];
  example = startProcess(process.execPath, ['--import', 'tsx', 'examples/folder-browser/start.ts'], {
    env: {
      PATH: process.env.PATH,
      ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}),
      PORT: String(facadePort),
      EXAMPLE_PORT: String(appPort),
    },
  });
  await example.until((stdout) => stdout.includes('Folder browser: '), 'the example to start');
}, 40_000);

afterAll(async () => {
  await example?.stop();
});

describe('npm run example', () => {
  it('serves the page, signs app tokens the facade accepts, lets the page call it and come back from connecting; Ctrl-C stops both', async () => {
    const appOrigin = `http://localhost:${appPort}`;
    expect(example.stdout).toContain(`Folder browser: ${appOrigin}/`);

    const page = await fetch(`http://127.0.0.1:${appPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Folder browser');

    const session = (await (await fetch(`http://127.0.0.1:${appPort}/api/session`)).json()) as { token: string; graphqlUrl: string; user: string };
    expect(session.graphqlUrl).toBe(`http://localhost:${facadePort}/graphql`);

    // What the page does: a cross-origin POST with the app token.
    const graphql = `http://127.0.0.1:${facadePort}/graphql`;
    const res = await fetch(graphql, {
      method: 'POST',
      headers: { origin: appOrigin, 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ query: '{ viewer { id imanage { status } } }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(appOrigin);
    const body = (await res.json()) as { data: { viewer: { id: string; imanage: { status: string } } } };
    expect(body.data.viewer).toEqual({ id: session.user, imanage: { status: 'NOT_CONNECTED' } });

    // The connect flow accepts the example's page as the place to come back to.
    const started = await fetch(graphql, {
      method: 'POST',
      headers: { origin: appOrigin, 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ query: 'mutation($r: String!) { startIManageConnection(returnTo: $r) { url } }', variables: { r: `${appOrigin}/` } }),
    });
    const { url } = ((await started.json()) as { data: { startIManageConnection: { url: string } } }).data.startIManageConnection;
    expect(url).toMatch(new RegExp(`^http://localhost:${facadePort}/connect/imanage\\?ticket=`));
    const connect = new URL(url);
    connect.hostname = '127.0.0.1';
    const redirect = await fetch(connect, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/\/auth\/oauth2\/authorize\?/);

    example.child.kill('SIGINT');
    expect(await example.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${facadePort}/healthz`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${appPort}/`)).rejects.toThrow();
  }, 30_000);
});
