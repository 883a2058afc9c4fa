import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderBrowser } from '../../examples/folder-browser/server.js';
import { chromiumSkipReason, type BrowserSession } from '../helpers/chromium.js';
import { signInAtIManage, startExampleApp, type ExampleApp } from '../helpers/exampleApp.js';
import type { Stack } from '../helpers/stack.js';

/**
 * The example app (examples/folder-browser) in headless Chromium against the facade and the sandbox:
 * a new app user connects iManage through the sandbox's login page, opens three levels of folders,
 * pages through the 72 subfolders of the big folder, creates a folder (a refused submit first, its
 * userError beside the field), and reconnects when iManage stops accepting the connection. The tests
 * run in order, one browser page throughout. Screenshots: test-artifacts/folder-browser-*.png.
 */

const APP_USER = 'ada';
const title = chromiumSkipReason ? `the folder browser example in Chromium (${chromiumSkipReason})` : 'the folder browser example in Chromium';

describe.skipIf(chromiumSkipReason !== null)(title, () => {
  let run: ExampleApp;
  let stack: Stack;
  let app: FolderBrowser;
  let session: BrowserSession;
  /** The variables of every createSubfolder the page sent. */
  const creates: Array<{ input: Record<string, unknown> }> = [];

  beforeAll(async () => {
    run = await startExampleApp({ appUser: APP_USER, loginHint: 'Sandbox: sign in as JSMITH, password demo-jsmith.' });
    ({ stack, app, session } = run);
    session.page.on('request', (request) => {
      const body = request.postData();
      if (request.url().endsWith('/graphql') && body?.includes('createSubfolder')) creates.push(JSON.parse(body).variables);
    });
  }, 60_000);

  afterAll(async () => {
    await run?.close();
  });

  const node = (id: string) => session.page.locator(`li[data-node-id="${id}"]`);
  const childrenOf = (id: string) => session.page.locator(`li[data-node-id="${id}"] > ul > li`);

  it('connects a new user through the sandbox login page', async () => {
    const { page } = session;
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'Connect iManage' }).waitFor();
    await expect(page.getByText('Sandbox: sign in as JSMITH').isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Connect iManage' }).click();
    await signInAtIManage(run);

    await page.getByText('Your iManage account is connected.').waitFor();
    expect(new URL(page.url()).search).toBe(''); // `?imanage=pending&link=…` was confirmed and dropped
    await expect(page.locator('#account').innerText()).resolves.toContain(`${APP_USER} · iManage: ${stack.sandbox.users.demo!.id}`);
    // The preferred library opens by itself with its workspaces.
    await childrenOf('ACTIVE_US').first().waitFor();
    const viewer = await stack.gql('{ viewer { imanage { status userId } } }', {}, { user: APP_USER });
    expect(viewer.body.data!.viewer.imanage).toEqual({ status: 'CONNECTED', userId: stack.sandbox.users.demo!.id });
    await session.screenshot('folder-browser-connected');
  }, 30_000);

  it('browses three levels of folders, loading each level only when it is opened', async () => {
    const { page } = session;
    const [litigation, claims, smith] = stack.sandbox.ids.deepFolderPath as [string, string, string];
    const asked = (id: string) => stack.sandbox.log.entries().filter((entry) => JSON.stringify(entry).includes(id)).length;

    await page.getByRole('button', { name: 'Open Acme Corp – Employment Matters (1001-0007)' }).click();
    await node(litigation).waitFor();
    await page.getByRole('button', { name: 'Open Litigation' }).click();
    await node(claims).waitFor();
    // Claims is on screen, but nothing below it has been asked for.
    expect(await childrenOf(claims).count()).toBe(0);
    expect(asked(claims)).toBe(0);

    await page.getByRole('button', { name: 'Open Claims' }).click();
    await node(smith).waitFor();
    expect(asked(claims)).toBeGreaterThan(0);
    await expect(node(smith).locator(':scope > .row > .label').innerText()).resolves.toBe('Smith v. Acme Corp (EEOC Charge 2023-114)');
    await session.screenshot('folder-browser-three-levels');
  }, 30_000);

  it('pages through the 72 subfolders of a big folder with "Load more"', async () => {
    const { page } = session;
    const big = stack.sandbox.ids.bigFolder;
    const more = node(big).locator(':scope > .more');

    await page.getByRole('button', { name: 'Open Correspondence by month' }).click();
    await expect.poll(() => childrenOf(big).count()).toBe(25);
    await expect(more.innerText()).resolves.toBe('Load more (25 so far)');
    await more.click();
    await expect.poll(() => childrenOf(big).count()).toBe(50);
    await expect(more.innerText()).resolves.toBe('Load more (50 so far)');
    await more.click();
    await expect.poll(() => childrenOf(big).count()).toBe(stack.sandbox.ids.bigFolderChildCount);
    await expect(more.isVisible()).resolves.toBe(false);

    const names = await childrenOf(big).locator(':scope > .row > .label').allInnerTexts();
    expect(names[0]).toBe('2019-01');
    expect(names.at(-1)).toBe('2024-12');
    expect(new Set(names).size).toBe(72);
    await expect(node(big).locator(':scope > .row > .count').innerText()).resolves.toBe('72 folders');
    // The whole tree in one picture: the panel's own scrolling off, the full page.
    await page.locator('.tree-section').evaluate((section: HTMLElement) => (section.style.maxHeight = 'none'));
    await session.screenshot('folder-browser-paging', { fullPage: true });
    await page.locator('.tree-section').evaluate((section: HTMLElement) => (section.style.maxHeight = ''));
  }, 30_000);

  it('creates a folder: userErrors beside their field, one idempotency key per submit, the folder in the tree', async () => {
    const { page } = session;
    const notes = stack.sandbox.ids.emptyFolder;
    await node(notes).locator(':scope > .row > .label').click();
    await expect(page.locator('.parent').innerText()).resolves.toContain('Notes');

    // Refused by the service: nothing is created and the reason sits under Name.
    await page.fill('#name', 'x'.repeat(300));
    await page.getByRole('button', { name: 'Create folder' }).click();
    const nameError = page.locator('.field-error[data-for="name"]');
    await expect.poll(() => nameError.innerText()).toContain('TOO_LONG');
    await expect(page.locator('#name').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.fill('#name', 'Client call notes');
    await page.fill('#description', 'Notes of calls with the client');
    await page.fill('#group', 'LITIGATION');
    await page.getByRole('button', { name: 'Create folder' }).click();
    const created = node(notes).locator(':scope > ul > li.fresh');
    await created.waitFor();
    await expect(created.locator(':scope > .row > .label').innerText()).resolves.toBe('Client call notes');
    await expect(nameError.innerText()).resolves.toBe('');
    await expect(page.locator('.form-status').innerText()).resolves.toBe('Created “Client call notes”.');

    // Two submits, two keys; the second was sent with the group trustee.
    expect(creates).toHaveLength(2);
    const [first, second] = creates.map((variables) => variables.input) as [Record<string, unknown>, Record<string, unknown>];
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(second).toMatchObject({ parentId: notes, name: 'Client call notes', groupTrustees: [{ id: 'LITIGATION', accessLevel: 'READ' }] });

    // iManage has it, once.
    const check = await stack.gql(`{ folder(id: "${notes}") { subfolders { edges { node { name description } } } } }`, {}, { user: APP_USER });
    expect(check.body.data!.folder.subfolders.edges).toEqual([{ node: { name: 'Client call notes', description: 'Notes of calls with the client' } }]);
    await session.screenshot('folder-browser-created');
  }, 30_000);

  it("lists a folder's documents and downloads one: the bytes saved are iManage's", async () => {
    const { page } = session;
    const folder = stack.sandbox.ids.folderWithDocuments;
    if (!(await node(folder).isVisible())) await page.getByRole('button', { name: 'Open Acme Corp – Employment Matters (1001-0007)' }).click();
    await node(folder).locator(':scope > .row > .label').click();
    const rows = page.locator('table.documents tbody tr');
    await rows.first().waitFor();
    // The demo user sees four of the five documents filed there (one is private to its author).
    await expect(rows.count()).resolves.toBe(stack.sandbox.ids.folderWithDocumentsCount);
    await expect(page.locator('.documents-status').innerText()).resolves.toContain(
      `${stack.sandbox.ids.folderWithDocumentsCount} of ${stack.sandbox.ids.folderWithDocumentsCount}`,
    );
    const row = rows.filter({ hasText: 'Severance terms – summary.pdf' });
    const documentId = (await row.getAttribute('data-document-id'))!;
    await expect(row.locator('td').nth(1).innerText()).resolves.not.toBe('');

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Download / }).click()]);
    expect(download.suggestedFilename()).toBe('Severance terms – summary.pdf');
    const saved = await readFile((await download.path())!);
    expect(saved.equals(stack.sandbox.documentBytes(documentId))).toBe(true);
    // The browser followed the service's signed link (a navigation, so no Authorization header).
    expect(new URL(download.url()).searchParams.has('link')).toBe(true);
  }, 30_000);

  it('sends the user back to connect when iManage requires a new sign-in (IMANAGE_REAUTH_REQUIRED)', async () => {
    const { page } = session;
    // iManage forgets every session and refuses the refresh token: the next call cannot be made.
    stack.sandbox.knobs.expireAllTokens();
    stack.sandbox.knobs.revokeRefreshTokens();
    await page.getByRole('button', { name: 'Open Research' }).first().click();

    await page.getByRole('heading', { name: 'Reconnect iManage' }).waitFor();
    await session.screenshot('folder-browser-reauth');
    await page.getByRole('button', { name: 'Reconnect iManage' }).click();
    await signInAtIManage(run);
    await page.getByText('Your iManage account is connected.').waitFor();
    await childrenOf('ACTIVE_US').first().waitFor();
    // The sandbox login page has no favicon; nothing else may fail.
    expect(session.problems.filter((problem) => !problem.includes('/favicon.ico'))).toEqual([]);
  }, 30_000);
});
