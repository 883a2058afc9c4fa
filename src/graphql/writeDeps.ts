import type { GraphQLContext } from '../context.js';
import type { WriteDeps } from '../folders/idempotency.js';

/**
 * What a write workflow (`createSubfolder`, the uploads) works with, from the request's context: the
 * caller's iManage client and loaders, the identity its idempotency keys belong to, where keys are
 * kept, its logger, the signal of the caller going away, the timeout of one iManage call, and the
 * longest a request's body may take.
 */
export function writeDeps(ctx: GraphQLContext): WriteDeps {
  const { client, loaders, connection } = ctx.imanage();
  return {
    client,
    loaders,
    caller: { appUserId: ctx.viewer.id, customerId: connection.customerId, imanageUserId: connection.imanageUserId },
    idempotency: ctx.store.idempotencyKeys,
    logger: ctx.logger(),
    signal: ctx.abortSignal(),
    callTimeoutMs: ctx.config.imanageTimeoutMs,
    transferMs: ctx.config.requestTimeoutMs,
  };
}
