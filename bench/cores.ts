/**
 * Which cores the processes of the transfer benches (bench/downloads.ts, bench/uploads.ts) run on.
 *
 * On a machine of two cores the sandbox (standing for iManage), the bench's own client (standing for a
 * browser) and the facade all compete for the same CPU. A relay's CPU is then taken from the two ends,
 * which in a deployment run on other machines: the facade's figure would measure how much the
 * simulator and the client are slowed by sharing their cores, not how much the relay slows a transfer.
 * So each throughput is measured in two arrangements, side by side in one run:
 *
 *   shared    every process may run on every core (what the machine does by itself)
 *   separate  the relays (the facade, and the ceiling's bare hop) on the last core, everything at the
 *             ends (the sandbox, the bench, and the readers and senders it forks meanwhile) on the
 *             others: both paths have their ends on the same cores, and the relay's work is its own
 *
 * `taskset` (util-linux) sets the affinity of every thread of a process; threads and processes made
 * later inherit it. Null where that cannot be done (not Linux, no taskset, one core): only `shared` is
 * measured then.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export type Arrangement = 'shared' | 'separate';

export interface Cores {
  /** Puts the processes in `arrangement`, and says so in a line for the log. */
  arrange(arrangement: Arrangement): string;
}

export function cores(ends: number[], relays: number[]): Cores | null {
  const count = cpus().length;
  if (process.platform !== 'linux' || count < 2 || !hasTaskset()) return null;
  const all = `0-${count - 1}`;
  const endCores = count === 2 ? '0' : `0-${count - 2}`;
  const relayCore = String(count - 1);
  const pin = (pid: number, list: string) => execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
  return {
    arrange(arrangement) {
      for (const pid of ends) pin(pid, arrangement === 'shared' ? all : endCores);
      for (const pid of relays) pin(pid, arrangement === 'shared' ? all : relayCore);
      return arrangement === 'shared'
        ? `every process on cores ${all}`
        : `the facade and the bare hop on core ${relayCore}, the sandbox and the bench's clients on ${endCores}`;
    },
  };
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Each core's busy and total clock ticks since boot (`/proc/stat`); null where it cannot be read. */
export type CoreTicks = Array<{ busy: number; total: number }>;

export function coreTicks(): CoreTicks | null {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((line) => /^cpu\d+ /.test(line))
      .map((line) => {
        const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
        const busy = user + nice + system + irq + softirq + steal;
        return { busy, total: busy + idle + iowait };
      });
  } catch {
    return null;
  }
}

/**
 * How busy each core was between two readings, for a round's log line (`cores 98/14 % busy`): it tells a
 * round bound by the ends' core from one bound by the relay's. Empty when either reading is missing.
 */
export function busyBetween(before: CoreTicks | null, after: CoreTicks | null): string {
  if (!before || !after || before.length !== after.length) return '';
  const shares = after.map((core, i) => {
    const total = core.total - before[i]!.total;
    return total > 0 ? Math.round((100 * (core.busy - before[i]!.busy)) / total) : 0;
  });
  return `cores ${shares.join('/')} % busy`;
}
