import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core: no browser download, no network beyond loopback. The
 * flags keep Chromium from calling home (this machine refuses those connections, many at a time);
 * Playwright gives every launch a new, empty profile directory and deletes it on close.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where screenshots go (git-ignored); kept after the run for people to look at. */
export const ARTIFACTS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../test-artifacts');

/**
 * Why browser tests cannot run here, or null when they can. Only a developer's machine without
 * Chromium skips; in CI (`CI` set) a missing Chromium is a failure, since `.ci/run` installs it.
 */
export const chromiumSkipReason: string | null =
  existsSync(CHROMIUM_PATH) || process.env.CI
    ? null
    : `browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium); CI installs it and runs them`;
if (chromiumSkipReason) console.warn(chromiumSkipReason);

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every console error, page error and HTTP error response, to show when a step fails. */
  readonly problems: string[];
  /** Saves test-artifacts/<name>.png: the viewport, or with `fullPage` the whole page. */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return {
    browser,
    context,
    page,
    problems,
    async screenshot(name, options = {}) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: options.fullPage ?? false });
      return path;
    },
    async close() {
      await context.close().catch(() => {});
      await browser.close();
    },
  };
}
