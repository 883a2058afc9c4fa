/**
 * Folder routes (reference §4.1): get, children, library list, path, security, create at the
 * workspace root or as a subfolder, update, delete.
 */
import {
  apiRequest,
  listingScope,
  operationsJson,
  parseContainerId,
  parseIdFilter,
  parseIncludeIds,
  visibleFolder,
  visibleWorkspace,
  type ApiDeps,
  type ApiRequest,
} from './api-common.js';
import { accessDenied, ApiError } from './errors.js';
import { parseFolderInput, type FolderInput } from './folder-input.js';
import { emptyReply, jsonReply, parseJsonBody, type Reply, type RequestContext } from './http.js';
import { paginate, parseBool, parsePaging } from './paging.js';
import { matchesAnyAlternative, matchesWholeField } from './text-filters.js';
import { sortedBySortKey, Perspective, sortKey, type AnyRecord, type ContainerRecord, type FolderRecord, type Profile, type Trustee } from './store.js';
import { containerJson, documentJson, folderJson, securityJson } from './wire.js';

export function getFolder(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  const data = folderJson(req.view, folder);
  if (parseBool(ctx.query, 'include_operations')) data.operations = operationsJson(req, folder);
  return jsonReply(200, { data });
}

/**
 * GET …/folders/{id}/children: subfolders first, then documents, as one flat list
 * {data:[...], total_count?, cursor?}. exclude_docs / exclude_folders drop either kind.
 */
export function folderChildren(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  const excludeDocs = parseBool(ctx.query, 'exclude_docs') ?? false;
  const excludeFolders = parseBool(ctx.query, 'exclude_folders') ?? false;
  const items: AnyRecord[] = [...(excludeFolders ? [] : req.view.visibleSubfolders(folder)), ...(excludeDocs ? [] : req.view.visibleDocuments(folder))];
  const scope = listingScope(req, `folder-children:${folder.id}`, {
    exclude_docs: String(excludeDocs),
    exclude_folders: String(excludeFolders),
  });
  const page = paginate(items, sortKey, parsePaging(ctx.query, scope, deps.cursors), scope, deps.cursors);
  const body: Record<string, unknown> = {
    data: page.items.map((r) => (r.kind === 'document' ? documentJson(req.view, r) : containerJson(req.view, r))),
  };
  if (page.totalCount !== undefined) body.total_count = page.totalCount;
  if (page.cursor !== undefined) body.cursor = page.cursor;
  return jsonReply(200, body);
}

/**
 * GET …/libraries/{lib}/folders. `container_id` gives that container's direct subfolders
 * (not the whole subtree); other filters: include_ids, and as reference §4.6 says: `name` (a comma
 * list of alternatives), `description`, `owner` and `name_or_description`, each matching the whole
 * field, any case, with `*` for any run of characters. Result set envelope:
 * {data:{results}, total_count?, cursor?}.
 */
export function listFolders(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const q = ctx.query;
  const includeIds = parseIncludeIds(req);
  const matches = (f: FolderRecord): boolean => {
    if (includeIds && !includeIds.has(f.id)) return false;
    if (q.name !== undefined && !matchesAnyAlternative(f.name, q.name)) return false;
    if (q.description !== undefined && !matchesWholeField(f.description, q.description)) return false;
    if (q.name_or_description !== undefined && !matchesWholeField(f.name, q.name_or_description) && !matchesWholeField(f.description, q.name_or_description))
      return false;
    if (q.owner !== undefined && !matchesWholeField(f.owner, q.owner)) return false;
    return true;
  };
  let items: FolderRecord[];
  if (q.container_id !== undefined) {
    const id = parseIdFilter(q.container_id, req.library, 'container_id');
    const container = id ? deps.store.container(id) : undefined;
    items = container && req.view.canRead(container) ? req.view.visibleSubfolders(container).filter(matches) : [];
  } else {
    // Filtered before sorting; by id, looked up rather than found by scanning the library (as an
    // indexed store would).
    const found: FolderRecord[] = [];
    const consider = (c: ContainerRecord | undefined) => {
      if (c && c.kind === 'folder' && c.library === req.library && matches(c) && req.view.canRead(c)) found.push(c);
    };
    if (includeIds) for (const id of includeIds) consider(deps.store.container(id));
    else for (const c of deps.store.containers.values()) consider(c);
    items = sortedBySortKey(found);
  }
  const scope = listingScope(req, 'folders', {
    container_id: q.container_id,
    include_ids: includeIds ? [...includeIds].sort().join(',') : undefined,
    name: q.name,
    description: q.description,
    name_or_description: q.name_or_description,
    owner: q.owner,
  });
  const page = paginate(items, sortKey, parsePaging(q, scope, deps.cursors), scope, deps.cursors);
  const body: Record<string, unknown> = { data: { results: page.items.map((f) => folderJson(req.view, f)) } };
  if (page.totalCount !== undefined) body.total_count = page.totalCount;
  if (page.cursor !== undefined) body.cursor = page.cursor;
  return jsonReply(200, body);
}

