import { loadWorkspace } from '../../../folders/lookups.js';
import { containerIdArg } from '../../arguments.js';
import type { QueryResolvers } from './../../types.generated.js';

export const workspace: NonNullable<QueryResolvers['workspace']> = (_parent, args, ctx) =>
  loadWorkspace(ctx.imanage().loaders, containerIdArg(args.id, 'workspace').id);
