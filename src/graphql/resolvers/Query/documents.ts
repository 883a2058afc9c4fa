import { loadDocuments } from '../../../documents/lookups.js';
import { documentIdsArg } from '../../documentArguments.js';
import type { QueryResolvers } from './../../types.generated.js';

// One promise per id: a document that is missing is a null entry with its own NOT_FOUND, not a failed list.
export const documents: NonNullable<QueryResolvers['documents']> = (_parent, args, ctx) => loadDocuments(ctx.imanage().loaders, documentIdsArg(args.ids));
