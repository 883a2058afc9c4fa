import type { Plugin } from 'graphql-yoga';
import { mayBeFor } from './paths.js';

/**
 * `GET /readyz`: 200 when this instance should get traffic (its token store answers, and it is not
 * draining), 503 otherwise. No authentication, no iManage call, and no detail: the reason is logged,
 * never sent. `/healthz` (the process is up) is Yoga's own health check, moved there in server.ts.
 */
export interface ReadinessOptions {
  /** Resolves when the token store answers (`TokenStore.ping`). */
  ping(): Promise<void>;
  /** True once the server has begun to drain. */
  draining(): boolean;
  /** How long the store may take to answer before the instance counts as not ready. */
  timeoutMs?: number;
  onFailure?(error: unknown): void;
}

export function useReadinessProbe(options: ReadinessOptions): Plugin {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const ready = async (): Promise<boolean> => {
    if (options.draining()) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the token store did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([options.ping(), timeout]);
      return true;
    } catch (error) {
      options.onFailure?.(error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    // Synchronous for every other path: an async hook would put a promise on every GraphQL request.
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!mayBeFor(request, '/readyz') || url.pathname !== '/readyz') return;
      return ready().then((ok) =>
        endResponse(
          new fetchAPI.Response(ok ? 'ready\n' : 'not ready\n', {
            status: ok ? 200 : 503,
            headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
          }),
        ),
      );
    },
  };
}

/**
 * While the server drains, every response carries `Connection: close`: the client's keep-alive socket
 * closes once its request is answered (so the drain ends) and its next request opens a new connection,
 * to another instance.
 */
export function useCloseConnectionsWhileDraining(draining: () => boolean): Plugin {
  return {
    onResponse({ response }) {
      if (draining()) response.headers.set('connection', 'close');
    },
  };
}
