import DataLoader from 'dataloader';
import type { IManageClient } from './client.js';
import { parseContainerId, type ContainerId } from './ids.js';
import type { FolderRecord, LibraryRecord, Page, WorkspaceRecord } from './records.js';

/**
 * Per-request DataLoaders over one user's iManage client. Built fresh for every GraphQL request, and
 * every cache key also carries the caller's connection id, so nothing can be served across users even
 * if a loader were ever shared by mistake.
 *
 * - by-id lookups collect the ids asked for in one tick and fetch them with one `include_ids` call per
 *   library (a lone id uses the plain get);
 * - list pages are keyed by container, filter and page;
 * - every object a list returns primes the by-id loaders, so a later `parent`, `workspace` or
 *   `folder(id)` for it costs no call;
 * - after a write, `folderCreated` brings the caches in line with iManage, so that reads later in the
 *   same operation see the new folder.
 */

/** The most ids sent in one `include_ids` call, to keep URLs well below common length limits. */
const INCLUDE_IDS_CHUNK = 50;

export type ListKind = 'folderChildren' | 'workspaceFolders' | 'librarySearch';

export interface FolderPageKey {
  kind: ListKind;
  /** The folder, workspace or library whose list this is. */
  container: string;
  name?: string | undefined;
  offset: number;
  limit: number;
}

export interface WorkspacePageKey {
  library: string;
  name?: string | undefined;
  offset: number;
  limit: number;
}

export interface IManageLoaders {
  libraries: DataLoader<'all', LibraryRecord[], string>;
  folder: DataLoader<string, FolderRecord | null, string>;
  workspace: DataLoader<string, WorkspaceRecord | null, string>;
  folderPage: DataLoader<FolderPageKey, Page<FolderRecord>, string>;
  workspacePage: DataLoader<WorkspacePageKey, Page<WorkspaceRecord>, string>;
  folderPath: DataLoader<string, FolderRecord[] | null, string>;
  /**
   * A folder was just created in `parent` (a folder or a workspace): primes the new folder by id,
   * forgets every cached page of the parent's folders (and the library's folder searches, which may
   * now match it), and marks the parent `hasSubfolders: true` wherever a cached record of it says
   * otherwise. Costs no call; the next read of those lists asks iManage again.
   */
  folderCreated(folder: FolderRecord, parent: { kind: 'folder' | 'workspace'; id: string }): void;
}

export function createLoaders(client: IManageClient, connectionId: string): IManageLoaders {
  const scoped = (key: string) => `${connectionId}\u0000${key}`;
  // The caches are kept in hand (rather than DataLoader's private maps) so that a write can forget or
  // amend entries by what they hold, not only by an exact key.
  const folderCache = new Map<string, Promise<FolderRecord | null>>();
  const folderPageCache = new Map<string, Promise<Page<FolderRecord>>>();
  const folderPathCache = new Map<string, Promise<FolderRecord[] | null>>();
  const pageCacheKey = (key: FolderPageKey) =>
    scoped(JSON.stringify([key.kind, key.container, key.name ?? null, key.offset, key.limit]));
  /** What every cached page key of one list starts with, whatever its filter and page. */
  const pageCachePrefix = (kind: ListKind, container: string) => scoped(JSON.stringify([kind, container]).slice(0, -1) + ',');

  const folder: IManageLoaders['folder'] = new DataLoader(
    (ids) => loadByIds(ids, (c) => client.getFolder(c), (lib, chunk) => client.getFolders(lib, chunk)),
    { cacheKeyFn: scoped, cacheMap: folderCache },
  );
  const workspace: IManageLoaders['workspace'] = new DataLoader(
    (ids) => loadByIds(ids, (c) => client.getWorkspace(c), (lib, chunk) => client.getWorkspaces(lib, chunk)),
    { cacheKeyFn: scoped },
  );

  const primeFolders = (records: readonly FolderRecord[]) => {
    for (const record of records) if (!record.partial) folder.prime(record.id, record);
  };

  // Lists cannot be batched upstream (one container per call); `batch: false` hands each key alone.
  const folderPage: IManageLoaders['folderPage'] = new DataLoader(
    async ([key]) => {
      const page = await loadFolderPage(client, key!);
      primeFolders(page.items);
      return [page];
    },
    { cacheKeyFn: pageCacheKey, batch: false, cacheMap: folderPageCache },
  );

  const workspacePage: IManageLoaders['workspacePage'] = new DataLoader(
    async ([key]) => {
      const page = await client.searchWorkspaces(key!.library, key!);
      for (const record of page.items) workspace.prime(record.id, record);
      return [page];
    },
    { cacheKeyFn: (key) => scoped(JSON.stringify([key.library, key.name ?? null, key.offset, key.limit])), batch: false },
  );

  const folderPath: IManageLoaders['folderPath'] = new DataLoader(
    async ([id]) => [await client.folderPath(parseContainerId(id!)!)],
    { cacheKeyFn: scoped, batch: false, cacheMap: folderPathCache },
  );

  const folderCreated: IManageLoaders['folderCreated'] = (created, parent) => {
    const stale = [
      pageCachePrefix(parent.kind === 'folder' ? 'folderChildren' : 'workspaceFolders', parent.id),
      pageCachePrefix('librarySearch', created.library),
    ];
    // Ids may come back with the library in another case (`Active_uk!2222`): compare ignoring case.
    const isStale = (key: string) => stale.some((prefix) => key.toLowerCase().startsWith(prefix.toLowerCase()));
    for (const key of [...folderPageCache.keys()]) if (isStale(key)) folderPageCache.delete(key);
    folder.clear(created.id).prime(created.id, created);
    if (parent.kind === 'folder') {
      const isParent = (r: FolderRecord) => r.id.toLowerCase() === parent.id.toLowerCase() && r.hasSubfolders !== true;
      const mark = (r: FolderRecord): FolderRecord => (isParent(r) ? { ...r, hasSubfolders: true } : r);
      amend(folderCache, (r) => (r ? mark(r) : r));
      amend(folderPageCache, (page) => (page.items.some(isParent) ? { ...page, items: page.items.map(mark) } : page));
      amend(folderPathCache, (path) => (path?.some(isParent) ? path.map(mark) : path));
    }
  };

  const libraries: IManageLoaders['libraries'] = new DataLoader(async () => [await client.listLibraries()], {
    cacheKeyFn: scoped,
    batch: false,
  });

  return { libraries, folder, workspace, folderPage, workspacePage, folderPath, folderCreated };
}

