import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startFolderBrowser } from './server.js';

/**
 * `npm run example`: the GraphQL facade in sandbox mode (a child process, as `npm start` runs it) and
 * the folder browser beside it, wired the way an embedding app would be:
 *
 *   AUTH_JWT_SECRET      one secret shared by both: the example's backend signs, the facade verifies
 *   CORS_ORIGINS         the example's origin, so its page may call /graphql
 *   ALLOWED_RETURN_URLS  the example's origin, so the connect flow may send the browser back to it
 *
 * PORT (facade, 4000) and EXAMPLE_PORT (page, 5173) choose the ports. Ctrl-C stops both.
 */

const facadePort = Number(process.env.PORT ?? 4000);
const appPort = Number(process.env.EXAMPLE_PORT ?? 5173);
const secret = process.env.AUTH_JWT_SECRET ?? randomBytes(32).toString('base64url');
const facadeUrl = `http://localhost:${facadePort}`;
// The page may be opened as localhost or 127.0.0.1: both are allowed origins and return URLs.
const appOrigins = [`http://localhost:${appPort}`, `http://127.0.0.1:${appPort}`];
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const facade = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: repoRoot,
  env: {
    ...process.env,
    IMANAGE_BASE_URL: '', // sandbox mode, always
    PORT: String(facadePort),
    PUBLIC_URL: facadeUrl,
    AUTH_JWT_SECRET: secret,
    CORS_ORIGINS: appOrigins.join(','),
    ALLOWED_RETURN_URLS: appOrigins.map((origin) => `${origin}/`).join(','),
    // Sandbox connections do not outlive a restart anyway; keep them out of ./data.
    DATABASE_URL: process.env.DATABASE_URL ?? 'sqlite::memory:',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const facadeExited = new Promise<number | null>((resolve) => facade.once('exit', (code) => resolve(code)));

async function waitForFacade(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (facade.exitCode !== null) throw new Error(`the GraphQL server exited (${facade.exitCode})`);
    try {
      if ((await fetch(`${facadeUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the GraphQL server did not become ready within 30 s');
}

let stopping = false;
async function stop(code: number, app?: { close(): Promise<void> }): Promise<never> {
  stopping = true;
  await app?.close().catch(() => {});
  if (facade.exitCode === null) facade.kill('SIGTERM');
  await facadeExited;
  process.exit(code);
}

try {
  await waitForFacade();
  const app = await startFolderBrowser({
    port: appPort,
    host: '127.0.0.1',
    graphqlUrl: `${facadeUrl}/graphql`,
    jwtSecret: secret,
    loginHint: 'Sandbox: sign in to iManage as JSMITH, password demo-jsmith.',
  });
  process.on('SIGINT', () => void stop(0, app));
  process.on('SIGTERM', () => void stop(0, app));
  void facadeExited.then((code) => {
    if (!stopping) {
      process.stderr.write(`The GraphQL server stopped (${code}).\n`);
      void stop(1, app);
    }
  });
  process.stdout.write(`\nFolder browser: ${appOrigins[0]}/  (GraphQL: ${facadeUrl}/graphql; Ctrl-C stops both)\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  await stop(1);
}
