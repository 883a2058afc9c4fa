import { addDocumentVersion as add } from '../../../documents/upload.js';
import type { MutationResolvers } from './../../types.generated.js';

export const addDocumentVersion: NonNullable<MutationResolvers['addDocumentVersion']> = (_parent, { input }, ctx) => {
  const { client, loaders } = ctx.imanage();
  return add({ client, loaders, logger: ctx.logger(), signal: ctx.abortSignal() }, input);
};
