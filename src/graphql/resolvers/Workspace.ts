import { pageRequest, toConnection } from '../paging.js';
import type { WorkspaceResolvers } from './../types.generated.js';

export const Workspace: WorkspaceResolvers = {
  library: (parent) => ({ id: parent.library }),
  folders: async (parent, args, ctx) => {
    const page = pageRequest(args, ctx.config);
    const result = await ctx.imanage().loaders.folderPage.load({ kind: 'workspaceFolders', container: parent.id, ...page });
    return toConnection(result, page.offset);
  },
};
