import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AppTokenVerifier } from './auth/appTokens.js';
import type { ConnectFlow } from './auth/connectFlow.js';
import { useConnectRoutes } from './auth/connectRoutes.js';
import type { StoreConnections } from './auth/connections.js';
import type { TokenStore } from './auth/store/types.js';
import type { Config } from './config.js';
import { createContextFactory, type GraphQLContext } from './context.js';
import { maskError } from './graphql/errors.js';
import { exampleOperations } from './graphql/examples.js';
import { useOperationLog } from './graphql/plugins/operationLog.js';
import { useRequestId } from './graphql/plugins/requestId.js';
import { useValidationErrorCode } from './graphql/plugins/validationCode.js';
import { resolvers } from './graphql/resolvers.generated.js';
import { typeDefs } from './graphql/typeDefs.generated.js';
import type { IManageTransport } from './imanage/transport.js';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  verifier: AppTokenVerifier;
  connections: StoreConnections;
  transport: IManageTransport;
  store: TokenStore;
  /** The OAuth connect flow; absent only where no iManage app is configured. */
  connectFlow?: ConnectFlow | undefined;
  /** Filled into GraphiQL's headers (sandbox mode only). */
  devToken?: string | undefined;
}

export interface App {
  readonly yoga: YogaServerInstance<object, GraphQLContext>;
  readonly server: Server;
  /** Listens and resolves to the base URL, e.g. http://127.0.0.1:4000. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

export function createApp(deps: AppDependencies): App {
  const { config, logger } = deps;
  const yoga = createYoga<object, GraphQLContext>({
    schema: createSchema<GraphQLContext>({ typeDefs, resolvers }),
    context: createContextFactory(deps) as never,
    graphqlEndpoint: '/graphql',
    // The plugin stack, in order: request ids on every response and log line, the connect flow's routes,
    // the contract's code on validation errors, one log line per operation.
    plugins: [useRequestId(), ...(deps.connectFlow ? [useConnectRoutes(deps.connectFlow)] : []), useValidationErrorCode(), useOperationLog()],
    maskedErrors: { maskError },
    graphiql: config.graphiql
      ? {
          title: 'iManage Work GraphQL',
          defaultQuery: exampleOperations,
          headers: deps.devToken ? JSON.stringify({ Authorization: `Bearer ${deps.devToken}` }, null, 2) : undefined,
        }
      : false,
    landingPage: false,
    batching: false,
    multipart: false,
    cors: config.corsOrigins.length > 0 ? { origin: [...config.corsOrigins], credentials: false } : false,
    logging: {
      debug: (...args) => logger.debug({ yoga: args.map(String) }, 'yoga'),
      info: (...args) => logger.info({ yoga: args.map(String) }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args.map(String) }, 'yoga'),
      error: (...args) => logger.error({ yoga: args.map(String) }, 'yoga'),
    },
  });

  const server = createServer(yoga);
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
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
