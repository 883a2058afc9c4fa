import { pino } from 'pino';
import { AppTokenVerifier, signAppToken } from './auth/appTokens.js';
import { PasswordGrantConnections, type ConnectionProvider } from './auth/connections.js';
import { TokenCipher } from './auth/store/crypto.js';
import { createTokenStore } from './auth/store/index.js';
import { ConfigError, loadConfig } from './config.js';
import { IManageTransport } from './imanage/transport.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import { createApp } from './server.js';

/** config -> logger -> iManage (or the embedded sandbox) -> connections -> server.listen; drains on SIGTERM. */

const DEV_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({
    level: config.logLevel,
    // Belt and braces: nothing logs these, and if something ever does, they are blanked.
    redact: { paths: ['*.authorization', '*.Authorization', '*["x-auth-token"]', '*.access_token', '*.refresh_token', '*.password', '*.token'], censor: '[redacted]' },
  });

  const store = await createTokenStore(config.databaseUrl, new TokenCipher([...config.tokenEncryptionKeys]));
  const transport = new IManageTransport({ timeoutMs: config.imanageTimeoutMs });
  let sandbox: Sandbox | null = null;
  let connections: ConnectionProvider;
  let devToken: string | undefined;

  if (config.mode === 'sandbox') {
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
    const demo = sandbox.users.demo!;
    // Stopgap until the connect flow lands: the demo app user is connected with the password grant.
    connections = new PasswordGrantConnections({
      transport,
      hostUrl: sandbox.url,
      clientId: sandbox.apps.default.clientId,
      clientSecret: sandbox.apps.default.clientSecret,
      scopes: [...config.imanageScopes],
      accounts: [{ appUserId: 'demo', username: demo.id, password: demo.password }],
    });
    await connections.forUser('demo');
    devToken = await signAppToken(config.jwt.secret, 'demo', DEV_TOKEN_TTL_SECONDS, { iss: config.jwt.issuer, aud: config.jwt.audience });
  } else {
    // Until the OAuth connect flow lands, no user can connect outside sandbox mode.
    connections = { forUser: async () => null };
  }

  const verifier = new AppTokenVerifier({ secret: config.jwt.secret, issuer: config.jwt.issuer, audience: config.jwt.audience });
  const app = createApp({ config, logger, verifier, connections, transport, store, devToken });
  const url = await app.listen(config.port, config.host);
  logger.info({ url: `${url}/graphql`, mode: config.mode, imanage: sandbox?.url ?? config.imanageBaseUrl }, 'listening');
  if (sandbox && devToken) {
    // Printed, not logged: the dev token is for the developer at this terminal.
    process.stdout.write(
      `\nSandbox mode: iManage simulator at ${sandbox.url}, app user "demo" connected as ${sandbox.users.demo!.id}.\n` +
        `GraphiQL: ${config.publicUrl}/graphql (opens with the dev token below filled in)\n` +
        `Dev token (7 days): ${devToken}\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => app.server.closeAllConnections(), 10_000).unref();
    await app.close();
    clearTimeout(force);
    await transport.close();
    await store.close();
    await sandbox?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
