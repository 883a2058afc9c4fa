/**
 * What every Work API handler shares: the authenticated caller, their Perspective, and parsing
 * of the library and object ids in the path.
 */
import { accessDenied, invalidParam, noRecord, type ApiError } from './errors.js';
import type { RequestContext } from './http.js';
import type { Caller, OAuthServer } from './oauth.js';
import type { CursorCodec } from './paging.js';
import { Perspective, type ContainerRecord, type FolderRecord, type Store, type WorkspaceRecord } from './store.js';

export interface ApiDeps {
  store: Store;
  oauth: OAuthServer;
  cursors: CursorCodec;
  clock: () => number;
  /** The sandbox's own base URL (known only once listening). */
  baseUrl: () => string;
  /** Where uploaded bytes are stored (one file per version). */
  uploadDir: string;
}

export interface ApiRequest {
  ctx: RequestContext;
  caller: Caller;
  /** The caller's view: access levels and visibility. */
  view: Perspective;
  /** Canonical library id when the route has {lib}. */
  library: string;
}

/** Authenticates, then checks the customer and library segments of the path. */
export function apiRequest(deps: ApiDeps, ctx: RequestContext): ApiRequest {
  const caller = deps.oauth.authenticate(ctx.headers);
  ctx.userId = caller.user.id;
  const cid = ctx.params.cid;
  if (cid !== undefined) {
    if (!/^\d{1,12}$/.test(cid)) throw invalidParam(`Customer id '${cid}' is not an integer.`);
    // Another customer's data is never shown: answer as for an unknown object.
    if (Number(cid) !== deps.store.customerId) throw noRecord(`Customer ${cid}`);
  }
  let library = '';
  if (ctx.params.lib !== undefined) {
    const found = deps.store.library(ctx.params.lib);
    if (!found) throw noRecord(`Library ${ctx.params.lib}`);
    library = found;
  }
  return { ctx, caller, view: new Perspective(deps.store, caller.user), library };
}

const CONTAINER_ID = /^([^!]+)!(\d{1,15})$/;

/**
 * `LIB!123` → canonical `LIBRARY!123`. Malformed → 400; an id of another library than the
 * path's → 404 (the object is not in this library).
 */
export function parseContainerId(raw: string, library: string, what = 'id'): string {
  const m = CONTAINER_ID.exec(raw.trim());
  if (!m) throw invalidParam(`'${raw}' is not a valid ${what} (expected LIBRARY!number).`);
  if (m[1]!.toUpperCase() !== library) throw noRecord(`${raw}`);
  return `${library}!${Number(m[2])}`;
}

/** Same parse, but for a list filter: a foreign library simply matches nothing. */
export function parseIdFilter(raw: string, library: string, what: string): string | undefined {
  const m = CONTAINER_ID.exec(raw.trim());
  if (!m) throw invalidParam(`'${raw}' in ${what} is not a valid id (expected LIBRARY!number).`);
  return m[1]!.toUpperCase() === library ? `${library}!${Number(m[2])}` : undefined;
}

/**
 * A folder the caller can read, else 404 (invisible objects do not exist for the caller), or 403 when
 * an ACL entry denies the caller by name: clients meet both on reads (reference §5.4, "403 (no
 * permission)"), and which one a real server sends is not known, so the sandbox sends both.
 */
export function visibleFolder(req: ApiRequest, rawId: string): FolderRecord {
  const id = parseContainerId(rawId, req.library, 'folder id');
  const folder = req.view.store.folder(id);
  if (!folder) throw noRecord(`Folder ${id}`);
  if (!req.view.canRead(folder)) throw unreadable(req, folder);
  return folder;
}

export function visibleWorkspace(req: ApiRequest, rawId: string): WorkspaceRecord {
  const id = parseContainerId(rawId, req.library, 'workspace id');
  const workspace = req.view.store.workspace(id);
  if (!workspace) throw noRecord(`Workspace ${id}`);
  if (!req.view.canRead(workspace)) throw unreadable(req, workspace);
  return workspace;
}

function unreadable(req: ApiRequest, record: ContainerRecord): ApiError {
  const what = `${record.kind === 'folder' ? 'Folder' : 'Workspace'} ${record.id}`;
  return req.view.deniedByAcl(record) ? accessDenied(`Access to ${what} is denied.`) : noRecord(what);
}

/** `operations` (with include_operations=true): what the caller may do, from their access. */
export function operationsJson(req: ApiRequest, c: ContainerRecord): Record<string, unknown> {
  const write = req.view.canWrite(c);
  const full = req.view.access(c) === 'full_access';
  return {
    add_content: write,
    add_custom_folders: write,
    add_folders: write,
    change_name: write,
    modify: write,
    modify_layout: write,
    remove: write,
    remove_content: write,
    remove_folders: write,
    set_default_security: full,
    set_security: full,
    update_content_shortcut: write,
    default_security_values: c.kind === 'workspace' ? ['public', 'view', 'private'] : ['inherit', 'public', 'view', 'private'],
  };
}

/** A comma list of ids (include_ids) in this library; ids of other libraries are dropped. */
export function parseIncludeIds(req: ApiRequest): Set<string> | undefined {
  const raw = req.ctx.query.include_ids;
  if (raw === undefined) return undefined;
  const ids = new Set<string>();
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const id = parseIdFilter(part, req.library, 'include_ids');
    if (id) ids.add(id);
  }
  return ids;
}

/** The listing identity a cursor is bound to. */
export function listingScope(req: ApiRequest, name: string, filters: Record<string, string | undefined>): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`);
  return `${name}|${req.library}|${req.caller.user.id}|${parts.join('&')}`;
}
