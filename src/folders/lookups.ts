import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
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

/**
 * A field of a folder record: as it is, unless the record is partial (a path entry) and lacks it;
 * then read from the full record (by id, batched with the other lookups of the tick).
 */
export async function folderField<K extends keyof FolderRecord>(ctx: GraphQLContext, record: FolderRecord, field: K): Promise<FolderRecord[K]> {
  if (record[field] !== null || !record.partial) return record[field];
  return (await loadFolder(ctx, record.id))[field];
}

/**
 * Whether the field being resolved selects any of `names` directly (through fragments too), so that
 * what they need can be asked for at once. `@skip`/`@include` are not read: at worst one call too many.
 */
export function selects(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return names.includes(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      if (spread.has(selection.name.value)) return false;
      spread.add(selection.name.value);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * A folder's parent: null directly under its workspace; else from a path this request has or is
 * fetching for the folder (no call of its own), else by id. NOT_FOUND when the user cannot read it.
 */
export async function parentOf(ctx: GraphQLContext, folder: FolderRecord): Promise<FolderRecord | null> {
  // iManage did not say: the path knows.
  if (folder.parentId === null) return (await pathOf(ctx, folder)).at(-2) ?? null;
  if (folder.parentId === folder.workspaceId) return null;
  return (await ctx.imanage().loaders.parentFromPath(folder)) ?? loadFolder(ctx, folder.parentId);
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
