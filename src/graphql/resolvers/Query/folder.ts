import { containerIdArg, loadFolder } from '../../lookups.js';
import type { QueryResolvers } from './../../types.generated.js';

export const folder: NonNullable<QueryResolvers['folder']> = (_parent, args, ctx) => loadFolder(ctx, containerIdArg(args.id, 'folder').id);
