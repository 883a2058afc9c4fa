import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * src/logger.ts, in a process of its own (the logger writes to the process's stdout): every line is
 * written when it is logged, in order, so that none is lost however the process ends.
 */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(script: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createLogger } from './src/logger.ts';\n${script}`], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk) => {
    out += String(chunk);
    for (const wake of waiters.splice(0)) wake();
  });
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string });
  return {
    child,
    lines,
    /** Resolves once stdout holds a line with this message. */
    until: (msg: string) =>
      new Promise<void>((resolve) => {
        const check = () => (lines().some((l) => l.msg === msg) ? resolve() : waiters.push(check));
        check();
      }),
    exited: new Promise<number | null>((resolve) => child.once('exit', resolve)),
  };
}

describe('the service logger', () => {
  it('has written every line, in order, when the process is killed outright', async () => {
    // Killed outright right after the warning: no timer, no exit handler runs.
    const proc = run(`const log = createLogger('info'); log.info('first'); log.info('second'); log.warn('trouble'); process.kill(process.pid, 'SIGKILL');`);
    await proc.exited;
    expect(proc.lines().map((l) => [l.level, l.msg])).toEqual([
      [30, 'first'],
      [30, 'second'],
      [40, 'trouble'],
    ]);
  });

  it('writes lines while the process runs on, and all of them before it exits', async () => {
    // The first process never exits by itself: its line is written while it runs.
    const waiting = run(`const log = createLogger('info'); log.info('alone'); setTimeout(() => {}, 60_000);`);
    await waiting.until('alone');
    expect(waiting.child.exitCode).toBeNull();
    const exiting = run(`const log = createLogger('info'); log.info('one'); log.info('two'); process.exit(0);`);
    expect(await exiting.exited).toBe(0);
    expect(exiting.lines().map((l) => l.msg)).toEqual(['one', 'two']);
  });

  it('writes nothing below its level', async () => {
    const proc = run(`const log = createLogger('warn'); log.info('quiet'); log.error('loud');`);
    expect(await proc.exited).toBe(0);
    expect(proc.lines().map((l) => l.msg)).toEqual(['loud']);
  });
});
