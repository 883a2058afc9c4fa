import type { YogaInitialContext } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AppTokenVerifier, AppUser } from './auth/appTokens.js';
import { InvalidAppTokenError } from './auth/appTokens.js';
import type { StoreConnections, UserConnection } from './auth/connections.js';
import type { TokenStore } from './auth/store/types.js';
import type { Config } from './config.js';
import { notConnected, reauthRequired, unauthenticated } from './graphql/errors.js';
import { requestIdOf } from './graphql/plugins/requestId.js';
import { IManageClient } from './imanage/client.js';
import { createLoaders, type IManageLoaders } from './imanage/loaders.js';
import type { ResilientUpstream } from './imanage/resilience.js';

/** What every resolver receives: who is calling, and that user's iManage client and loaders. */
export interface GraphQLContext extends YogaInitialContext {
  readonly requestId: string;
  /**
   * The request's logger (its lines carry the request id), made on first use: most requests log
   * nothing but the operation line. A method, not a getter: Yoga copies the context's properties
   * with Object.assign, which would call a getter, and make a child logger, for every request.
   */
  logger(): Logger;
  readonly viewer: AppUser;
  /** The caller's iManage connection, or null when they have not connected one. */
  readonly connection: UserConnection | null;
  readonly config: Config;
  /** The database behind connections, OAuth state and idempotency keys. */
  readonly store: TokenStore;
  readonly connections: StoreConnections;
  /**
   * The caller's iManage client and per-request loaders. Raises IMANAGE_NOT_CONNECTED without a
   * connection and IMANAGE_REAUTH_REQUIRED when it can no longer be used: the same everywhere.
   */
  imanage(): IManageAccess;
  /** iManage calls this request has made so far. */
  upstreamCalls(): number;
}

export interface IManageAccess {
  readonly client: IManageClient;
  readonly loaders: IManageLoaders;
  readonly connection: UserConnection;
}

export interface ContextDependencies {
  config: Config;
  logger: Logger;
  verifier: AppTokenVerifier;
  connections: StoreConnections;
  upstream: ResilientUpstream;
  store: TokenStore;
}

export function createContextFactory(deps: ContextDependencies) {
  return async (initial: YogaInitialContext): Promise<Omit<GraphQLContext, keyof YogaInitialContext>> => {
    const requestId = requestIdOf(initial.request);
    let logger: Logger | null = null;
    const requestLogger = () => (logger ??= deps.logger.child({ requestId }));
    const deadline = Date.now() + deps.config.operationDeadlineMs;
    const viewer = await authenticate(initial.request, deps.verifier, requestLogger);
    const connection = await deps.connections.forUser(viewer.id);
    let access: IManageAccess | null = null;
    return {
      requestId,
      logger: requestLogger,
      viewer,
      connection,
      config: deps.config,
      store: deps.store,
      connections: deps.connections,
      imanage() {
        if (!connection) throw notConnected();
        if (connection.status === 'reauth_required') throw reauthRequired();
        if (!access) {
          const client = new IManageClient(deps.upstream, connection, initial.request.signal, deadline);
          access = { client, loaders: createLoaders(client, connection.id), connection };
        }
        return access;
      },
      upstreamCalls: () => access?.client.callCount ?? 0,
    };
  };
}

async function authenticate(request: Request, verifier: AppTokenVerifier, logger: () => Logger): Promise<AppUser> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  if (!match) throw unauthenticated();
  try {
    return await verifier.verify(match[1]!);
  } catch (error) {
    if (error instanceof InvalidAppTokenError) {
      logger().info({ reason: error.reason }, 'app user token rejected');
      throw unauthenticated();
    }
    throw error;
  }
}
