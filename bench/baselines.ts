import { createSchema, createYoga, type YogaInitialContext, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AppTokenVerifier } from '../src/auth/appTokens.js';
import type { StoreConnections, UserConnection } from '../src/auth/connections.js';
import type { TokenStore } from '../src/auth/store/types.js';
import type { Config } from '../src/config.js';
import { createContextFactory, type GraphQLContext } from '../src/context.js';
import { toAccessLevel, toDate, toLibraryType } from '../src/graphql/enums.js';
import { maskError, notFound } from '../src/graphql/errors.js';
import { libraryFoldersConnection, libraryWorkspacesConnection, subfoldersConnection, workspaceFoldersConnection } from '../src/graphql/connections.js';
import { containerIdArg, libraryIdArg } from '../src/graphql/arguments.js';
import { resolvers as facadeResolvers } from '../src/graphql/resolvers.generated.js';
import { typeDefs } from '../src/graphql/typeDefs.generated.js';
import type { Resolvers } from '../src/graphql/types.generated.js';
import { IManageClient } from '../src/imanage/client.js';
import { parseContainerId } from '../src/imanage/ids.js';
import { createLoaders } from '../src/imanage/loaders.js';
import type { FolderRecord } from '../src/imanage/records.js';
import type { ResilientUpstream } from '../src/imanage/resilience.js';

/**
 * The two baselines the bench measures the facade against, built from the same SDL:
 *
 * - **plain**: resolvers that call the iManage client directly, one call per field that needs data:
 *   no DataLoader, no batching, no caching, every folder's subfolders listed. The same context (app
 *   token, connection from the store), client, transport and upstream policy as the facade, and the
 *   same error masking and body limit; none of the facade's other plugins.
 * - **ceiling**: the same resolvers over an in-memory client replaying answers recorded once, and a
 *   fixed context (no token check, no store), and no body limit: what graphql-yoga itself costs for
 *   these shapes.
 *
 * Fields that need no data (scalars, enums, paging, profile, createSubfolder's payload) use the
 * facade's own resolvers; `createSubfolder` itself too (it makes one read and the POST either way).
 *
 * This is the one bench file that reaches into the graph layer: the baselines are other resolvers for
 * the same schema, built from the facade's parts so that they differ from it only where they should.
 * Everything else in bench/ goes through the public entry points (`src/index.ts`).
 */

const client = (ctx: GraphQLContext): IManageClient => ctx.imanage().client;

async function folderById(ctx: GraphQLContext, id: string): Promise<FolderRecord> {
  const record = await client(ctx).getFolder(parseContainerId(id)!);
  if (!record) throw notFound('Folder', id);
  return record;
}

/** Path entries lack some fields: fetch the folder again, every time. */
const full = (ctx: GraphQLContext, record: FolderRecord) => (record.partial ? folderById(ctx, record.id) : record);

async function plainPath(ctx: GraphQLContext, record: FolderRecord): Promise<FolderRecord[]> {
  const path = await client(ctx).folderPath(parseContainerId(record.id)!);
  if (!path) throw notFound('Folder', record.id);
  return path.at(-1)?.id === record.id ? [...path.slice(0, -1), record] : [...path, record];
}

async function libraries(ctx: GraphQLContext) {
  return client(ctx).listLibraries();
}

export const plainResolvers: Resolvers = {
  ...facadeResolvers,
  Query: {
    ...facadeResolvers.Query,
    library: async (_p, args, ctx) => {
      const id = libraryIdArg(args.id);
      const found = (await libraries(ctx)).find((l) => l.id.toLowerCase() === id.toLowerCase());
      if (!found) throw notFound('Library', id);
      return found;
    },
    folder: (_p, args, ctx) => folderById(ctx, containerIdArg(args.id, 'folder').id),
    workspace: async (_p, args, ctx) => {
      const id = containerIdArg(args.id, 'workspace');
      const record = await client(ctx).getWorkspace(id);
      if (!record) throw notFound('Workspace', id.id);
      return record;
    },
  },
  Customer: {
    libraries: (_p, _a, ctx) => libraries(ctx),
    preferredLibrary: async ({ preferredLibrary }, _a, ctx) =>
      preferredLibrary ? ((await libraries(ctx)).find((l) => l.id.toLowerCase() === preferredLibrary.toLowerCase()) ?? null) : null,
  },
  Library: {
    type: async (parent, _a, ctx) => toLibraryType(parent.type !== undefined ? parent.type : (await libraries(ctx)).find((l) => l.id === parent.id)?.type),
    workspaces: (parent, args, ctx) =>
      libraryWorkspacesConnection(parent.id, args, ctx.config, (nameOrDescription, cursor, limit) =>
        client(ctx).searchWorkspaces(parent.id, { nameOrDescription, cursor, limit }),
      ),
    folders: (parent, args, ctx) =>
      libraryFoldersConnection(parent.id, args, ctx.config, (name, cursor, limit) => client(ctx).searchFolders(parent.id, { name, cursor, limit })),
  },
  Workspace: {
    library: (parent) => ({ id: parent.library }),
    folders: (parent, args, ctx) =>
      workspaceFoldersConnection(parent.id, args, ctx.config, (cursor, limit) =>
        client(ctx).workspaceChildren(parseContainerId(parent.id)!, { cursor, limit }),
      ),
  },
  Folder: {
    ...facadeResolvers.Folder,
    description: async (parent, _a, ctx) => (await full(ctx, parent)).description,
    effectiveSecurity: async (parent, _a, ctx) => toAccessLevel((await full(ctx, parent)).effectiveSecurity),
    editDate: async (parent, _a, ctx) => toDate((await full(ctx, parent)).editDate),
    hasSubfolders: async (parent, _a, ctx) => parent.hasSubfolders ?? (await full(ctx, parent)).hasSubfolders ?? false,
    hasDocuments: async (parent, _a, ctx) => parent.hasDocuments ?? (await full(ctx, parent)).hasDocuments ?? false,
    profile: async (parent, _a, ctx) => (await full(ctx, parent)).profile,
    workspace: async (parent, _a, ctx) => {
      if (!parent.workspaceId) return null;
      const record = await client(ctx).getWorkspace(parseContainerId(parent.workspaceId)!);
      if (!record) throw notFound('Workspace', parent.workspaceId);
      return record;
    },
    parent: async (parent, _a, ctx) => {
      if (parent.parentId === null) return (await plainPath(ctx, parent)).at(-2) ?? null;
      if (parent.parentId === parent.workspaceId) return null;
      return folderById(ctx, parent.parentId);
    },
    path: (parent, _a, ctx) => plainPath(ctx, parent),
    // Every folder's subfolders are listed (plain resolvers do not read hasSubfolders).
    subfolders: (parent, args, ctx) =>
      subfoldersConnection({ ...parent, hasSubfolders: null }, args, ctx.config, (cursor, limit) =>
        client(ctx).folderChildren(parseContainerId(parent.id)!, { cursor, limit }),
      ),
  },
};

