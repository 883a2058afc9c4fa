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
 * The service's logger: JSON lines on stdout (or `dest`) at `level`, written synchronously by pino's
 * own destination, so that no line is lost when the process exits or is killed. Tokens are never
 * logged; the redaction below is a second line of defence.
 */
export function createLogger(level: string, dest: number | string | DestinationStream = 1): Logger {
  const options = {
    level,
    mixin: () => {
      const request = requestScope.getStore();
      return request ? { requestId: request.requestId } : {};
    },
    redact: {
      paths: ['*.authorization', '*.Authorization', '*["x-auth-token"]', '*.access_token', '*.refresh_token', '*.password', '*.token'],
      censor: '[redacted]',
    },
  };
  return pino(options, typeof dest === 'object' ? dest : pino.destination({ dest, sync: true }));
}
