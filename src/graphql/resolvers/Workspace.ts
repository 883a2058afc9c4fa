import { workspaceFoldersConnection } from '../connections.js';
import { completeWorkspace } from '../../folders/lookups.js';
import type { WorkspaceResolvers } from './../types.generated.js';

export const Workspace: WorkspaceResolvers = {
  // A workspace known only from a folder (id and name) is fetched when another field is asked for.
  description: async (parent, _args, ctx) => (await completeWorkspace(ctx.imanage().loaders, parent)).description,
  owner: async (parent, _args, ctx) => (await completeWorkspace(ctx.imanage().loaders, parent)).owner,
  library: (parent) => ({ id: parent.library }),
  folders: (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    return workspaceFoldersConnection(parent.id, args, ctx.config, (cursor, limit) =>
      loaders.folderPage.load({ kind: 'workspaceFolders', container: parent.id, cursor, limit }),
    );
  },
};
