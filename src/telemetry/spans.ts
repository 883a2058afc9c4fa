import {
  context,
  createContextKey,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';

/**
 * Spans under a GraphQL operation that show where it waited on iManage, and only there.
 *
 * A resolver or a DataLoader batch runs under a *pending* span: nothing is recorded while it runs,
 * and the span is started, with the time the work began, only when a real span is started under it
 * (an iManage call, or a pending span under it that is started so). So a trace holds a span for the
 * few resolvers and batches that waited on iManage, not for the hundreds of fields a tree query
 * resolves from what is already loaded: a span per field would cost more than the query.
 *
 * Contexts travel with the code through AsyncLocalStorage (the context manager `startTracing`
 * registers), so an iManage call started by a batch started by a resolver nests under both. A
 * DataLoader batch runs in the context of the first `load` of its tick: resolvers that joined a batch
 * another one started wait under that one's span.
 */

/** What code that starts spans needs of the tracing (src/telemetry/index.ts), when it is on. */
export interface SpanSource {
  readonly tracer: Tracer;
  /** W3C Trace Context: `traceparent` and `tracestate`, read from callers and written to iManage. */
  readonly propagator: TextMapPropagator;
}

const PENDING_SPAN = createContextKey('imanage-graphql pending span');

export class PendingSpan {
  private span: Span | undefined;
  private started: Context | undefined;
  private ended = false;
  /** The work's promise, once it returned one: the span, if it is ever started, ends when it settles. */
  private work: PromiseLike<unknown> | undefined;
  private readonly startTime = performance.timeOrigin + performance.now();

  constructor(
    private readonly tracer: Tracer,
    private readonly name: string,
    /** Its attributes, or what makes them: called only if the span is started. */
    private readonly attributes: Attributes | (() => Attributes),
    /** The context it was made in (which may hold a pending span itself). */
    private readonly parent: Context,
  ) {}

  /** The context for a span under this one: this one is started now if it was not yet (and is not over). */
  context(): Context {
    if (this.started) return this.started;
    const parent = settled(this.parent);
    if (this.ended) return parent;
    const attributes = typeof this.attributes === 'function' ? this.attributes() : this.attributes;
    this.span = this.tracer.startSpan(this.name, { startTime: this.startTime, attributes }, parent);
    this.started = trace.setSpan(parent, this.span);
    if (this.work) this.endWith(this.work);
    return this.started;
  }

  /**
   * Ends when `work` settles. Only a started span waits on it: most never start, and an extra
   * promise per resolver call is what a tree query would pay for them.
   */
  endWith(work: PromiseLike<unknown>): void {
    if (!this.span) {
      this.work = work;
      return;
    }
    work.then(
      () => this.end(),
      (error: unknown) => this.end(error),
    );
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.span) return;
    if (error !== undefined) failed(this.span, error);
    this.span.end();
  }
}

/** `ctx` with the pending span in it (and any above that) started: where a real span begins. */
export function settled(ctx: Context): Context {
  const pending = ctx.getValue(PENDING_SPAN) as PendingSpan | undefined;
  return pending ? pending.context() : ctx;
}

/** Runs `work` under a pending span named `name`, which ends when `work` (or its promise) does; `work`'s result is returned as it is. */
export function underPendingSpan<T>(tracer: Tracer, name: string, attributes: Attributes | (() => Attributes), work: () => T): T {
  const active = context.active();
  const pending = new PendingSpan(tracer, name, attributes, active);
  let result: T;
  try {
    result = context.with(active.setValue(PENDING_SPAN, pending), work);
  } catch (error) {
    pending.end(error);
    throw error;
  }
  if (isPromiseLike(result)) pending.endWith(result);
  else pending.end();
  return result;
}

/**
 * A DataLoader batch function under a pending span named after its loader, when tracing is on (a
 * tracer given): the span is recorded only if the batch waits on iManage.
 */
export function tracedBatch<K, R>(tracer: Tracer | undefined, loader: string, batch: (keys: readonly K[]) => R): (keys: readonly K[]) => R {
  if (!tracer) return batch;
  return (keys) => underPendingSpan(tracer, `DataLoader ${loader}`, { 'dataloader.name': loader, 'dataloader.batch.size': keys.length }, () => batch(keys));
}

/** A span started now under the active context (its pending spans started first), and the context it makes. */
export function startSpan(tracer: Tracer, name: string, options: SpanOptions, parent: Context = context.active()): { span: Span; context: Context } {
  const base = settled(parent);
  const span = tracer.startSpan(name, options, base);
  return { span, context: trace.setSpan(base, span) };
}

/** Marks a span failed: the error's class as `error.type`, never its message (which may quote input). */
export function failed(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.constructor.name : typeof error;
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function isPromiseLike<T>(value: T): value is T & PromiseLike<Awaited<T>> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
