import type { Tracer } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { tracedBatch as traced } from '../telemetry/spans.js';
import type { IManageClient } from './client.js';
import { createDocumentLoaders, type DocumentLoaders } from './documentLoaders.js';
import { idKey, parseContainerId, sameId, type ContainerId } from './ids.js';
import type { FolderRecord, LibraryRecord, Page, WorkspaceRecord } from './records.js';

/**
 * Per-request DataLoaders over one user's iManage client. Built fresh for every GraphQL request, and
 * every cache key also carries the caller's connection id, so nothing can be served across users even
 * if a loader were ever shared by mistake.
 *
 * - by-id lookups collect the ids asked for in one tick and fetch them with one `include_ids` call per
 *   library (a lone id uses the plain get);
 * - list pages (iManage's cursor mode) are keyed by container, filter, cursor and limit;
 * - every object a list returns primes the by-id loaders, so a later `parent`, `workspace` or
 *   `folder(id)` for it costs no call;
 * - paths are built from parents, level by level for every folder asking in the same tick, sharing
 *   the `parent` lookups (see `path`), or read from iManage's path of the folder when it was asked for
 *   together with the folder (`prefetchPath`); a parent is then read from that path too (`parentFromPath`);
 * - a folder's workspace is answered from the `workspace_id` and `workspace_name` iManage sends with
 *   every folder until a field beyond the name is asked for (see `workspaceOf`);
 * - documents (by id, versions, filing locations, people, lists) have their own loaders, built here
 *   beside the folder loaders they prime (`documents`, see documentLoaders.ts);
 * - with tracing on, each batch of the batching loaders runs under a pending span (`tracedBatch`): a
 *   span for the batches that waited on iManage, with the iManage calls they made under it. The list
 *   loaders (`batch: false`) have none: each of their "batches" is one key and one call, whose own
 *   span already names the list and page, and a third of a tree query's spans would be these;
 * - after a write, `folderCreated` brings the caches in line with iManage (DataLoader's `clear` and
 *   `prime`), so that reads later in the same operation see the new folder.
 */

/** The most ids sent in one `include_ids` call, to keep URLs well below common length limits. */
const INCLUDE_IDS_CHUNK = 50;

export type ListKind = 'folderChildren' | 'workspaceFolders' | 'librarySearch';

export interface FolderPageKey {
  kind: ListKind;
  /** The folder, workspace or library whose list this is. */
  container: string;
  /** iManage's folder `name` filter (library searches only), sent as it is. */
  name?: string | undefined;
  /** iManage's cursor of the page, null for the first. */
  cursor: string | null;
  limit: number;
}

export interface WorkspacePageKey {
  library: string;
  /** iManage's `name_or_description` filter, sent as it is. */
  nameOrDescription?: string | undefined;
  /** iManage's cursor of the page, null for the first. */
  cursor: string | null;
  limit: number;
}

export interface IManageLoaders {
  libraries: DataLoader<'all', LibraryRecord[], string>;
  folder: DataLoader<string, FolderRecord | null, string>;
  workspace: DataLoader<string, WorkspaceRecord | null, string>;
  folderPage: DataLoader<FolderPageKey, Page<FolderRecord>, string>;
  workspacePage: DataLoader<WorkspacePageKey, Page<WorkspaceRecord>, string>;
  /**
   * A folder's path: the folders from the top of its workspace down to it, inclusive; null when
   * iManage does not know the folder. Built from parents: the paths asked for in one tick are walked
   * up together, one level per round, each level's unknown ancestors fetched with one `include_ids`
   * call per library (ancestors some other lookup of this request already asked for cost nothing,
   * e.g. those of `parent` fields), and when a single ancestor is left to find, its whole chain with
   * one `GET …/path`. So 50 search results four levels deep cost three calls rather than 50, and one
   * folder costs one. A folder whose walk meets an ancestor the user cannot read (or a parent iManage
   * did not name) gets its own `GET …/path`, which leaves such ancestors out.
   */
  path: DataLoader<FolderRecord, FolderRecord[] | null, string>;
  /**
   * The folder `id` is about to be read and its `parent` or `path` will be asked for: when it is the
   * only folder asked for so in this tick, its `GET …/path` is sent now, beside the folder's own get
   * (one wave instead of one per level). Several at once are left to `path`'s walk, which batches them.
   */
  prefetchPath(id: string): void;
  /**
   * The parent of `folder` from a path this request has or is fetching for it (a partial record: the
   * fields a path entry lacks are read by id when asked for); undefined when there is none, or it is
   * not in that path (unreadable to the user): then ask `folder`.
   */
  parentFromPath(folder: FolderRecord): Promise<FolderRecord | undefined>;
  /**
   * A folder's workspace: the full record when this request has it, else a partial one from the
   * folder's `workspace_id` and `workspace_name` (no call), else loaded by id. Null when the folder
   * names no workspace, or iManage has none for this user.
   */
  workspaceOf(folder: WorkspaceReference): Promise<WorkspaceRecord | null>;
  /**
   * A folder was just created in `parent` (a folder or a workspace): primes the new folder by id,
   * forgets every cached list page and path (any of them may now hold the folder), and primes the
   * parent folder's `record` (as this request loaded it) with `hasSubfolders: true`, or forgets the
   * parent when there is none. Costs no call; the next read of a list or path asks iManage again.
   */
  folderCreated(folder: FolderRecord, parent: { kind: 'folder' | 'workspace'; id: string; record?: FolderRecord | undefined }): void;
  /** Documents by id, their versions, filing locations and people, and their lists (documentLoaders.ts). */
  documents: DocumentLoaders;
}

