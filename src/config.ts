import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parsePublicKey, type AppTokenKey } from './auth/appTokens.js';
import { parseEncryptionKeys, type EncryptionKey } from './auth/store/crypto.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './auth/store/index.js';
import { DEFAULT_PROXY_ALLOW, parseProxyRules, type ProxyRule } from './http/passthroughPolicy.js';
import { tracingFromEnv, TracingConfigError, type TracingConfig } from './telemetry/config.js';

/**
 * The environment, parsed once into a frozen, typed Config. A missing or malformed variable stops
 * start-up with one line naming the variable and what it expects.
 */

export interface Config {
  readonly mode: 'sandbox' | 'imanage';
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  /** The iManage host (no `/work/api/v2`); in sandbox mode set once the embedded sandbox listens. */
  readonly imanageBaseUrl: string | null;
  readonly imanageClientId: string | null;
  readonly imanageClientSecret: string | null;
  readonly imanageScopes: readonly string[];
  readonly jwt: {
    /** How app user tokens are verified: HS256 secret, RS256/ES256 public key, or JWKS. */
    readonly key: AppTokenKey;
    /** The HS256 secret (sandbox mode signs its dev token with it); null with a public key or JWKS. */
    readonly secret: Uint8Array | null;
    /** True when the secret was generated at start (sandbox mode without AUTH_JWT_SECRET). */
    readonly generated: boolean;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    /** The longest lifetime (`exp` − `iat`, or `exp` − now) an app token may claim, in seconds. */
    readonly maxAgeSeconds: number;
  };
  /** Timeout of one iManage call, headers and body. */
  readonly imanageTimeoutMs: number;
  /** Every GraphQL operation is answered within this; no iManage call outlives it. */
  readonly operationDeadlineMs: number;
  /** iManage calls one user may have in flight at once (per process). */
  readonly imanageConcurrencyPerUser: number;
  /** Streamed transfers (downloads, uploads, passthrough calls) one user may have in flight at once (per process): slots of their own. */
  readonly imanageTransfersPerUser: number;
  /** Keep-alive connections to one iManage origin this instance may hold open (undici's pool size), for calls and again for transfers. */
  readonly imanageConnections: number;
  /** How long an open circuit breaker fails fast before letting a probe through. */
  readonly imanageBreakerResetMs: number;
  /**
   * iManage calls (retries and replays included) one GraphQL operation may make; the next one is not
   * sent and its field fails with COST_LIMIT_EXCEEDED while the rest of the answer arrives.
   */
  readonly maxUpstreamCallsPerOperation: number;
  /** The most items one connection page may ask for (`first`). */
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  readonly logLevel: string;
  /** GraphiQL on GET from a browser. */
  readonly graphiql: boolean;
  /** `__schema` and `__type` answered (GraphiQL needs them). */
  readonly introspection: boolean;
  /** Validation errors keep graphql-js's "Did you mean …?" hints, which reveal field names. */
  readonly fieldSuggestions: boolean;
  /** Sandbox mode only: latency the embedded sandbox adds to every iManage reply (drain tests, demos). */
  readonly sandboxLatencyMs: number;
  /** What one request may ask for; checked before any resolver runs (README "Limits and security"). */
  readonly limits: QueryLimits;
  /** Origins allowed by CORS; empty means same-origin only. */
  readonly corsOrigins: readonly string[];
  /** Prometheus metrics at `GET /metrics`. */
  readonly metrics: boolean;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /** Operation names that get a label value of their own in the metrics (others are counted as `other`). */
  readonly metricsOperationNames: readonly string[];
  /** The token store: a SQLite path or URL, or a postgres:// URL. */
  readonly databaseUrl: string;
  /** Keys that encrypt iManage tokens at rest; the first encrypts, all decrypt. */
  readonly tokenEncryptionKeys: readonly EncryptionKey[];
  /** True when the key was generated at start (sandbox mode without TOKEN_ENCRYPTION_KEY). */
  readonly tokenEncryptionKeyGenerated: boolean;
  /** URL prefixes the connect flow may send the browser back to. */
  readonly allowedReturnUrls: readonly URL[];
  /** Where the iManage OAuth redirect comes back to: `${publicUrl}/connect/imanage/callback`. */
  readonly redirectUri: string;
  /** How long a `Document.downloadUrl` may be used after it was made, in seconds. */
  readonly downloadLinkTtlSeconds: number;
  /** How long audit rows are kept, in days; null keeps them forever (`AUDIT_RETENTION_DAYS=forever`). */
  readonly auditRetentionDays: number | null;
  /** What the passthrough (`ANY /imanage/{path}`) lets through, first matching rule first (`IMANAGE_PROXY_ALLOW`). */
  readonly proxyRules: readonly ProxyRule[];
  /** The largest upload body (multipart or octet-stream), in bytes: the passthrough's, and the upload mutations'. */
  readonly uploadMaxBytes: number;
  /** How long a client may take to send a whole request, headers and body (an upload included), in ms (`REQUEST_TIMEOUT_MS`). */
  readonly requestTimeoutMs: number;
  /** OpenTelemetry tracing from the standard `OTEL_*` variables; null (off) unless an exporter is configured. */
  readonly tracing: TracingConfig | null;
}

