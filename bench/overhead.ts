/**
 * `npm run bench:overhead`: what each part of the facade's own per-request work costs, for a query that
 * calls no iManage (scenario (a), `viewer`), measured in process (`yoga.fetch`, no sockets) so that
 * differences of a few microseconds stand out of the noise that HTTP on a shared machine adds.
 *
 * Variants, each its own createApp() over the same services: the whole facade; the facade without one
 * plugin (for each plugin); the facade without any plugin; and graphql-yoga's ceiling from the bench
 * (plain resolvers, a fixed context: no token check, no store read). The context (token check and
 * connection read) cannot be left out of the facade, so "no plugins" minus "ceiling" is its cost.
 *
 *   BENCH_OVERHEAD_REQUESTS  requests per variant and round (default 10000)
 *   BENCH_OVERHEAD_ROUNDS    rounds, the variants taking turns, each round from another one (default 3);
 *                            the median round is shown
 *   BENCH_OVERHEAD_PLUGINS=0 leave out the per-plugin variants (facade, without any plugin, ceiling only)
 *   BENCH_OVERHEAD_HTTP=1    over loopback HTTP instead: each variant behind its own node:http server in
 *                            this process (the facade's own, with its router), one keep-alive undici connection per variant; the figures
 *                            then include the client's share, the same for every variant
 *   BENCH_OVERHEAD_DATABASE_URL=postgres://…  the token store on PostgreSQL (in a schema of its own,
 *                            dropped at the end) instead of a SQLite file
 *
 * Over HTTP every difference grows (about 3× on the machine of BENCHMARKS.md): more code per request
 * means more cache misses beside the HTTP stack. Read the figures as a ranking, not as HTTP costs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { Client } from 'undici';
import { createApp, createLogger, createServices, loadConfig, passwordGrant, PLUGIN_NAMES, signAppToken, type PluginName } from '../src/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { clientFor, createCeilingYoga } from './baselines.js';

const requests = Number(process.env.BENCH_OVERHEAD_REQUESTS ?? 10_000);
const rounds = Math.max(1, Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 3));
const overHttp = process.env.BENCH_OVERHEAD_HTTP === '1';
const perPlugin = process.env.BENCH_OVERHEAD_PLUGINS !== '0';
const databaseUrl = process.env.BENCH_OVERHEAD_DATABASE_URL;
const postgresSchema = databaseUrl ? `bench_overhead_${process.pid}` : undefined;
const QUERY = JSON.stringify({ query: '{ viewer { id imanage { status userId customerId } } }' });

const sandbox = await startSandbox({ port: 0 });
const dir = mkdtempSync(join(tmpdir(), 'imanage-overhead-'));
const secret = randomBytes(32).toString('base64url');
const app = sandbox.apps.default;
// As the bench's facade runs: outside sandbox mode, metrics on, info logging (to /dev/null).
const config = loadConfig({
  IMANAGE_BASE_URL: sandbox.url,
  IMANAGE_CLIENT_ID: app.clientId,
  IMANAGE_CLIENT_SECRET: app.clientSecret,
  AUTH_JWT_SECRET: secret,
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  DATABASE_URL: databaseUrl ?? join(dir, 'store.sqlite'),
  METRICS: 'true',
});
const logger = createLogger('info', '/dev/null');
const services = await createServices(config, logger, { hostUrl: sandbox.url, oauth: app, allowHttp: true }, postgresSchema ? { postgresSchema } : {});
const user = sandbox.users.demo!;
await services.connections.connect(
  'bench-0',
  sandbox.url,
  await passwordGrant(services.transport, sandbox.url, app, { username: user.id, password: user.password }, ['user']),
);
const token = await signAppToken(new TextEncoder().encode(secret), 'bench-0', 3600);
const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` };

type Yoga = { fetch: (url: string, init: RequestInit) => Promise<Response> | Response };
/** Sends the query once and checks the answer. */
type Send = () => Promise<void>;
const closers: Array<() => Promise<void>> = [];
const check = (status: number, text: string) => {
  if (status !== 200 || text.includes('"errors"')) throw new Error(`unexpected answer: ${status} ${text.slice(0, 200)}`);
};
/** `server`: the app's own (its router in front of Yoga); the baselines are Yoga alone. */
async function sender(yoga: Yoga, server = createServer(yoga as never)): Promise<Send> {
  if (!overHttp) {
    return async () => {
      const res = await yoga.fetch('http://overhead/graphql', { method: 'POST', headers, body: QUERY });
      check(res.status, await res.text());
    };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { pipelining: 1 });
  closers.push(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });
  return async () => {
    const res = await client.request({ method: 'POST', path: '/graphql', headers, body: QUERY });
    check(res.statusCode, await res.body.text());
  };
}

