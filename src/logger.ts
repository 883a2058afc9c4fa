import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The service's logger: JSON lines on stdout at `level`.
 *
 * Written asynchronously: a line is handed to the kernel from a worker thread as soon as the previous
 * write is done, so no request waits for a write system call (the operation line is written for every
 * request). Whatever is buffered is written synchronously when the process exits, crashes included;
 * only a SIGKILL can lose the last lines.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino(
    {
      level,
      // Belt and braces: nothing logs these, and if something ever does, they are blanked.
      redact: { paths: ['*.authorization', '*.Authorization', '*["x-auth-token"]', '*.access_token', '*.refresh_token', '*.password', '*.token'], censor: '[redacted]' },
    },
    destination,
  );
}
