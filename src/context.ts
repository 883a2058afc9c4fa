import type { YogaInitialContext } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AppTokenVerifier, AppUser } from './auth/appTokens.js';
import type { ConnectFlow } from './auth/connectFlow.js';
import type { StoreConnections, UserConnection } from './auth/connections.js';
import type { DownloadLinks } from './auth/downloadLinks.js';
import type { TokenStore } from './auth/store/types.js';
import type { Config } from './config.js';
import { notConnected, reauthRequired } from './graphql/errors.js';
import { authenticate, bearerToken } from './graphql/plugins/authentication.js';
import { requestIdOf } from './http/requestId.js';
import { loggerFor } from './logger.js';
import { IManageClient, type IManageWrite } from './imanage/client.js';
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
  /** Connecting an iManage account (CONTRACT §4); null where no iManage app is configured. */
  readonly connectFlow: ConnectFlow | null;
  /**
   * The caller's iManage client and per-request loaders. Raises IMANAGE_NOT_CONNECTED without a
   * connection and IMANAGE_REAUTH_REQUIRED when it can no longer be used: the same everywhere.
   */
  imanage(): IManageAccess;
  /** `Document.downloadUrl`: links to this service's download route, made for this caller and their connection. */
  readonly downloadLinks: DocumentDownloadLinks;
  /** iManage calls this request has made so far. */
  upstreamCalls(): number;
  /** The writes this request has sent to iManage so far, with iManage's status for each (the audit trail's evidence). */
  imanageWrites(): readonly IManageWrite[];
  /**
   * Aborted when the caller hangs up: a platform AbortSignal following the request's, whose `aborted`
   * can be trusted (see `nativeSignal`). Use it rather than `request.signal`.
   */
  abortSignal(): AbortSignal;
}

export interface IManageAccess {
  readonly client: IManageClient;
  readonly loaders: IManageLoaders;
  readonly connection: UserConnection;
}

export interface DocumentDownloadLinks {
  /**
   * A short-lived, single-use link that downloads this document as the caller, without a header
   * (`${PUBLIC_URL}/documents/{id}/download?link=…`). Signed, not stored: it costs no iManage call
   * and no write. Raises IMANAGE_NOT_CONNECTED or IMANAGE_REAUTH_REQUIRED as `imanage()` does.
   */
  urlFor(documentId: string): Promise<string>;
}

export interface ContextDependencies {
  config: Config;
  logger: Logger;
  verifier: AppTokenVerifier;
  connections: StoreConnections;
  upstream: ResilientUpstream;
  store: TokenStore;
  connectFlow?: ConnectFlow | undefined;
  /** Absent only in the benchmark's plain-resolver baseline, which serves no documents. */
  downloadLinks?: DownloadLinks | undefined;
}

type RequestContext = Omit<GraphQLContext, keyof YogaInitialContext>;

/**
 * Builds each request's context: the caller's token (usually verified before, and remembered) and
 * their connection row, read from the store. The authentication plugin has verified the token already,
 * before validation; it is checked here again so that no context exists without a verified caller,
 * whatever the plugin list.
 */
export function createContextFactory(deps: ContextDependencies) {
  return async (initial: YogaInitialContext): Promise<RequestContext> => {
    // The operation's deadline counts from its arrival, the token check and the store read included.
    const deadline = Date.now() + deps.config.operationDeadlineMs;
    const token = bearerToken(initial.request);
    const viewer = deps.verifier.verifiedUser(token);
    const user = viewer ?? (await authenticate(token, deps.verifier, () => loggerFor(deps.logger, requestIdOf(initial.request))));
    return contextFor(deps, initial, deadline, user, await deps.connections.forUser(user.id));
  };
}

function contextFor(
  deps: ContextDependencies,
  initial: YogaInitialContext,
  deadline: number,
  viewer: AppUser,
  connection: UserConnection | null,
): RequestContext {
  const requestId = requestIdOf(initial.request);
  let logger: Logger | null = null;
  const requestLogger = () => (logger ??= loggerFor(deps.logger, requestId));
  let access: IManageAccess | null = null;
  let signal: AbortSignal | null = null;
  const abortSignal = () => (signal ??= nativeSignal(initial.request.signal));
  return {
    requestId,
    logger: requestLogger,
    viewer,
    connection,
    config: deps.config,
    store: deps.store,
    connections: deps.connections,
    connectFlow: deps.connectFlow ?? null,
    imanage() {
      if (!connection) throw notConnected();
      if (connection.status === 'reauth_required') throw reauthRequired();
      if (!access) {
        const client = new IManageClient(deps.upstream, connection, abortSignal(), deadline, deps.config.maxUpstreamCallsPerOperation);
        access = { client, loaders: createLoaders(client, connection.id), connection };
      }
      return access;
    },
    downloadLinks: {
      urlFor: async (documentId) => {
        if (!connection) throw notConnected();
        if (connection.status === 'reauth_required') throw reauthRequired();
        if (!deps.downloadLinks) throw new Error('download links are not configured');
        return deps.downloadLinks.urlFor(viewer.id, connection.id, documentId);
      },
    },
    upstreamCalls: () => access?.client.callCount ?? 0,
    imanageWrites: () => access?.client.writes ?? [],
    abortSignal,
  };
}

/**
 * A platform AbortSignal that follows the request's. Yoga's Node adapter hands out its own signal
 * object, whose `aborted` stays false once a native signal has been derived from it (as undici's
 * `AbortSignal.any` does); the client, the upstream policy and the transport all read `aborted` to
 * tell a caller who hung up from a failing iManage.
 */
function nativeSignal(signal: AbortSignal): AbortSignal {
  return AbortSignal.any([signal]);
}
