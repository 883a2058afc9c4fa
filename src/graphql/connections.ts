import { searchCursorAfter, searchPosition } from '../documents/paging.js';
import { documentSearch, type DocumentSearch } from '../documents/search.js';
import { folderNameSearch, SEARCH_PAGE_SIZE, workspaceNameSearch, type NameSearch } from '../folders/search.js';
import type { DocumentPageRequest } from '../imanage/client.js';
import type { DocumentRecord, FolderRecord, Page, WorkspaceRecord } from '../imanage/records.js';
import { nameFilterArg } from './arguments.js';
import { documentFilterArg, documentOrderArg } from './documentArguments.js';
import {
  collectConnection,
  emptyConnection,
  foreignCursor,
  pageRequest,
  type Connection,
  type ConnectionRequest,
  type Listing,
  type PageArgs,
  type PageLimits,
} from './paging.js';
import type { DocumentFilter as DocumentFilterInput, DocumentOrder } from './types.generated.js';

/**
 * The lists of the schema as Relay connections: what list each is (cursors are bound to it), how
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

type DocumentOrderRequest = Pick<DocumentPageRequest, 'sortBy' | 'sortOrder'>;
type OrderedFetch<T> = (order: DocumentOrderRequest, cursor: string | null, limit: number) => Promise<Page<T>>;
type DocumentPageArgs = PageArgs & { orderBy?: DocumentOrder | null | undefined };

/**
 * `Folder.documents`; no call when iManage already said the folder holds none. A saved search shown as
 * a folder (`folderType` `search`) is read by offset (`byOffset`): reference §5.2 says cursor paging is
 * not for those; its pages are checked as the document search's (src/documents/paging.ts).
 */
export function folderDocumentsConnection(
  folder: FolderRecord,
  args: DocumentPageArgs,
  limits: PageLimits,
  fetch: OrderedFetch<DocumentRecord>,
  byOffset: (order: DocumentOrderRequest) => (cursor: string | null, limit: number) => Promise<Page<DocumentRecord>>,
): Promise<Connection<DocumentRecord>> | Connection<DocumentRecord> {
  const order = documentOrderArg(args.orderBy);
  const request = pageRequest(args, limits, JSON.stringify(['folderDocuments', folder.id, order.sortBy ?? null, order.sortOrder ?? null]));
  if (folder.folderType === 'search') return offsetConnection(request, { fetch: byOffset(order) });
  if (folder.hasDocuments === false) return emptyConnection(request);
  return collectConnection(request, { fetch: (cursor, limit) => fetch(order, cursor, limit) });
}

/** `Workspace.documents`: every document filed in the workspace, where iManage offers that list. */
export function workspaceDocumentsConnection(
  workspaceId: string,
  args: DocumentPageArgs,
  limits: PageLimits,
  fetch: OrderedFetch<DocumentRecord>,
): Promise<Connection<DocumentRecord>> {
  const order = documentOrderArg(args.orderBy);
  const request = pageRequest(args, limits, JSON.stringify(['workspaceDocuments', workspaceId, order.sortBy ?? null, order.sortOrder ?? null]));
  return collectConnection(request, { fetch: (cursor, limit) => fetch(order, cursor, limit) });
}

/**
 * `Library.documents(filter)`: iManage's document search, paged by offset and checked at each resumed
 * page (src/documents/paging.ts), so every edge's cursor resumes right after it. A name with `*` or
 * `,` is narrowed by iManage and checked here, reading on to keep pages full, as `Library.folders(query)`.
 */
export function libraryDocumentsConnection(
  library: string,
  args: PageArgs & { filter?: DocumentFilterInput | null | undefined },
  limits: PageLimits,
  pages: (search: DocumentSearch) => (cursor: string | null, limit: number) => Promise<Page<DocumentRecord>>,
): Promise<Connection<DocumentRecord>> {
  const filter = documentFilterArg(args.filter, library);
  const search = documentSearch(filter);
  const request = pageRequest(args, limits, JSON.stringify(['libraryDocuments', library, search.filters, filter.name ?? null]));
  return offsetConnection(request, { fetch: pages(search), keep: search.keep, pageSize: search.pageSize(request.first) });
}

/**
 * A list paged by offset (src/documents/paging.ts): its cursor must name a position this service
 * wrote, and every edge's cursor resumes right after that edge's result.
 */
function offsetConnection(request: ConnectionRequest, listing: Omit<Listing<DocumentRecord>, 'resumeAfter'>): Promise<Connection<DocumentRecord>> {
  if (searchPosition(request.resume.cursor) === undefined) throw foreignCursor();
  return collectConnection(request, { ...listing, resumeAfter: searchCursorAfter });
}
