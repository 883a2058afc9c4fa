import { containerIdArg, loadWorkspace } from '../../lookups.js';
import type { QueryResolvers } from './../../types.generated.js';

export const workspace: NonNullable<QueryResolvers['workspace']> = (_parent, args, ctx) =>
  loadWorkspace(ctx, containerIdArg(args.id, 'workspace').id);