/** What a folder or a document says of its workspace: its id and name, in its library. */
export type WorkspaceReference = Pick<FolderRecord, 'workspaceId' | 'workspaceName' | 'library'>;

export function createLoaders(client: IManageClient, connectionId: string, tracer?: Tracer): IManageLoaders {
  const scoped = (key: string) => `${connectionId}\u0000${key}`;
  // Read by `workspaceOf` only: a workspace this request has loaded (or found missing) is answered as it is.
  const workspaceCache = new Map<string, Promise<WorkspaceRecord | null>>();
  /** Paths found so far, by folder id, for later walks to stop at (settled ones only: never waited on). */
  const knownPaths = new Map<string, FolderRecord[]>();
  /**
   * iManage's own `GET …/path` answers, so that walks running side by side ask for each one once. By
   * id ignoring case: a prefetch is keyed by the id the client sent, a walk by the id iManage sent.
   */
  const imanagePathCache = new Map<string, Promise<FolderRecord[] | null>>();
  const pathKey = (id: string) => scoped(idKey(id));
  const imanagePath = (id: string) => {
    let cached = imanagePathCache.get(pathKey(id));
    if (!cached) {
      cached = client.folderPath(parseContainerId(id)!);
      // Read later, or never (the folder turned out not to exist): never an unhandled rejection.
      cached.catch(() => undefined);
      imanagePathCache.set(pathKey(id), cached);
    }
    return cached;
  };
  const pageCacheKey = (key: FolderPageKey) => scoped(JSON.stringify([key.kind, key.container, key.name ?? null, key.cursor, key.limit]));

  const folder: IManageLoaders['folder'] = new DataLoader(
    traced(tracer, 'folder', (ids) =>
      loadByIds(
        ids,
        (c) => client.getFolder(c),
        (lib, chunk) => client.getFolders(lib, chunk),
      ),
    ),
    { cacheKeyFn: scoped },
  );
  const workspace: IManageLoaders['workspace'] = new DataLoader(
    traced(tracer, 'workspace', (ids) =>
      loadByIds(
        ids,
        (c) => client.getWorkspace(c),
        (lib, chunk) => client.getWorkspaces(lib, chunk),
      ),
    ),
    { cacheKeyFn: scoped, cacheMap: workspaceCache },
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
    { cacheKeyFn: pageCacheKey, batch: false },
  );

  const workspacePage: IManageLoaders['workspacePage'] = new DataLoader(
    async ([key]) => {
      const page = await client.searchWorkspaces(key!.library, key!);
      for (const record of page.items) workspace.prime(record.id, record);
      return [page];
    },
    { cacheKeyFn: (key) => scoped(JSON.stringify([key.library, key.nameOrDescription ?? null, key.cursor, key.limit])), batch: false },
  );

  const path: IManageLoaders['path'] = new DataLoader(
    traced(tracer, 'path', (records) =>
      walkPaths(records, {
        knownPath: (id) => knownPaths.get(scoped(id)),
        loadFolders: (ids) => folder.loadMany(ids),
        pathFromIManage: imanagePath,
        askedPath: (id) => imanagePathCache.get(pathKey(id)),
        found: (record, found) => {
          // Every prefix of a path is its ancestor's path: later walks stop there.
          found.forEach((entry, i) => {
            if (!knownPaths.has(scoped(entry.id))) knownPaths.set(scoped(entry.id), found.slice(0, i + 1));
          });
          knownPaths.set(scoped(record.id), found);
        },
      }),
    ),
    { cacheKeyFn: (record) => scoped(record.id) },
  );

  // One folder asked for alone: its path now. Several: the walk batches them better (one call per level).
  const prefetch = new DataLoader<string, boolean, string>(
    async (ids) => {
      if (ids.length === 1) void imanagePath(ids[0]!);
      return ids.map(() => ids.length === 1);
    },
    { cacheKeyFn: pathKey },
  );
  const prefetchPath: IManageLoaders['prefetchPath'] = (id) => void prefetch.load(id);

  const parentFromPath: IManageLoaders['parentFromPath'] = async (record) => {
    const { parentId } = record;
    if (!parentId) return undefined;
    let found = knownPaths.get(scoped(record.id));
    if (!found && imanagePathCache.has(pathKey(record.id))) {
      // On failure the parent is still read by id: only `path` fails.
      found = (await path.load(record).catch(() => null)) ?? undefined;
    }
    return found?.find((entry) => sameId(entry.id, parentId));
  };

  const workspaceOf: IManageLoaders['workspaceOf'] = async (record) => {
    if (record.workspaceId === null) return null;
    const known = workspaceCache.get(scoped(record.workspaceId));
    if (known) return known;
    if (!record.workspaceName) return workspace.load(record.workspaceId);
    return {
      kind: 'workspace',
      id: record.workspaceId,
      library: record.library,
      name: record.workspaceName,
      description: null,
      owner: null,
      partial: true,
    };
  };

  const folderCreated: IManageLoaders['folderCreated'] = (created, parent) => {
    folderPage.clearAll();
    path.clearAll();
    knownPaths.clear();
    imanagePathCache.clear();
    folder.clear(created.id).prime(created.id, created);
    if (parent.kind === 'folder') {
      folder.clear(parent.id);
      if (parent.record) folder.prime(parent.id, { ...parent.record, hasSubfolders: true });
    }
  };

  const libraries: IManageLoaders['libraries'] = new DataLoader(async () => [await client.listLibraries()], {
    cacheKeyFn: scoped,
    batch: false,
  });

  const documents = createDocumentLoaders({ client, scoped, folder, primeFolders, tracer });

  return { libraries, folder, workspace, folderPage, workspacePage, path, prefetchPath, parentFromPath, workspaceOf, folderCreated, documents };
}

