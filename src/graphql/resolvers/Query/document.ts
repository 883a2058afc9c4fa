import { loadDocument } from '../../../documents/lookups.js';
import { documentIdArg } from '../../documentArguments.js';
import type { QueryResolvers } from './../../types.generated.js';

export const document: NonNullable<QueryResolvers['document']> = (_parent, args, ctx) => loadDocument(ctx.imanage().loaders, documentIdArg(args.id).id);
