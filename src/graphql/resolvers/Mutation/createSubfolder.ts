import { createSubfolder as create } from '../../../folders/createSubfolder.js';
import { writeDeps } from '../../writeDeps.js';
import type { MutationResolvers } from './../../types.generated.js';

export const createSubfolder: NonNullable<MutationResolvers['createSubfolder']> = (_parent, { input }, ctx) => create(writeDeps(ctx), input);
