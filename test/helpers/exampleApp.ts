import { expect } from 'vitest';
import { startFolderBrowser, type FolderBrowser } from '../../examples/folder-browser/server.js';
import { openBrowser, type BrowserSession } from './chromium.js';
import { freePort, startStack, TEST_JWT_SECRET, type Stack } from './stack.js';

/**
 * What the browser tests drive: the facade and the sandbox (a stack with nobody connected), the example
 * folder browser signed in as one app user, and a Chromium page.
 */
export interface ExampleApp {
  readonly stack: Stack;
  readonly app: FolderBrowser;
  readonly session: BrowserSession;
  /** Closes the browser, the app and the stack; whatever started before a failure is closed too. */
  close(): Promise<void>;
}

export async function startExampleApp(options: { appUser: string; loginHint?: string }): Promise<ExampleApp> {
  const appPort = await freePort();
  const appOrigin = `http://127.0.0.1:${appPort}`;
  // The facade, configured as an embedding app would: its page may call /graphql (CORS) and the
  // connect flow may send the browser back to it.
  const stack = await startStack({ env: { CORS_ORIGINS: appOrigin, ALLOWED_RETURN_URLS: `${appOrigin}/` }, connect: [] });
  let app: FolderBrowser | undefined;
  try {
    app = await startFolderBrowser({
      port: appPort,
      graphqlUrl: `${stack.url}/graphql`,
      jwtSecret: TEST_JWT_SECRET,
      appUser: options.appUser,
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    });
    const session = await openBrowser();
    const started = app;
    return {
      stack,
      app: started,
      session,
      async close() {
        await session.close();
        await started.close();
        await stack.close();
      },
    };
  } catch (error) {
    await app?.close();
    await stack.close();
    throw error;
  }
}

/** Signs in on the sandbox's own login page, as the user would, and comes back to the app. */
export async function signInAtIManage({ stack, app, session: { page } }: ExampleApp): Promise<void> {
  await page.waitForURL(/\/auth\/oauth2\/authorize/);
  await expect(page.title()).resolves.toContain('iManage Work');
  await page.fill('#username', stack.sandbox.users.demo!.id);
  await page.fill('#password', stack.sandbox.users.demo!.password);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${app.url}/**`);
}
