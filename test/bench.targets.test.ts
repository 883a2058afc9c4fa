import { describe, expect, it } from 'vitest';
import { checkTargets, table, verdict, type Cell, type Check } from '../bench/report.js';
import { throughputCheck } from '../bench/transfers.js';

/**
 * How `npm run bench` judges its targets from a run's cells (bench/report.ts), on made-up cells: (a) is
 * reported (not judged) as the median over every pair of processes that measured it (BENCH_A_FORKS),
 * and the cells of those extra pairs are kept out of every target and out of the main table.
 */

const cell = (system: string, scenario: string, clients: number, requestsPerSecond: number, extra: Partial<Cell> = {}): Cell => ({
  latencyMs: 0,
  scenario,
  clients,
  system,
  load: { completed: 1000, failed: 0, elapsedMs: 1000, requestsPerSecond, p50Ms: 1, p99Ms: 2, maxMs: 3 },
  cpuMsPerRequest: 0.2,
  upstreamCallsPerRequest: 0,
  peakRssMb: 200,
  ...extra,
});

const checks: Check[] = ['facade', 'plain', 'ceiling'].map((system) => ({
  scenario: 'a',
  system,
  callsPerOperation: 0,
  lowerBound: { calls: 0, waves: [] },
  roundTrips: 0,
  sameAnswerAsFacade: null,
}));

/** (a) with one client on pairs of processes, facade against ceiling: ratios in percent, the first pair's first. */
function viewerCells(percents: number[]): Cell[] {
  return percents.flatMap((percent, i) => {
    const fork = i === 0 ? {} : { fork: i };
    return [cell('facade', 'a', 1, percent * 10, fork), cell('ceiling', 'a', 1, 1000, fork)];
  });
}

const viewerTarget = (cells: Cell[]) => checkTargets(cells, checks, [1]).find((t) => t.target.startsWith('(a)'))!;

describe('bench targets', () => {
  it('reports (a) as the median ratio over every pair of processes, listing each, without judging it', () => {
    const target = viewerTarget(viewerCells([60, 90, 95, 85, 70]));
    expect(target.met).toBeNull();
    expect(target.detail).toBe(
      'median 85 % over 5 pairs of processes: 60 % (600.0 vs 1000.0), 90 % (900.0 vs 1000.0), 95 % (950.0 vs 1000.0), 85 % (850.0 vs 1000.0), 70 % (700.0 vs 1000.0)',
    );
  });

  it('reports the median however good the best pair', () => {
    const target = viewerTarget(viewerCells([70, 75, 130, 72, 95]));
    expect(target.met).toBeNull();
    expect(target.detail).toMatch(/^median 75 % over 5 pairs/);
    expect(verdict(target)).toBe('REPORTED');
  });

  it('takes the middle of an even number of pairs as the mean of the two middle ratios', () => {
    const target = viewerTarget(viewerCells([70, 88, 90, 100]));
    expect(target.detail).toMatch(/^median 89 % over 4 pairs/);
  });

  it('judges a run without extra pairs (saved before BENCH_A_FORKS) on its one pair', () => {
    const target = viewerTarget(viewerCells([78]));
    expect(target).toEqual({ target: "(a) 1 client(s): req/s against the framework ceiling's", met: null, detail: '78 % (780.0 vs 1000.0)' });
  });

  it('keeps the extra pairs out of the other targets and out of the main table', () => {
    const cells = [
      ...viewerCells([90, 90]),
      cell('plain', 'a', 1, 900),
      cell('facade', 'a', 50, 5000, { peakRssMb: 250 }),
      cell('plain', 'a', 50, 5000, { peakRssMb: 300 }),
      // A fresh facade process with a peak the first one never had: not part of the memory target.
      cell('facade', 'a', 50, 5000, { peakRssMb: 900, fork: 1 }),
      cell('ceiling', 'a', 50, 5000, { fork: 1 }),
    ];
    const rss = checkTargets(cells, checks, [1, 50]).find((t) => t.target.startsWith('peak RSS'))!;
    expect(rss).toEqual({ target: "peak RSS under 50 clients ≤ the plain baseline's", met: true, detail: '250 MB vs 300 MB' });
    const [main, forks] = table(cells, checks).split('\n\n');
    expect(main!.split('\n')).toHaveLength(2 + 5); // the header, and the five cells of the first processes
    expect(
      forks!
        .split('\n')
        .slice(2)
        .map((line) => line.split(' | ').slice(0, 5).join(' | ')),
    ).toEqual(['| 1 | 0 | a | 1 | facade', '| 1 | 0 | a | 1 | ceiling', '| 1 | 0 | a | 50 | facade', '| 1 | 0 | a | 50 | ceiling']);
  });

  it('judges tracing (BENCH_TRACING) at 20 ms only: the traced facade against the facade, cell by cell, met from 90 % of its req/s', () => {
    const at = (latencyMs: number) => ({ latencyMs, cpuMsPerRequest: 10 });
    const cells = [
      cell('facade', 'c', 1, 10, at(20)),
      cell('traced', 'c', 1, 9, at(20)),
      cell('facade', 'c', 50, 40, at(20)),
      cell('traced', 'c', 50, 35.9, at(20)),
      cell('facade', 'c', 1, 100, at(0)),
      cell('traced', 'c', 1, 10, at(0)),
    ];
    const tracing = checkTargets(cells, checks, [1, 50]).filter((t) => t.target.includes('tracing on'));
    expect(tracing.map((t) => [t.target, t.met])).toEqual([
      ['(c) at 20 ms, 1 client(s): tracing on ≥ 90 % of the req/s with it off', true],
      ['(c) at 20 ms, 50 client(s): tracing on ≥ 90 % of the req/s with it off', false],
    ]);
    expect(tracing[1]!.detail).toBe('89.8 % (35.9 vs 40.0 req/s; cpu/req 10.00 vs 10.00 ms)');
  });
});

describe('transfer throughput (bench/downloads.ts, bench/uploads.ts)', () => {
  const at = (ratio: number) => ({
    facadeMBps: ratio * 100,
    directMBps: 100,
    hopMBps: 95,
    ratio,
    roundRatios: [ratio],
    facadeCpuMsPerGiB: 1000,
    hopCpuMsPerGiB: 900,
  });

  it('is judged with the facade on a core of its own when that was measured, and prints both arrangements', () => {
    const check = throughputCheck({ shared: at(0.5), separate: at(0.92) }, 0.9);
    expect(check.met).toBe(true);
    expect(check.detail).toMatch(/^facade on a core of its own: 92 % .*; cores shared: 50 % /);
    expect(throughputCheck({ shared: at(0.95), separate: at(0.85) }, 0.9).met).toBe(false);
  });

  it('prints the seconds each relay adds to a GiB over the direct path', () => {
    // 1 GiB at 100 MB/s takes 10.24 s; at 80 MB/s 12.80 s; at 95 MB/s 10.78 s.
    expect(throughputCheck({ shared: at(0.8) }, 0.9).detail).toContain('; added per GiB: 2.56 s, bare hop 0.54 s)');
  });

  it('is judged on shared cores when they could not be assigned', () => {
    expect(throughputCheck({ shared: at(0.91) }, 0.9)).toMatchObject({ met: true, detail: expect.stringMatching(/^cores shared: 91 %/) });
    expect(throughputCheck({ shared: at(0.89) }, 0.9).met).toBe(false);
  });
});
