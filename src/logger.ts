import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The service's logger: JSON lines on stdout at `level`.
 *
 * Lines below `warn` (the operation line every request writes, mostly) are gathered and written
 * together, synchronously, once 4 KiB have gathered or 250 ms after the first of them: one system
 * call for a few dozen lines instead of one each, which was the largest part of the operation log's
 * cost (BENCHMARKS.md). A `warn`, `error` or `fatal` line is written at once, with whatever gathered
 * before it, and whatever is left is written when the process exits (`process.exit`, the end of
 * the event loop, a signal handled by main.ts). A process killed outright (SIGKILL, the OOM killer)
 * loses at most the last 250 ms of `info` lines, never a warning or an error.
 */
export function createLogger(level: string, dest: number | string = 1): Logger {
  const options = {
    level,
    // Belt and braces: nothing logs these, and if something ever does, they are blanked.
    redact: { paths: ['*.authorization', '*.Authorization', '*["x-auth-token"]', '*.access_token', '*.refresh_token', '*.password', '*.token'], censor: '[redacted]' },
  };
  return pino(options, gathered(dest));
}

/** Bytes of lines gathered before they are written. */
const GATHER_BYTES = 4096;
/** The longest a line waits to be written. */
const GATHER_MS = 250;
/** pino's first field is the numeric level: 40 is warn, 50 error, 60 fatal. */
const URGENT = /^\{"level":(?:[4-9]\d|\d{3,})[,}]/;

const pending = new Set<() => void>();
let flushOnExit = false;

/** `dest`: a file descriptor (1, stdout) or a file path (bench/overhead.ts writes to /dev/null). */
function gathered(dest: number | string): DestinationStream {
  // sonic-boom (pino's own destination) in sync mode: it holds lines until `minLength` bytes, then
  // writes them with one writeSync, retrying on EAGAIN. Its flushSync writes all it holds (and asks
  // for an fsync, which a pipe or a terminal refuses at once).
  const out = pino.destination({ dest, sync: true, minLength: GATHER_BYTES });
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    out.flushSync();
  };
  pending.add(flush);
  if (!flushOnExit) {
    flushOnExit = true;
    process.once('exit', () => {
      for (const write of pending) write();
    });
  }
  return {
    write(line: string) {
      out.write(line);
      if (URGENT.test(line)) flush();
      else timer ??= setTimeout(flush, GATHER_MS).unref();
    },
  };
}