/**
 * Fixed limits on one request, chosen so that every realistic operation passes (the README's tree
 * query, GraphiQL's introspection query, the GraphiQL examples, createSubfolder with 100 trustees
 * written inline) while hostile ones are refused before any resolver runs.
 */
export interface QueryLimits {
  /** Nesting of fields (fragments flattened, `__schema` not counted). The README tree query is 10, the examples at most 12. */
  readonly maxDepth: number;
  /** Aliased fields per operation, `__typename` included. Aliases are how a client fetches several folders by id at once. */
  readonly maxAliases: number;
  /** Lexical tokens per document. GraphiQL's introspection query is about 190, its examples about 300. */
  readonly maxTokens: number;
  /** Directives (`@include`, `@skip`) per operation. */
  readonly maxDirectives: number;
  /**
   * The most iManage calls a document could make by the static estimate (`src/graphql/plugins/queryCost.ts`):
   * only a guard against absurd documents, far above what a frontend sends (the README's tree query
   * is 657, a three-level `first: 50` tree 2 552). What an operation may really spend is
   * `maxUpstreamCallsPerOperation`, counted as it runs.
   */
  readonly maxCost: number;
  /** Unpaged lists (`Customer.libraries`, `Folder.path`) are costed as this many items. */
  readonly unpagedListSize: number;
  /**
   * List items (every list a field answers: edges, versions, locations, paths) one operation may
   * answer, counted as it runs (`src/graphql/plugins/listBudget.ts`): lists served from the request's
   * loaders cost no iManage call, so neither the estimate nor the call budget bounds them. A
   * three-level `first: 100` tree stays far below.
   */
  readonly maxListItems: number;
  /** Times one field with the same arguments may be selected in one selection set (aliases or not). */
  readonly maxIdenticalSelections: number;
  /** Bytes of one request body; larger ones get 413 before they are parsed. */
  readonly maxRequestBodyBytes: number;
}

export const QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 15,
  maxAliases: 50,
  maxTokens: 2_000,
  maxDirectives: 20,
  maxCost: 100_000,
  unpagedListSize: 5,
  maxListItems: 50_000,
  maxIdenticalSelections: 10,
  maxRequestBodyBytes: 100_000,
});

/** `AUTH_JWT_MAX_AGE`'s default: app tokens are meant to be short-lived (CONTRACT §3). */
export const APP_TOKEN_MAX_AGE_SECONDS = 3_600;
/** Its default in sandbox mode: the lifetime of the dev token printed at start (main.ts). */
export const SANDBOX_APP_TOKEN_MAX_AGE_SECONDS = 7 * 86_400;

/** `AUDIT_RETENTION_DAYS`'s default. */
export const AUDIT_RETENTION_DAYS = 90;

