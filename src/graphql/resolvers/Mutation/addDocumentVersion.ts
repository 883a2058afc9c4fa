import { addDocumentVersion as add } from '../../../documents/upload.js';
import type { MutationResolvers } from './../../types.generated.js';

export const addDocumentVersion: NonNullable<MutationResolvers['addDocumentVersion']> = (_parent, { input }, ctx) => {
  const { client, loaders, connection } = ctx.imanage();
  return add(
    {
      client,
      loaders,
      caller: { appUserId: ctx.viewer.id, customerId: connection.customerId, imanageUserId: connection.imanageUserId },
      idempotency: ctx.store.idempotencyKeys,
      logger: ctx.logger(),
      signal: ctx.abortSignal(),
      callTimeoutMs: ctx.config.imanageTimeoutMs,
    },
    input,
  );
};
