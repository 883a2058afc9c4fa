import type { useOpenTelemetry } from '@envelop/opentelemetry';
import type { Span } from '@opentelemetry/api';
import type { TracingConfig } from './config.js';
import type { SpanSource } from './spans.js';

/**
 * OpenTelemetry tracing, on only when the environment configures an exporter (config.ts). Off, none
 * of the SDK is loaded: `startTracing` imports it (./sdk.ts) on first use, and every place that makes
 * spans is given a `Tracing` or nothing, so that no span code runs at all.
 *
 * Each `Tracing` has a tracer provider of its own, never registered as OpenTelemetry's global one,
 * so that two services in one process (tests) keep their spans apart. What is global is the context
 * manager (AsyncLocalStorage, registered once per process by the first `startTracing`): it only
 * carries the active span along the code, whichever provider made it.
 */
export interface Tracing extends SpanSource {
  /** The GraphQL operation's span: Envelop's OpenTelemetry plugin on this provider (src/graphql/plugins/tracing.ts). */
  operationPlugin(): ReturnType<typeof useOpenTelemetry>;
  /** The span that plugin made for the operation executing with this GraphQL context, while it lasts. */
  operationSpan(graphqlContext: object): Span | undefined;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** An export that failed (the collector down, refusing, too slow): spans are dropped, the service goes on. */
  onExportError(error: Error): void;
}

export async function startTracing(config: TracingConfig, options: TracingOptions): Promise<Tracing> {
  const { createTracing } = await import('./sdk.js');
  return createTracing(config, options);
}

export { DEFAULT_SERVICE_NAME, tracingFromEnv, TracingConfigError, type TracingConfig } from './config.js';
export type { SpanSource } from './spans.js';
