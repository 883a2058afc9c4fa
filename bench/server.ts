/**
 * One system under test in a process of its own, started by `bench/run.ts` with `fork()`:
 *
 *   facade   createApp() as `npm start` runs it outside sandbox mode (every plugin, info logging)
 *   plain    the same schema with plain resolvers (bench/baselines.ts)
 *   ceiling  graphql-yoga answering from memory (bench/baselines.ts), and under `/hop/…` a bare relay of
 *            the sandbox's `…` (undici's request piped to the response, and the request's body piped to
 *            undici's: what any Node hop costs, the control beside the facade's downloads and uploads)
 *
 * It talks to the sandbox running in another process (IMANAGE_BASE_URL mode), keeps its token store in
 * a SQLite file of its own, and connects the bench's app users `bench-0` … through the store the way
 * `npm start` connects the demo user in sandbox mode (the sandbox's password grant, discovery, save).
 * Over IPC it reports its CPU time, RSS (sampled every 10 ms) and the iManage calls it made.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';
import { createApp, createLogger, createServices, loadConfig, passwordGrant, type PluginName } from '../src/index.js';
import { clientFor, createCeilingYoga, createPlainYoga, RecordingClient } from './baselines.js';
import { queryFor, SCENARIOS, type BenchData } from './scenarios.js';

export type SystemKind = 'facade' | 'plain' | 'ceiling';

export type ToServer = { type: 'stats' } | { type: 'reset' } | { type: 'profile'; file: string | null } | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; url: string }
  | { type: 'stats'; cpuMicros: number; rssBytes: number; peakRssBytes: number; upstreamCalls: number }
  | { type: 'reset' }
  | { type: 'profile' }
  | { type: 'failed'; message: string };

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`bench server: ${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const kind = env('BENCH_SYSTEM') as SystemKind;
  const sandboxUrl = env('BENCH_SANDBOX_URL');
  const oauth = { clientId: env('BENCH_CLIENT_ID'), clientSecret: env('BENCH_CLIENT_SECRET') };
  const users = Number(env('BENCH_USERS'));
  const dir = mkdtempSync(join(tmpdir(), `imanage-bench-${kind}-`));
  const config = loadConfig({
    IMANAGE_BASE_URL: sandboxUrl,
    IMANAGE_CLIENT_ID: oauth.clientId,
    IMANAGE_CLIENT_SECRET: oauth.clientSecret,
    AUTH_JWT_SECRET: env('BENCH_JWT_SECRET'),
    TOKEN_ENCRYPTION_KEY: env('BENCH_ENCRYPTION_KEY'),
    DATABASE_URL: join(dir, 'store.sqlite'),
    // The upload bench files a 1 GiB document.
    UPLOAD_MAX_BYTES: process.env.UPLOAD_MAX_BYTES ?? String(4 * 1024 * 1024 * 1024),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // Measured with the metrics on, as an operator would run it.
    METRICS: process.env.METRICS ?? 'true',
    ...(process.env.IMANAGE_CONCURRENCY_PER_USER ? { IMANAGE_CONCURRENCY_PER_USER: process.env.IMANAGE_CONCURRENCY_PER_USER } : {}),
    // Tracing as the operator configures it (BENCH_TRACING gives the "traced" facade an endpoint).
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('OTEL_'))),
  });
  // The logger main.ts makes; stdout is /dev/null here, so a line costs what it costs in production.
  const logger = createLogger(config.logLevel);
  const services = await createServices(config, logger, { hostUrl: sandboxUrl, oauth, allowHttp: true });
  let upstreamCalls = 0;
  services.transport.observe((event) => {
    if (!event.operation.startsWith('POST /auth/') && event.operation !== 'GET /api') upstreamCalls += 1;
  });
  for (let i = 0; i < users; i++) {
    const tokens = await passwordGrant(
      services.transport,
      sandboxUrl,
      oauth,
      { username: env('BENCH_IMANAGE_USER'), password: env('BENCH_IMANAGE_PASSWORD') },
      ['user'],
    );
    await services.connections.connect(`bench-${i}`, sandboxUrl, tokens);
  }

  let server: Server;
  let close: () => Promise<void>;
  if (kind === 'facade') {
    // BENCH_OMIT_PLUGINS (measurement only): plugins of src/server.ts's PLUGIN_NAMES to leave out.
    const omitPlugins = (process.env.BENCH_OMIT_PLUGINS ?? '').split(',').filter(Boolean) as PluginName[];
    const app = createApp({ config, logger, ...services, omitPlugins });
    server = app.server;
    close = () => app.close();
  } else {
    let yoga;
    if (kind === 'plain') {
      yoga = createPlainYoga({ ...services, config, logger });
    } else {
      // Record each scenario's answers once through the real client, then answer from memory only.
      const connection = (await services.connections.forUser('bench-0'))!;
      const recorder = new RecordingClient(clientFor(services.upstream, connection, Date.now() + 600_000));
      yoga = createCeilingYoga({ config, logger, connection, client: recorder.asClient(), viewerId: 'bench-0' });
      const data = JSON.parse(env('BENCH_DATA')) as BenchData;
      for (const scenario of SCENARIOS) {
        const res = await yoga.fetch('http://ceiling/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: queryFor(scenario, data), variables: scenario.variables(data) }),
        });
        const text = await res.text();
        if (text.includes('"errors"')) throw new Error(`ceiling: recording (${scenario.key}) failed: ${text.slice(0, 300)}`);
      }
      recorder.replay();
    }
    server = createServer((req, res) => (req.url?.startsWith('/hop/') ? void bareHop(sandboxUrl, req, res) : yoga(req, res)));
    server.keepAliveTimeout = 5_000;
    close = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let peakRss = process.memoryUsage.rss();
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10).unref();

  const send = (message: FromServer) => process.send!(message);
  // CPU profiles of the measured part of a cell only (BENCH_CPU_PROF): start with a file name, stop with null.
  let profiler: Session | null = null;
  const profile = async (file: string | null) => {
    if (file !== null) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return;
    }
    if (!profiler) return;
    const { profile: result } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    writeFileSync(profileFile, JSON.stringify(result));
  };
  let profileFile = '';
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (message: ToServer) => {
    switch (message.type) {
      case 'stats': {
        const cpu = process.cpuUsage();
        send({ type: 'stats', cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss(), peakRssBytes: peakRss, upstreamCalls });
        break;
      }
      case 'reset':
        // A plain major collection. `gc()` without options is V8's forced, memory-reducing one, which
        // also throws away compiled code: every cell then began with cold code, which cost the facade
        // (the most code) up to 2.5× its warm CPU per request.
        (globalThis as { gc?: (options?: { type: 'major'; execution: 'sync' }) => void }).gc?.({ type: 'major', execution: 'sync' });
        peakRss = process.memoryUsage.rss();
        send({ type: 'reset' });
        break;
      case 'profile':
        if (message.file !== null) profileFile = message.file;
        void profile(message.file).then(() => send({ type: 'profile' }));
        break;
      case 'stop':
        void stop();
        break;
    }
  });
  // The bench went away: do not outlive it.
  process.on('disconnect', () => void stop());
  send({ type: 'ready', url });
}

/**
 * `/hop/<path>` → the sandbox's `<path>`: a GET's reply, or a POST's body (an upload, its type and
 * length as sent) and reply, relayed as the bytes come, with the caller's `x-auth-token`.
 */
async function bareHop(sandboxUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const post = req.method === 'POST';
    const upstream = await request(`${sandboxUrl}${req.url!.slice('/hop'.length)}`, {
      method: post ? 'POST' : 'GET',
      headers: {
        'x-auth-token': String(req.headers['x-auth-token'] ?? ''),
        ...(post ? { 'content-type': String(req.headers['content-type']), 'content-length': String(req.headers['content-length']) } : {}),
      },
      ...(post ? { body: req } : {}),
      dispatcher: hopAgent,
    });
    const length = upstream.headers['content-length'];
    res.writeHead(upstream.statusCode, typeof length === 'string' ? { 'content-length': length } : {});
    await pipeline(upstream.body, res);
  } catch {
    res.destroy();
  }
}
const hopAgent = new Agent({ connections: 16 });

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromServer);
  process.exit(1);
});
