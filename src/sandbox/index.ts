/**
 * The embedded iManage Work REST API v2 simulator ("the sandbox").
 *
 *   const sandbox = await startSandbox();            // port 0, loopback, seeded demo firm
 *   sandbox.url                                      // http://127.0.0.1:40123
 *   sandbox.apps.default / sandbox.users.demo        // OAuth app and demo user credentials
 *   sandbox.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 503 } });
 *   await sandbox.close();
 *
 * Written from the reference (README.md here says what it is), sharing no code with the iManage client.
 * See README.md in this folder for the seed and the behaviours chosen where the reference is unsure.
 */
import { randomBytes } from 'node:crypto';
import type { ApiDeps } from './api-common.js';
import { contentBytes } from './content.js';
import { addDocument, sourceOf } from './documents.js';
import { OAuthServer, SANDBOX_APPS } from './oauth.js';
import { CursorCodec } from './paging.js';
import { DEFAULT_LIBRARIES, seedDemoFirm } from './seed.js';
import { SandboxServer } from './server.js';
import type { Sandbox, SandboxKnobs, SandboxOptions } from './types.js';

export type {
  AppCredentials,
  DemoIds,
  DemoUser,
  FaultKind,
  FaultSpec,
  NewDocument,
  RequestLog,
  RequestLogEntry,
  Sandbox,
  SandboxKnobs,
  SandboxOptions,
} from './types.js';
export { CHUNK_BYTES, contentDisposition, documentByteStream, documentBytes, documentSha256 } from './content.js';

const DEFAULT_ACCESS_IDLE_SECONDS = 30 * 60;
const DEFAULT_REFRESH_SECONDS = 365 * 24 * 60 * 60;

function positiveSeconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`startSandbox: ${name} must be a positive number of seconds`);
  }
  return value;
}

/** Library names as iManage allows them (reference §3: anything without `!`), distinct ignoring case. */
function libraryNames(names: [string, string] | undefined): [string, string] {
  if (names === undefined) return [...DEFAULT_LIBRARIES];
  const ok = (n: unknown) => typeof n === 'string' && n.length > 0 && n.length <= 128 && !n.includes('!') && !/[\p{Cc}]/u.test(n);
  if (!Array.isArray(names) || names.length !== 2 || !names.every(ok) || names[0].toUpperCase() === names[1].toUpperCase()) {
    throw new TypeError('startSandbox: libraries must be two distinct names without "!" or control characters');
  }
  return [names[0], names[1]];
}

/** Starts a fresh sandbox with its own copy of the demo firm; instances share nothing. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const { store, ids, users } = seedDemoFirm(libraryNames(options.libraries));
  const oauth = new OAuthServer(store, {
    accessTokenIdleSeconds: positiveSeconds(options.accessTokenIdleSeconds, DEFAULT_ACCESS_IDLE_SECONDS, 'accessTokenIdleSeconds'),
    refreshTokenSeconds: positiveSeconds(options.refreshTokenSeconds, DEFAULT_REFRESH_SECONDS, 'refreshTokenSeconds'),
    clock,
    redirectUris: [...(options.redirectUris ?? [])],
  });
  let url = '';
  const deps: ApiDeps = {
    store,
    oauth,
    cursors: new CursorCodec(randomBytes(32)),
    clock,
    baseUrl: () => url,
  };

  const knobs: SandboxKnobs = {
    setLatency: (ms) => server.setLatency(ms),
    injectFault: (fault) => server.faults.add(fault),
    clearFaults: () => server.faults.clear(),
    expireAllTokens: () => oauth.expireAllTokens(),
    revokeRefreshTokens: (userId) => oauth.revokeRefreshTokens(userId),
    reset: () => {
      server.faults.clear();
      server.setLatency(0);
      server.log.clear();
    },
    addDocument: (doc) => addDocument(store, clock, doc),
  };
  const server = new SandboxServer(deps, { adminRoutes: options.adminRoutes === true, clock }, () => knobs);
  const address = await server.listen(options.port ?? 0, host);
  // A wildcard bind is reachable on loopback; an IPv6 literal needs brackets in a URL.
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${shownHost}:${address.port}`;

  const app = (key: 'default' | 'noRefresh') => ({
    clientId: SANDBOX_APPS[key].clientId,
    clientSecret: SANDBOX_APPS[key].clientSecret,
  });
  return {
    url,
    customerId: store.customerId,
    apps: { default: app('default'), noRefresh: app('noRefresh') },
    users,
    ids,
    log: server.log,
    knobs,
    documentBytes: (documentId, start = 0, endInclusive) => {
      const m = /^([^!]+)!(\d{1,15})(?:\.(\d{1,9}))?$/.exec(documentId);
      const versions = m ? store.documentVersions.get(`${m[1]!.toUpperCase()}!${Number(m[2])}`) : undefined;
      const doc = m?.[3] === undefined ? versions?.at(-1) : versions?.find((d) => d.version === Number(m[3]));
      if (!doc) throw new TypeError(`documentBytes: no document ${documentId}`);
      const end = endInclusive ?? doc.size - 1;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start - 1 || end >= doc.size) {
        throw new RangeError(`documentBytes: ${start}..${end} is not within the ${doc.size} bytes of ${doc.id}`);
      }
      return contentBytes(sourceOf(doc), start, end + 1);
    },
    close: () => server.close(),
  };
}
