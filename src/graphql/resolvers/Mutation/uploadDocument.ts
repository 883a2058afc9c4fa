import { uploadDocument as upload } from '../../../documents/upload.js';
import { writeDeps } from '../../writeDeps.js';
import type { MutationResolvers } from './../../types.generated.js';

export const uploadDocument: NonNullable<MutationResolvers['uploadDocument']> = (_parent, { input }, ctx) => upload(writeDeps(ctx), input);