/**
 * Replaces every cached value by `change(value)`. A failed entry stays failed, with a handler attached
 * so that it is not reported as an unhandled rejection when nothing reads it again.
 */
function amend<V>(cache: Map<string, Promise<V>>, change: (value: V) => V): void {
  for (const [key, promise] of cache) {
    const next = promise.then(change);
    next.catch(() => undefined);
    cache.set(key, next);
  }
}

function loadFolderPage(client: IManageClient, key: FolderPageKey): Promise<Page<FolderRecord>> {
  const page = { offset: key.offset, limit: key.limit };
  switch (key.kind) {
    case 'folderChildren':
      return client.folderChildren(parseContainerId(key.container)!, page);
    case 'workspaceFolders':
      return client.workspaceChildren(parseContainerId(key.container)!, page);
    case 'librarySearch':
      return client.searchFolders(key.container, { ...page, name: key.name });
  }
}

/**
 * Resolves ids in one call per library (chunked), keeping DataLoader's contract: one result per key,
 * in key order, null for ids iManage did not return (absent or invisible to this user), and the
 * library's error for each of its ids when its call failed, so one bad library does not fail the rest.
 */
async function loadByIds<T extends { id: string }>(
  ids: readonly string[],
  getOne: (id: ContainerId) => Promise<T | null>,
  getMany: (library: string, ids: string[]) => Promise<T[]>,
): Promise<Array<T | null | Error>> {
  const byLibrary = new Map<string, string[]>();
  for (const id of ids) {
    const parsed = parseContainerId(id);
    if (!parsed) continue;
    byLibrary.set(parsed.library, [...(byLibrary.get(parsed.library) ?? []), id]);
  }
  const found = new Map<string, T | null | Error>();
  await Promise.all(
    [...byLibrary].flatMap(([library, libraryIds]) =>
      chunks(libraryIds, INCLUDE_IDS_CHUNK).map(async (chunk) => {
        try {
          const records = chunk.length === 1 ? [await getOne(parseContainerId(chunk[0]!)!)] : await getMany(library, chunk);
          // Library prefixes may come back in another case (`Active_uk!2222`): match ignoring case.
          for (const record of records) if (record) found.set(record.id.toLowerCase(), record);
        } catch (error) {
          for (const id of chunk) found.set(id.toLowerCase(), error as Error);
        }
      }),
    ),
  );
  return ids.map((id) => found.get(id.toLowerCase()) ?? null);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
