import { toLibraryType } from '../enums.js';
import { nameFilterArg } from '../lookups.js';
import { pageRequest, toConnection } from '../paging.js';
import type { LibraryResolvers } from './../types.generated.js';

export const Library: LibraryResolvers = {
  type: async (parent, _args, ctx) => {
    if (parent.type !== undefined) return toLibraryType(parent.type);
    const libraries = await ctx.imanage().loaders.libraries.load('all');
    return toLibraryType(libraries.find((l) => l.id === parent.id)?.type);
  },
  workspaces: async (parent, args, ctx) => {
    const name = nameFilterArg(args.query);
    const page = pageRequest(args, ctx.config);
    const result = await ctx.imanage().loaders.workspacePage.load({ library: parent.id, name, ...page });
    return toConnection(result, page.offset);
  },
  folders: async (parent, args, ctx) => {
    const name = nameFilterArg(args.query);
    const page = pageRequest(args, ctx.config);
    const result = await ctx.imanage().loaders.folderPage.load({ kind: 'librarySearch', container: parent.id, name, ...page });
    return toConnection(result, page.offset);
  },
};
