/**
 * `npm run bench`: the facade, the plain-resolver baseline and the framework ceiling side by side, on
 * loopback, each in a process of its own, against the sandbox in a process of its own, for scenarios
 * (a)–(g) at 0 and 50 ms of sandbox latency and 1 and 50 concurrent clients. Prints a table, checks
 * the targets (BENCHMARKS.md) and writes everything to `bench/results/<time>.json`. Options
 * (environment):
 *
 *   BENCH_DURATION_MS   measured time per cell (default 2000); requests in flight at the end are waited for
 *   BENCH_ROUNDS        the measured time is split into this many rounds, the systems taking turns, so
 *                       that a noisy neighbour slows them alike (default 2)
 *   BENCH_PREWARM_MS    unmeasured time per system and reading scenario before the first cell, 4 clients, 0 ms
 *                       (default 3000): V8 optimises the facade's larger code path later than the
 *                       baselines', and the first cells would measure that rather than a warm server
 *   BENCH_WARMUP_MS     unmeasured time per system before each cell, at most 4 clients (default 500)
 *   BENCH_LATENCIES     sandbox latencies in ms (default "0,50")
 *   BENCH_CLIENTS       concurrent clients (default "1,50"); each is its own app user
 *   BENCH_SCENARIOS     e.g. "a,e,f" (default all)
 *   BENCH_SYSTEMS       e.g. "facade,plain" (default "facade,plain,ceiling")
 *   BENCH_COMPARE       another checkout (with this bench/ copied in): its facade runs too, as "before",
 *                       to measure a change side by side
 *   BENCH_COMPARE_TSX=1 that checkout's facade runs from its TypeScript through tsx, as `npm start` ran it
 *                       before it compiled (to measure that change), instead of compiled like the rest
 *   BENCH_CPU_PROF      a directory: each system writes a V8 CPU profile of each measured cell there, and the
 *                       facade one of its first 1 GiB download and upload (facade-download-1, facade-upload-1)
 *                       (`npx tsx bench/profile.ts <file>` sums one up)
 *   BENCH_A_FORKS       (a) is measured again on this many fresh pairs of facade and ceiling processes, each
 *                       pre-warmed like the first (default 4), and the median ratio over all pairs is
 *                       reported: a process can spend its life 1.3–1.6× slower than another running
 *                       the same code, and one pair is a coin toss between those states
 *   BENCH_DOWNLOADS=0   leave out the download part (bench/downloads.ts: a 1 GiB document through the facade
 *                       against straight from the sandbox, the facade's RSS meanwhile, and `viewer`
 *                       during ten 100 MB downloads; BENCH_DOWNLOAD_MB, BENCH_CONCURRENT_MB size them)
 *   BENCH_UPLOADS=0     leave out the upload part (bench/uploads.ts: a 1 GiB file filed through uploadDocument
 *                       against iManage's own upload straight to the sandbox, the facade's RSS meanwhile, and
 *                       `viewer` during twenty 20 MB uploads; BENCH_UPLOAD_MB, BENCH_CONCURRENT_UPLOAD_MB size them)
 *   BENCH_CORES=shared  measure the download and upload throughput only with every process free to run on
 *                       every core; by default it is measured that way and again with the facade and the bare
 *                       hop on a core of their own, the sandbox and the bench's clients on the others, and the
 *                       targets judged on the latter (bench/cores.ts says why)
 *   BENCH_TRACING=1     a second facade runs beside the first with tracing on (OTEL_EXPORTER_OTLP_ENDPOINT at a
 *                       receiver in this process that reads and discards every export; every span sampled),
 *                       as "traced": the cost of tracing, side by side (target: ≥ 90 % of the req/s at 20 ms)
 *   BENCH_OMIT_PLUGINS  measurement only: plugins of the facade to leave out (names from PLUGIN_NAMES
 *                       in src/server.ts, comma-separated), to see what they cost over HTTP
 *
 * Every system runs compiled, as `npm start` runs the facade: src/ and bench/ of each checkout are
 * compiled to its bench/.build/ (scripts/build.ts) before anything starts, and removed at the end.
 *
 * `npx tsx bench/run.ts --report bench/results/<file>.json` prints the tables and targets of a saved run.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../scripts/build.js';
import { signAppToken } from '../src/index.js';
import { cores } from './cores.js';
import { benchDownloads, downloadTargets, type DownloadFigures } from './downloads.js';
import type { MultipartSpec } from './send.js';
import { benchUploads, uploadTargets, type UploadFigures } from './uploads.js';
import { benchDocumentPage, documentPageTargets, type DocumentPageFigures } from './documentPage.js';
import { runLoad, summarize, type LoadResult } from './load.js';
import { checkTargets, compare, PER_USER_CAP, ratios, row, table, verdict, type Cell, type Check } from './report.js';
import { queryFor, roundTrips, SandboxRest, SCENARIOS, seedBenchData, type BenchData, type Scenario } from './scenarios.js';
import type { FromServer, SystemKind, ToServer } from './server.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// The sandbox's documented demo credentials (src/sandbox/README.md).
const SANDBOX_APP = { clientId: 'sandbox-graphql-app', clientSecret: 'sandbox-graphql-app-secret' };
const SANDBOX_USER = { id: 'JSMITH', password: 'demo-jsmith' };

const list = (raw: string | undefined, fallback: string) =>
  (raw ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const options = {
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 2000),
  rounds: Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2)),
  prewarmMs: Number(process.env.BENCH_PREWARM_MS ?? 3000),
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 500),
  latencies: list(process.env.BENCH_LATENCIES, '0,50').map(Number),
  clients: list(process.env.BENCH_CLIENTS, '1,50').map(Number),
  scenarios: list(process.env.BENCH_SCENARIOS, 'a,b,c,d,e,f,g'),
  systems: list(process.env.BENCH_SYSTEMS, 'facade,plain,ceiling') as SystemKind[],
  compare: process.env.BENCH_COMPARE ?? null,
  compareThroughTsx: process.env.BENCH_COMPARE_TSX === '1',
  aForks: Math.max(0, Number(process.env.BENCH_A_FORKS ?? 4)),
  downloads: process.env.BENCH_DOWNLOADS !== '0',
  uploads: process.env.BENCH_UPLOADS !== '0',
  tracing: process.env.BENCH_TRACING === '1',
  timeoutMs: 60_000,
};

// ---- processes --------------------------------------------------------------------------------

const children: ChildProcess[] = [];
/** Where each checkout's compiled src/ and bench/ go (removed at the end). */
const buildOf = (checkout: string) => join(checkout, 'bench', '.build');
const builds = new Set<string>();

