import type { MutationResolvers } from './../../types.generated.js';

export const disconnectIManage: NonNullable<MutationResolvers['disconnectIManage']> = async (_parent, _arg, ctx) => {
  await ctx.connections.disconnect(ctx.viewer.id);
  return { id: ctx.viewer.id, connection: null };
};
