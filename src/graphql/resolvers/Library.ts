import { libraryDocumentsConnection, libraryFoldersConnection, libraryWorkspacesConnection } from '../connections.js';
import { searchPages } from '../../documents/paging.js';
import { findLibrary } from '../../folders/lookups.js';
import { toLibraryType } from '../enums.js';
import type { LibraryResolvers } from './../types.generated.js';

export const Library: LibraryResolvers = {
  type: async (parent, _args, ctx) => {
    if (parent.type !== undefined) return toLibraryType(parent.type);
    return toLibraryType((await findLibrary(ctx.imanage().loaders, parent.id))?.type);
  },
  workspaces: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return libraryWorkspacesConnection(parent.id, args, ctx.config, (nameOrDescription, cursor, limit) =>
      loaders.workspacePage.load({ library: parent.id, nameOrDescription, cursor, limit }),
    );
  },
  folders: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return libraryFoldersConnection(parent.id, args, ctx.config, (name, cursor, limit) =>
      loaders.folderPage.load({ kind: 'librarySearch', container: parent.id, name, cursor, limit }),
    );
  },
  documents: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return libraryDocumentsConnection(parent.id, args, ctx.config, (search) => searchPages(loaders, parent.id, search));
  },
};
