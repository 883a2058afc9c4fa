import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AppTokenVerifier, signAppToken } from '../../src/auth/appTokens.js';
import { PasswordGrantConnections } from '../../src/auth/connections.js';
import { randomBytes } from 'node:crypto';
import { TokenCipher } from '../../src/auth/store/crypto.js';
import { createTokenStore } from '../../src/auth/store/index.js';
import type { TokenStore } from '../../src/auth/store/types.js';
import { loadConfig } from '../../src/config.js';
import { IManageTransport } from '../../src/imanage/transport.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { createApp, type App } from '../../src/server.js';

/**
 * The whole path for tests: the sandbox and the GraphQL server, each on its own loopback port, talking
 * real HTTP. App users `demo` and `second` are connected to the sandbox's demo and second users.
 */

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
  raw: string;
}

export interface Stack {
  readonly url: string;
  readonly sandbox: Sandbox;
  readonly app: App;
  readonly connections: PasswordGrantConnections;
  readonly store: TokenStore;
  /** Every log line the server wrote, as raw JSON text. */
  readonly logs: string[];
  token(user?: string, ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: { user?: string; token?: string | null }): Promise<GraphQLResponse<T>>;
  /** iManage API calls the sandbox saw since the last `resetCounts()` (OAuth and discovery excluded). */
  apiCalls(filter?: { method?: string; path?: string | RegExp }): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export async function startStack(options: { sandbox?: SandboxOptions; env?: Record<string, string> } = {}): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0, ...options.sandbox });
  const config = loadConfig({ AUTH_JWT_SECRET: TEST_JWT_SECRET, PORT: '0', IMANAGE_TIMEOUT_MS: '2000', ...options.env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const transport = new IManageTransport({ timeoutMs: config.imanageTimeoutMs });
  const store = await createTokenStore('sqlite::memory:', new TokenCipher([{ id: 'test', key: randomBytes(32) }]));
  const connections = new PasswordGrantConnections({
    transport,
    hostUrl: sandbox.url,
    clientId: sandbox.apps.default.clientId,
    clientSecret: sandbox.apps.default.clientSecret,
    scopes: ['user'],
    accounts: [
      { appUserId: 'demo', username: sandbox.users.demo!.id, password: sandbox.users.demo!.password },
      { appUserId: 'second', username: sandbox.users.second!.id, password: sandbox.users.second!.password },
    ],
  });
  const verifier = new AppTokenVerifier({ secret: new TextEncoder().encode(TEST_JWT_SECRET) });
  const app = createApp({ config, logger, verifier, connections, transport, store });
  const url = await app.listen(0, '127.0.0.1');
  // Connect both users up front so that call counts in tests see only the query's own calls.
  await connections.forUser('demo');
  await connections.forUser('second');
  sandbox.log.clear();

  const token = (user = 'demo', ttlSeconds = 600) => signAppToken(new TextEncoder().encode(TEST_JWT_SECRET), user, ttlSeconds);
  const isApiCall = (path: string) => path.startsWith('/work/api/');

  return {
    url,
    sandbox,
    app,
    connections,
    store,
    logs,
    token,
    async gql(query, variables, opts = {}) {
      const bearer = opts.token === undefined ? await token(opts.user ?? 'demo') : opts.token;
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const raw = await res.text();
      return { status: res.status, headers: res.headers, body: JSON.parse(raw), raw };
    },
    apiCalls(filter = {}) {
      return sandbox.log
        .entries()
        .filter((e) => isApiCall(e.path))
        .filter((e) => !filter.method || e.method === filter.method)
        .filter((e) => !filter.path || (typeof filter.path === 'string' ? e.path === filter.path : filter.path.test(e.path))).length;
    },
    resetCounts() {
      sandbox.log.clear();
    },
    async close() {
      await app.close();
      app.server.closeAllConnections();
      await transport.close();
      await store.close();
      await sandbox.close();
    },
  };
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): unknown[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.code);
}
