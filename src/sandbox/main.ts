/**
 * `npm run sandbox`: the iManage Work simulator on its own, for frontend teams and manual testing.
 *
 *   SANDBOX_PORT   port to listen on (default 4010; 0 = any free port)
 *   SANDBOX_HOST   bind address (default 127.0.0.1)
 *   SANDBOX_ADMIN  1 to serve the /__sandbox/ admin routes (off otherwise)
 *   SANDBOX_ACCESS_TOKEN_IDLE_SECONDS  idle minutes before an access token dies, in seconds (default 1800)
 */
import { startSandbox } from './index.js';

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 4010;
  if (!/^\d{1,5}$/.test(raw.trim()) || Number(raw) > 65535) fail(`SANDBOX_PORT must be an integer 0..65535, got "${raw}"`);
  return Number(raw);
}

function readAdmin(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  return fail(`SANDBOX_ADMIN must be 1 (on) or 0 (off), got "${raw}"`);
}

/** Control Center's "Access Token Expiry" (reference §2.5), for trying idle expiry without waiting half an hour. */
function readIdleSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d{1,7}$/.test(raw.trim()) || Number(raw) === 0) fail(`SANDBOX_ACCESS_TOKEN_IDLE_SECONDS must be a positive integer, got "${raw}"`);
  return Number(raw);
}

const port = readPort(process.env.SANDBOX_PORT);
const host = process.env.SANDBOX_HOST?.trim() || '127.0.0.1';
const adminRoutes = readAdmin(process.env.SANDBOX_ADMIN);
const accessTokenIdleSeconds = readIdleSeconds(process.env.SANDBOX_ACCESS_TOKEN_IDLE_SECONDS);

let sandbox;
try {
  sandbox = await startSandbox({ port, host, adminRoutes, ...(accessTokenIdleSeconds ? { accessTokenIdleSeconds } : {}) });
} catch (e) {
  fail(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
}

const { url, apps, users, ids } = sandbox;
const lines = [
  `iManage Work sandbox listening on ${url}`,
  `  API base        ${url}/work/api/v2/customers/${sandbox.customerId}`,
  `  discovery       GET ${url}/api`,
  `  OAuth           ${url}/auth/oauth2/authorize | /token | /revoke-token`,
  `  redirect URIs   any http://localhost:<port>/… or http://127.0.0.1:<port>/…`,
  '',
  `  app (refresh tokens)     client_id=${apps.default.clientId}  client_secret=${apps.default.clientSecret}`,
  `  app (no refresh tokens)  client_id=${apps.noRefresh.clientId}  client_secret=${apps.noRefresh.clientSecret}`,
  '',
  '  users (user id / password):',
  ...Object.entries(users).map(([key, u]) => `    ${key.padEnd(10)} ${u.id.padEnd(9)} ${u.password.padEnd(15)} ${u.name}`),
  '',
  `  libraries       ${ids.libraries.join(', ')} (preferred ${ids.preferredLibrary})`,
  `  demo workspace  ${ids.workspaceWithDeepTree}   big folder ${ids.bigFolder} (${ids.bigFolderChildCount} subfolders)`,
  `  documents       ${ids.documentId} (3 versions)   ${ids.bigDocumentFolder} (${ids.bigDocumentFolderCount} documents)   ${ids.largeDocument} (2.5 GiB)`,
  '',
  adminRoutes
    ? `  admin routes ON under ${url}/__sandbox/ (latency, faults, documents, checkout, expire-tokens, log)`
    : '  admin routes off (set SANDBOX_ADMIN=1 to enable /__sandbox/)',
  '',
  '  try:',
  `    curl -s -d grant_type=password -d username=${users.demo?.id} -d password=${users.demo?.password} \\`,
  `         -d client_id=${apps.default.clientId} -d client_secret=${apps.default.clientSecret} ${url}/auth/oauth2/token`,
];
console.log(lines.join('\n'));

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing the sandbox`);
  sandbox.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error('sandbox: close failed', e);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
