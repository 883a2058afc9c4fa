/**
 * Every API and OAuth request the sandbox answered (admin routes excluded), so tests and
 * benchmarks can count upstream calls instead of timing them.
 */
import type { RequestLog, RequestLogEntry } from './types.js';

/** Benchmarks can send millions of requests; the oldest entries go first past this. */
const MAX_ENTRIES = 200_000;

/** Exact match, or a prefix when the pattern ends with '*', or a RegExp. Shared with faults. */
export function pathMatches(pattern: string | RegExp, path: string): boolean {
  if (typeof pattern === 'string') {
    return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
  }
  pattern.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
  return pattern.test(path);
}

const copy = (e: RequestLogEntry): RequestLogEntry => ({
  ...e,
  query: { ...e.query },
  headerNames: [...e.headerNames],
  ...(e.upload ? { upload: { ...e.upload } } : {}),
});

export class RequestLogStore implements RequestLog {
  private list: RequestLogEntry[] = [];
  private active = 0;
  private peak = 0;
  private readonly idleWaiters: Array<() => void> = [];

  /** A request (not an admin route) started being handled; `leave` when its response is decided. */
  enter(): void {
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
  }

  leave(): void {
    this.active -= 1;
    if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Resolves once no request is being handled (at once if none is). */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  inFlight(): number {
    return this.active;
  }

  peakInFlight(): number {
    return this.peak;
  }

  add(entry: RequestLogEntry): void {
    this.list.push(entry);
    if (this.list.length > MAX_ENTRIES) this.list.splice(0, MAX_ENTRIES / 10);
  }

  entries(): RequestLogEntry[] {
    return this.list.map(copy);
  }

  uploads(): RequestLogEntry[] {
    return this.list.filter((e) => e.upload !== undefined).map(copy);
  }

  count(filter?: { method?: string; path?: string | RegExp }): number {
    const method = filter?.method?.toUpperCase();
    const path = filter?.path;
    let n = 0;
    for (const e of this.list) {
      if (method !== undefined && e.method !== method) continue;
      if (path !== undefined && !pathMatches(path, e.path)) continue;
      n++;
    }
    return n;
  }

  clear(): void {
    this.list = [];
    this.peak = this.active;
  }
}
