import { sameId } from '../imanage/ids.js';
import type { IManageLoaders } from '../imanage/loaders.js';
import type { FolderRecord, LibraryRecord, WorkspaceRecord } from '../imanage/records.js';
import { NotFoundError } from './errors.js';

/**
 * The lookups the graph is resolved with: objects loaded through the caller's per-request loaders,
 * and NotFoundError raised the same way everywhere.
 */

export async function loadFolder(loaders: IManageLoaders, id: string): Promise<FolderRecord> {
  const record = await loaders.folder.load(id);
  if (!record) throw new NotFoundError('Folder', id);
  return record;
}

export async function loadWorkspace(loaders: IManageLoaders, id: string): Promise<WorkspaceRecord> {
  const record = await loaders.workspace.load(id);
  if (!record) throw new NotFoundError('Workspace', id);
  return record;
}

/** A library of the caller's by id (ids ignore case, see `idKey`); null when they have none such. */
export async function findLibrary(loaders: IManageLoaders, id: string): Promise<LibraryRecord | null> {
  const libraries = await loaders.libraries.load('all');
  return libraries.find((library) => sameId(library.id, id)) ?? null;
}

export async function loadLibrary(loaders: IManageLoaders, id: string): Promise<LibraryRecord> {
  const library = await findLibrary(loaders, id);
  if (!library) throw new NotFoundError('Library', id);
  return library;
}

/**
 * A field of a folder record: as it is, unless the record is partial (a path entry) and lacks it;
 * then read from the full record (by id, batched with the other lookups of the tick).
 */
export async function folderField<K extends keyof FolderRecord>(loaders: IManageLoaders, record: FolderRecord, field: K): Promise<FolderRecord[K]> {
  if (record[field] !== null || !record.partial) return record[field];
  return (await loadFolder(loaders, record.id))[field];
}

/**
 * A folder's parent: null directly under its workspace; else from a path this request has or is
 * fetching for the folder (no call of its own), else by id. NOT_FOUND when the user cannot read it.
 */
export async function parentOf(loaders: IManageLoaders, folder: FolderRecord): Promise<FolderRecord | null> {
  // iManage did not say: the path knows.
  if (folder.parentId === null) return (await pathOf(loaders, folder)).at(-2) ?? null;
  if (sameId(folder.parentId, folder.workspaceId ?? '')) return null;
  return (await loaders.parentFromPath(folder)) ?? loadFolder(loaders, folder.parentId);
}

/** The full record for fields a partial one (a path entry) lacks; the same record when complete. */
export function complete(loaders: IManageLoaders, record: FolderRecord): Promise<FolderRecord> | FolderRecord {
  return record.partial ? loadFolder(loaders, record.id) : record;
}

/** The same for a workspace known only from a folder (its id and name). */
export function completeWorkspace(loaders: IManageLoaders, record: WorkspaceRecord): Promise<WorkspaceRecord> | WorkspaceRecord {
  return record.partial ? loadWorkspace(loaders, record.id) : record;
}

/** A folder's workspace, from what the folder says of it when that is enough (no call); null when it names none. */
export async function workspaceOf(loaders: IManageLoaders, folder: FolderRecord): Promise<WorkspaceRecord | null> {
  if (folder.workspaceId === null) return null;
  const record = await loaders.workspaceOf(folder);
  if (!record) throw new NotFoundError('Workspace', folder.workspaceId);
  return record;
}

/** A folder's path, top folder first and the folder last. */
export async function pathOf(loaders: IManageLoaders, folder: FolderRecord): Promise<FolderRecord[]> {
  const path = await loaders.path.load(folder);
  if (!path) throw new NotFoundError('Folder', folder.id);
  return path;
}
