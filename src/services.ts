import { hkdfSync } from 'node:crypto';
import type { Logger } from 'pino';
import { AppTokenVerifier } from './auth/appTokens.js';
import { ConnectFlow } from './auth/connectFlow.js';
import { StoreConnections } from './auth/connections.js';
import type { OAuthClient } from './auth/imanageOAuth.js';
import { TokenCipher } from './auth/store/crypto.js';
import { createTokenStore } from './auth/store/index.js';
import type { TokenStore } from './auth/store/types.js';
import type { Config } from './config.js';
import { DEFAULT_RESILIENCE, ResilientUpstream } from './imanage/resilience.js';
import { IManageTransport } from './imanage/transport.js';

/**
 * The long-lived parts of the service, built once from the config: the token store, the iManage
 * transport, connections (with refresh) and the connect flow. `main.ts` and the tests build them the
 * same way; only where iManage lives differs (the embedded sandbox, or IMANAGE_BASE_URL).
 */
export interface Services {
  store: TokenStore;
  transport: IManageTransport;
  /** Every API call of a GraphQL operation goes through it: deadline, retries, breaker, per-user cap. */
  upstream: ResilientUpstream;
  connections: StoreConnections;
  connectFlow: ConnectFlow;
  verifier: AppTokenVerifier;
  close(): Promise<void>;
}

export async function createServices(
  config: Config,
  logger: Logger,
  imanage: { hostUrl: string; oauth: OAuthClient },
  /**
   * Tests isolate PostgreSQL runs in a schema of their own, and move the clock that expires connect
   * tickets, states and pending links (epoch ms; default `Date.now`).
   */
  testOptions: { postgresSchema?: string; now?: () => number } = {},
): Promise<Services> {
  const { now, ...storeOptions } = testOptions;
  const store = await createTokenStore(config.databaseUrl, new TokenCipher([...config.tokenEncryptionKeys]), { ...storeOptions, ...(now ? { now } : {}) });
  const transport = new IManageTransport({ timeoutMs: config.imanageTimeoutMs, connectionsPerOrigin: config.imanageConnections });
  const upstream = new ResilientUpstream(transport, {
    perUserConcurrency: config.imanageConcurrencyPerUser,
    breaker: { ...DEFAULT_RESILIENCE.breaker, resetTimeoutMs: config.imanageBreakerResetMs },
  });
  const connections = new StoreConnections({ store, transport, oauth: imanage.oauth, logger });
  const verifier = new AppTokenVerifier({ key: config.jwt.key, issuer: config.jwt.issuer, audience: config.jwt.audience });
  const connectFlow = new ConnectFlow({
    hostUrl: imanage.hostUrl,
    publicUrl: config.publicUrl,
    oauth: imanage.oauth,
    scopes: config.imanageScopes,
    redirectUri: config.redirectUri,
    allowedReturnUrls: config.allowedReturnUrls,
    // Derived from the encryption key so that every instance sharing the database signs alike.
    cookieKey: Buffer.from(hkdfSync('sha256', config.tokenEncryptionKeys[0]!.key, 'imanage-graphql', 'connect-cookie', 32)),
    secureCookie: config.publicUrl.startsWith('https:'),
    store,
    connections,
    transport,
    logger,
    ...(now ? { now } : {}),
  });
  connectFlow.startSweeping();
  return {
    store,
    transport,
    upstream,
    connections,
    connectFlow,
    verifier,
    async close() {
      connectFlow.close();
      upstream.close();
      await transport.close();
      await store.close();
    },
  };
}
