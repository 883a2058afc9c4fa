import { completeWorkspace } from '../lookups.js';
import { pageRequest, toConnection } from '../paging.js';
import type { WorkspaceResolvers } from './../types.generated.js';

export const Workspace: WorkspaceResolvers = {
  // A workspace known only from a folder (id and name) is fetched when another field is asked for.
  description: async (parent, _args, ctx) => (await completeWorkspace(ctx, parent)).description,
  owner: async (parent, _args, ctx) => (await completeWorkspace(ctx, parent)).owner,
  library: (parent) => ({ id: parent.library }),
  folders: async (parent, args, ctx) => {
    const page = pageRequest(args, ctx.config);
    const result = await ctx.imanage().loaders.folderPage.load({ kind: 'workspaceFolders', container: parent.id, ...page });
    return toConnection(result, page.offset);
  },
};
