import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The service's logger: JSON lines on stdout at `level`, written synchronously (pino's default), so
 * that no line is lost whatever stops the process. An asynchronous destination was measured (see
 * BENCHMARKS.md): over HTTP it cost a little more CPU per request (a hand-off to a worker thread per
 * line) and saved no latency.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    // Belt and braces: nothing logs these, and if something ever does, they are blanked.
    redact: { paths: ['*.authorization', '*.Authorization', '*["x-auth-token"]', '*.access_token', '*.refresh_token', '*.password', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
