import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { signAppToken } from '../../src/auth/appTokens.js';
import { passwordGrant } from '../../src/auth/imanageOAuth.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Wait } from '../../src/auth/connections.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { createApp, type App } from '../../src/server.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';

/**
 * The whole path for tests: the sandbox and the GraphQL server, each on its own loopback port, talking
 * real HTTP, built by the same `createServices` as `npm start`. App users `demo` and `second` are
 * connected (password grant, then the store) to the sandbox's demo and second users.
 */

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
  raw: string;
}

export interface StackOptions {
  sandbox?: SandboxOptions;
  /** Use this running sandbox instead of starting one (several servers against one iManage). */
  sharedSandbox?: Sandbox;
  env?: Record<string, string>;
  /** With a postgres:// DATABASE_URL: the schema this stack's tables live in. */
  postgresSchema?: string;
  /** The clock of both the sandbox (token idle expiry) and the service (refresh ahead): tests move it instead of sleeping. */
  clock?: () => number;
  /** How the service's token revocation retries wait; default: real timers. */
  revokeWait?: Wait;
  /** The service's clock alone (connect tickets, states and links; token expiry), in epoch ms; `clock` wins when both are given. */
  now?: () => number;
  /** App users to connect at start, each to the sandbox user of the same key. Default: demo, second. */
  connect?: Array<{ appUser: string; sandboxUser: string; app?: 'default' | 'noRefresh' }>;
}

export interface Stack {
  readonly url: string;
  readonly sandbox: Sandbox;
  readonly app: App;
  readonly services: Services;
  readonly config: Config;
  /** Every log line the server wrote, as raw JSON text. */
  readonly logs: string[];
  token(user?: string, ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { user?: string; token?: string | null },
  ): Promise<GraphQLResponse<T>>;
  /** Connects an app user to a sandbox user through the store (password grant, discovery, save). */
  connectUser(appUser: string, sandboxUser: string, app?: 'default' | 'noRefresh'): Promise<void>;
  /** iManage API calls the sandbox saw since the last `resetCounts()` (OAuth and discovery excluded). */
  apiCalls(filter?: { method?: string; path?: string | RegExp }): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = options.sharedSandbox ?? (await startSandbox({ port: 0, ...(options.clock ? { clock: options.clock } : {}), ...options.sandbox }));
  const port = await freePort();
  const config = loadConfig({
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATABASE_URL: 'sqlite::memory:',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    IMANAGE_TIMEOUT_MS: '2000',
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  // The service's own logger (redaction, request ids) writing to the test's sink.
  const logger = createLogger('debug', sink);
  const oauthApp = sandbox.apps.default;
  const services = await createServices(
    config,
    logger,
    { hostUrl: sandbox.url, oauth: oauthApp, allowHttp: true },
    {
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
      ...(options.clock || options.now ? { now: options.clock ?? options.now } : {}),
      ...(options.revokeWait ? { wait: options.revokeWait } : {}),
    },
  );
  const app = createApp({ config, logger, ...services });
  const url = await app.listen(port, '127.0.0.1');

  const connectUser = async (appUser: string, sandboxUser: string, which: 'default' | 'noRefresh' = 'default') => {
    const user = sandbox.users[sandboxUser]!;
    const client = sandbox.apps[which];
    const tokens = await passwordGrant(services.transport, sandbox.url, client, { username: user.id, password: user.password }, ['user'], options.clock);
    await services.connections.connect(appUser, sandbox.url, tokens);
  };
  const toConnect = options.connect ?? [
    { appUser: 'demo', sandboxUser: 'demo' },
    { appUser: 'second', sandboxUser: 'second' },
  ];
  for (const c of toConnect) await connectUser(c.appUser, c.sandboxUser, c.app);
  sandbox.log.clear();

  const token = (user = 'demo', ttlSeconds = 600) => signAppToken(new TextEncoder().encode(TEST_JWT_SECRET), user, ttlSeconds);
  const isApiCall = (path: string) => path.startsWith('/work/api/');

  return {
    url,
    sandbox,
    app,
    services,
    config,
    logs,
    token,
    connectUser,
    async gql(query, variables, opts = {}) {
      const bearer = opts.token === undefined ? await token(opts.user ?? 'demo') : opts.token;
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
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
      await services.close();
      if (!options.sharedSandbox) await sandbox.close();
    },
  };
}

/**
 * One stack for the enclosing file or `describe`: started before its tests, closed after them, and
 * before each test the sandbox's knobs (faults, latency), the upstream's breakers and budgets and the
 * call counts start afresh. The returned stack may be named at once but used only inside hooks and tests.
 */
export function useStack(options: StackOptions = {}): Stack {
  let current: Stack | undefined;
  const started = (): Stack => {
    if (!current) throw new Error('useStack: the stack is used before its beforeAll ran (or after its afterAll)');
    return current;
  };
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  beforeEach(() => {
    const stack = started();
    stack.sandbox.knobs.reset();
    stack.services.upstream.reset();
    stack.resetCounts();
  });
  return {
    get url() {
      return started().url;
    },
    get sandbox() {
      return started().sandbox;
    },
    get app() {
      return started().app;
    },
    get services() {
      return started().services;
    },
    get config() {
      return started().config;
    },
    get logs() {
      return started().logs;
    },
    token: (...args) => started().token(...args),
    gql: <T>(...args: Parameters<Stack['gql']>) => started().gql<T>(...args),
    connectUser: (...args) => started().connectUser(...args),
    apiCalls: (...args) => started().apiCalls(...args),
    resetCounts: () => started().resetCounts(),
    close: () => started().close(),
  };
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): unknown[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.code);
}
