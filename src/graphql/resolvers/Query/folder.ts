import { loadFolder } from '../../../folders/lookups.js';
import { containerIdArg, selects } from '../../arguments.js';
import type { QueryResolvers } from './../../types.generated.js';

export const folder: NonNullable<QueryResolvers['folder']> = (_parent, args, ctx, info) => {
  const { id } = containerIdArg(args.id, 'folder');
  const { loaders } = ctx.imanage();
  // `parent` and `path` need the folder's ancestors: iManage's path is asked for beside the folder.
  if (selects(info, ['parent', 'path'])) loaders.prefetchPath(id);
  return loadFolder(loaders, id);
};
