import { loadLibrary } from '../../../folders/lookups.js';
import { libraryIdArg } from '../../arguments.js';
import type { QueryResolvers } from './../../types.generated.js';

export const library: NonNullable<QueryResolvers['library']> = (_parent, args, ctx) => loadLibrary(ctx.imanage().loaders, libraryIdArg(args.id));
