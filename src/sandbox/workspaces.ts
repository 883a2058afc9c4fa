/**
 * Workspace routes (reference §4.2): get, library list/search, children, security.
 */
import { apiRequest, listingScope, operationsJson, parseIncludeIds, visibleWorkspace, type ApiDeps } from './api-common.js';
import { jsonReply, type Reply, type RequestContext } from './http.js';
import { paginate, parseBool, parsePaging } from './paging.js';
import { sortedBySortKey, sortKey, type WorkspaceRecord } from './store.js';
import { matchesAllWords, matchesAnyWord, matchesWholeField } from './text-filters.js';
import { folderJson, securityJson, workspaceJson } from './wire.js';

export function getWorkspace(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const workspace = visibleWorkspace(req, ctx.params.id!);
  const data = workspaceJson(req.view, workspace);
  if (parseBool(ctx.query, 'include_operations')) data.operations = operationsJson(req, workspace);
  return jsonReply(200, { data });
}

/**
 * GET …/libraries/{lib}/workspaces. Filters (AND-ed), matched as reference §4.6 says: `name` by
 * whole words (either of several; a quoted phrase; no `*`), `name_or_description` and `owner` by
 * the whole field with `*` wildcards, `anywhere` by whole words (`_` a space), custom1..30 exact
 * (any case); also `description` (not in the reference's table: read as the whole field with `*`,
 * like folders') and include_ids (comma list). Result set envelope: {data:{results}, total_count?, cursor?}.
 */
export function listWorkspaces(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const q = ctx.query;
  const includeIds = parseIncludeIds(req);
  const customs = Object.entries(q).filter(([k]) => /^custom([1-9]|[12]\d|30)$/.test(k));
  const matches = (w: WorkspaceRecord): boolean => {
    if (includeIds && !includeIds.has(w.id)) return false;
    if (q.name !== undefined && !matchesAnyWord(w.name, q.name)) return false;
    if (q.description !== undefined && !matchesWholeField(w.description, q.description)) return false;
    if (q.name_or_description !== undefined && !matchesWholeField(w.name, q.name_or_description) && !matchesWholeField(w.description, q.name_or_description))
      return false;
    if (q.owner !== undefined && !matchesWholeField(w.owner, q.owner)) return false;
    if (q.anywhere !== undefined && !matchesAllWords([w.name, w.description, ...Object.values(w.profile).map(String)], q.anywhere)) return false;
    for (const [k, v] of customs) {
      if (String(w.profile[k] ?? '').toLowerCase() !== v.toLowerCase()) return false;
    }
    return true;
  };
  const found: WorkspaceRecord[] = [];
  for (const c of deps.store.containers.values()) {
    if (c.kind === 'workspace' && c.library === req.library && matches(c) && req.view.canRead(c)) found.push(c);
  }
  const items = sortedBySortKey(found);
  const scope = listingScope(req, 'workspaces', {
    name: q.name,
    description: q.description,
    name_or_description: q.name_or_description,
    owner: q.owner,
    anywhere: q.anywhere,
    include_ids: includeIds ? [...includeIds].sort().join(',') : undefined,
    ...Object.fromEntries(customs),
  });
  const page = paginate(items, sortKey, parsePaging(q, scope, deps.cursors), scope, deps.cursors);
  const body: Record<string, unknown> = { data: { results: page.items.map((w) => workspaceJson(req.view, w)) } };
  if (page.totalCount !== undefined) body.total_count = page.totalCount;
  if (page.cursor !== undefined) body.cursor = page.cursor;
  return jsonReply(200, body);
}

/**
 * GET …/workspaces/{id}/children: the workspace's top-level folders and tabs, as a flat list.
 * Documents are always filed in folders, so exclude_docs changes nothing here.
 */
export function workspaceChildren(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const workspace = visibleWorkspace(req, ctx.params.id!);
  parseBool(ctx.query, 'exclude_docs');
  const excludeFolders = parseBool(ctx.query, 'exclude_folders') ?? false;
  const items = excludeFolders ? [] : req.view.visibleSubfolders(workspace);
  const scope = listingScope(req, `workspace-children:${workspace.id}`, { exclude_folders: String(excludeFolders) });
  const page = paginate(items, sortKey, parsePaging(ctx.query, scope, deps.cursors), scope, deps.cursors);
  const body: Record<string, unknown> = { data: page.items.map((f) => folderJson(req.view, f)) };
  if (page.totalCount !== undefined) body.total_count = page.totalCount;
  if (page.cursor !== undefined) body.cursor = page.cursor;
  return jsonReply(200, body);
}

export function workspaceSecurity(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  return jsonReply(200, securityJson(req.view, visibleWorkspace(req, ctx.params.id!)));
}
