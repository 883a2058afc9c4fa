/**
 * The report of a bench run (`bench/run.ts`): its tables, the targets (BENCHMARKS.md) checked against its
 * cells, and the comparison with a BENCH_COMPARE checkout. Pure functions of a run's cells and checks,
 * so that `--report` reprints a saved run and test/bench.targets.test.ts checks how targets are judged.
 */
import type { LoadResult } from './load.js';
import type { LowerBound } from './scenarios.js';

/** IMANAGE_CONCURRENCY_PER_USER's default: how many calls of one user may be in flight at once. */
export const PER_USER_CAP = 8;

export interface Cell {
  latencyMs: number;
  scenario: string;
  clients: number;
  /** facade, plain, ceiling, before (BENCH_COMPARE) or traced (BENCH_TRACING: the facade with tracing on). */
  system: string;
  load: Omit<LoadResult, 'latencies'>;
  cpuMsPerRequest: number;
  upstreamCallsPerRequest: number;
  peakRssMb: number;
  /** Set on the cells of the extra pairs of processes that measure (a) again (BENCH_A_FORKS): 1, 2, … */
  fork?: number;
}

export interface Check {
  scenario: string;
  system: string;
  callsPerOperation: number;
  lowerBound: LowerBound;
  roundTrips: number;
  sameAnswerAsFacade: boolean | null;
}

const checkOf = (checks: Check[], scenario: string, system: string) => checks.find((c) => c.scenario === scenario && c.system === system)!;
const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/**
 * p50 ÷ (sequential waves of the lower bound × upstream latency): 1.0 is the physical limit; only
 * meaningful above 0 ms. `capped` counts round trips as the per-user cap lets the waves go instead.
 */
export function waveRatio(cell: Cell, check: Check, capped = false): number {
  const waves = capped ? check.roundTrips : check.lowerBound.waves.length;
  return cell.latencyMs > 0 && waves > 0 ? cell.load.p50Ms / (waves * cell.latencyMs) : NaN;
}

const HEADER = [
  'lat',
  'sc',
  'cl',
  'system',
  'req/s',
  'p50 ms',
  'p99 ms',
  'cpu ms/req',
  'calls/op',
  'bound (waves, round trips)',
  'p50/(waves×lat)',
  'peak RSS MB',
  'failed',
];

export function row(cell: Cell, checks: Check[]): string {
  const check = checkOf(checks, cell.scenario, cell.system);
  return [
    `${cell.latencyMs}`,
    cell.scenario,
    `${cell.clients}`,
    cell.system,
    fixed(cell.load.requestsPerSecond, 1),
    fixed(cell.load.p50Ms, 1),
    fixed(cell.load.p99Ms, 1),
    fixed(cell.cpuMsPerRequest, 2),
    fixed(cell.system === 'ceiling' ? 0 : cell.upstreamCallsPerRequest, 1),
    `${check.lowerBound.calls} (${check.lowerBound.waves.length} w, ${check.roundTrips} rt)`,
    fixed(waveRatio(cell, check), 2),
    fixed(cell.peakRssMb),
    `${cell.load.failed}${cell.load.firstFailure ? ` ${cell.load.firstFailure.slice(0, 80)}` : ''}`,
  ].join(' | ');
}

export function table(cells: Cell[], checks: Check[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const cell of cells.filter((c) => c.fork === undefined)) lines.push(`| ${row(cell, checks)} |`);
  const forked = cells.filter((c) => c.fork !== undefined);
  if (forked.length) {
    lines.push('', `| fork | ${HEADER.join(' | ')} |`, `|---|${HEADER.map(() => '---').join('|')}|`);
    for (const cell of forked) lines.push(`| ${cell.fork} | ${row(cell, checks)} |`);
  }
  return lines.join('\n');
}

export interface TargetResult {
  target: string;
  /** Null for a figure that is reported but not judged. */
  met: boolean | null;
  detail: string;
}

/** How a target's line starts in the bench's output. */
export function verdict(result: TargetResult): string {
  return result.met === null ? 'REPORTED' : result.met ? 'MET     ' : 'NOT MET ';
}

