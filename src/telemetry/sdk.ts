import { getCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getNumberFromEnv, setGlobalErrorHandler, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { withoutErrorMessages } from './errorMessages.js';
import { DEFAULT_SERVICE_NAME, type TraceExporterKind, type TracingConfig } from './config.js';
import type { Tracing, TracingOptions } from './index.js';

/**
 * The OpenTelemetry SDK, loaded by `startTracing` only when tracing is on. The provider is the SDK's
 * own, with a batching processor per exporter; the SDK reads its other standard variables itself
 * (OTEL_TRACES_SAMPLER and _ARG, OTEL_BSP_*, OTEL_EXPORTER_OTLP_*HEADERS, _TIMEOUT and _COMPRESSION,
 * OTEL_RESOURCE_ATTRIBUTES, span limits), but for the length of an attribute's value, which is
 * limited here unless OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT or OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT says otherwise.
 */

/**
 * The longest string an attribute (or an event's) keeps; longer ones are cut to it. A request's own
 * text is in some (the operation's document, its name): a 90 000-character alias made a 90 KB span.
 */
export const ATTRIBUTE_VALUE_LENGTH_LIMIT = 1024;

/** Span names are cut to the same length: Envelop's plugin names the operation's span after the operation, as the caller named it. */
const nameLengthLimit: SpanProcessor = {
  onStart: (span) => {
    if (span.name.length > ATTRIBUTE_VALUE_LENGTH_LIMIT) span.updateName(span.name.slice(0, ATTRIBUTE_VALUE_LENGTH_LIMIT));
  },
  onEnd: () => {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

let contextManagerSet = false;

export function createTracing(config: TracingConfig, options: TracingOptions): Tracing {
  if (!contextManagerSet) {
    // Once per process; false when something else (an agent) registered one first, which is kept.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  // The SDK reports a failed export here (by default to its diagnostic logger, which is silent).
  setGlobalErrorHandler((error) =>
    options.onExportError(error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error))),
  );
  const resource = detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }));
  const provider = new BasicTracerProvider({
    resource,
    spanLimits: {
      // The SDK's default is no limit; the standard variables still win, in the SDK's own order.
      attributeValueLengthLimit:
        getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? ATTRIBUTE_VALUE_LENGTH_LIMIT,
    },
    spanProcessors: [nameLengthLimit, ...config.exporters.map((kind) => new BatchSpanProcessor(withoutErrorMessages(exporter(kind, config))))],
  });
  const tracer = provider.getTracer(DEFAULT_SERVICE_NAME);
  return {
    tracer,
    propagator: new W3CTraceContextPropagator(),
    // Envelop's plugin: one span per operation (named `query.Name`, kind server) under the caller's
    // trace, and its context active while the operation executes. Its own resolver spans are off
    // (one per field; src/graphql/plugins/tracing.ts makes spans for those that wait on iManage), and
    // so are variables and results, which are the user's data.
    operationPlugin: () => useOpenTelemetry({ resolvers: false, variables: false, result: false }, provider, SpanKind.SERVER, {}, DEFAULT_SERVICE_NAME),
    operationSpan: (graphqlContext) => trace.getSpan(getCurrentOtelContext(graphqlContext)),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

function exporter(kind: TraceExporterKind, config: TracingConfig): SpanExporter {
  if (kind === 'console') return new ConsoleSpanExporter();
  const url = config.endpoint;
  return config.protocol === 'http/json' ? new OtlpJsonExporter({ url }) : new OtlpProtobufExporter({ url });
}
