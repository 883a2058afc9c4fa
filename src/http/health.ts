/**
 * `/healthz` and `/readyz`, for the orchestrator. No authentication, no iManage call, and no detail:
 * a reason for not being ready is logged, never sent.
 */

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

/** `/healthz`: 200 while the process can answer at all. */
export const alive = (): Response => new Response('ok\n', { headers: TEXT });

export interface ReadinessOptions {
  /** Resolves when the token store answers (`TokenStore.ping`). */
  ping(): Promise<void>;
  /** True once the server has begun to drain. */
  draining(): boolean;
  /** How long the store may take to answer before the instance counts as not ready. */
  timeoutMs?: number;
  onFailure?(error: unknown): void;
}

/** `/readyz`: 200 when this instance should get traffic (its token store answers, and it is not draining), else 503. */
export function readiness(options: ReadinessOptions): () => Promise<Response> {
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
  return async () => ((await ready()) ? new Response('ready\n', { headers: TEXT }) : new Response('not ready\n', { status: 503, headers: TEXT }));
}