export interface PlainDependencies {
  config: Config;
  logger: Logger;
  verifier: AppTokenVerifier;
  connections: StoreConnections;
  upstream: ResilientUpstream;
  store: TokenStore;
}

/**
 * The plain-resolver baseline: the facade's context and client, plain resolvers, and the facade's
 * body limit (Yoga's, at the same size): the two then differ in how they reach iManage, not in how
 * they read a request.
 */
export function createPlainYoga(deps: PlainDependencies): YogaServerInstance<object, GraphQLContext> {
  return createYoga<object, GraphQLContext>({
    schema: createSchema<GraphQLContext>({ typeDefs, resolvers: plainResolvers }),
    context: createContextFactory(deps) as never,
    graphqlEndpoint: '/graphql',
    maxRequestBodySize: deps.config.limits.maxRequestBodyBytes,
    maskedErrors: { maskError },
    graphiql: false,
    landingPage: false,
    logging: false,
  });
}

// ---- the framework ceiling -------------------------------------------------------------------

/** The facade's iManage client for one connection, outside any request (the ceiling's, built once); `deadline` in epoch ms. */
export const clientFor = (upstream: ResilientUpstream, connection: UserConnection, deadline?: number): IManageClient =>
  new IManageClient(upstream, connection, undefined, deadline);

/** Records every client call's answer by method and arguments, and replays them without iManage. */
export class RecordingClient {
  private readonly answers = new Map<string, Promise<unknown>>();
  private replaying = false;

  constructor(private readonly real: IManageClient) {}

  /** From now on answer from memory only; an unrecorded call is an error. */
  replay(): void {
    this.replaying = true;
  }

  asClient(): IManageClient {
    return new Proxy(this.real, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const key = `${String(property)} ${JSON.stringify(args)}`;
          let answer = this.answers.get(key);
          if (!answer) {
            if (this.replaying) return Promise.reject(new Error(`ceiling: no recorded answer for ${key}`));
            answer = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            this.answers.set(key, answer);
          }
          return answer;
        };
      },
    });
  }
}

/**
 * The framework ceiling: the plain resolvers over recorded answers, with one fixed context built
 * once (the caller's connection read from the store at start), so a request costs only Yoga,
 * graphql-js and the resolvers; and without Yoga's body limit (see `withYogaBodyLimit`).
 */
export function createCeilingYoga(options: {
  config: Config;
  logger: Logger;
  connection: UserConnection;
  client: IManageClient;
  viewerId: string;
  /**
   * bench/overhead.ts only: with Yoga's default body limit (25 MB), which streams every body through
   * a TransformStream and a new Request. The ceiling runs without it, as the framework's best case;
   * the facade pays for Yoga's limit (server.ts), and this variant shows that share.
   */
  withYogaBodyLimit?: boolean;
}) {
  const { config, logger, connection, client: memory } = options;
  const access = { client: memory, loaders: createLoaders(memory, connection.id), connection };
  const neverAborted = new AbortController().signal;
  const context: Omit<GraphQLContext, keyof YogaInitialContext> = {
    requestId: 'ceiling',
    logger: () => logger,
    viewer: { id: options.viewerId },
    connection,
    config,
    // The bench's create sends no idempotency key: no store is ever read.
    store: { idempotencyKeys: undefined } as never,
    connections: undefined as never,
    connectFlow: null,
    // The bench's queries ask for no download link.
    downloadLinks: undefined as never,
    imanage: () => access,
    upstreamCalls: () => 0,
    imanageWrites: () => [],
    abortSignal: () => neverAborted,
  };
  return createYoga<object, GraphQLContext>({
    schema: createSchema<GraphQLContext>({ typeDefs, resolvers: plainResolvers }),
    context: () => context as never,
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    graphiql: false,
    landingPage: false,
    logging: false,
    ...(options.withYogaBodyLimit ? {} : { maxRequestBodySize: false as const }),
  });
}
