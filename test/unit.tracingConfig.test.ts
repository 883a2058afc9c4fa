import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

/** OTEL_* (CONTRACT §2): tracing is off unless an exporter is configured; a malformed variable stops start-up. */
describe('tracing from OTEL_* variables', () => {
  it('is off with none of them, with OTEL_TRACES_EXPORTER=none, and with OTEL_SDK_DISABLED=true whatever else is set', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toBeNull();
  });

  it('is on with an OTLP endpoint: the general one gets /v1/traces, the traces one is used as it is', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      exporters: ['otlp'],
      endpoint: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'imanage-graphql',
    });
    const traces = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/otlp/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'graphql-eu',
      OTEL_SDK_DISABLED: 'false',
    }).tracing;
    expect(traces).toEqual({ exporters: ['otlp'], endpoint: 'https://collector.example/otlp/traces', protocol: 'http/json', serviceName: 'graphql-eu' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }).tracing?.protocol).toBe('http/json');
  });

  it('is on with OTEL_TRACES_EXPORTER alone, to the default local collector; console and otlp together', () => {
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing?.endpoint).toBe('http://localhost:4318/v1/traces');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console, otlp' }).tracing?.exporters).toEqual(['console', 'otlp']);
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp,none' }).tracing?.exporters).toEqual(['otlp']);
  });

  for (const [name, value, says] of [
    ['OTEL_SDK_DISABLED', 'yes', 'OTEL_SDK_DISABLED is invalid: expected true or false.'],
    ['OTEL_TRACES_EXPORTER', 'jaeger', 'OTEL_TRACES_EXPORTER is invalid: expected otlp, console or none (comma-separated), not "jaeger".'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT is invalid: expected an http(s) URL such as http://localhost:4318.'],
    [
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'ftp://c/v1/traces',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is invalid: expected an http(s) URL such as http://localhost:4318.',
    ],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', 'OTEL_EXPORTER_OTLP_PROTOCOL is invalid: expected http/protobuf or http/json (grpc is not supported).'],
    [
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      'http',
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL is invalid: expected http/protobuf or http/json (grpc is not supported).',
    ],
  ] as const) {
    it(`stops start-up on ${name}=${value}, naming it`, () => {
      expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', [name]: value })).toThrow(new ConfigError(says));
    });
  }

  it('refuses a malformed variable even while OTEL_SDK_DISABLED=true turns tracing off', () => {
    expect(() => loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(ConfigError);
  });
});
