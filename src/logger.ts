import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The HTTP request being served, set by the server around each request (server.ts): every line logged
 * while serving it carries its `requestId`, whoever writes it (our code, Yoga, a store).
 */
export const requestScope = new AsyncLocalStorage<{ readonly requestId: string }>();

/** A logger whose lines carry `requestId`: `logger` itself inside the request's scope (no second key). */
export function loggerFor(logger: Logger, requestId: string): Logger {
  return requestScope.getStore()?.requestId === requestId ? logger : logger.child({ requestId });
}

/**
 * The service's logger: JSON lines on stdout at `level`.
 *
 * Lines below `warn` (the operation line every request writes, mostly) are gathered and written
 * together, synchronously, once 16 KiB have gathered or 250 ms after the first of them: one system
 * call for a few dozen lines instead of one each, which was the largest part of the operation log's
 * cost (BENCHMARKS.md). A `warn`, `error` or `fatal` line is written at once, with whatever gathered
 * before it, and whatever is left is written when the process exits (`process.exit`, the end of
 * the event loop, a signal handled by main.ts). A process killed outright (SIGKILL, the OOM killer)
 * loses at most the last 250 ms of `info` lines, never a warning or an error.
 */
export function createLogger(level: string, dest: number | string | DestinationStream = 1): Logger {
  const options = {
    level,
    mixin: () => {
      const request = requestScope.getStore();
      return request ? { requestId: request.requestId } : {};
    },
    // Belt and braces: nothing logs these, and if something ever does, they are blanked.
    redact: { paths: ['*.authorization', '*.Authorization', '*["x-auth-token"]', '*.access_token', '*.refresh_token', '*.password', '*.token'], censor: '[redacted]' },
  };
  return pino(options, typeof dest === 'object' ? dest : gathered(dest));
}

/** Characters of lines gathered before they are written (about as many bytes: the lines are mostly ASCII). */
const GATHER_BYTES = 16_384;
/** The longest a line waits to be written. */
const GATHER_MS = 250;
/** pino's first field is the numeric level: 40 is warn, 50 error, 60 fatal. */
const URGENT = /^\{"level":(?:[4-9]\d|\d{3,})[,}]/;

const flushes = new Set<() => void>();
let flushOnExit = false;

/** `dest`: a file descriptor (1, stdout) or a file path (bench/overhead.ts writes to /dev/null). */
function gathered(dest: number | string): DestinationStream {
  // The writing is sonic-boom's (pino's own destination), synchronous: one writeSync per batch,
  // retried on EAGAIN. The lines are gathered here, in an array joined once per batch: sonic-boom's
  // own gathering (`minLength`) appends each line to one string and measures that string's bytes on
  // every write, which cost a line about twice as much (a loop of pino lines, scratch measurement).
  const out = pino.destination({ dest, sync: true });
  let lines: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (lines.length === 0) return;
    const batch = lines.join('');
    lines = [];
    size = 0;
    out.write(batch);
  };
  flushes.add(flush);
  if (!flushOnExit) {
    flushOnExit = true;
    process.once('exit', () => {
      for (const write of flushes) write();
    });
  }
  return {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size >= GATHER_BYTES || URGENT.test(line)) flush();
      else timer ??= setTimeout(flush, GATHER_MS).unref();
    },
  };
}
