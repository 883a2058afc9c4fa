import { workspaceDocumentsConnection, workspaceFoldersConnection } from '../connections.js';
import { AppError } from '../errors.js';
import { IManageUnsupportedError } from '../../imanage/errors.js';
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
  documents: async (parent, args, ctx) => {
    const { loaders } = ctx.imanage();
    try {
      return await workspaceDocumentsConnection(parent.id, args, ctx.config, (order, cursor, limit) =>
        loaders.documents.page.load({ kind: 'workspaceDocuments', container: parent.id, ...order, cursor, limit }),
      );
    } catch (error) {
      // Never walked folder by folder instead (documents spec item 4): the client is told to.
      if (error instanceof IManageUnsupportedError) {
        throw new AppError(
          'BAD_USER_INPUT',
          "This iManage server does not list a workspace's documents (it has no GET …/workspaces/{id}/documents). List each folder's `documents` instead.",
          { unsupported: true },
        );
      }
      throw error;
    }
  },
};
