import { uploadDocument as upload } from '../../../documents/upload.js';
import type { MutationResolvers } from './../../types.generated.js';

export const uploadDocument: NonNullable<MutationResolvers['uploadDocument']> = (_parent, { input }, ctx) => {
  const { client, loaders } = ctx.imanage();
  return upload({ client, loaders, logger: ctx.logger(), signal: ctx.abortSignal() }, input);
};
