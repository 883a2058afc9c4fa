import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga, type CORSOptions, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AuditTrail } from './audit/trail.js';
import type { AppTokenVerifier } from './auth/appTokens.js';
import type { ConnectFlow } from './auth/connectFlow.js';
import type { DownloadLinks } from './auth/downloadLinks.js';
import type { StoreConnections } from './auth/connections.js';
import type { TokenStore } from './auth/store/types.js';
import type { Config } from './config.js';
import { createContextFactory, type GraphQLContext } from './context.js';
import { maskError } from './graphql/errors.js';
import { graphiqlSetup } from './graphql/graphiql.js';
import { useAuditTrail } from './graphql/plugins/audit.js';
import { useAuthentication } from './graphql/plugins/authentication.js';
import { useCloseAfterOversizedBody } from './graphql/plugins/bodySize.js';
import { MAX_FILES_PER_REQUEST, useStreamedUploads } from './graphql/plugins/uploads.js';
import { useNoFieldSuggestions } from './graphql/plugins/fieldSuggestions.js';
import { useIdenticalSelectionLimit } from './graphql/plugins/identicalSelections.js';
import { useIntrospectionPolicy } from './graphql/plugins/introspection.js';
import { createMetrics } from './graphql/plugins/metrics.js';
import { useOperationLog } from './graphql/plugins/operationLog.js';
import { useListBudget } from './graphql/plugins/listBudget.js';
import { useQueryCost } from './graphql/plugins/queryCost.js';
import { useQueryShapeLimits } from './graphql/plugins/queryShape.js';
import { useTracing } from './graphql/plugins/tracing.js';
import { useVaryOrigin } from './graphql/plugins/varyOrigin.js';
import { useValidationErrorCode } from './graphql/plugins/validationCode.js';
import { resolvers } from './graphql/resolvers.generated.js';
import { typeDefs } from './graphql/typeDefs.generated.js';
import type { ResilientUpstream } from './imanage/resilience.js';
import type { IManageTransport } from './imanage/transport.js';
import type { Tracing } from './telemetry/index.js';
import { downloadRoute } from './http/download.js';
import { passthroughRoute, type PassthroughWrite } from './http/passthrough.js';
import { readiness } from './http/health.js';
import { requestIdOf } from './http/requestId.js';
import { createRouter, CSRF_HEADER, GRAPHQL_PATH } from './http/router.js';
import { appRoutes } from './http/routes.js';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  verifier: AppTokenVerifier;
  connections: StoreConnections;
  upstream: ResilientUpstream;
  /** Watched for the iManage call metrics; without it they stay empty. */
  transport?: IManageTransport | undefined;
  store: TokenStore;
  /** The OAuth connect flow; absent only where no iManage app is configured. */
  connectFlow?: ConnectFlow | undefined;
  /** `Document.downloadUrl` and its route (`/documents/:id/download`); absent, neither is served. */
  downloadLinks?: DownloadLinks | undefined;
  /** Where mutations that reach iManage are recorded, and whose failed writes `/metrics` counts; absent, nothing is. */
  audit?: AuditTrail | undefined;
  /** Filled into GraphiQL's headers (sandbox mode only). */
  devToken?: string | undefined;
  /** OpenTelemetry tracing (`OTEL_*`), when it is on: spans of operations, resolvers and HTTP routes. */
  tracing?: Tracing | null | undefined;
  /** Measurement only (bench/overhead.ts): plugins to leave out. Never set in the service. */
  omitPlugins?: readonly PluginName[] | undefined;
}

type AppPlugin = NonNullable<YogaServerOptions<object, GraphQLContext>['plugins']>[number];
type NamedPlugin = [PluginName, AppPlugin];
const named = (name: PluginName, plugin: AppPlugin): NamedPlugin => [name, plugin];

/** The server's plugins by name, in the order they run. */
export const PLUGIN_NAMES = [
  'tracing',
  'varyOrigin',
  'metrics',
  'graphiqlOff',
  'csrf',
  'uploads',
  'bodySize',
  'authentication',
  'queryShape',
  'identicalSelections',
  'introspection',
  'validationCode',
  'fieldSuggestions',
  'operationLog',
  'queryCost',
  'listBudget',
  'audit',
] as const;
export type PluginName = (typeof PLUGIN_NAMES)[number];

export interface App {
  /** GraphQL alone (`/graphql`); the server routes to it and to the plain HTTP routes (src/http/). */
  readonly yoga: YogaServerInstance<object, GraphQLContext>;
  readonly server: Server;
  /** Listens and resolves to the base URL, e.g. http://127.0.0.1:4000. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting connections and waits for in-flight requests; `/readyz` answers 503 from the start. */
  close(): Promise<void>;
}

export { CSRF_HEADER } from './http/router.js';

