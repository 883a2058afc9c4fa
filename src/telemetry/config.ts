/**
 * Whether to trace, and where to, from OpenTelemetry's standard variables (CONTRACT §2: `OTEL_*`;
 * tracing is off unless an exporter is configured). Read by config.ts with the rest of the
 * environment, so that a malformed one stops start-up with one line like any other variable.
 *
 * Tracing is on when any of these is set: `OTEL_TRACES_EXPORTER` (other than `none`),
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; and `OTEL_SDK_DISABLED=true`
 * turns it off whatever else is set. The variables the SDK reads for itself (sampler, batching,
 * exporter headers, timeout and compression, resource attributes, span limits) are left to it, but
 * for a default length limit of attribute values (sdk.ts).
 */

export type TraceExporterKind = 'otlp' | 'console';
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingConfig {
  /** Where spans go: OTLP over HTTP, and/or the console (one JSON-ish object per span on stdout, for development). */
  readonly exporters: readonly TraceExporterKind[];
  /** The OTLP traces URL, e.g. `http://localhost:4318/v1/traces`. */
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  /** `service.name` of every span (`OTEL_SERVICE_NAME`). */
  readonly serviceName: string;
}

export class TracingConfigError extends Error {}

export const DEFAULT_SERVICE_NAME = 'imanage-graphql';
/** The OTLP/HTTP default (OpenTelemetry's exporter specification): a collector on this host. */
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const EXPORTERS = ['otlp', 'console', 'none'] as const;
const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'] satisfies OtlpProtocol[];

/** The tracing the environment asks for, or null when it asks for none. */
export function tracingFromEnv(env: Record<string, string | undefined>): TracingConfig | null {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const disabled = value('OTEL_SDK_DISABLED')?.toLowerCase();
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false') {
    throw new TracingConfigError('OTEL_SDK_DISABLED is invalid: expected true or false.');
  }

  const named = value('OTEL_TRACES_EXPORTER')
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of named ?? []) {
    if (!(EXPORTERS as readonly string[]).includes(name)) {
      throw new TracingConfigError(`OTEL_TRACES_EXPORTER is invalid: expected otlp, console or none (comma-separated), not "${name.slice(0, 40)}".`);
    }
  }
  const tracesEndpoint = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = value('OTEL_EXPORTER_OTLP_ENDPOINT');
  for (const [name, url] of [
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', endpoint],
  ] as const) {
    if (url !== undefined && !/^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : '')) {
      throw new TracingConfigError(`${name} is invalid: expected an http(s) URL such as http://localhost:4318.`);
    }
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const given = value(name)?.toLowerCase();
    if (given !== undefined && !PROTOCOLS.includes(given)) {
      throw new TracingConfigError(`${name} is invalid: expected http/protobuf or http/json (grpc is not supported).`);
    }
  }
  const protocol = (value('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf').toLowerCase();

  if (disabled === 'true') return null;
  // Named exporters win; an endpoint alone means OTLP.
  const exporters = named ? named.filter((name): name is TraceExporterKind => name !== 'none') : tracesEndpoint || endpoint ? ['otlp' as const] : [];
  if (exporters.length === 0) return null;
  return Object.freeze({
    exporters: Object.freeze([...new Set(exporters)]),
    // The signal's own endpoint is used as it is; the general one gets the signal's path (OTLP exporter specification).
    endpoint: tracesEndpoint ?? `${(endpoint ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '')}/v1/traces`,
    protocol: protocol as OtlpProtocol,
    serviceName: value('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
  });
}
