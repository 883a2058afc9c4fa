import { createSubfolder as create } from '../../../folders/createSubfolder.js';
import type { MutationResolvers } from './../../types.generated.js';

export const createSubfolder: NonNullable<MutationResolvers['createSubfolder']> = (_parent, { input }, ctx) => {
  const { client, loaders, connection } = ctx.imanage();
  return create(
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
