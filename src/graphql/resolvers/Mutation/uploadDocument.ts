import { uploadDocument as upload } from '../../../documents/upload.js';
import type { MutationResolvers } from './../../types.generated.js';

export const uploadDocument: NonNullable<MutationResolvers['uploadDocument']> = (_parent, { input }, ctx) => {
  const { client, loaders, connection } = ctx.imanage();
  return upload(
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
