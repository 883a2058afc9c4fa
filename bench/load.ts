import { Client } from 'undici';

/**
 * A closed-loop load generator: `clients` keep-alive connections, each sending the next request as
 * soon as its previous answer has arrived, each as its own app user (a token of its own). Unlike
 * autocannon's duration mode, requests still in flight when the time is up are waited for (up to the
 * timeout) and counted: at 50 ms the plain-resolver baseline can take seconds per request, and cutting
 * those off would report nothing, or only the fast ones. Every answer is checked: HTTP 200 and no
 * `errors` member; anything else counts as a failure and not in the latencies.
 */

export interface LoadOptions {
  url: string;
  body: string;
  /** One per client, used round robin. */
  tokens: readonly string[];
  clients: number;
  durationMs: number;
  /** Per request. */
  timeoutMs: number;
}

export interface LoadResult {
  /** Latencies of the requests that succeeded, in ms, in completion order. */
  latencies: number[];
  completed: number;
  failed: number;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The first failing answer, for the report. */
  firstFailure?: string;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const origin = new URL(options.url).origin;
  const path = new URL(options.url).pathname;
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  const clients = Array.from({ length: options.clients }, () => new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000 }));
  const started = performance.now();
  const stopAt = started + options.durationMs;
  try {
    await Promise.all(
      clients.map(async (client, i) => {
        const headers = {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${options.tokens[i % options.tokens.length]}`,
        };
        while (performance.now() < stopAt) {
          const sent = performance.now();
          try {
            const res = await client.request({
              path,
              method: 'POST',
              headers,
              body: options.body,
              headersTimeout: options.timeoutMs,
              bodyTimeout: options.timeoutMs,
            });
            const text = await res.body.text();
            if (res.statusCode === 200 && !text.includes('"errors"')) latencies.push(performance.now() - sent);
            else {
              failed += 1;
              firstFailure ??= `${res.statusCode} ${text.slice(0, 300)}`;
            }
          } catch (error) {
            failed += 1;
            firstFailure ??= String(error);
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  }
  return summarize([{ latencies, failed, elapsedMs: performance.now() - started, firstFailure }]);
}

/** One result from several runs of the same load (the rounds of a cell): their requests and time added up. */
export function summarize(runs: ReadonlyArray<Pick<LoadResult, 'latencies' | 'failed' | 'elapsedMs' | 'firstFailure'>>): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies);
  const sorted = [...latencies].sort((a, b) => a - b);
  const elapsedMs = runs.reduce((sum, r) => sum + r.elapsedMs, 0);
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  const firstFailure = runs.find((r) => r.firstFailure)?.firstFailure;
  return {
    latencies,
    completed: latencies.length,
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    elapsedMs,
    requestsPerSecond: (latencies.length / elapsedMs) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? NaN,
    ...(firstFailure ? { firstFailure } : {}),
  };
}
