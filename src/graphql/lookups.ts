import type { GraphQLContext } from '../context.js';
import { isLibraryId, parseContainerId, type ContainerId } from '../imanage/ids.js';
import type { FolderRecord, WorkspaceRecord } from '../imanage/records.js';
import { badInput, clip, notFound } from './errors.js';

/**
 * The lookups resolvers share: ids checked before anything reaches iManage, objects loaded through
 * the caller's per-request loaders, and NOT_FOUND raised the same way everywhere.
 */

export function containerIdArg(value: string, what: 'folder' | 'workspace', argument = 'id'): ContainerId {
  const parsed = parseContainerId(value);
  if (!parsed) {
    throw badInput(`"${clip(value)}" is not an iManage ${what} id. Expected LIBRARY!number, e.g. ACTIVE_US!52811.`, argument);
  }
  return parsed;
}

export function libraryIdArg(value: string, argument = 'id'): string {
  if (!isLibraryId(value)) throw badInput(`"${clip(value)}" is not an iManage library id, e.g. ACTIVE_US.`, argument);
  return value;
}

/** A name filter as iManage takes it: trimmed, at most 254 characters, no control characters. */
export function nameFilterArg(value: string | null | undefined, argument = 'query'): string | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed.length > 254) throw badInput('`query` may be at most 254 characters.', argument);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badInput('`query` may not contain control characters.', argument);
  return trimmed === '' ? undefined : trimmed;
}

export async function loadFolder(ctx: GraphQLContext, id: string): Promise<FolderRecord> {
  const record = await ctx.imanage().loaders.folder.load(id);
  if (!record) throw notFound('Folder', id);
  return record;
}

export async function loadWorkspace(ctx: GraphQLContext, id: string): Promise<WorkspaceRecord> {
  const record = await ctx.imanage().loaders.workspace.load(id);
  if (!record) throw notFound('Workspace', id);
  return record;
}

/** The full record for fields a partial one (a path entry) lacks; the same record when complete. */
export function complete(ctx: GraphQLContext, record: FolderRecord): Promise<FolderRecord> | FolderRecord {
  return record.partial ? loadFolder(ctx, record.id) : record;
}

/** The same for a workspace known only from a folder (its id and name). */
export function completeWorkspace(ctx: GraphQLContext, record: WorkspaceRecord): Promise<WorkspaceRecord> | WorkspaceRecord {
  return record.partial ? loadWorkspace(ctx, record.id) : record;
}

/** A folder's workspace, from what the folder says of it when that is enough (no call); null when it names none. */
export async function workspaceOf(ctx: GraphQLContext, folder: FolderRecord): Promise<WorkspaceRecord | null> {
  if (folder.workspaceId === null) return null;
  const record = await ctx.imanage().loaders.workspaceOf(folder);
  if (!record) throw notFound('Workspace', folder.workspaceId);
  return record;
}

/** A folder's path, top folder first and the folder last. */
export async function pathOf(ctx: GraphQLContext, folder: FolderRecord): Promise<FolderRecord[]> {
  const path = await ctx.imanage().loaders.path.load(folder);
  if (!path) throw notFound('Folder', folder.id);
  return path;
}