/** How many levels a walk goes up before it leaves the rest to iManage's path (a cycle never ends). */
const MAX_PATH_DEPTH = 64;

interface PathSources {
  /** The path of an ancestor found earlier in this request, if any. */
  knownPath(id: string): FolderRecord[] | undefined;
  loadFolders(ids: string[]): Promise<Array<FolderRecord | null | Error>>;
  /** iManage's own path of one folder (entries are partial records), null when it has no such folder. */
  pathFromIManage(id: string): Promise<FolderRecord[] | null>;
  /** iManage's path of the folder itself, when this request has already asked for it. */
  askedPath(id: string): Promise<FolderRecord[] | null> | undefined;
  found(record: FolderRecord, path: FolderRecord[]): void;
}

/**
 * The paths of `records`: iManage's own path of a folder when it was already asked for (a prefetch),
 * else walked up from parents (`walkUp`). Each path found is reported to `found`.
 */
async function walkPaths(records: readonly FolderRecord[], sources: PathSources): Promise<Array<FolderRecord[] | null | Error>> {
  const asked = records.map((record) => sources.askedPath(record.id));
  const toWalk = records.filter((_, i) => asked[i] === undefined);
  const [walked, own] = await Promise.all([
    walkUp(toWalk, sources),
    Promise.all(
      asked.map((chain, i) =>
        chain?.then(
          (found) => withFolder(found, records[i]!),
          (error: unknown) => error as Error,
        ),
      ),
    ),
  ]);
  let next = 0;
  return records.map((record, i) => {
    const result = asked[i] === undefined ? walked[next++]! : own[i]!;
    if (Array.isArray(result)) sources.found(record, result);
    return result;
  });
}

/** iManage's path of a folder with its last entry (the folder, partial) replaced by the full record. */
function withFolder(chain: FolderRecord[] | null, record: FolderRecord): FolderRecord[] | null {
  if (chain === null) return null;
  const last = chain.at(-1);
  return last && sameId(last.id, record.id) ? [...chain.slice(0, -1), record] : [...chain, record];
}

