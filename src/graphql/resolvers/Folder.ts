import { toAccessLevel, toDate, toDefaultSecurity, toFolderType } from '../enums.js';
import { notFound } from '../errors.js';
import { complete, loadFolder, loadWorkspace } from '../lookups.js';
import { emptyConnection, pageRequest, toConnection } from '../paging.js';
import type { GraphQLContext } from '../../context.js';
import type { FolderRecord } from '../../imanage/records.js';
import type { FolderResolvers } from './../types.generated.js';

/** The folders from the top of the workspace down to `folder`, inclusive. */
async function pathOf(ctx: GraphQLContext, folder: FolderRecord): Promise<FolderRecord[]> {
  const path = await ctx.imanage().loaders.folderPath.load(folder.id);
  if (!path) throw notFound('Folder', folder.id);
  // The reference does not settle whether the folder itself ends the list: make sure it does.
  return path.at(-1)?.id === folder.id ? path : [...path, folder];
}

export const Folder: FolderResolvers = {
  description: async (parent, _args, ctx) => (await complete(ctx, parent)).description,
  defaultSecurity: (parent) => toDefaultSecurity(parent.defaultSecurity),
  effectiveSecurity: async (parent, _args, ctx) => toAccessLevel((await complete(ctx, parent)).effectiveSecurity),
  folderType: (parent) => toFolderType(parent.folderType),
  editDate: async (parent, _args, ctx) => toDate((await complete(ctx, parent)).editDate),
  hasSubfolders: async (parent, _args, ctx) => (parent.hasSubfolders ?? (await complete(ctx, parent)).hasSubfolders) ?? false,
  hasDocuments: async (parent, _args, ctx) => (parent.hasDocuments ?? (await complete(ctx, parent)).hasDocuments) ?? false,
  profile: async (parent, _args, ctx) => (await complete(ctx, parent)).profile,
  library: (parent) => ({ id: parent.library }),
  workspace: (parent, _args, ctx) => (parent.workspaceId ? loadWorkspace(ctx, parent.workspaceId) : null),
  parent: async (parent, _args, ctx) => {
    if (parent.parentId === null) {
      // iManage did not say: the path knows.
      return (await pathOf(ctx, parent)).at(-2) ?? null;
    }
    if (parent.parentId === parent.workspaceId) return null;
    return loadFolder(ctx, parent.parentId);
  },
  path: (parent, _args, ctx) => pathOf(ctx, parent),
  subfolders: async (parent, args, ctx) => {
    const page = pageRequest(args, ctx.config);
    // iManage already said there is nothing inside: no call needed.
    if (parent.hasSubfolders === false) return emptyConnection(page.offset);
    const result = await ctx.imanage().loaders.folderPage.load({ kind: 'folderChildren', container: parent.id, ...page });
    return toConnection(result, page.offset);
  },
};
