/**
 * The route table: every path the sandbox answers, in one screen.
 */
import Router from 'find-my-way';
import type { ApiDeps } from './api-common.js';
import { discovery, libraries } from './discovery.js';
import {
  documentHistory,
  documentParents,
  documentVersions,
  downloadDocument,
  folderDocuments,
  getDocument,
  searchDocuments,
  workspaceDocuments,
} from './documents.js';
import { addDocumentVersion, uploadDocument } from './documents-upload.js';
import { createRootFolder, createSubfolder, deleteFolder, folderChildren, folderPath, folderSecurity, getFolder, listFolders, patchFolder } from './folders.js';
import type { Handler } from './http.js';
import { getUser, listUsers } from './users.js';
import { getWorkspace, listWorkspaces, workspaceChildren, workspaceSecurity } from './workspaces.js';

export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export const ROUTE_METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export type SandboxRouter = Router.Instance<Router.HTTPVersion.V1>;

/** find-my-way only matches; the handler rides in the route's store and the server calls it. */
export interface RouteStore {
  handler: Handler;
  /** The handler reads the body itself, as a stream (uploads); the server does not read it first. */
  streamBody?: boolean;
}

const API = '/work/api/v2/customers/:cid';
const LIB = `${API}/libraries/:lib`;

export function buildRouter(deps: ApiDeps): SandboxRouter {
  const router = Router({ caseSensitive: true, ignoreTrailingSlash: false, maxParamLength: 500 });
  const route = (method: RouteMethod, path: string, handler: Handler, options: { streamBody?: boolean } = {}): void => {
    router.on(method, path, () => undefined, { handler, ...options } satisfies RouteStore);
  };
  const api =
    (fn: (deps: ApiDeps, ctx: Parameters<Handler>[0]) => ReturnType<Handler>): Handler =>
    (ctx) =>
      fn(deps, ctx);

  // Host root: discovery and OAuth (reference §1.3, §2.1). PE reads discovery at /work/api too.
  route('GET', '/api', api(discovery));
  route('GET', '/work/api', api(discovery));
  route('GET', '/auth/oauth2/authorize', (ctx) => deps.oauth.authorizeGet(ctx));
  route('POST', '/auth/oauth2/authorize', (ctx) => deps.oauth.authorizePost(ctx));
  route('POST', '/auth/oauth2/token', (ctx) => deps.oauth.token(ctx));
  route('POST', '/auth/oauth2/revoke-token', (ctx) => deps.oauth.revoke(ctx));

  // Work API v2.
  route('GET', `${API}/libraries`, api(libraries));
  route('GET', `${LIB}/workspaces`, api(listWorkspaces));
  route('GET', `${LIB}/workspaces/:id`, api(getWorkspace));
  route('GET', `${LIB}/workspaces/:id/children`, api(workspaceChildren));
  route('GET', `${LIB}/workspaces/:id/security`, api(workspaceSecurity));
  route('POST', `${LIB}/workspaces/:id/folders`, api(createRootFolder));
  route('GET', `${LIB}/folders`, api(listFolders));
  route('GET', `${LIB}/folders/:id`, api(getFolder));
  route('PATCH', `${LIB}/folders/:id`, api(patchFolder));
  route('DELETE', `${LIB}/folders/:id`, api(deleteFolder));
  route('GET', `${LIB}/folders/:id/children`, api(folderChildren));
  route('GET', `${LIB}/folders/:id/path`, api(folderPath));
  route('GET', `${LIB}/folders/:id/security`, api(folderSecurity));
  route('POST', `${LIB}/folders/:id/subfolders`, api(createSubfolder));
  route('GET', `${LIB}/folders/:id/documents`, api(folderDocuments));
  // Uploads (reference §4.3): multipart bodies of any size, read as they arrive.
  route('POST', `${LIB}/folders/:id/documents`, api(uploadDocument), { streamBody: true });
  route('POST', `${LIB}/documents/:id/versions`, api(addDocumentVersion), { streamBody: true });
  route('GET', `${LIB}/workspaces/:id/documents`, api(workspaceDocuments));
  // GET routes answer HEAD too (server.ts); a download's HEAD sends its headers only.
  route('POST', `${LIB}/documents/search`, api(searchDocuments));
  route('POST', `${LIB}/documents/parents`, api(documentParents));
  route('GET', `${LIB}/documents/:id`, api(getDocument));
  route('GET', `${LIB}/documents/:id/versions`, api(documentVersions));
  route('GET', `${LIB}/documents/:id/download`, api(downloadDocument));
  route('GET', `${LIB}/documents/:id/history`, api(documentHistory));
  route('GET', `${LIB}/users`, api(listUsers));
  route('GET', `${LIB}/users/:userId`, api(getUser));
  return router;
}