/** src/ and bench/ of `checkout` compiled, as `npm start` runs the facade (scripts/build.ts). */
async function compileCheckout(checkout: string): Promise<void> {
  builds.add(buildOf(checkout));
  await compile(checkout, ['src', 'bench'], buildOf(checkout));
}

async function startSandbox(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(buildOf(root), 'src/sandbox/main.js')], {
    cwd: root,
    env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_ADMIN: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening`)));
  });
  child.stdout!.resume();
  return { url, process: child };
}

class SystemProcess {
  private constructor(
    readonly kind: SystemKind,
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(kind: SystemKind, env: Record<string, string>, name: string = kind, checkout = root, throughTsx = false): Promise<SystemProcess> {
    const child = fork(throughTsx ? join(checkout, 'bench', 'server.ts') : join(buildOf(checkout), 'bench', 'server.js'), [], {
      cwd: checkout,
      execArgv: throughTsx ? ['--import', 'tsx', '--expose-gc'] : ['--expose-gc'],
      env: { ...process.env, ...env, BENCH_SYSTEM: kind },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.on('message', (message: FromServer) => {
        if (message.type === 'ready') resolve(message.url);
        if (message.type === 'failed') reject(new Error(`${name}: ${message.message}`));
      });
      child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    });
    return new SystemProcess(kind, name, url, child);
  }

  private ask<T extends FromServer['type']>(message: ToServer, reply: T): Promise<Extract<FromServer, { type: T }>> {
    return new Promise((resolve) => {
      const onMessage = (answer: FromServer) => {
        if (answer.type !== reply) return;
        this.child.off('message', onMessage);
        resolve(answer as Extract<FromServer, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.child.send(message);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  stats() {
    return this.ask({ type: 'stats' }, 'stats');
  }

  reset() {
    return this.ask({ type: 'reset' }, 'reset');
  }

  /** Starts a CPU profile to be written to `file`, or writes the running one (null). */
  profile(file: string | null) {
    return this.ask({ type: 'profile', file }, 'profile');
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' } satisfies ToServer);
    });
  }
}

/** With BENCH_CPU_PROF, a way to profile the facade's part of a download or upload run (`facade-<name>.cpuprofile`). */
function profileOf(system: SystemProcess): { profile?: (name: string | null) => Promise<void> } {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return {};
  return { profile: async (name) => void (await system.profile(name === null ? null : join(dir, `facade-${name}.cpuprofile`))) };
}

/** Pre-warms systems and measures cells: the load, the CPU time, the iManage calls and the memory of each. */
class CellRunner {
  constructor(
    private readonly tokens: string[],
    private readonly data: BenchData,
    private readonly admin: (method: string, path: string, body?: unknown) => Promise<Response>,
  ) {}

  private body(scenario: Scenario): string {
    return JSON.stringify({ query: queryFor(scenario, this.data), variables: scenario.variables(this.data) });
  }

  private load(system: SystemProcess, body: string, clients: number, durationMs: number): Promise<LoadResult> {
    return runLoad({ url: `${system.url}/graphql`, body, tokens: this.tokens.slice(0, clients), clients, timeoutMs: options.timeoutMs, durationMs });
  }

  /** Every system answers every reading scenario for a while, at 0 ms, before anything is measured (BENCH_PREWARM_MS). */
  async prewarm(systems: SystemProcess[], scenarios: Scenario[]): Promise<void> {
    if (options.prewarmMs <= 0) return;
    const clients = Math.min(Math.max(...options.clients), 4);
    await this.admin('POST', 'latency', { ms: 0 });
    for (const scenario of scenarios.filter((s) => !s.writes)) {
      for (const system of systems) await this.load(system, this.body(scenario), clients, options.prewarmMs);
    }
    log(`pre-warmed ${systems.map((s) => s.name).join(', ')} on every reading scenario for ${options.prewarmMs} ms`);
  }

  /** One cell per system: warm-up, a major collection, then the measured rounds, the systems taking turns. */
  async measure(systems: SystemProcess[], scenario: Scenario, latencyMs: number, clients: number, fork?: number): Promise<Cell[]> {
    const body = this.body(scenario);
    const measured = new Map(systems.map((s) => [s.name, { runs: [] as LoadResult[], cpuMicros: 0, calls: 0, peakRss: 0 }]));
    for (const system of systems) {
      // A few clients warm the code up as well as 50, without waiting seconds for a slow baseline.
      await this.load(system, body, Math.min(clients, 4), options.warmupMs);
      await system.reset();
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const system of systems) {
        const m = measured.get(system.name)!;
        const profileDir = process.env.BENCH_CPU_PROF;
        const profileName = `${system.name}-${scenario.key}-${latencyMs}ms-${clients}c-${round}${fork ? `-fork${fork}` : ''}.cpuprofile`;
        if (profileDir) await system.profile(join(profileDir, profileName));
        const before = await system.stats();
        m.runs.push(await this.load(system, body, clients, options.durationMs / options.rounds));
        const after = await system.stats();
        if (profileDir) await system.profile(null);
        m.cpuMicros += after.cpuMicros - before.cpuMicros;
        m.calls += after.upstreamCalls - before.upstreamCalls;
        m.peakRss = Math.max(m.peakRss, after.peakRssBytes);
      }
    }
    return systems.map((system) => {
      const m = measured.get(system.name)!;
      const result = summarize(m.runs);
      const requests = Math.max(1, result.completed + result.failed);
      const { latencies: _latencies, ...withoutLatencies } = result;
      return {
        latencyMs,
        scenario: scenario.key,
        clients,
        system: system.name,
        load: withoutLatencies,
        cpuMsPerRequest: m.cpuMicros / 1000 / requests,
        upstreamCallsPerRequest: m.calls / requests,
        peakRssMb: m.peakRss / 2 ** 20,
        ...(fork ? { fork } : {}),
      };
    });
  }
}

// ---- the run ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = new Date();
  const scenarios = SCENARIOS.filter((s) => options.scenarios.includes(s.key));
  const maxClients = Math.max(...options.clients);
  log(
    `bench: ${scenarios.map((s) => s.key).join('')} × latencies ${options.latencies.join('/')} ms × clients ${options.clients.join('/')} × ${options.systems.join('/')}, ${options.durationMs} ms per cell`,
  );

  if (process.env.BENCH_CPU_PROF) mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
  await compileCheckout(root);
  if (options.compare && !options.compareThroughTsx) await compileCheckout(options.compare);
  const sandbox = await startSandbox();
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/__sandbox/${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  const rest = await SandboxRest.login(sandbox.url, SANDBOX_USER, SANDBOX_APP);
  const data = await seedBenchData(rest);
  log(`sandbox ${sandbox.url}: bench data seeded`);

  const jwtSecret = randomBytes(32).toString('base64url');
  const env = {
    BENCH_SANDBOX_URL: sandbox.url,
    BENCH_CLIENT_ID: SANDBOX_APP.clientId,
    BENCH_CLIENT_SECRET: SANDBOX_APP.clientSecret,
    BENCH_IMANAGE_USER: SANDBOX_USER.id,
    BENCH_IMANAGE_PASSWORD: SANDBOX_USER.password,
    BENCH_USERS: String(maxClients),
    BENCH_JWT_SECRET: jwtSecret,
    BENCH_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    BENCH_DATA: JSON.stringify(data),
  };
  const systems = new Map<string, SystemProcess>();
  for (const kind of options.systems) systems.set(kind, await SystemProcess.start(kind, env));
  if (options.compare) systems.set('before', await SystemProcess.start('facade', env, 'before', options.compare, options.compareThroughTsx));
  let exports: { url: string; requests: () => number; bytes: () => number; close: () => void } | null = null;
  if (options.tracing) {
    exports = await discardingCollector();
    systems.set('traced', await SystemProcess.start('facade', { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: exports.url }, 'traced'));
  }
  log(`systems: ${[...systems.values()].map((s) => `${s.name} ${s.url}`).join(', ')}`);
  const tokens = await Promise.all(Array.from({ length: maxClients }, (_, i) => signAppToken(new TextEncoder().encode(jwtSecret), `bench-${i}`, 3600)));

  // One operation of each scenario on each system, counting its iManage calls at the sandbox.
  const checks: Check[] = [];
  const facadeAnswers = new Map<string, unknown>();
  for (const scenario of scenarios) {
    for (const system of systems.values()) {
      await admin('DELETE', 'log');
      const answer = await post(system.url, scenario, data, tokens[0]!);
      const entries = ((await (await admin('GET', 'log')).json()) as { data: Array<{ path: string }> }).data;
      if (answer.errors) throw new Error(`(${scenario.key}) on ${system.name}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      if (system.name === 'facade') facadeAnswers.set(scenario.key, answer.data);
      const bound = scenario.lowerBound(data, (facadeAnswers.get(scenario.key) ?? answer.data) as Record<string, unknown>);
      checks.push({
        scenario: scenario.key,
        system: system.name,
        callsPerOperation: entries.filter((e) => e.path.startsWith('/work/api/')).length,
        lowerBound: bound,
        roundTrips: roundTrips(bound, PER_USER_CAP),
        sameAnswerAsFacade:
          !scenario.comparable || !facadeAnswers.has(scenario.key) ? null : JSON.stringify(answer.data) === JSON.stringify(facadeAnswers.get(scenario.key)),
      });
    }
  }

  const bench = new CellRunner(tokens, data, admin);
  await bench.prewarm([...systems.values()], scenarios);

  const cells: Cell[] = [];
  for (const latencyMs of options.latencies) {
    await admin('POST', 'latency', { ms: latencyMs });
    for (const scenario of scenarios) {
      for (const clients of options.clients) {
        // The ceiling never calls iManage: its figures do not depend on the latency.
        const here = [...systems.values()].filter((s) => s.kind !== 'ceiling' || latencyMs === options.latencies[0]);
        for (const cell of await bench.measure(here, scenario, latencyMs, clients)) {
          cells.push(cell);
          log(row(cell, checks));
        }
      }
    }
  }
  await admin('POST', 'latency', { ms: 0 });

  // (a) again on fresh pairs of processes (BENCH_A_FORKS), each pre-warmed as above.
  const viewer = scenarios.find((s) => s.key === 'a');
  if (viewer && options.aForks > 0 && options.latencies.includes(0) && systems.has('facade') && systems.has('ceiling')) {
    log(`\n(a) on ${options.aForks} more pair(s) of fresh facade and ceiling processes, 0 ms:`);
    for (let fork = 1; fork <= options.aForks; fork++) {
      const pair = [await SystemProcess.start('facade', env), await SystemProcess.start('ceiling', env)];
      await bench.prewarm(pair, scenarios);
      for (const clients of options.clients) {
        for (const cell of await bench.measure(pair, viewer, 0, clients, fork)) {
          cells.push(cell);
          log(`${row(cell, checks)} | fork ${fork}`);
        }
      }
      for (const system of pair) await system.stop();
    }
  }

  const targets = checkTargets(cells, checks, options.clients);

  // A page of documents with people and locations (bench/documentPage.ts): its iManage calls, on the facade.
  let documentPage: DocumentPageFigures | null = null;
  const pageFacade = systems.get('facade');
  if (pageFacade) {
    // The demo firm's folder of 250 documents (the sandbox seed), found as any client would: by its whole name.
    const found = await rest.get(`/libraries/ACTIVE_US/folders?name=${encodeURIComponent('Document Production (Bates 0001–0250)')}`);
    documentPage = await benchDocumentPage({
      facadeUrl: pageFacade.url,
      appToken: tokens[0]!,
      folderId: found.data.results[0].id as string,
      upstreamCalls: async () => (await pageFacade.stats()).upstreamCalls,
    });
    log(`\ndocuments: a page of ${documentPage.documents} with people and locations took ${documentPage.calls} iManage calls besides the folder lookup`);
    targets.push(...documentPageTargets(documentPage));
  }

  // Downloads (bench/downloads.ts), on the facade at 0 ms, after everything else.
  let downloads: DownloadFigures | null = null;
  const facade = systems.get('facade');
  const ceiling = systems.get('ceiling');
  // Each transfer's throughput is measured on shared cores and with the relays on a core of their own (bench/cores.ts).
  const transferCores =
    facade && process.env.BENCH_CORES !== 'shared' ? cores([process.pid, sandbox.process.pid!], [facade.pid, ...(ceiling ? [ceiling.pid] : [])]) : null;
  if (options.downloads && facade) {
    log('\ndownloads through the facade against straight from the sandbox:');
    downloads = await benchDownloads({
      facadeUrl: facade.url,
      appToken: tokens[0]!,
      addDocument: async (size, name) => {
        const res = await admin('POST', 'documents', { folderId: data.writeParent, name, extension: 'bin', size });
        if (res.status !== 201) throw new Error(`sandbox: adding a document answered ${res.status}`);
        return ((await res.json()) as { data: { id: string } }).data.id;
      },
      direct: (path) => rest.direct(path),
      cores: transferCores,
      // The ceiling's bare hop takes the sandbox URL's path and query after `/hop`.
      ...(ceiling
        ? {
            ceilingUrl: ceiling.url,
            ceilingCpuMicros: async () => (await ceiling.stats()).cpuMicros,
            hop: (path: string) => {
              const straight = rest.direct(path);
              const url = new URL(straight.url);
              return { ...straight, url: `${ceiling.url}/hop${url.pathname}${url.search}` };
            },
          }
        : {}),
      stats: () => facade.stats(),
      resetPeak: async () => void (await facade.reset()),
      ...profileOf(facade),
      log,
    });
    targets.push(...downloadTargets(downloads));
  }

  // Uploads (bench/uploads.ts), on the facade at 0 ms, last.
  let uploads: UploadFigures | null = null;
  if (options.uploads && facade) {
    log('\nuploads through the facade against straight to the sandbox:');
    uploads = await benchUploads({
      facadeUrl: facade.url,
      appToken: tokens[0]!,
      folderId: data.writeParent,
      direct: (path) => rest.direct(path),
      sandboxCpuMicros: () => processCpuMicros(sandbox.process.pid),
      cores: transferCores,
      // The same multipart body through the ceiling's bare hop, to the same sandbox URL.
      ...(ceiling ? { hop: (spec: MultipartSpec) => ({ ...spec, url: `${ceiling.url}/hop${new URL(spec.url).pathname}` }) } : {}),
      stats: () => facade.stats(),
      resetPeak: async () => void (await facade.reset()),
      ...profileOf(facade),
      log,
    });
    targets.push(...uploadTargets(uploads));
  }
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: process.platform,
    },
    command: 'npm run bench',
    options,
    perUserCap: PER_USER_CAP,
    data,
    checks,
    cells,
    targets,
    documentPage,
    downloads,
    uploads,
    comparison: compare(cells, checks),
  };
  log('');
  log(table(cells, checks));
  log('');
  log(ratios(cells, checks));
  log('');
  for (const t of targets) log(`${verdict(t)}  ${t.target}: ${t.detail}`);
  const comparison = compare(cells, checks);
  if (comparison.length) log(`\nfacade against before (BENCH_COMPARE ${options.compare}):\n${comparison.join('\n')}`);
  const out = join(here, 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`\nresults: ${out}`);

  if (exports) log(`\ntraced: ${exports.requests()} OTLP exports received (${(exports.bytes() / 2 ** 20).toFixed(1)} MB), discarded`);
  for (const system of systems.values()) await system.stop();
  exports?.close();
  sandbox.process.kill('SIGTERM');
}

