import { finished } from 'node:stream/promises';
import CircuitBreaker from 'opossum';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  IManageCancelledError,
  IManageCircuitOpenError,
  IManageError,
  IManageHttpError,
  IManageNetworkError,
  IManageRateLimitedError,
  IManageServerError,
  IManageTimeoutError,
  IManageTransfersBusyError,
} from './errors.js';
import { discard, type IManageTransport, type StreamRequest, type StreamResponse, type TransportRequest, type TransportResponse } from './transport.js';

/**
 * Upstream policy, in one place: every call to iManage goes through `send` (or `stream`, below).
 *
 * - a deadline per GraphQL operation: no attempt starts after it, and none may outlive it;
 * - reads (GET, and a POST marked `read`: a search) are retried at most `maxRetries` times on 5xx,
 *   timeouts and broken connections, with full-jitter backoff, and on 429 after the
 *   `x-ratelimit-reset` / `Retry-After` wait when that fits before the deadline; writes are never
 *   retried;
 * - a retry budget per iManage host, so that retries cannot multiply load during an outage;
 * - a circuit breaker per host that opens on 5xx, timeouts and broken connections (never on 4xx)
 *   and fails fast until a probe succeeds;
 * - a cap on one user's concurrent calls, so that one wide query cannot trip iManage's rate limit;
 * - after a 429, that user's calls wait out the reset instead of knocking again;
 * - a call whose caller went away (the request's signal aborted) is cancelled upstream and ends at
 *   once as `IManageCancelledError`: not retried, and not a failure to the breaker, so that one user
 *   hanging up on slow requests cannot open the breaker for everyone.
 *
 * A relayed call (the passthrough: path and parameters chosen by an app's caller) is failed fast by an
 * open breaker but never counted by it, and is retried only after a broken connection: a 5xx or a
 * timeout may be that request's own doing (a search too heavy, a parameter iManage chokes on), and
 * must not cut iManage off for every user, nor be sent three times. Its caller sees the failure.
 *
 * A streamed call (`stream`: downloads, uploads, the passthrough) follows the same policy up to its
 * headers: rate-limit waits, the breaker, and retries of GET and HEAD (a call with a body never) happen
 * before the caller has been given any byte, and never after. It takes one of its user's transfer
 * slots (`perUserTransfers`), not a call slot, and holds it until the body has ended or failed,
 * however long the transfer: a user's transfers queue behind each other, never their queries.
 */

export interface ResilienceOptions {
  maxRetries: number;
  /** Full jitter: a retry waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^attempt)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Calls in flight per user (connection) in this process. */
  perUserConcurrency: number;
  /**
   * Streamed calls (downloads, uploads, the passthrough) in flight per user in this process: slots of
   * their own, held until the body ends, so that a user's calls never wait behind their transfers.
   */
  perUserTransfers: number;
  /** Retries allowed per first attempt, and the most that may be saved up. */
  retryBudgetRatio: number;
  retryBudgetMax: number;
  breaker: {
    /** Failure percentage over the rolling window that opens the breaker... */
    errorThresholdPercentage: number;
    /** ...once at least this many calls were seen in the window. */
    volumeThreshold: number;
    rollingWindowMs: number;
    /** How long it stays open before letting a probe through. */
    resetTimeoutMs: number;
  };
  /** Used when a 429 names no wait. */
  defaultRateLimitWaitMs: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxRetries: 2,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  perUserConcurrency: 8,
  perUserTransfers: 8,
  retryBudgetRatio: 0.2,
  retryBudgetMax: 20,
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, rollingWindowMs: 10_000, resetTimeoutMs: 5_000 },
  defaultRateLimitWaitMs: 5_000,
};

/** What a call carries besides the HTTP request: whose it is and when its operation must end. */
export interface CallScope {
  /** The caller's connection: concurrency and rate-limit waits are per user. */
  userKey: string;
  /** Epoch ms by which the GraphQL operation must be answered. */
  deadline: number;
  /**
   * Asked before each retry: false when the operation may make no more iManage calls, and the
   * failure then stands (a retry is a call like any other; see IManageClient's budget).
   */
  spendRetry?: () => boolean;
  /** Told each time an attempt is handed to the transport: the call left for iManage (not refused here first). */
  onSend?: () => void;
}

