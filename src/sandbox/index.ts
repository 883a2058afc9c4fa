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
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiDeps } from './api-common.js';
import { contentBytes, contentSha256 } from './content.js';
import { addDocument, sourceOf } from './documents.js';
import { OAuthServer, SANDBOX_APPS } from './oauth.js';
import { CursorCodec } from './paging.js';
import { DEFAULT_LIBRARIES, seedDemoFirm } from './seed.js';
import { SandboxServer } from './server.js';
import { documentKey, sortedBySortKey, type DocumentRecord, type Store } from './store.js';
import type { Sandbox, SandboxDocument, SandboxKnobs, SandboxOptions } from './types.js';

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
  SandboxDocument,
  SandboxKnobs,
  SandboxOptions,
  UploadProgress,
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

/** The version a document id names (`LIB!n` = the latest), any reader's; a TypeError when there is none. */
function findVersion(store: Store, documentId: string, what: string): DocumentRecord {
  const m = typeof documentId === 'string' ? /^([^!]+)!(\d{1,15})(?:\.(\d{1,9}))?$/.exec(documentId) : null;
  const versions = m ? store.documentVersions.get(`${m[1]!.toUpperCase()}!${Number(m[2])}`) : undefined;
  const doc = m?.[3] === undefined ? versions?.at(-1) : versions?.find((d) => d.version === Number(m[3]));
  if (!doc) throw new TypeError(`${what}: no document ${documentId}`);
  return doc;
}

function summary(store: Store, d: DocumentRecord): SandboxDocument {
  return {
    id: d.id,
    name: d.name,
    extension: d.extension,
    size: d.size,
    comment: d.comment,
    version: d.version,
    versions: (store.documentVersions.get(documentKey(d)) ?? []).map((v) => v.id),
    uploaded: d.content.kind === 'file',
  };
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
  const uploadDir = await mkdtemp(join(tmpdir(), 'imanage-sandbox-uploads-'));
  const deps: ApiDeps = {
    store,
    oauth,
    cursors: new CursorCodec(randomBytes(32)),
    clock,
    baseUrl: () => url,
    uploadDir,
  };

  const knobs: SandboxKnobs = {
    setLatency: (ms) => server.setLatency(ms),
    injectFault: (fault) => server.faults.add(fault),
    clearFaults: () => server.faults.clear(),
    expireAllTokens: () => oauth.expireAllTokens(),
    revokeRefreshTokens: (userId) => oauth.revokeRefreshTokens(userId),
    liveTokens: (userId) => oauth.liveTokens(userId),
    reset: () => {
      server.faults.clear();
      server.setLatency(0);
      server.log.clear();
    },
    addDocument: (doc) => addDocument(store, clock, doc),
    setLibraryHidden: (libraryId, hidden) => {
      const library = store.library(libraryId);
      if (!library) throw new TypeError(`setLibraryHidden: no library ${libraryId}`);
      if (hidden) store.hiddenLibraries.add(library);
      else store.hiddenLibraries.delete(library);
    },
    makeSavedSearch: (folderId, filters) => {
      const folder = store.folder(folderId);
      if (!folder) throw new TypeError(`makeSavedSearch: no folder ${folderId}`);
      folder.folderType = 'search';
      folder.savedSearch = { ...filters };
    },
    setCheckedOut: (documentId, userId) => {
      const latest = store.latestDocument(documentKey(findVersion(store, documentId, 'setCheckedOut')));
      if (userId === null) {
        delete latest!.checkedOut;
        return;
      }
      const user = typeof userId === 'string' ? store.users.get(userId.toUpperCase()) : undefined;
      if (!user) throw new TypeError(`setCheckedOut: no user ${String(userId)}`);
      latest!.checkedOut = { by: user.id, at: clock() };
    },
  };
  const server = new SandboxServer(deps, { adminRoutes: options.adminRoutes === true, clock }, () => knobs);
  let address;
  try {
    address = await server.listen(options.port ?? 0, host);
  } catch (e) {
    await rm(uploadDir, { recursive: true, force: true });
    throw e;
  }
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
      const doc = findVersion(store, documentId, 'documentBytes');
      const end = endInclusive ?? doc.size - 1;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start - 1 || end >= doc.size) {
        throw new RangeError(`documentBytes: ${start}..${end} is not within the ${doc.size} bytes of ${doc.id}`);
      }
      return contentBytes(sourceOf(doc), start, end + 1);
    },
    documentSha256: (documentId) => contentSha256(sourceOf(findVersion(store, documentId, 'documentSha256'))),
    folderDocuments: (folderId) => {
      const m = typeof folderId === 'string' ? /^([^!]+)!(\d{1,15})$/.exec(folderId.trim()) : null;
      const folder = m ? store.folder(`${m[1]!.toUpperCase()}!${Number(m[2])}`) : undefined;
      if (!folder) throw new TypeError(`folderDocuments: no folder ${folderId}`);
      const latest = folder.documentIds.map((key) => store.latestDocument(key)).filter((d): d is DocumentRecord => d !== undefined);
      return sortedBySortKey(latest).map((d) => summary(store, d));
    },
    uploadDir,
    close: async () => {
      await server.close();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}
