import { signAppToken } from './auth/appTokens.js';
import { passwordGrant } from './auth/imanageOAuth.js';
import { StoreStartupError } from './auth/store/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import type { Sandbox } from './sandbox/index.js';
import { createApp } from './server.js';
import { createServices } from './services.js';

/** config -> logger -> iManage (or the embedded sandbox) -> services -> server.listen; drains on SIGTERM. */

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** A store the operator must fix (DATABASE_URL) stops start-up with its one line, not a stack trace. */
async function servicesOrExit(create: () => ReturnType<typeof createServices>, sandbox: Sandbox | null) {
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof StoreStartupError)) throw error;
    process.stderr.write(`${error.message}\n`);
    await sandbox?.close();
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);

  let sandbox: Sandbox | null = null;
  let imanage;
  if (config.mode === 'sandbox') {
    // Loaded only in sandbox mode: a production process never loads the simulator's code.
    const { startSandbox } = await import('./sandbox/index.js');
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
    imanage = { hostUrl: sandbox.url, oauth: sandbox.apps.default, allowHttp: true };
  } else {
    // http only when the config allows it: a loopback host.
    const hostUrl = config.imanageBaseUrl!;
    imanage = { hostUrl, oauth: { clientId: config.imanageClientId!, clientSecret: config.imanageClientSecret! }, allowHttp: hostUrl.startsWith('http:') };
  }
  const services = await servicesOrExit(() => createServices(config, logger, imanage), sandbox);

  let devToken: string | undefined;
  if (sandbox) {
    // The demo app user is connected at start through the same path as the connect flow's callback
    // (discovery, then the encrypted store); its tokens come from the sandbox's password grant.
    const demo = sandbox.users.demo!;
    const tokens = await passwordGrant(services.transport, sandbox.url, imanage.oauth, { username: demo.id, password: demo.password }, config.imanageScopes);
    await services.connections.connect('demo', sandbox.url, tokens);
    // With a public key or JWKS configured, app tokens come from their issuer: there is no dev token.
    if (config.jwt.key.kind === 'secret') {
      // As long as AUTH_JWT_MAX_AGE allows: a week by default in sandbox mode.
      devToken = await signAppToken(config.jwt.key.secret, 'demo', config.jwt.maxAgeSeconds, { iss: config.jwt.issuer, aud: config.jwt.audience });
    }
  }

  // Sandbox mode only: slow iManage down on purpose (demos of loading states, the drain test).
  if (sandbox && config.sandboxLatencyMs > 0) sandbox.knobs.setLatency(config.sandboxLatencyMs);

  const app = createApp({ config, logger, ...services, devToken });
  const url = await app.listen(config.port, config.host);
  logger.info({ url: `${url}/graphql`, mode: config.mode, imanage: imanage.hostUrl }, 'listening');
  if (sandbox && devToken) {
    // Printed, not logged: the dev token is for the developer at this terminal.
    process.stdout.write(
      `\nSandbox mode: iManage simulator at ${sandbox.url}, app user "demo" connected as ${sandbox.users.demo!.id}.\n` +
        `GraphiQL: ${config.publicUrl}/graphql (opens with the dev token below filled in)\n` +
        `Dev token (${formatDuration(config.jwt.maxAgeSeconds)}): ${devToken}\n\n`,
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
    await services.close();
    await sandbox?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** `7 days`, `1 hour`, `90 minutes`: the dev token's lifetime, for the start-up banner. */
function formatDuration(seconds: number): string {
  const [amount, unit] =
    seconds % 86_400 === 0 ? [seconds / 86_400, 'day'] : seconds % 3_600 === 0 ? [seconds / 3_600, 'hour'] : [Math.floor(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

await main();