/**
 * GET …/folders/{id}/path: from the workspace (wstype 'workspace') down to this folder,
 * inclusive. Ancestors the caller cannot read are left out rather than revealed.
 */
export function folderPath(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  const chain: ContainerRecord[] = [];
  let current: ContainerRecord | undefined = folder;
  while (current) {
    if (req.view.canRead(current)) chain.push(current);
    current = current.kind === 'folder' ? deps.store.container(current.parentId) : undefined;
  }
  return jsonReply(200, { data: chain.reverse().map((c) => containerJson(req.view, c)) });
}

export function folderSecurity(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  return jsonReply(200, securityJson(req.view, visibleFolder(req, ctx.params.id!)));
}

/** POST …/workspaces/{id}/folders: a folder at the workspace's root. */
export function createRootFolder(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  return createFolder(deps, req, visibleWorkspace(req, ctx.params.id!));
}

/** POST …/folders/{id}/subfolders. */
export function createSubfolder(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  return createFolder(deps, req, visibleFolder(req, ctx.params.id!));
}

/** Overlays `changes` on `base`: null removes a field; custom1/2 descriptions are looked up if not given. */
function mergeProfile(deps: ApiDeps, base: Profile, changes: Record<string, Profile[string] | null> | undefined): Profile {
  const profile: Profile = { ...base };
  if (!changes) return profile;
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete profile[k];
    else profile[k] = v;
  }
  for (const n of [1, 2]) {
    if (changes[`custom${n}`] !== undefined && changes[`custom${n}_description`] === undefined) delete profile[`custom${n}_description`];
  }
  const looked = deps.store.describeCustom(profile);
  for (const [k, v] of Object.entries(looked)) if (profile[k] === undefined) profile[k] = v;
  return profile;
}

function mergeTrustees(input: FolderInput): Trustee[] {
  const byKey = new Map<string, Trustee>();
  for (const t of [...(input.userTrustees ?? []), ...(input.groupTrustees ?? [])]) byKey.set(`${t.type}:${t.id}`, t);
  return [...byKey.values()];
}

/**
 * Order of checks: parent visible (404), caller may write in it (403), then the body (400).
 * Success is 201 with the new folder, seen by its creator.
 */
function createFolder(deps: ApiDeps, req: ApiRequest, parent: ContainerRecord): Reply {
  if (!req.view.canWrite(parent)) throw accessDenied(`You need read_write access on ${parent.id} to add folders.`);
  const input = parseFolderInput(parseJsonBody(req.ctx), 'create', deps.store);
  const store = deps.store;
  const now = deps.clock();
  const number = store.nextContainerNumber(parent.library);
  const workspaceId = parent.kind === 'workspace' ? parent.id : parent.workspaceId;
  const author = req.caller.user.id;
  // A new folder starts with its parent's matter fields (client, matter, practice).
  const inherited: Profile = { class: 'DOC', subclass: '', author, operator: author };
  for (const [k, v] of Object.entries(parent.profile)) if (/^custom[1-3](_description)?$/.test(k)) inherited[k] = v;
  const folder: FolderRecord = {
    kind: 'folder',
    id: `${parent.library}!${number}`,
    library: parent.library,
    number,
    name: input.name!,
    description: input.description ?? '',
    defaultSecurity: input.defaultSecurity ?? 'inherit',
    acl: mergeTrustees(input),
    owner: input.owner ?? author,
    createDate: now,
    editDate: now,
    activityDate: now,
    emailPrefix: input.emailPrefix || `f${number}`,
    isExternalAsNormal: input.isExternalAsNormal ?? false,
    projectCustom: [input.projectCustom?.[0] ?? '', input.projectCustom?.[1] ?? '', input.projectCustom?.[2] ?? ''],
    profile: mergeProfile(deps, inherited, input.profile),
    childIds: [],
    parentId: parent.id,
    workspaceId,
    folderType: 'regular',
    documentIds: [],
  };
  store.addContainer(folder);
  parent.activityDate = now;
  return jsonReply(201, { data: folderJson(new Perspective(store, req.caller.user), folder) });
}