export class ConfigError extends Error {}

export { DEFAULT_DATABASE_URL };

const port = z.coerce.number().int().min(0).max(65535);
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** One entry per variable: its parser and, for the start-up error, what it expects. */
const variables = {
  PORT: [port, 'an integer port from 0 to 65535'],
  HOST: [z.string().min(1), 'a bind address such as 127.0.0.1 or 0.0.0.0'],
  PUBLIC_URL: [url, 'an http(s) URL such as https://graphql.example.com'],
  IMANAGE_BASE_URL: [url, 'the iManage host as an http(s) URL, e.g. https://cloudimanage.com'],
  IMANAGE_CLIENT_ID: [z.string().min(1), 'the iManage app Client Key'],
  IMANAGE_CLIENT_SECRET: [z.string().min(1), 'the iManage app Client Secret'],
  IMANAGE_SCOPES: [z.string().regex(/^[A-Za-z0-9_ -]+$/), 'space-separated scope names, e.g. "user"'],
  AUTH_JWT_SECRET: [z.string().min(32), 'an HS256 secret of at least 32 characters'],
  AUTH_JWT_PUBLIC_KEY: [z.string().min(1), 'a PEM RSA or EC P-256 public key'],
  AUTH_JWKS_URL: [url, 'an http(s) URL of a JWKS document'],
  AUTH_JWT_ISSUER: [z.string().min(1), 'the expected `iss` of app user tokens'],
  AUTH_JWT_AUDIENCE: [z.string().min(1), 'the expected `aud` of app user tokens'],
  AUTH_JWT_MAX_AGE: [
    z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400),
    'seconds from 60 to 2592000 (30 days)',
  ],
  IMANAGE_TIMEOUT_MS: [z.coerce.number().int().min(100).max(120_000), 'milliseconds from 100 to 120000'],
  OPERATION_DEADLINE_MS: [z.coerce.number().int().min(100).max(300_000), 'milliseconds from 100 to 300000'],
  IMANAGE_BREAKER_RESET_MS: [z.coerce.number().int().min(100).max(600_000), 'milliseconds from 100 to 600000'],
  IMANAGE_CONCURRENCY_PER_USER: [z.coerce.number().int().min(1).max(100), 'an integer from 1 to 100'],
  IMANAGE_TRANSFERS_PER_USER: [z.coerce.number().int().min(1).max(100), 'an integer from 1 to 100'],
  IMANAGE_CONNECTIONS: [z.coerce.number().int().min(1).max(1024), 'an integer from 1 to 1024'],
  MAX_UPSTREAM_CALLS_PER_OPERATION: [z.coerce.number().int().min(1).max(10_000), 'an integer from 1 to 10000'],
  DOWNLOAD_LINK_TTL_SECONDS: [z.coerce.number().int().min(10).max(3_600), 'seconds from 10 to 3600'],
  // 0 is refused rather than read as "keep none" or "keep all": either reading would surprise someone.
  AUDIT_RETENTION_DAYS: [
    z.union([z.literal('forever').transform(() => null), z.coerce.number().int().min(1).max(36_500)]),
    'whole days from 1 to 36500, or "forever"',
  ],
  IMANAGE_PROXY_ALLOW: [z.string().min(1), 'comma-separated "METHODS /path/pattern" rules, or none'],
  UPLOAD_MAX_BYTES: [
    z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number)
      .pipe(z.number().int().min(1_048_576).max(107_374_182_400)),
    'bytes from 1048576 (1 MiB) to 107374182400 (100 GiB)',
  ],
  REQUEST_TIMEOUT_MS: [z.coerce.number().int().min(1_000).max(86_400_000), 'milliseconds from 1000 to 86400000 (a day)'],
  LOG_LEVEL: [z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'one of fatal, error, warn, info, debug, trace, silent'],
  GRAPHIQL: [bool, 'true or false'],
  INTROSPECTION: [bool, 'true or false'],
  FIELD_SUGGESTIONS: [bool, 'true or false'],
  SANDBOX_LATENCY_MS: [z.coerce.number().int().min(0).max(60_000), 'milliseconds from 0 to 60000'],
  DATABASE_URL: [z.string().min(1), 'a SQLite file path, a sqlite: URL or a postgres:// URL'],
  TOKEN_ENCRYPTION_KEY: [z.string().min(1), 'base64 of 32 bytes, or comma-separated id:base64 keys (the first encrypts)'],
  ALLOWED_RETURN_URLS: [z.string().min(1), 'comma-separated http(s) URL prefixes'],
  CORS_ORIGINS: [z.string().regex(/^(https?:\/\/[^,\s]+)(,https?:\/\/[^,\s]+)*$/), 'comma-separated origins such as https://app.example.com'],
  METRICS: [bool, 'true or false'],
  METRICS_TOKEN: [z.string().regex(/^[A-Za-z0-9._~+/=-]{16,256}$/), 'a bearer token of 16 to 256 URL-safe characters'],
  METRICS_OPERATION_NAMES: [
    z.string().regex(/^[_A-Za-z][_0-9A-Za-z]{0,63}(,[_A-Za-z][_0-9A-Za-z]{0,63}){0,99}$/),
    'up to 100 comma-separated GraphQL operation names',
  ],
} as const satisfies Record<string, readonly [z.ZodType, string]>;