export interface RetryEvent {
  operation: string;
  attempt: number;
  reason: string;
  delayMs: number;
}

/** What the policy reads of a call, whichever kind it is. */
type Call = Pick<StreamRequest, 'url' | 'operation' | 'signal' | 'relayed'>;
/**
 * One attempt, given the time left before the deadline, the signal that cancels it (none for a probe)
 * and how many attempts were sent before it.
 */
type Attempt<T> = (timeoutMs: number, signal: AbortSignal | undefined, resendCount: number) => Promise<T>;
/** Whose answer is given to a caller that may have left meanwhile (see `fire`). */
type Adopt<T> = (result: T, signal: AbortSignal) => void;

export class ResilientUpstream {
  private readonly options: ResilienceOptions;
  private readonly breakers = new Map<string, CircuitBreaker<[() => Promise<unknown>], unknown>>();
  private readonly budgets = new Map<string, { tokens: number }>();
  private readonly limits = new Map<string, LimitFunction>();
  private readonly rateLimitedUntil = new Map<string, number>();
  private readonly retryObservers = new Set<(event: RetryEvent) => void>();

  constructor(
    private readonly transport: IManageTransport,
    options: Partial<ResilienceOptions> = {},
  ) {
    this.options = { ...DEFAULT_RESILIENCE, ...options, breaker: { ...DEFAULT_RESILIENCE.breaker, ...options.breaker } };
  }

  onRetry(observer: (event: RetryEvent) => void): () => void {
    this.retryObservers.add(observer);
    return () => this.retryObservers.delete(observer);
  }

  async send(request: TransportRequest, scope: CallScope): Promise<TransportResponse> {
    return this.attempts(
      request,
      scope,
      request.method === 'GET' || request.read === true,
      (timeoutMs, signal, resendCount) => this.transport.send({ ...request, timeoutMs, signal, resendCount }),
      {
        slot: (run) => this.perUser('calls', scope.userKey)(run),
        adopt: () => {},
      },
    );
  }

  /**
   * A call whose reply body is handed over as it arrives (see `IManageTransport.stream`). Retried as
   * a read only when it is a GET or HEAD without a body, and only before its headers: the answer it
   * resolves with is final. One of the user's transfer slots is held until that body ends or fails,
   * so the caller must read it to its end or destroy it.
   */
  async stream(request: StreamRequest, scope: CallScope): Promise<StreamResponse> {
    const retryable = (request.method === 'GET' || request.method === 'HEAD') && request.body === undefined;
    return this.attempts(request, scope, retryable, (timeoutMs, signal, resendCount) => this.transport.stream({ ...request, timeoutMs, signal, resendCount }), {
      slot: (run) => this.holdUntilBodyEnds(scope, request, run),
      adopt: (response, signal) => {
        // A probe ran without the caller's signal: now the caller decides the transfer's fate.
        if (signal.aborted) discard(response.body);
        else signal.addEventListener('abort', () => discard(response.body), { once: true });
      },
    });
  }

  /** The attempts at one call: rate-limit waits, the user's slot, the breaker, and retries while they are worth it. */
  private async attempts<T>(
    request: Call,
    scope: CallScope,
    retryable: boolean,
    attempt: Attempt<T>,
    how: { slot: (run: () => Promise<T>) => Promise<T>; adopt: Adopt<T> },
  ): Promise<T> {
    const host = request.url.origin;
    this.deposit(host);
    for (let n = 0; ; n++) {
      await this.waitOutRateLimit(request, scope);
      try {
        return await how.slot(() => {
          // Checked again once a slot is free: the caller may have left while this call queued.
          if (request.signal?.aborted) throw new IManageCancelledError(request.operation);
          const remaining = scope.deadline - Date.now();
          if (remaining <= 0) throw new IManageTimeoutError(request.operation, 0);
          return this.fire(
            host,
            request,
            (timeoutMs, signal) => {
              scope.onSend?.();
              return attempt(timeoutMs, signal, n);
            },
            remaining,
            how.adopt,
          );
        });
      } catch (raw) {
        const error = this.typed(raw, request);
        if (!retryable || n >= this.options.maxRetries || error instanceof IManageCancelledError) throw error;
        const delay = this.retryDelay(error, n, scope, request);
        if (delay === null || Date.now() + delay >= scope.deadline || !this.withdraw(host) || scope.spendRetry?.() === false) throw error;
        for (const observe of this.retryObservers) observe({ operation: request.operation, attempt: n + 1, reason: reasonOf(error), delayMs: delay });
        await this.sleep(delay, request);
      }
    }
  }