export function checkTargets(allCells: Cell[], checks: Check[], clientCounts: readonly number[]): TargetResult[] {
  const results: TargetResult[] = [];
  const cells = allCells.filter((c) => c.fork === undefined);
  const find = (latencyMs: number, scenario: string, clients: number, system: string, fork?: number) =>
    allCells.find((c) => c.latencyMs === latencyMs && c.scenario === scenario && c.clients === clients && c.system === system && c.fork === fork);
  const facadeChecks = checks.filter((c) => c.system === 'facade');
  if (facadeChecks.length) {
    const off = facadeChecks.filter((c) => c.callsPerOperation !== c.lowerBound.calls);
    results.push({
      target: 'iManage calls equal the lower bound in every scenario',
      met: off.length === 0,
      detail: facadeChecks.map((c) => `(${c.scenario}) ${c.callsPerOperation}/${c.lowerBound.calls}`).join(', '),
    });
  }
  for (const key of ['e', 'f']) {
    const ours = checks.find((c) => c.scenario === key && c.system === 'facade');
    const plain = checks.find((c) => c.scenario === key && c.system === 'plain');
    if (ours && plain) {
      results.push({
        target: `(${key}) at most a tenth of the plain baseline's calls`,
        met: ours.callsPerOperation * 10 <= plain.callsPerOperation,
        detail: `${ours.callsPerOperation} vs ${plain.callsPerOperation} (${fixed(plain.callsPerOperation / Math.max(1, ours.callsPerOperation), 1)}×)`,
      });
    }
    for (const clients of clientCounts) {
      const a = find(0, key, clients, 'facade');
      const b = find(0, key, clients, 'plain');
      if (a && b) {
        const ratio = a.load.requestsPerSecond / b.load.requestsPerSecond;
        results.push({
          target: `(${key}) at 0 ms, ${clients} client(s): ≥ 3× the plain baseline's req/s`,
          met: ratio >= 3,
          detail: `${fixed(ratio, 2)}× (${fixed(a.load.requestsPerSecond, 1)} vs ${fixed(b.load.requestsPerSecond, 1)})`,
        });
      }
    }
  }
  const tree = find(50, 'c', 1, 'facade');
  const treeCheck = checks.find((c) => c.scenario === 'c' && c.system === 'facade');
  if (tree && treeCheck) {
    const ratio = waveRatio(tree, treeCheck);
    const capped = waveRatio(tree, treeCheck, true);
    results.push({
      target: '(c) at 50 ms, 1 client: p50 ≤ 1.1 × waves × 50 ms',
      met: ratio <= 1.1,
      detail: `${fixed(ratio, 2)} (p50 ${fixed(tree.load.p50Ms, 1)} ms, ${treeCheck.lowerBound.waves.length} waves; ${fixed(capped, 2)} against the ${treeCheck.roundTrips} round trips that ${PER_USER_CAP} calls in flight per user allow)`,
    });
  }
  // (a) on every pair of processes, the first and the forks (BENCH_A_FORKS): the median ratio, reported
  // but not judged: a request that calls no iManage is not what users wait on (issue 14).
  const forks = [undefined, ...new Set(allCells.flatMap((c) => (c.fork === undefined ? [] : [c.fork])))];
  for (const clients of clientCounts) {
    const pairs = forks.flatMap((fork) => {
      const a = find(0, 'a', clients, 'facade', fork);
      const ceiling = find(0, 'a', clients, 'ceiling', fork);
      return a && ceiling ? [{ ratio: a.load.requestsPerSecond / ceiling.load.requestsPerSecond, a, ceiling }] : [];
    });
    if (pairs.length === 0) continue;
    const ratio = median(pairs.map((p) => p.ratio));
    const each = pairs.map((p) => `${fixed(p.ratio * 100)} % (${fixed(p.a.load.requestsPerSecond, 1)} vs ${fixed(p.ceiling.load.requestsPerSecond, 1)})`);
    results.push({
      target: `(a) ${clients} client(s): req/s against the framework ceiling's`,
      met: null,
      detail: pairs.length === 1 ? each[0]! : `median ${fixed(ratio * 100)} % over ${pairs.length} pairs of processes: ${each.join(', ')}`,
    });
  }
  // Tracing on against off (BENCH_TRACING), at a realistic iManage latency (issue 19).
  for (const traced of cells.filter((c) => c.system === 'traced' && c.latencyMs === 20)) {
    const off = find(20, traced.scenario, traced.clients, 'facade');
    if (!off) continue;
    const ratio = traced.load.requestsPerSecond / off.load.requestsPerSecond;
    results.push({
      target: `(${traced.scenario}) at 20 ms, ${traced.clients} client(s): tracing on ≥ 90 % of the req/s with it off`,
      met: ratio >= 0.9,
      detail: `${fixed(ratio * 100, 1)} % (${fixed(traced.load.requestsPerSecond, 1)} vs ${fixed(off.load.requestsPerSecond, 1)} req/s; cpu/req ${fixed(traced.cpuMsPerRequest, 2)} vs ${fixed(off.cpuMsPerRequest, 2)} ms)`,
    });
  }
  const maxClients = Math.max(...clientCounts);
  const peak = (system: string) => Math.max(...cells.filter((c) => c.system === system && c.clients === maxClients).map((c) => c.peakRssMb));
  if (maxClients > 1 && cells.some((c) => c.system === 'plain')) {
    const ours = peak('facade');
    const plain = peak('plain');
    results.push({
      target: `peak RSS under ${maxClients} clients ≤ the plain baseline's`,
      met: ours <= plain,
      detail: `${fixed(ours)} MB vs ${fixed(plain)} MB`,
    });
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Per scenario: the facade's req/s and p50 as multiples of the baselines', and the calls of each. */
export function ratios(allCells: Cell[], checks: Check[]): string {
  const cells = allCells.filter((c) => c.fork === undefined);
  const lines = [
    '| lat | sc | cl | req/s ÷ plain | req/s ÷ ceiling | p50 ÷ plain | cpu/req ÷ plain | calls: facade / plain / bound |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const cell of cells.filter((c) => c.system === 'facade')) {
    const same = (system: string) =>
      cells.find(
        (c) => c.system === system && c.scenario === cell.scenario && c.clients === cell.clients && (c.latencyMs === cell.latencyMs || system === 'ceiling'),
      );
    const plain = same('plain');
    const ceiling = same('ceiling');
    const calls = (system: string) => checks.find((c) => c.scenario === cell.scenario && c.system === system)?.callsPerOperation ?? NaN;
    lines.push(
      `| ${cell.latencyMs} | ${cell.scenario} | ${cell.clients} | ${fixed(cell.load.requestsPerSecond / (plain?.load.requestsPerSecond ?? NaN), 2)} | ` +
        `${fixed(cell.load.requestsPerSecond / (ceiling?.load.requestsPerSecond ?? NaN), 2)} | ${fixed(cell.load.p50Ms / (plain?.load.p50Ms ?? NaN), 2)} | ` +
        `${fixed(cell.cpuMsPerRequest / (plain?.cpuMsPerRequest ?? NaN), 2)} | ${calls('facade')} / ${fixed(calls('plain'))} / ${checkOf(checks, cell.scenario, 'facade').lowerBound.calls} |`,
    );
  }
  return lines.join('\n');
}

/** The facade against the same facade from another checkout (BENCH_COMPARE), cell by cell. */
export function compare(allCells: Cell[], checks: Check[]): string[] {
  const lines: string[] = [];
  const cells = allCells.filter((c) => c.fork === undefined);
  for (const cell of cells.filter((c) => c.system === 'facade')) {
    const before = cells.find((c) => c.system === 'before' && c.latencyMs === cell.latencyMs && c.scenario === cell.scenario && c.clients === cell.clients);
    if (!before) continue;
    lines.push(
      `${cell.latencyMs} ms (${cell.scenario}) ${cell.clients} client(s): req/s ×${fixed(cell.load.requestsPerSecond / before.load.requestsPerSecond, 2)}, ` +
        `p50 ×${fixed(cell.load.p50Ms / before.load.p50Ms, 2)}, cpu/req ×${fixed(cell.cpuMsPerRequest / before.cpuMsPerRequest, 2)}, ` +
        `calls ${checkOf(checks, cell.scenario, 'before').callsPerOperation} → ${checkOf(checks, cell.scenario, 'facade').callsPerOperation}`,
    );
  }
  return lines;
}
