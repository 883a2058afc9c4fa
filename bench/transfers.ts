/**
 * What the transfer benches (bench/downloads.ts, bench/uploads.ts) share: sizes read from the
 * environment, timing and CPU arithmetic, the `viewer` probe run beside the transfers, the child
 * process that makes the concurrent transfers (bench/drain.ts, bench/send.ts), and how a throughput
 * target is judged from the two core arrangements (bench/cores.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { busyBetween, coreTicks, type Arrangement } from './cores.js';

export const MB = 1024 * 1024;
export const envNumber = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** `run`'s value, how long it took in seconds, and how busy each core was meanwhile (bench/cores.ts; empty off Linux). */
export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; cores: string }> {
  const ticks = coreTicks();
  const start = process.hrtime.bigint();
  const value = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { value, seconds, cores: busyBetween(ticks, coreTicks()) };
}

/** CPU microseconds spent on `bytes`, as milliseconds per GiB. */
export const perGiB = (micros: number, bytes: number) => micros / 1000 / (bytes / (1024 * MB));

/** This process's CPU time (user + system) since `before`, in microseconds. */
export function cpuSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** A GraphQL query to `target` with its app token: the data, or a thrown error naming the errors. */
export async function graphql<T>(target: { url: string; appToken: string }, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await request(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.appToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`bench: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data;
}

/** `viewer` one after another until `until` settles (or `count` answers when no `until`): each latency in ms. */
export async function viewerLatencies(target: { url: string; appToken: string }, options: { count?: number; until?: Promise<unknown> }): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void options.until?.then(
    () => (done = true),
    () => (done = true),
  );
  while (options.until ? !done : latencies.length < (options.count ?? 0)) {
    const start = process.hrtime.bigint();
    await graphql(target, '{ viewer { id imanage { status userId customerId } } }');
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return latencies;
}

/**
 * Runs bench/`script`.ts (or .js, compiled) in a child process with `arg` as one JSON argument, so that
 * its transfers do not slow the bench's own queries; answers what it sends back over IPC
 * (`{ result }`, or `{ error }`).
 */
export function inChild<T>(script: 'drain' | 'send', arg: unknown, what: string): Promise<T> {
  const file = fileURLToPath(new URL(`./${script}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const child = fork(file, [JSON.stringify(arg)], {
    execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { result?: T; error?: string }) =>
      message.error === undefined ? resolve(message.result as T) : reject(new Error(`${what}: ${message.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`${what}: the child process exited (${code})`)));
  });
}

/** The end of a child of `inChild`: `run`'s result, or its error, sent to the bench, then exit. */
export function answerParent<T>(run: Promise<T>): void {
  run.then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: unknown) => process.send!({ error: String(error) }, () => process.exit(1)),
  );
}

/** One arrangement's throughput figures (bench/cores.ts). */
export interface Throughput {
  facadeMBps: number;
  directMBps: number;
  /** Through the ceiling's bare Node hop (null when the ceiling did not run). */
  hopMBps: number | null;
  /** facade ÷ direct, the best of each. */
  ratio: number;
  /** facade ÷ direct within each round. */
  roundRatios: number[];
  /** The facade's CPU time (user + system) per GiB streamed, in its best round: a figure the machine's load does not skew as much as throughput. */
  facadeCpuMsPerGiB: number;
  /** The same for the bare hop (null when the ceiling did not run, or its CPU was not read). */
  hopCpuMsPerGiB: number | null;
}

/**
 * The seconds a relay adds to each GiB over the direct path, from the best rates of a run: 1 GiB at
 * `relayMBps` less 1 GiB at `directMBps`. The ratio is `direct time ÷ (direct time + this)`, so the same
 * relay scores lower the faster the sandbox serves: with the facade on a core of its own this figure
 * is what the extra hop costs the core the sandbox and the reader share (their kernel's loopback work
 * for a second connection), and says more from one machine to another than the ratio.
 */
export function addedSecondsPerGiB(relayMBps: number, directMBps: number): number {
  return 1024 / relayMBps - 1024 / directMBps;
}

/** One arrangement's throughput, as the checks print it. */
export function throughputDetail(arrangement: Arrangement, t: Throughput): string {
  const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
  const added = (relayMBps: number) => `${addedSecondsPerGiB(relayMBps, t.directMBps).toFixed(2)} s`;
  return (
    `${arrangement === 'shared' ? 'cores shared' : 'facade on a core of its own'}: ${pct(t.ratio)} ` +
    `(${t.facadeMBps.toFixed(0)} vs ${t.directMBps.toFixed(0)} MB/s, best of each; in each round ${t.roundRatios.map(pct).join(', ')}` +
    (t.hopMBps === null ? '' : `; a bare Node hop ${pct(t.hopMBps / t.directMBps)}`) +
    `; added per GiB: ${added(t.facadeMBps)}` +
    (t.hopMBps === null ? '' : `, bare hop ${added(t.hopMBps)}`) +
    `), facade CPU ${t.facadeCpuMsPerGiB.toFixed(0)} ms per GiB` +
    (t.hopCpuMsPerGiB === null ? '' : ` (bare hop ${t.hopCpuMsPerGiB.toFixed(0)})`)
  );
}

/**
 * A throughput target's verdict: judged on the arrangement that keeps the relay's CPU its own
 * (`separate`, bench/cores.ts says why) when it was measured, else on `shared`; both are printed.
 */
export function throughputCheck(throughput: Partial<Record<Arrangement, Throughput>>, at: number): { met: boolean; detail: string } {
  const judged = throughput.separate ?? throughput.shared!;
  const lines = (['separate', 'shared'] as const).flatMap((a) => (throughput[a] ? [throughputDetail(a, throughput[a])] : []));
  return { met: judged.ratio >= at, detail: lines.join('; ') };
}
