import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderBrowser } from '../../examples/folder-browser/server.js';
import { chromiumSkipReason, type BrowserSession } from '../helpers/chromium.js';
import { signInAtIManage, startExampleApp, type ExampleApp } from '../helpers/exampleApp.js';
import type { Stack } from '../helpers/stack.js';

/**
 * Linking CSRF, end to end in Chromium (issue 15, item 1). The attacker, an app user of the same
 * embedding app, asks for a connect ticket of their own and sends the victim's browser to it (a link,
 * an image, a redirect: any top-level navigation). The victim's browser goes through iManage (where
 * SSO and consent would make it silent; the sandbox asks for the password, so the test types it) and
 * comes back to the app with a pending link. The victim's app session confirms it, as the example app
 * does on return, and is refused: the link was started by the attacker, so it is discarded and its
 * tokens revoked. The attacker never gets the link's id, and even with it has nothing left to confirm.
 * Then the honest flow: one click on the app's side, and the victim's account is linked to the victim.
 * Screenshots: test-artifacts/connect-hijack-*.png.
 */

const VICTIM = 'victim';
const ATTACKER = 'mallory';
const title = chromiumSkipReason ? `linking CSRF in Chromium (${chromiumSkipReason})` : 'linking CSRF in Chromium';
const START = `mutation($returnTo: String!) { startIManageConnection(returnTo: $returnTo) { url } }`;
const CONFIRM = `mutation($link: String!) { confirmIManageConnection(link: $link) { imanage { status userId } } }`;
const VIEWER = `{ viewer { imanage { status userId } } }`;

describe.skipIf(chromiumSkipReason !== null)(title, () => {
  let run: ExampleApp;
  let stack: Stack;
  let app: FolderBrowser;
  let session: BrowserSession;
  /** Every URL the victim's page was sent to. */
  const visited: string[] = [];

  beforeAll(async () => {
    run = await startExampleApp({ appUser: VICTIM });
    ({ stack, app, session } = run);
    session.page.on('framenavigated', (frame) => {
      if (frame === session.page.mainFrame()) visited.push(frame.url());
    });
  }, 60_000);

  afterAll(async () => {
    await run?.close();
  });

  it("does not link the victim's iManage account to the attacker who sent the victim's browser through the flow", async () => {
    const { page } = session;
    // The victim is signed in to the app, not connected yet.
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'Connect iManage' }).waitFor();

    // The attacker's own ticket, for the app's page (any returnTo must be within ALLOWED_RETURN_URLS).
    const ticket = await stack.gql(START, { returnTo: `${app.url}/` }, { user: ATTACKER });
    const attackUrl = ticket.body.data!.startIManageConnection.url as string;
    stack.sandbox.log.clear();

    // The attacker's page navigates the victim's browser to it.
    await page.goto(attackUrl);
    await signInAtIManage(run);
    const notice = page.locator('#notice');
    await expect.poll(() => notice.innerText()).toContain('was not started from your account');
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('button', { name: 'Connect iManage' }).waitFor();
    await session.screenshot('connect-hijack-refused');

    // The victim's browser came back with the link's id; the victim's session confirming it was refused.
    const returned = visited.map((url) => new URL(url)).find((url) => url.origin === new URL(app.url).origin && url.searchParams.get('imanage') === 'pending');
    const link = returned?.searchParams.get('link');
    expect(link).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Nobody is linked, the tokens iManage issued are revoked, and the link is gone: even an attacker
    // who learnt its id gets nothing; the ticket cannot be used again either.
    expect((await stack.gql(VIEWER, {}, { user: ATTACKER })).body.data!.viewer.imanage).toEqual({ status: 'NOT_CONNECTED', userId: null });
    expect((await stack.gql(VIEWER, {}, { user: VICTIM })).body.data!.viewer.imanage).toEqual({ status: 'NOT_CONNECTED', userId: null });
    expect(stack.sandbox.log.count({ method: 'POST', path: '/auth/oauth2/revoke-token' })).toBe(2);
    const attackerConfirm = await stack.gql(CONFIRM, { link }, { user: ATTACKER });
    expect(attackerConfirm.body.data).toBeNull();
    expect(attackerConfirm.body.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect((await stack.gql(VIEWER, {}, { user: ATTACKER })).body.data!.viewer.imanage.status).toBe('NOT_CONNECTED');
    expect((await fetch(attackUrl, { redirect: 'manual' })).status).toBe(400);
    expect(await stack.services.store.connections.get(ATTACKER)).toBeNull();
    expect(await stack.services.store.connections.get(VICTIM)).toBeNull();
  }, 30_000);

  it('gives an attacker who confirms first (knowing the id) FORBIDDEN when the link is the victim’s', async () => {
    // The reverse: the victim's own flow, and the attacker tries its link id before the victim's page does.
    const ticket = await stack.gql(START, { returnTo: `${app.url}/` }, { user: VICTIM });
    const { page } = session;
    const returning = (url: URL) => url.origin === new URL(app.url).origin && url.searchParams.has('imanage');
    await page.route(returning, (route) => route.abort()); // hold the victim's page before it confirms
    await page.goto(ticket.body.data!.startIManageConnection.url).catch(() => {});
    await page.waitForURL(/\/auth\/oauth2\/authorize/);
    await page.fill('#username', stack.sandbox.users.demo!.id);
    await page.fill('#password', stack.sandbox.users.demo!.password);
    const back = page.waitForRequest((request) => returning(new URL(request.url())));
    await page.getByRole('button', { name: 'Allow' }).click();
    const link = new URL((await back).url()).searchParams.get('link');
    // Held until the attacker has tried: unrouting earlier races the abort of the page's own return.
    const stolen = await stack.gql(CONFIRM, { link }, { user: ATTACKER });
    await page.unroute(returning);
    expect(stolen.body.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await stack.gql(VIEWER, {}, { user: ATTACKER })).body.data!.viewer.imanage.status).toBe('NOT_CONNECTED');
    expect(await stack.services.store.connections.get(ATTACKER)).toBeNull();
  }, 30_000);

  it('links the honest flow with one click on the app side', async () => {
    const { page } = session;
    await page.goto(`${app.url}/`);
    const connect = page.getByRole('button', { name: 'Connect iManage' });
    await connect.waitFor();
    await connect.click(); // the one click
    await signInAtIManage(run);
    await page.getByText('Your iManage account is connected.').waitFor();
    expect(new URL(page.url()).search).toBe('');
    // The notice comes with the confirmation; the account line once the app has read the viewer after it.
    const connected = `${VICTIM} · iManage: ${stack.sandbox.users.demo!.id}`;
    await page
      .locator('#account', { hasText: connected })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    await expect(page.locator('#account').innerText()).resolves.toContain(connected);
    expect((await stack.gql(VIEWER, {}, { user: VICTIM })).body.data!.viewer.imanage).toEqual({ status: 'CONNECTED', userId: stack.sandbox.users.demo!.id });
    expect((await stack.gql(VIEWER, {}, { user: ATTACKER })).body.data!.viewer.imanage.status).toBe('NOT_CONNECTED');
    await session.screenshot('connect-hijack-honest');
  }, 30_000);
});
