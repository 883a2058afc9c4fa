import { folderDocumentsConnection, subfoldersConnection } from '../connections.js';
import { toAccessLevel, toDate, toDefaultSecurity, toFolderType } from '../enums.js';
import { offsetPages } from '../../documents/paging.js';
import { complete, folderField, parentOf, pathOf, workspaceOf } from '../../folders/lookups.js';
import type { FolderResolvers } from './../types.generated.js';

export const Folder: FolderResolvers = {
  description: async (parent, _args, ctx) => (await complete(ctx.imanage().loaders, parent)).description,
  // A path entry (partial) carries these per the reference (§4.1); when one lacks a field, it is read by id.
  defaultSecurity: async (parent, _args, ctx) => toDefaultSecurity(await folderField(ctx.imanage().loaders, parent, 'defaultSecurity')),
  effectiveSecurity: async (parent, _args, ctx) => toAccessLevel((await complete(ctx.imanage().loaders, parent)).effectiveSecurity),
  folderType: async (parent, _args, ctx) => toFolderType(await folderField(ctx.imanage().loaders, parent, 'folderType')),
  owner: (parent, _args, ctx) => folderField(ctx.imanage().loaders, parent, 'owner'),
  editDate: async (parent, _args, ctx) => toDate((await complete(ctx.imanage().loaders, parent)).editDate),
  hasSubfolders: async (parent, _args, ctx) => (await folderField(ctx.imanage().loaders, parent, 'hasSubfolders')) ?? false,
  hasDocuments: async (parent, _args, ctx) => (await folderField(ctx.imanage().loaders, parent, 'hasDocuments')) ?? false,
  profile: async (parent, _args, ctx) => (await complete(ctx.imanage().loaders, parent)).profile,
  library: (parent) => ({ id: parent.library }),
  workspace: (parent, _args, ctx) => workspaceOf(ctx.imanage().loaders, parent),
  parent: (parent, _args, ctx) => parentOf(ctx.imanage().loaders, parent),
  path: (parent, _args, ctx) => pathOf(ctx.imanage().loaders, parent),
  subfolders: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return subfoldersConnection(parent, args, ctx.config, (cursor, limit) =>
      loaders.folderPage.load({ kind: 'folderChildren', container: parent.id, cursor, limit }),
    );
  },
  documents: async (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    // The folder's type decides how its documents are paged; a path entry may have to read it.
    const folder = { ...parent, folderType: await folderField(loaders, parent, 'folderType') };
    return folderDocumentsConnection(
      folder,
      args,
      ctx.config,
      (order, cursor, limit) => loaders.documents.page.load({ kind: 'folderDocuments', container: parent.id, ...order, cursor, limit }),
      (order) => offsetPages((offset, limit) => loaders.documents.savedSearch.load({ container: parent.id, ...order, offset, limit })),
    );
  },
};
