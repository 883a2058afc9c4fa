import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { createServer as createViteServer } from 'vite';

/**
 * The folder browser's own backend, standing in for your app's backend. It does two things:
 *
 * - `GET /api/session` signs a short-lived app user token (HS256 JWT, `sub` = the signed-in user) with
 *   the secret it shares with the GraphQL facade (`AUTH_JWT_SECRET`), exactly what CONTRACT §3 asks of
 *   an embedding app. Here one user is always signed in (`appUser`); a real backend would take the
 *   user from its own session cookie and refuse everyone else.
 * - everything else is the page, served by Vite (TypeScript compiled on the fly).
 *
 * The browser then talks to the facade directly (cross-origin: the facade's CORS_ORIGINS lists this
 * app) and goes through the facade's connect flow, which returns here (ALLOWED_RETURN_URLS).
 */

export interface FolderBrowserOptions {
  port: number;
  host?: string;
  /** The facade's GraphQL endpoint as the browser reaches it, e.g. http://localhost:4000/graphql. */
  graphqlUrl: string;
  /** The facade's AUTH_JWT_SECRET. */
  jwtSecret: string;
  /** The app user who is "signed in" to this example app. */
  appUser?: string;
  /** How long an app token lives; the page asks for a new one before then. */
  tokenTtlSeconds?: number;
  /** Shown beside the connect button, e.g. the sandbox's demo credentials. */
  loginHint?: string | null;
}

export interface FolderBrowser {
  readonly url: string;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('.', import.meta.url));

export async function startFolderBrowser(options: FolderBrowserOptions): Promise<FolderBrowser> {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const appUser = options.appUser ?? 'ada';
  const ttl = options.tokenTtlSeconds ?? 600;

  const session = async (res: ServerResponse) => {
    const expiresAt = Math.floor(Date.now() / 1000) + ttl;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(appUser)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(secret);
    const body = { token, expiresAt: expiresAt * 1000, graphqlUrl: options.graphqlUrl, user: appUser, loginHint: options.loginHint ?? null };
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };

  const server = createServer();
  const vite = await createViteServer({
    root,
    configFile: false,
    appType: 'spa',
    logLevel: 'warn',
    clearScreen: false,
    cacheDir: fileURLToPath(new URL('../../node_modules/.vite/folder-browser', import.meta.url)),
    // Bundled up front, so that the first page load does not find it and reload the page.
    optimizeDeps: { include: ['@urql/core'] },
    server: { middlewareMode: true, hmr: { server } },
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/api/session' && req.method === 'GET') {
      session(res).catch(() => res.writeHead(500).end());
      return;
    }
    vite.middlewares(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      await vite.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