const variants: Array<{ name: string; send: Send }> = [];
const facade = (omitPlugins: PluginName[]) => {
  const facadeApp = createApp({ config, logger, ...services, omitPlugins });
  return sender(facadeApp.yoga, facadeApp.server);
};
variants.push({ name: 'facade', send: await facade([]) });
if (perPlugin) for (const name of PLUGIN_NAMES) variants.push({ name: `without ${name}`, send: await facade([name]) });
variants.push({ name: 'without any plugin', send: await facade([...PLUGIN_NAMES]) });
const connection = (await services.connections.forUser('bench-0'))!;
const ceiling = createCeilingYoga({ config, logger, connection, client: clientFor(services.upstream, connection), viewerId: 'bench-0' });
variants.push({ name: 'ceiling', send: await sender(ceiling) });
// For comparison: the ceiling with Yoga's default body limit, which streams every body through a
// TransformStream (the ceiling itself runs without it, as the facade does: baselines.ts).
const defaulted = createCeilingYoga({
  config,
  logger,
  connection,
  client: clientFor(services.upstream, connection),
  viewerId: 'bench-0',
  withYogaBodyLimit: true,
});
variants.push({ name: "ceiling with Yoga's body limit", send: await sender(defaulted) });

const results = new Map<string, Array<{ cpu: number; wall: number }>>();
for (const variant of variants) for (let i = 0; i < 2000; i++) await variant.send(); // warm-up
for (let round = 0; round < rounds; round++) {
  // Each round starts at another variant, so that none is always first (or always after the same one).
  const start = Math.floor((round * variants.length) / rounds);
  for (const variant of [...variants.slice(start), ...variants.slice(0, start)]) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < requests; i++) await variant.send();
    const used = process.cpuUsage(cpu);
    const entry = { cpu: (used.user + used.system) / requests, wall: ((performance.now() - started) * 1000) / requests };
    results.set(variant.name, [...(results.get(variant.name) ?? []), entry]);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const figures = new Map([...results].map(([name, list]) => [name, { cpu: median(list.map((r) => r.cpu)), wall: median(list.map((r) => r.wall)) }]));
const full = figures.get('facade')!;
console.log(
  `\n(a) ${overHttp ? 'over loopback HTTP' : 'in process'}, ${requests} requests × ${rounds} rounds per variant (median round); Node ${process.version}\n`,
);
console.log('| variant | CPU µs/req | wall µs/req | wall saved vs facade |');
console.log('|---|---|---|---|');
for (const [name, f] of figures) {
  const saved = name === 'facade' ? '–' : `${(full.wall - f.wall).toFixed(1)} µs (${(((full.wall - f.wall) / full.wall) * 100).toFixed(0)} %)`;
  console.log(`| ${name} | ${f.cpu.toFixed(1)} | ${f.wall.toFixed(1)} | ${saved} |`);
}
const noPlugins = figures.get('without any plugin')!;
const top = figures.get('ceiling')!;
const topDefaulted = figures.get("ceiling with Yoga's body limit")!;
console.log(
  `\nfacade ÷ ceiling (wall): ${(top.wall / full.wall).toFixed(2)} (÷ the ceiling with Yoga's body limit: ${(topDefaulted.wall / full.wall).toFixed(2)}); plugins: ${(full.wall - noPlugins.wall).toFixed(1)} µs; context (token, connection) and the rest: ${(noPlugins.wall - top.wall).toFixed(1)} µs`,
);

for (const close of closers) await close();
await services.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
if (databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${postgresSchema}" CASCADE`);
  await client.end();
}