  /**
   * One attempt through the host's breaker. While the breaker is half-open this attempt is its probe,
   * whose outcome closes or reopens it: the probe then runs to its end (or its timeout) even if its
   * caller leaves, who is answered at once, so that hanging up cannot decide iManage's health either
   * way. A probe's answer is given to its caller through `adopt` (a stream's body is then destroyed if
   * the caller has left, and follows the caller's signal otherwise).
   */
  private fire<T>(
    host: string,
    request: Call,
    attempt: (timeoutMs: number, signal: AbortSignal | undefined) => Promise<T>,
    timeoutMs: number,
    adopt: Adopt<T>,
  ): Promise<T> {
    const breaker = this.breaker(host);
    const { signal } = request;
    if (request.relayed) {
      if (breaker.opened) return Promise.reject(new IManageCircuitOpenError(request.operation));
      return attempt(timeoutMs, signal);
    }
    if (!breaker.halfOpen || !signal) return breaker.fire(() => attempt(timeoutMs, signal)) as Promise<T>;
    const probe = breaker.fire(() => attempt(timeoutMs, undefined)) as Promise<T>;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new IManageCancelledError(request.operation));
      signal.addEventListener('abort', onAbort, { once: true });
      probe
        .then((result) => {
          adopt(result, signal);
          resolve(result);
        }, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Open breakers, for health and metrics. */
  openHosts(): string[] {
    return [...this.breakers].filter(([, b]) => b.opened).map(([host]) => host);
  }

  /** Forgets breaker, budget and rate-limit state: for tests that inject outages one after another. */
  reset(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
    this.budgets.clear();
    this.rateLimitedUntil.clear();
  }

  close(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }

  /** How long to wait before the next attempt, or null when this error is not worth another one. */
  private retryDelay(error: IManageError, attempt: number, scope: CallScope, request: Call): number | null {
    if (request.relayed && (error instanceof IManageServerError || error instanceof IManageTimeoutError)) return null;
    if (error instanceof IManageHttpError) {
      if (error instanceof IManageRateLimitedError) {
        const wait = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : this.options.defaultRateLimitWaitMs;
        this.rateLimitedUntil.set(scope.userKey, Date.now() + wait);
        return wait;
      }
      if (!(error instanceof IManageServerError)) return null;
    } else if (!(error instanceof IManageTimeoutError || error instanceof IManageNetworkError)) {
      return null; // unreadable replies and open breakers are not fixed by asking again at once
    }
    const random = this.options.random ?? Math.random;
    return Math.floor(random() * Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt));
  }

  /** After a 429, the user's calls wait for the reset if it comes before the deadline, else fail as rate limited. */
  private async waitOutRateLimit(request: Call, scope: CallScope): Promise<void> {
    const until = this.rateLimitedUntil.get(scope.userKey);
    if (until === undefined) return;
    const wait = until - Date.now();
    if (wait <= 0) {
      this.rateLimitedUntil.delete(scope.userKey);
      return;
    }
    if (Date.now() + wait >= scope.deadline) {
      throw new IManageRateLimitedError(request.operation, 429, 'RATE_LIMITED_LOCALLY', [], Math.ceil(wait / 1000));
    }
    await this.sleep(wait, request);
  }

