import { createSubfolder as create } from '../../createSubfolder/create.js';
import type { MutationResolvers } from './../../types.generated.js';

export const createSubfolder: NonNullable<MutationResolvers['createSubfolder']> = (_parent, { input }, ctx) => create(ctx, input);