/**
 * PATCH …/folders/{id}: read_write on the folder; changing default_security needs full_access;
 * parent_id moves the folder (read_write on the target, not into its own subtree).
 */
export function patchFolder(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  if (!req.view.canWrite(folder)) throw accessDenied(`You need read_write access on ${folder.id} to change it.`);
  const input = parseFolderInput(parseJsonBody(ctx), 'update', deps.store);
  if (input.defaultSecurity !== undefined && input.defaultSecurity !== folder.defaultSecurity && req.view.access(folder) !== 'full_access') {
    throw accessDenied(`You need full_access on ${folder.id} to change its default security.`);
  }
  let newParent: ContainerRecord | undefined;
  if (input.parentId !== undefined) {
    const invalid = (message: string): ApiError =>
      new ApiError(400, 'NRC_INVALID_PROFILE', 'One or more fields are invalid.', [{ field: 'parent_id', code: 'invalid_value', code_message: message }]);
    let targetId: string;
    try {
      targetId = parseContainerId(input.parentId, req.library, 'parent_id');
    } catch {
      throw invalid(`${input.parentId} is not a container in library ${req.library}.`);
    }
    newParent = deps.store.container(targetId);
    if (!newParent || !req.view.canRead(newParent)) throw invalid(`No container ${targetId}.`);
    if (deps.store.isSelfOrDescendant(newParent, folder)) throw invalid('A folder cannot be moved into itself or its own subfolders.');
    if (!req.view.canWrite(newParent)) throw accessDenied(`You need read_write access on ${newParent.id} to move a folder into it.`);
  }
  const now = deps.clock();
  if (input.name !== undefined) folder.name = input.name;
  if (input.description !== undefined) folder.description = input.description;
  if (input.defaultSecurity !== undefined) folder.defaultSecurity = input.defaultSecurity;
  if (input.owner !== undefined) folder.owner = input.owner;
  if (input.emailPrefix !== undefined) folder.emailPrefix = input.emailPrefix || `f${folder.number}`;
  if (input.isExternalAsNormal !== undefined) folder.isExternalAsNormal = input.isExternalAsNormal;
  if (input.projectCustom) {
    input.projectCustom.forEach((v, i) => {
      if (v !== undefined) folder.projectCustom[i] = v;
    });
  }
  if (input.profile) folder.profile = mergeProfile(deps, folder.profile, input.profile);
  if (newParent && newParent.id !== folder.parentId) {
    deps.store.moveFolder(folder, newParent);
    newParent.activityDate = now;
  }
  folder.editDate = now;
  folder.activityDate = now;
  return jsonReply(200, { data: folderJson(new Perspective(deps.store, req.caller.user), folder) });
}

/**
 * DELETE …/folders/{id}: read_write on it, and it must be empty (no subfolders or documents,
 * including ones the caller cannot see) — else 409. Success is 204 with no body.
 */
export function deleteFolder(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  if (!req.view.canWrite(folder)) throw accessDenied(`You need read_write access on ${folder.id} to delete it.`);
  if (folder.childIds.length > 0 || folder.documentIds.length > 0) {
    throw new ApiError(409, 'NRC_FOLDER_NOT_EMPTY', `Folder ${folder.id} is not empty; remove its subfolders and documents first.`);
  }
  deps.store.removeFolder(folder);
  const parent = deps.store.container(folder.parentId);
  if (parent) parent.activityDate = deps.clock();
  return emptyReply(204);
}
