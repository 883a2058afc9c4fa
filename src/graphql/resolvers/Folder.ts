import { subfoldersConnection } from '../connections.js';
import { toAccessLevel, toDate, toDefaultSecurity, toFolderType } from '../enums.js';
import { complete, loadFolder, pathOf, workspaceOf } from '../lookups.js';
import type { FolderResolvers } from './../types.generated.js';

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
  workspace: (parent, _args, ctx) => workspaceOf(ctx, parent),
  parent: async (parent, _args, ctx) => {
    if (parent.parentId === null) {
      // iManage did not say: the path knows.
      return (await pathOf(ctx, parent)).at(-2) ?? null;
    }
    if (parent.parentId === parent.workspaceId) return null;
    return loadFolder(ctx, parent.parentId);
  },
  path: (parent, _args, ctx) => pathOf(ctx, parent),
  subfolders: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return subfoldersConnection(parent, args, ctx.config, (cursor, limit) =>
      loaders.folderPage.load({ kind: 'folderChildren', container: parent.id, cursor, limit }),
    );
  },
};
