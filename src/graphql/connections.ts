import { folderNameSearch, SEARCH_PAGE_SIZE, workspaceNameSearch, type NameSearch } from '../folders/search.js';
import type { FolderRecord, Page, WorkspaceRecord } from '../imanage/records.js';
import { nameFilterArg } from './arguments.js';
import { collectConnection, emptyConnection, pageRequest, type Connection, type PageArgs, type PageLimits } from './paging.js';

/**
 * The four lists of the schema as Relay connections: what list each is (cursors are bound to it), how
 * its pages are read, and what is kept of them. `fetch` reads one iManage page: the facade passes its
 * per-request loaders, the bench's plain baseline the bare client.
 */

type Fetch<T> = (cursor: string | null, limit: number) => Promise<Page<T>>;
type FilteredFetch<T> = (filter: string | undefined, cursor: string | null, limit: number) => Promise<Page<T>>;

/** `Folder.subfolders`; no call when iManage already said the folder has none. */
export function subfoldersConnection(
  folder: FolderRecord,
  args: PageArgs,
  limits: PageLimits,
  fetch: Fetch<FolderRecord>,
): Promise<Connection<FolderRecord>> | Connection<FolderRecord> {
  const request = pageRequest(args, limits, JSON.stringify(['folderChildren', folder.id]));
  if (folder.hasSubfolders === false) return emptyConnection(request);
  return collectConnection(request, { fetch });
}

/** `Workspace.folders`: the workspace's root folders. */
export function workspaceFoldersConnection(
  workspaceId: string,
  args: PageArgs,
  limits: PageLimits,
  fetch: Fetch<FolderRecord>,
): Promise<Connection<FolderRecord>> {
  return collectConnection(pageRequest(args, limits, JSON.stringify(['workspaceFolders', workspaceId])), { fetch });
}

/** `Library.folders(query)`: iManage's folder `name` filter narrows, the text decides (see src/folders/search.ts). */
export function libraryFoldersConnection(
  library: string,
  args: PageArgs & { query?: string | null | undefined },
  limits: PageLimits,
  fetch: FilteredFetch<FolderRecord>,
): Promise<Connection<FolderRecord>> {
  return librarySearchConnection(['libraryFolders', library], folderNameSearch, args, limits, fetch);
}

/** `Library.workspaces(query)`: iManage's `name_or_description` filter narrows, the text decides. */
export function libraryWorkspacesConnection(
  library: string,
  args: PageArgs & { query?: string | null | undefined },
  limits: PageLimits,
  fetch: FilteredFetch<WorkspaceRecord>,
): Promise<Connection<WorkspaceRecord>> {
  return librarySearchConnection(['libraryWorkspaces', library], workspaceNameSearch, args, limits, fetch);
}

/** A library's list, filtered by name when `query` is given: pages of iManage's list kept full by reading on. */
function librarySearchConnection<T extends { id: string; name: string }>(
  list: [kind: string, library: string],
  nameSearch: (text: string) => NameSearch,
  args: PageArgs & { query?: string | null | undefined },
  limits: PageLimits,
  fetch: FilteredFetch<T>,
): Promise<Connection<T>> {
  const text = nameFilterArg(args.query);
  const search = text === undefined ? undefined : nameSearch(text);
  const request = pageRequest(args, limits, JSON.stringify([...list, text ?? null]));
  return collectConnection<T>(request, {
    fetch: (cursor, limit) => fetch(search?.filter, cursor, limit),
    keep: search?.keep,
    pageSize: search && !search.exact ? Math.max(request.first, SEARCH_PAGE_SIZE) : request.first,
  });
}