/**
 * The paths of `records`, walked up together: each round looks up the parents not yet known, in one
 * batch (one include_ids call per library) or, when exactly one is wanted, as that ancestor's
 * whole chain (one `GET …/path`). Then each path is put together from what was found, bottom up; a
 * folder whose chain has a gap (an ancestor the user cannot read, a parent iManage did not name, a
 * cycle, or more than MAX_PATH_DEPTH levels) gets iManage's own path instead.
 */
async function walkUp(records: readonly FolderRecord[], sources: PathSources): Promise<Array<FolderRecord[] | null | Error>> {
  if (records.length === 0) return [];
  const isTop = (r: FolderRecord) => r.parentId !== null && r.workspaceId !== null && idKey(r.parentId) === idKey(r.workspaceId);
  const folders = new Map<string, FolderRecord>();
  const chains = new Map<string, FolderRecord[] | null>();
  const failures = new Map<string, Error>();
  for (const record of records) folders.set(idKey(record.id), record);

  let frontier: readonly FolderRecord[] = records;
  for (let depth = 0; frontier.length > 0 && depth < MAX_PATH_DEPTH; depth++) {
    const wanted = new Map<string, string>();
    for (const record of frontier) {
      if (isTop(record) || record.parentId === null) continue;
      const id = idKey(record.parentId);
      if (folders.has(id) || chains.has(id) || failures.has(id) || wanted.has(id)) continue;
      const known = sources.knownPath(record.parentId);
      if (known) chains.set(id, known);
      else wanted.set(id, record.parentId);
    }
    if (wanted.size === 0) break;
    const ids = [...wanted.values()];
    // A single ancestor to fetch: its whole chain costs the same one call as the ancestor alone.
    const single = ids.length === 1 ? ids[0]! : null;
    const viaLoader = single === null ? ids : ids.filter((id) => id !== single);
    const [loaded] = await Promise.all([
      sources.loadFolders(viaLoader),
      single === null
        ? undefined
        : sources.pathFromIManage(single).then(
            (chain) => void chains.set(idKey(single), chain),
            (error: unknown) => void failures.set(idKey(single), error as Error),
          ),
    ]);
    const next: FolderRecord[] = [];
    loaded.forEach((result, i) => {
      const id = idKey(viaLoader[i]!);
      if (result instanceof Error) failures.set(id, result);
      else if (result === null)
        chains.set(id, null); // not readable, or not a folder: a gap
      else {
        folders.set(id, result);
        next.push(result);
      }
    });
    frontier = next;
  }

  const results = records.map((record): FolderRecord[] | null | Error | undefined => {
    const below: FolderRecord[] = [record];
    const seen = new Set([idKey(record.id)]);
    let current = record;
    while (!isTop(current)) {
      if (current.parentId === null) break;
      const id = idKey(current.parentId);
      const failure = failures.get(id);
      if (failure) return failure;
      const chain = chains.get(id);
      if (chain !== undefined) return chain === null ? undefined : [...chain, ...below.reverse()];
      const parent = folders.get(id);
      if (!parent || seen.has(id)) break;
      seen.add(id);
      below.push(parent);
      current = parent;
    }
    return isTop(current) ? below.reverse() : undefined;
  });
  // The gaps: iManage's own path, which leaves out what the user cannot read.
  await Promise.all(
    records.map(async (record, i) => {
      if (results[i] !== undefined) return;
      try {
        results[i] = withFolder(await sources.pathFromIManage(record.id), record);
      } catch (error) {
        results[i] = error as Error;
      }
    }),
  );
  return results as Array<FolderRecord[] | null | Error>;
}

function loadFolderPage(client: IManageClient, key: FolderPageKey): Promise<Page<FolderRecord>> {
  const page = { cursor: key.cursor, limit: key.limit };
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
      // `include_ids` is a comma list: ids of a library whose name has a comma are fetched one by one.
      chunks(libraryIds, library.includes(',') ? 1 : INCLUDE_IDS_CHUNK).map(async (chunk) => {
        try {
          const records = chunk.length === 1 ? [await getOne(parseContainerId(chunk[0]!)!)] : await getMany(library, chunk);
          // Library prefixes may come back in another case (`Active_uk!2222`): match ignoring case.
          for (const record of records) if (record) found.set(idKey(record.id), record);
        } catch (error) {
          for (const id of chunk) found.set(idKey(id), error as Error);
        }
      }),
    ),
  );
  return ids.map((id) => found.get(idKey(id)) ?? null);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
