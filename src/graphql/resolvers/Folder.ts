import { subfoldersConnection } from '../connections.js';
import { toAccessLevel, toDate, toDefaultSecurity, toFolderType } from '../enums.js';
import { complete, folderField, parentOf, pathOf, workspaceOf } from '../lookups.js';
import type { FolderResolvers } from './../types.generated.js';

export const Folder: FolderResolvers = {
  description: async (parent, _args, ctx) => (await complete(ctx, parent)).description,
  // A path entry (partial) carries these per the reference (§4.1); when one lacks a field, it is read by id.
  defaultSecurity: async (parent, _args, ctx) => toDefaultSecurity(await folderField(ctx, parent, 'defaultSecurity')),
  effectiveSecurity: async (parent, _args, ctx) => toAccessLevel((await complete(ctx, parent)).effectiveSecurity),
  folderType: async (parent, _args, ctx) => toFolderType(await folderField(ctx, parent, 'folderType')),
  owner: (parent, _args, ctx) => folderField(ctx, parent, 'owner'),
  editDate: async (parent, _args, ctx) => toDate((await complete(ctx, parent)).editDate),
  hasSubfolders: async (parent, _args, ctx) => (await folderField(ctx, parent, 'hasSubfolders')) ?? false,
  hasDocuments: async (parent, _args, ctx) => (await folderField(ctx, parent, 'hasDocuments')) ?? false,
  profile: async (parent, _args, ctx) => (await complete(ctx, parent)).profile,
  library: (parent) => ({ id: parent.library }),
  workspace: (parent, _args, ctx) => workspaceOf(ctx, parent),
  parent: (parent, _args, ctx) => parentOf(ctx, parent),
  path: (parent, _args, ctx) => pathOf(ctx, parent),
  subfolders: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return subfoldersConnection(parent, args, ctx.config, (cursor, limit) =>
      loaders.folderPage.load({ kind: 'folderChildren', container: parent.id, cursor, limit }),
    );
  },
};
