import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleTabs } from '../../src/graphql/examples.js';
import { graphiqlAssetsDir } from '../../src/graphql/graphiql.js';
import { chromiumSkipReason, openBrowser, type BrowserSession } from '../helpers/chromium.js';
import { startProcess, type ServerProcess } from '../helpers/process.js';
import { freePort } from '../helpers/stack.js';

/**
 * GraphiQL as a newcomer meets it: `npm start` in sandbox mode, opened in headless Chromium. It loads
 * with nothing from outside this machine, opens with the example tabs and the dev token, runs the
 * first tab against the sandbox, and its docs explorer describes `Folder`. Screenshots go to
 * test-artifacts/graphiql-*.png.
 */

/** An element's text as a person reads it (Monaco renders spaces as no-break spaces). */
const textOf = async (locator: { innerText(): Promise<string> }) => (await locator.innerText()).replace(/\u00a0/g, ' ');

const title = chromiumSkipReason ? `GraphiQL in Chromium (${chromiumSkipReason})` : 'GraphiQL in Chromium';

describe.skipIf(chromiumSkipReason !== null)(title, () => {
  let server: ServerProcess;
  let base: string;
  let token: string;
  let session: BrowserSession;
  /** Every URL the page asked for: all of them must be this server (or the page's own blobs). */
  const requested: string[] = [];

  beforeAll(async () => {
    // Without the package, GraphiQL's page would ask unpkg.com for its code: fail here, and say why.
    if (!graphiqlAssetsDir())
      throw new Error('GraphiQL is served from the @graphql-yoga/graphiql package, which is not installed: npm install @graphql-yoga/graphiql');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}),
        PORT: String(port),
        DATABASE_URL: 'sqlite::memory:',
        LOG_LEVEL: 'warn',
      },
    });
    await server.until(/Dev token \(7 days\): \S+/, 'the dev token', 20_000);
    token = /Dev token \(7 days\): (\S+)/.exec(server.stdout)![1]!;
    session = await openBrowser();
    session.page.on('request', (request) => requested.push(request.url()));
  }, 40_000);

  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });

  it('loads from this server alone, opens the example tabs with the dev token, and runs the first one', async () => {
    const { page } = session;
    await page.goto(`${base}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });

    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    expect(tabs.map((tab) => tab.trim())).toEqual([
      'BrowseMatters',
      'FolderPage',
      'FolderPath',
      'CreateFolder',
      'WhoAmI',
      'FindFolders',
      'FolderDocuments',
      'FindDocuments',
    ]);
    await page
      .getByRole('button', { name: /headers/i })
      .first()
      .click();
    await expect.poll(() => textOf(page.locator('.graphiql-editor-tool'))).toContain(`Bearer ${token.slice(0, 20)}`);

    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => textOf(page.locator('.graphiql-response')), { timeout: 15_000 }).toContain('Acme Corp');
    const response = await textOf(page.locator('.graphiql-response'));
    expect(response).toContain('"ACTIVE_US"');
    expect(response).not.toContain('"errors"');
    await session.screenshot('graphiql-run');

    const outside = requested.filter((url) => !url.startsWith(`${base}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(outside, 'GraphiQL asked for something outside this server').toEqual([]);
    // Nothing failed (the page declares no icon; should a browser ask for /favicon.ico anyway, it gets 204).
    expect(session.problems).toEqual([]);
  }, 40_000);

  it('opens every example tab on its first click and runs it without errors', async () => {
    const { page } = session;
    const tabs = page.locator('.graphiql-tab');
    for (const [index, example] of exampleTabs.entries()) {
      const name = /^(?:query|mutation) (\w+)/m.exec(example.query)![1]!;
      await tabs.nth(index).click();
      await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 5_000 }).toBe(name);
      const firstLine = example.query.split('\n')[0]!;
      await expect.poll(() => textOf(page.locator('.graphiql-query-editor'))).toContain(firstLine);
      // GraphiQL works out the operation to run from the editor a moment after a tab changes; ▶ pressed
      // within that moment sends the previous tab's operation name ("Cannot infer operation"), as a
      // person would not. Not an assertion on time: the answer is checked below.
      await page.waitForTimeout(600);
      await page.locator('.graphiql-execute-button').click();
      await expect.poll(() => textOf(page.locator('.graphiql-response')), { timeout: 15_000 }).toContain('"data"');
      const response = await textOf(page.locator('.graphiql-response'));
      expect(response, `${name}: ${response}`).not.toContain('"errors"');
      await session.screenshot(`graphiql-tab-${index}-${name}`);
    }
    expect(session.problems.filter((problem) => !/favicon/.test(problem))).toEqual([]);
  }, 120_000);

  it('documents Folder in the docs explorer, every field with its description', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer-search input').fill('Folder');
    await page.locator('.graphiql-doc-explorer-search [role=option]', { hasText: /^Folder$/ }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => textOf(docs)).toContain('An iManage folder inside a workspace.');
    const text = await textOf(docs);
    expect(text).toContain("The folder's name as users see it in iManage.");
    expect(text).toContain('subfolders');
    expect(text).toContain('The folders directly inside this one');
    await session.screenshot('graphiql-docs');
  }, 20_000);
});
