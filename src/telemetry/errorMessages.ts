import type { SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE } from '@opentelemetry/semantic-conventions';

/**
 * No error message leaves the process in a span: an exporter that hands on each span without the
 * message and stack trace of its `exception` events (`exception.type` stays) and without its status
 * message.
 *
 * An error's message may quote the caller's input (a variable's value echoed in a BAD_USER_INPUT
 * message) or say what the caller is never told (the raw text of an error masked as INTERNAL: a
 * database's constraint and key, a path). Our spans record errors by class only (`error.type`,
 * src/telemetry/spans.ts), but a library may record more: Envelop's OpenTelemetry plugin records the
 * operation's unmasked `result.errors` as an exception event, with no option to turn it off. Scrubbing
 * at the exporter holds for every span, whichever code made it.
 */
export function withoutErrorMessages(exporter: SpanExporter): SpanExporter {
  return {
    export: (spans, done) => exporter.export(spans.map(scrubbed), done),
    shutdown: () => exporter.shutdown(),
    ...(exporter.forceFlush ? { forceFlush: () => exporter.forceFlush!() } : {}),
  };
}

function scrubbed(span: ReadableSpan): ReadableSpan {
  const hasMessage = span.status.message !== undefined || span.events.some(carriesMessage);
  if (!hasMessage) return span;
  // A view of the span with two fields replaced; everything else (and `spanContext()`) is the span's own.
  const status: SpanStatus = { code: span.status.code };
  const events = span.events.map((event) => (carriesMessage(event) ? { ...event, attributes: withoutMessage(event.attributes!) } : event));
  return Object.create(span, { status: { value: status }, events: { value: events } }) as ReadableSpan;
}

function carriesMessage(event: TimedEvent): boolean {
  return event.attributes !== undefined && (ATTR_EXCEPTION_MESSAGE in event.attributes || ATTR_EXCEPTION_STACKTRACE in event.attributes);
}

function withoutMessage(attributes: NonNullable<TimedEvent['attributes']>): NonNullable<TimedEvent['attributes']> {
  const { [ATTR_EXCEPTION_MESSAGE]: _message, [ATTR_EXCEPTION_STACKTRACE]: _stack, ...rest } = attributes;
  return rest;
}
