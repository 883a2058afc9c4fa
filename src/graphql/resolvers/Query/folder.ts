import { containerIdArg, loadFolder, selects } from '../../lookups.js';
import type { QueryResolvers } from './../../types.generated.js';

export const folder: NonNullable<QueryResolvers['folder']> = (_parent, args, ctx, info) => {
  const { id } = containerIdArg(args.id, 'folder');
  // `parent` and `path` need the folder's ancestors: iManage's path is asked for beside the folder.
  if (selects(info, ['parent', 'path'])) ctx.imanage().loaders.prefetchPath(id);
  return loadFolder(ctx, id);
};