/**
 * An OTLP/HTTP endpoint that reads every export and throws it away (BENCH_TRACING): the traced
 * facade pays for making, batching, encoding and sending its spans, as against a real collector.
 */
async function discardingCollector() {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': String(req.headers['content-type'] ?? 'application/x-protobuf') }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    bytes: () => bytes,
    close: () => server.close(),
  };
}

async function post(url: string, scenario: Scenario, data: BenchData, token: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: queryFor(scenario, data), variables: scenario.variables(data) }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

/** A child process's CPU time so far (user + system, from /proc on Linux), or NaN where that cannot be read. */
function processCpuMicros(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const stopChildren = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
};
process.on('exit', () => {
  for (const dir of builds) rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => {
  stopChildren();
  process.exit(130);
});
/** `--report <file>`: the tables and targets of a saved run, without running anything. */
function report(file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { cells: Cell[]; checks: Check[]; options: typeof options; command: string; startedAt: string };
  log(`${saved.command} at ${saved.startedAt}\n`);
  log(table(saved.cells, saved.checks));
  log('');
  log(ratios(saved.cells, saved.checks));
  log('');
  for (const t of checkTargets(saved.cells, saved.checks, saved.options.clients)) log(`${verdict(t)}  ${t.target}: ${t.detail}`);
  const comparison = compare(saved.cells, saved.checks);
  if (comparison.length) log(`\nfacade against before:\n${comparison.join('\n')}`);
}

const reportIndex = process.argv.indexOf('--report');
(reportIndex >= 0 ? Promise.resolve(report(process.argv[reportIndex + 1]!)) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    stopChildren();
    process.exit(1);
  },
);
