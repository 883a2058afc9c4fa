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