  private breaker(host: string) {
    let breaker = this.breakers.get(host);
    if (!breaker) {
      const { breaker: b } = this.options;
      breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
        timeout: false, // the transport enforces its own timeouts
        errorThresholdPercentage: b.errorThresholdPercentage,
        volumeThreshold: b.volumeThreshold,
        rollingCountTimeout: b.rollingWindowMs,
        rollingCountBuckets: 10,
        resetTimeout: b.resetTimeoutMs,
        // Only the host's health counts: iManage saying no (4xx, 429 included) is a healthy answer, and
        // a call its caller abandoned says nothing (opossum counts a filtered error as a success).
        errorFilter: (error: unknown) =>
          (error instanceof IManageHttpError && !(error instanceof IManageServerError)) || error instanceof IManageCancelledError,
      });
      this.breakers.set(host, breaker);
    }
    return breaker;
  }

  /**
   * Runs `start` in one of the user's transfer slots and answers with its response as soon as it is there,
   * holding the slot until the response's body has ended or failed (or at once, when `start` fails).
   * A transfer still waiting for a slot at its deadline gives up (`IManageTransfersBusyError`), and one
   * whose caller leaves while it waits ends as cancelled: neither is sent, nor takes a slot later.
   */
  private holdUntilBodyEnds(scope: CallScope, request: Call, start: () => Promise<StreamResponse>): Promise<StreamResponse> {
    return new Promise((resolve, reject) => {
      let waiting = true;
      const giveUp = (error: IManageError) => {
        if (!waiting) return;
        waiting = false;
        stopWaiting();
        reject(error);
      };
      const timer = setTimeout(
        () => giveUp(new IManageTransfersBusyError(request.operation, this.options.perUserTransfers)),
        Math.max(0, scope.deadline - Date.now()),
      );
      const onAbort = () => giveUp(new IManageCancelledError(request.operation));
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const stopWaiting = () => {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
      };
      void this.perUser(
        'transfers',
        scope.userKey,
      )(async () => {
        if (!waiting) return; // gave up while queued: the slot goes to the next at once
        waiting = false;
        stopWaiting();
        let response: StreamResponse;
        try {
          response = await start();
        } catch (error) {
          reject(error);
          return;
        }
        resolve(response);
        await finished(response.body).catch(() => {});
      });
    });
  }

  /** The user's slots of one kind: `calls` (IMANAGE_CONCURRENCY_PER_USER) or `transfers` (IMANAGE_TRANSFERS_PER_USER). */
  private perUser(kind: 'calls' | 'transfers', userKey: string): LimitFunction {
    const key = `${kind}:${userKey}`;
    let limit = this.limits.get(key);
    if (!limit) {
      const created = pLimit(kind === 'calls' ? this.options.perUserConcurrency : this.options.perUserTransfers);
      limit = (<T>(fn: () => Promise<T>) =>
        created(fn).finally(() => {
          // Forget idle users so the map does not grow with every user ever seen.
          if (created.activeCount === 0 && created.pendingCount === 0) this.limits.delete(key);
        })) as unknown as LimitFunction;
      this.limits.set(key, limit);
    }
    return limit;
  }

  private deposit(host: string): void {
    const budget = this.budgets.get(host) ?? { tokens: this.options.retryBudgetMax };
    budget.tokens = Math.min(this.options.retryBudgetMax, budget.tokens + this.options.retryBudgetRatio);
    this.budgets.set(host, budget);
  }

  private withdraw(host: string): boolean {
    const budget = this.budgets.get(host);
    if (!budget || budget.tokens < 1) return false;
    budget.tokens -= 1;
    return true;
  }

  private typed(error: unknown, request: Call): IManageError {
    const { operation } = request;
    if (error instanceof IManageError) return error;
    if (request.signal?.aborted) return new IManageCancelledError(operation);
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EOPENBREAKER') {
      return new IManageCircuitOpenError(operation);
    }
    return new IManageNetworkError(operation, undefined, { cause: error });
  }

  /** Waits before a retry or out a rate limit; ends as cancelled as soon as the caller leaves. */
  private async sleep(ms: number, request: Call): Promise<void> {
    const { signal, operation } = request;
    if (signal?.aborted) throw new IManageCancelledError(operation);
    try {
      if (this.options.sleep) return await this.options.sleep(ms, signal);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    } catch (error) {
      if (signal?.aborted) throw new IManageCancelledError(operation);
      throw error;
    }
  }
}

function reasonOf(error: IManageError): string {
  return error instanceof IManageHttpError ? String(error.status) : error.kind;
}
