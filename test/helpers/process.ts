import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A server started as its own process, the way a user starts it (`npm start`, `npm run example`,
 * `node src/main.ts`): its output gathered, waited on by what it prints, and stopped at the end.
 */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
  /**
   * Resolves once stdout passes `test`, checked as output arrives; fails when the process exits first
   * or after `timeoutMs`, saying what it printed.
   */
  until(test: RegExp | ((stdout: string) => boolean), what: string, timeoutMs?: number): Promise<void>;
  /** Kills it (its whole group when started `detached`) if it still runs, and waits for its exit. */
  stop(): Promise<void>;
}

export function startProcess(command: string, args: string[], options: { env: Record<string, string | undefined>; detached?: boolean }): ServerProcess {
  const child = spawn(command, args, {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own (npm, its shell, node), so that `stop` can end all of it.
    ...(options.detached ? { detached: true } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    until(test, what, timeoutMs = 30_000) {
      const passes = () => (typeof test === 'function' ? test(stdout) : test.test(stdout));
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          try {
            if (passes()) done();
          } catch (error) {
            done(error as Error);
          }
        };
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}: ${stdout} ${stderr}`)), timeoutMs);
        child.stdout!.on('data', check);
        void exited.then((code) => done(new Error(`exited ${code} waiting for ${what}: ${stdout} ${stderr}`)));
        check();
      });
    },
    async stop() {
      if (child.pid === undefined) return;
      const running = child.exitCode === null && child.signalCode === null;
      if (options.detached) {
        // The group too: npm may be gone while the server it started still runs.
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // ESRCH: nothing of the group is left.
        }
      } else if (running) child.kill('SIGKILL');
      if (running) await exited;
    },
  };
}
