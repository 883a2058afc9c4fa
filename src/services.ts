import { hkdfSync } from 'node:crypto';
import type { Logger } from 'pino';
import { AuditTrail } from './audit/trail.js';
import { AppTokenVerifier } from './auth/appTokens.js';
import { ConnectFlow } from './auth/connectFlow.js';
import { StoreConnections, type Wait } from './auth/connections.js';
import { DownloadLinks } from './auth/downloadLinks.js';
import type { OAuthClient } from './auth/imanageOAuth.js';
import { TokenCipher } from './auth/store/crypto.js';
import { createTokenStore } from './auth/store/index.js';
import { keyUsage } from './auth/store/rotation.js';
import type { ConnectionStore, TokenStore } from './auth/store/types.js';
import { DEFAULT_DATABASE_URL, type Config } from './config.js';
import { DEFAULT_RESILIENCE, ResilientUpstream } from './imanage/resilience.js';
import { IManageTransport } from './imanage/transport.js';
import { requestScope } from './logger.js';
import { startTracing, type Tracing } from './telemetry/index.js';

/**
 * The long-lived parts of the service, built once from the config: the token store, the iManage
 * transport, connections (with refresh), the connect flow and the audit trail. `main.ts` and the tests build them the
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
  /** Signs and checks `Document.downloadUrl` links; records their use in the token store. */
  downloadLinks: DownloadLinks;
  /** Who did what in iManage: every write that reached it, in the database (src/audit/). */
  audit: AuditTrail;
  /** OpenTelemetry tracing (`OTEL_*`); null when it is off. */
  tracing: Tracing | null;
  close(): Promise<void>;
}

export async function createServices(
  config: Config,
  logger: Logger,
  /** `allowHttp`: the iManage host is a simulator on loopback (sandbox mode, benchmarks), reached over http. */
  imanage: { hostUrl: string; oauth: OAuthClient; allowHttp?: boolean },
  /**
   * For tests: PostgreSQL runs isolated in a schema of their own; `now` is the clock (epoch ms) that token
   * expiry, connect tickets, states, pending links, download links and audit rows' times are judged by; `wait` is how
   * token revocation retries wait.
   */
  options: { postgresSchema?: string; now?: () => number; wait?: Wait } = {},
): Promise<Services> {
  const store = await createTokenStore(config.databaseUrl, new TokenCipher([...config.tokenEncryptionKeys]), {
    ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
    // Only the default location's folder (./data) is made on first start; a folder named on purpose must exist.
    createFolder: config.databaseUrl === DEFAULT_DATABASE_URL,
    ...(options.now ? { now: options.now } : {}),
  });
  await reportKeys(store.connections, config, logger);
  const tracing = config.tracing
    ? await startTracing(config.tracing, {
        // The exporter's message names the collector and the failure, never a span's content.
        onExportError: (error) => logger.warn({ reason: error.message.slice(0, 300) }, 'traces could not be exported: spans dropped'),
      })
    : null;
  const audit = new AuditTrail({
    store: store.auditEvents,
    logger,
    retentionDays: config.auditRetentionDays,
    // The router runs every request in its scope: a row written while serving one carries its id.
    currentRequestId: () => requestScope.getStore()?.requestId,
  });
  // Old rows go at start and every hour; start-up does not wait for the first pass.
  void audit.startPurging();
  const transport = new IManageTransport({ timeoutMs: config.imanageTimeoutMs, connectionsPerOrigin: config.imanageConnections, tracing });
  const upstream = new ResilientUpstream(transport, {
    perUserConcurrency: config.imanageConcurrencyPerUser,
    perUserTransfers: config.imanageTransfersPerUser,
    breaker: { ...DEFAULT_RESILIENCE.breaker, resetTimeoutMs: config.imanageBreakerResetMs },
  });
  const connections = new StoreConnections({
    store: store.connections,
    transport,
    oauth: imanage.oauth,
    logger,
    allowHttp: imanage.allowHttp === true,
    audit,
    ...(options.now ? { now: options.now } : {}),
    ...(options.wait ? { wait: options.wait } : {}),
  });
  const verifier = new AppTokenVerifier({
    key: config.jwt.key,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    maxAgeSeconds: config.jwt.maxAgeSeconds,
  });
  const connectFlow = new ConnectFlow({
    hostUrl: imanage.hostUrl,
    publicUrl: config.publicUrl,
    oauth: imanage.oauth,
    scopes: config.imanageScopes,
    redirectUri: config.redirectUri,
    allowedReturnUrls: config.allowedReturnUrls,
    // Derived from the encryption keys, in their order, so that every instance sharing the database signs
    // alike, and one that lists the keys in another order (mid-rotation) still recognises the cookie.
    cookieKeys: config.tokenEncryptionKeys.map(({ key }) => Buffer.from(hkdfSync('sha256', key, 'imanage-graphql', 'connect-cookie', 32))),
    secureCookie: config.publicUrl.startsWith('https:'),
    store: store.connectStates,
    connections,
    transport,
    logger,
    audit,
    ...(options.now ? { now: options.now } : {}),
  });
  connectFlow.startSweeping();
  const downloadLinks = new DownloadLinks({
    // The same keys on every instance sharing the database, so any of them verifies a link another made.
    keys: config.tokenEncryptionKeys,
    publicUrl: config.publicUrl,
    ttlSeconds: config.downloadLinkTtlSeconds,
    store: store.downloadLinks,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    store,
    transport,
    upstream,
    connections,
    connectFlow,
    verifier,
    downloadLinks,
    audit,
    tracing,
    async close() {
      connections.close();
      connectFlow.close();
      upstream.close();
      await transport.close();
      // Rows still being written are written before the database closes.
      await audit.close();
      await store.close();
      // Last: the spans of everything above are exported before the process goes.
      await tracing?.shutdown();
    },
  };
}

/**
 * At start, says which encryption keys the stored tokens are under: rows under a key that is not
 * configured (their users must reconnect) as a warning with their count and key ids, rows under an
 * older configured key as a hint to run `npm run rotate-keys`. Reads the envelopes, decrypts nothing.
 */
async function reportKeys(store: ConnectionStore, config: Config, logger: Logger): Promise<void> {
  const ids = config.tokenEncryptionKeys.map((key) => key.id);
  const usage = await keyUsage(store, ids);
  if (usage.unknown.connections > 0) {
    logger.warn(
      { connections: usage.unknown.connections, keyIds: usage.unknown.keyIds },
      'stored iManage tokens are encrypted under keys TOKEN_ENCRYPTION_KEY does not hold: those users must connect again (or add the keys back)',
    );
  }
  const older = Object.entries(usage.byKey).filter(([id]) => id !== ids[0] && ids.includes(id));
  if (older.length > 0) {
    logger.info({ byKey: Object.fromEntries(older) }, 'stored iManage tokens under older keys: npm run rotate-keys moves them to the current one');
  }
}