type Parsed = { [K in keyof typeof variables]?: z.output<(typeof variables)[K][0]> };

/**
 * The host only: the OAuth endpoints live at its root and discovery names the API base (reference
 * §1.3, §2.1), so a URL that already points at the API is a mistake worth stopping for. Tokens go to
 * it, so it is https, except on loopback (a local simulator, as the benchmarks run it).
 */
function checkImanageBaseUrl(url: URL): void {
  if (/(\/work)?\/api(\/v2)?\/*$/i.test(url.pathname)) {
    throw new ConfigError('IMANAGE_BASE_URL is invalid: expected the iManage host without /work/api/v2 or /api, e.g. https://cloudimanage.com.');
  }
  if (url.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new ConfigError('IMANAGE_BASE_URL is invalid: expected an https URL (http only on a loopback host such as 127.0.0.1).');
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed: Parsed = {};
  for (const [name, [schema, expected]] of Object.entries(variables)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const result = schema.safeParse(raw);
    if (!result.success) throw new ConfigError(`${name} is invalid: expected ${expected}.`);
    (parsed as Record<string, unknown>)[name] = result.data;
  }

  const mode = parsed.IMANAGE_BASE_URL ? 'imanage' : 'sandbox';
  if (parsed.IMANAGE_BASE_URL) checkImanageBaseUrl(new URL(parsed.IMANAGE_BASE_URL));
  if (mode === 'imanage') {
    for (const name of ['IMANAGE_CLIENT_ID', 'IMANAGE_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY'] as const) {
      if (!parsed[name]) throw new ConfigError(`${name} is required when IMANAGE_BASE_URL is set: expected ${variables[name][1]}.`);
    }
    if (!parsed.AUTH_JWT_SECRET && !parsed.AUTH_JWT_PUBLIC_KEY && !parsed.AUTH_JWKS_URL) {
      throw new ConfigError(
        'AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL is required when IMANAGE_BASE_URL is set: expected how app user tokens are verified.',
      );
    }
  }
  if (mode === 'imanage' && parsed.SANDBOX_LATENCY_MS !== undefined) {
    throw new ConfigError('SANDBOX_LATENCY_MS is invalid: expected it only in sandbox mode (without IMANAGE_BASE_URL).');
  }
  const listenPort = parsed.PORT ?? 4000;
  const secret = parsed.AUTH_JWT_SECRET ? new TextEncoder().encode(parsed.AUTH_JWT_SECRET) : mode === 'sandbox' ? randomBytes(32) : null;
  let key: AppTokenKey;
  if (parsed.AUTH_JWT_PUBLIC_KEY) {
    try {
      key = { kind: 'publicKey', key: parsePublicKey(parsed.AUTH_JWT_PUBLIC_KEY) };
    } catch {
      throw new ConfigError(`AUTH_JWT_PUBLIC_KEY is invalid: expected ${variables.AUTH_JWT_PUBLIC_KEY[1]}.`);
    }
  } else if (parsed.AUTH_JWKS_URL) {
    key = { kind: 'jwks', url: new URL(parsed.AUTH_JWKS_URL) };
  } else {
    key = { kind: 'secret', secret: secret! };
  }
  if (key.kind !== 'secret') {
    // A shared identity provider signs tokens for other apps too, with the same key: only `iss` and
    // `aud` tell ours apart.
    const source = parsed.AUTH_JWT_PUBLIC_KEY ? 'AUTH_JWT_PUBLIC_KEY' : 'AUTH_JWKS_URL';
    for (const name of ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE'] as const) {
      if (!parsed[name]) throw new ConfigError(`${name} is required with ${source}: expected ${variables[name][1]}.`);
    }
  }
  const publicUrl = parsed.PUBLIC_URL ?? `http://localhost:${listenPort}`;
  // Sandbox mode's simulator starts empty every time: its own state (connections, idempotency records)
  // lives and dies with it, apart from production's default file, so nothing from a last run replays.
  const databaseUrl = parsed.DATABASE_URL ?? (mode === 'sandbox' ? 'sqlite::memory:' : DEFAULT_DATABASE_URL);
  try {
    parseDatabaseUrl(databaseUrl);
  } catch (error) {
    throw new ConfigError(`DATABASE_URL is invalid: ${(error as Error).message.replace(/^DATABASE_URL must be/, 'expected')}.`);
  }
  let keys: EncryptionKey[];
  try {
    keys = parsed.TOKEN_ENCRYPTION_KEY ? parseEncryptionKeys(parsed.TOKEN_ENCRYPTION_KEY) : [{ id: 'sandbox', key: randomBytes(32) }];
  } catch {
    throw new ConfigError(`TOKEN_ENCRYPTION_KEY is invalid: expected ${variables.TOKEN_ENCRYPTION_KEY[1]}.`);
  }
  let proxyRules: ProxyRule[];
  try {
    proxyRules = parseProxyRules(parsed.IMANAGE_PROXY_ALLOW ?? DEFAULT_PROXY_ALLOW);
  } catch (error) {
    throw new ConfigError(`IMANAGE_PROXY_ALLOW is invalid: ${(error as Error).message}; expected ${variables.IMANAGE_PROXY_ALLOW[1]}.`);
  }
  const returnUrls = (parsed.ALLOWED_RETURN_URLS ?? publicUrl).split(',').map((entry) => entry.trim());
  const allowedReturnUrls = returnUrls.map((entry) => {
    const parsedUrl = URL.canParse(entry) ? new URL(entry) : null;
    if (!parsedUrl || !/^https?:$/.test(parsedUrl.protocol) || parsedUrl.username || parsedUrl.password) {
      throw new ConfigError(`ALLOWED_RETURN_URLS is invalid: expected ${variables.ALLOWED_RETURN_URLS[1]}.`);
    }
    return parsedUrl;
  });

  let tracing: TracingConfig | null;
  try {
    tracing = tracingFromEnv(env);
  } catch (error) {
    if (error instanceof TracingConfigError) throw new ConfigError(error.message);
    throw error;
  }

  return Object.freeze({
    mode,
    port: listenPort,
    host: parsed.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    publicUrl,
    imanageBaseUrl: parsed.IMANAGE_BASE_URL ?? null,
    imanageClientId: parsed.IMANAGE_CLIENT_ID ?? null,
    imanageClientSecret: parsed.IMANAGE_CLIENT_SECRET ?? null,
    imanageScopes: (parsed.IMANAGE_SCOPES ?? 'user').split(/\s+/).filter(Boolean),
    jwt: Object.freeze({
      key,
      secret,
      generated: !parsed.AUTH_JWT_SECRET && secret !== null,
      issuer: parsed.AUTH_JWT_ISSUER,
      audience: parsed.AUTH_JWT_AUDIENCE,
      // Sandbox mode: the dev token's week, so GraphiQL keeps working for as long as it runs.
      maxAgeSeconds: parsed.AUTH_JWT_MAX_AGE ?? (mode === 'sandbox' ? SANDBOX_APP_TOKEN_MAX_AGE_SECONDS : APP_TOKEN_MAX_AGE_SECONDS),
    }),
    imanageTimeoutMs: parsed.IMANAGE_TIMEOUT_MS ?? 10_000,
    operationDeadlineMs: parsed.OPERATION_DEADLINE_MS ?? 25_000,
    imanageConcurrencyPerUser: parsed.IMANAGE_CONCURRENCY_PER_USER ?? 8,
    // As many as calls: the passthrough's calls, which are transfers too, keep the concurrency they had.
    imanageTransfersPerUser: parsed.IMANAGE_TRANSFERS_PER_USER ?? 8,
    imanageConnections: parsed.IMANAGE_CONNECTIONS ?? 64,
    imanageBreakerResetMs: parsed.IMANAGE_BREAKER_RESET_MS ?? 5_000,
    // A browsing screen makes a few dozen calls (the README's tree query 44 in the sandbox); 300 leaves room
    // for wide pages while one operation cannot hold a user's iManage quota for long.
    maxUpstreamCallsPerOperation: parsed.MAX_UPSTREAM_CALLS_PER_OPERATION ?? 300,
    // Fixed, not configurable: the schema's descriptions promise these numbers.
    maxPageSize: 100,
    defaultPageSize: 25,
    logLevel: parsed.LOG_LEVEL ?? 'info',
    graphiql: parsed.GRAPHIQL ?? mode === 'sandbox',
    introspection: parsed.INTROSPECTION ?? mode === 'sandbox',
    fieldSuggestions: parsed.FIELD_SUGGESTIONS ?? mode === 'sandbox',
    sandboxLatencyMs: parsed.SANDBOX_LATENCY_MS ?? 0,
    limits: QUERY_LIMITS,
    corsOrigins: parsed.CORS_ORIGINS?.split(',') ?? [],
    metrics: parsed.METRICS ?? mode === 'sandbox',
    metricsToken: parsed.METRICS_TOKEN ?? null,
    metricsOperationNames: Object.freeze(parsed.METRICS_OPERATION_NAMES?.split(',') ?? []),
    databaseUrl,
    tokenEncryptionKeys: Object.freeze(keys),
    tokenEncryptionKeyGenerated: !parsed.TOKEN_ENCRYPTION_KEY,
    allowedReturnUrls: Object.freeze(allowedReturnUrls),
    redirectUri: `${publicUrl}/connect/imanage/callback`,
    // Long enough for a browser to follow the link it was given; short, because the link is a
    // credential on its own (whoever holds it may download once).
    downloadLinkTtlSeconds: parsed.DOWNLOAD_LINK_TTL_SECONDS ?? 60,
    // A quarter of a year: long enough to answer "who changed this last month", short enough that the
    // table does not grow without bound. Longer retention belongs in the SIEM the rows are shipped to.
    auditRetentionDays: parsed.AUDIT_RETENTION_DAYS === undefined ? AUDIT_RETENTION_DAYS : parsed.AUDIT_RETENTION_DAYS,
    proxyRules: Object.freeze(proxyRules),
    // 100 MiB: a large scanned bundle or recording; bigger files are the exception a firm raises it for.
    uploadMaxBytes: parsed.UPLOAD_MAX_BYTES ?? 100 * 1_048_576,
    // Node's own default: a slow or stalled sender cannot hold a connection for long. At the default
    // UPLOAD_MAX_BYTES it asks an upload for at least 0.35 MB/s; a larger limit on slow links needs more.
    requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS ?? 300_000,
    tracing,
  });
}