export function createApp(deps: AppDependencies): App {
  const { config, logger } = deps;
  const { limits } = config;
  let draining = false;
  const graphiql = graphiqlSetup(config.graphiql, deps.devToken, logger);
  const metrics = config.metrics
    ? createMetrics({
        transport: deps.transport,
        upstream: deps.upstream,
        audit: deps.audit,
        token: config.metricsToken,
        operationNames: config.metricsOperationNames,
      })
    : null;
  // The plugin stack, in order: with tracing on, the operation's span and its resolvers' (first, so that
  // the span holds every other plugin's execution work); `Vary: Origin` with CORS; the timing of every GraphQL request;
  // with GraphiQL off, a page for browsers saying how to query; CSRF prevention (a "simple" request a
  // browser would send cross-site without a preflight, i.e. a form or text/plain POST or a GET without
  // the CSRF header, is refused); file uploads read as they stream (uploads.ts); `Connection: close` after a 413 (Yoga's body limit); the app user token
  // (401 before the document is even parsed, so that nothing of the schema shows without one); the
  // query limits, all before any resolver runs (tokens while parsing, identical selections and
  // introspection depth before validation, depth, aliases and directives during it, cost just before
  // execution); the contract's code on validation errors; no "Did you mean" outside sandbox mode;
  // one log line per executed operation (those refused for cost included); the list items an operation
  // answers, counted as it runs (plugins/listBudget.ts); and the audit trail's row
  // for every mutation field that called iManage (plugins/audit.ts). Request ids, no-store,
  // readiness and draining are the router's (src/http/router.ts).
  // Named, so that bench/overhead.ts can measure what each costs by leaving it out.
  const plugins: NamedPlugin[] = [
    ...(deps.tracing ? [named('tracing', useTracing(deps.tracing))] : []),
    ...(config.corsOrigins.length > 0 ? [named('varyOrigin', useVaryOrigin())] : []),
    ...(metrics ? [named('metrics', metrics.plugin)] : []),
    ...graphiql.plugins.map((plugin) => named('graphiqlOff', plugin)),
    ['csrf', useCSRFPrevention({ requestHeaders: [CSRF_HEADER] })],
    ['uploads', useStreamedUploads({ maxFileBytes: config.uploadMaxBytes, maxFiles: MAX_FILES_PER_REQUEST, maxFieldBytes: limits.maxRequestBodyBytes })],
    ['bodySize', useCloseAfterOversizedBody()],
    ['authentication', useAuthentication(deps.verifier, logger)],
    ['queryShape', useQueryShapeLimits(limits)],
    ['identicalSelections', useIdenticalSelectionLimit(limits.maxIdenticalSelections)],
    ['introspection', useIntrospectionPolicy({ enabled: config.introspection })],
    ['validationCode', useValidationErrorCode()],
    ...(config.fieldSuggestions ? [] : [named('fieldSuggestions', useNoFieldSuggestions())]),
    ['operationLog', useOperationLog(logger)],
    ['queryCost', useQueryCost({ ...limits, maxPageSize: config.maxPageSize, defaultPageSize: config.defaultPageSize })],
    ['listBudget', useListBudget(limits.maxListItems)],
    ...(deps.audit ? [named('audit', useAuditTrail(deps.audit))] : []),
  ];
  const yoga = createYoga<object, GraphQLContext>({
    schema: createSchema<GraphQLContext>({ typeDefs, resolvers }),
    context: logUnexpected(createContextFactory(deps), logger) as never,
    graphqlEndpoint: GRAPHQL_PATH,
    plugins: plugins.filter(([name]) => !deps.omitPlugins?.includes(name)).map(([, plugin]) => plugin),
    maskedErrors: { maskError },
    // Yoga always adds a health check that answers any URL whose text ends with this (`/graphql?x=/health`
    // too). No request URL ends with a space (HTTP parsers refuse one, URL parsers encode or strip it), so
    // this turns it off: liveness is the router's /healthz.
    healthCheckEndpoint: ' ',
    // 413 by content-length, or while a chunked body streams in (errors.ts gives it the contract's code).
    maxRequestBodySize: limits.maxRequestBodyBytes,
    // GraphiQL with the example tabs (and the dev token in sandbox mode), its assets served by the router.
    graphiql: graphiql.options,
    renderGraphiQL: graphiql.render,
    landingPage: false,
    batching: false,
    multipart: false,
    cors: corsFor(config.corsOrigins),
    logging: yogaLogging(logger),
  });

  const router = createRouter({
    graphql: yoga,
    routes: appRoutes({
      ready: readiness({
        ping: () => deps.store.ping(),
        draining: () => draining,
        onFailure: (error) => logger.warn({ err: error }, 'not ready: the token store did not answer'),
      }),
      metrics: metrics?.serve,
      connectFlow: deps.connectFlow,
      graphiqlAssets: graphiql.assets,
      download:
        deps.downloadLinks &&
        downloadRoute({
          links: deps.downloadLinks,
          connections: deps.connections,
          upstream: deps.upstream,
          verifier: deps.verifier,
          deadlineMs: config.operationDeadlineMs,
          logger,
        }),
      passthrough: passthroughRoute({
        verifier: deps.verifier,
        connections: deps.connections,
        upstream: deps.upstream,
        rules: config.proxyRules,
        deadlineMs: config.operationDeadlineMs,
        jsonMaxBytes: limits.maxRequestBodyBytes,
        uploadMaxBytes: config.uploadMaxBytes,
        corsOrigins: config.corsOrigins,
        logger,
        onWrite: deps.audit && auditPassthrough(deps.audit),
      }),
    }),
    publicUrl: config.publicUrl,
    tracing: deps.tracing,
    draining: () => draining,
    onError: (error) => logger.error({ err: error }, 'unexpected error in an HTTP route'),
  });
  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      // Node looks for requests past their time this often (30 s by default, longer than a short timeout).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.requestTimeoutMs / 4))),
    },
    router,
  );
  server.keepAliveTimeout = 5_000;
  return {
    yoga,
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        draining = true;
        router.closeConnections();
        metrics?.close();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** An iManage id in a path segment (`ACTIVE_US!52811`, `ACTIVE_US!453.1`): what a passthrough row keeps of the path. */
const IMANAGE_ID = /^[A-Za-z0-9_-]+![0-9]+(\.[0-9]+)?$/;

/**
 * The passthrough's writes into the audit trail: the method and the pattern of the rule that let the
 * call through as its template (`*` for a segment, `**` for the rest), never the path as sent, whose
 * segments could be names; the path's iManage ids as the targets.
 */
function auditPassthrough(audit: AuditTrail): (write: PassthroughWrite) => void {
  return (write) => {
    const pattern = write.rule.slice(write.rule.indexOf(' ') + 1);
    const outcome = write.outcome === 'ok' ? 'ok' : write.outcome === 'refused' || write.code === 'BAD_USER_INPUT' ? 'user_error' : 'error';
    audit.recordPassthrough({
      appUserId: write.appUserId,
      customerId: write.customerId,
      imanageUserId: write.imanageUserId,
      method: write.method,
      pathTemplate: pattern,
      targetIds: write.path.split('/').filter((segment) => IMANAGE_ID.test(segment)),
      imanageStatus: write.status,
      errorCode: write.code ?? (write.outcome === 'cancelled' ? 'CANCELLED' : null),
      outcome,
    });
  };
}

/**
 * Yoga's log calls. Yoga logs at debug level several times per request: the level is checked before
 * anything is built. Yoga logs every error it masks at error level, message and query text included,
 * and an error's message can quote a variable's value ("got invalid value { name: … }"): no value may
 * reach the log, and a client's mistake is not the service failing. So a refused request (syntax,
 * validation, variables, CSRF: no path) is one info line with its code; a field's error (with a path)
 * is already in the operation line (plugins/operationLog.ts), with the cause of an unexpected one; only
 * an error nobody planned for outside a field is logged here, at error level.
 */
function yogaLogging(logger: Logger): NonNullable<Exclude<YogaServerOptions<object, GraphQLContext>['logging'], boolean | string>> {
  const codeOf = (error: GraphQLError) => (maskError(error) as GraphQLError).extensions?.code;
  return {
    debug: (...args) => logger.isLevelEnabled('debug') && logger.debug({ yoga: args.map(String) }, 'yoga'),
    info: (...args) => logger.isLevelEnabled('info') && logger.info({ yoga: args.map(String) }, 'yoga'),
    warn: (...args) => logger.isLevelEnabled('warn') && logger.warn({ yoga: args.map(String) }, 'yoga'),
    error: (...args) => {
      for (const arg of args) {
        if (arg instanceof GraphQLError && arg.path !== undefined) continue;
        const code = arg instanceof GraphQLError ? codeOf(arg) : undefined;
        if (code !== undefined && code !== 'INTERNAL') logger.info({ code }, 'request refused');
        else logger.error({ err: arg }, 'unexpected error');
      }
    },
  };
}

/**
 * An exception nobody planned for while building the context (the token store failing, say) is masked
 * as INTERNAL like any other; its cause is logged here, where the request id is known.
 */
function logUnexpected<A extends { request: Request }, R extends object>(factory: (initial: A) => R | Promise<R>, logger: Logger) {
  const report = (error: unknown, initial: A): never => {
    if (!(error instanceof GraphQLError)) logger.error({ err: error, requestId: requestIdOf(initial.request) }, 'unexpected error while building the context');
    throw error;
  };
  return (initial: A): R | Promise<R> => {
    try {
      const context = factory(initial);
      return context instanceof Promise ? context.catch((error: unknown) => report(error, initial)) : context;
    } catch (error) {
      return report(error, initial);
    }
  };
}

/**
 * CORS for the configured origins only: an allowed Origin is answered with itself, any other gets no
 * CORS headers at all (not even `null`, which sandboxed iframes send), and credentials are never
 * allowed: callers authenticate with a bearer token, not cookies.
 */
function corsFor(origins: readonly string[]): false | ((request: Request) => CORSOptions) {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  const options: CORSOptions = {
    origin: [...origins],
    credentials: false,
    methods: ['GET', 'POST'],
    // WWW-Authenticate: a 401 says there why the token was refused (expired, wrong audience, …).
    exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
    maxAge: 600,
  };
  return (request) => (allowed.has(request.headers.get('origin') ?? '') ? options : false);
}
