import type { MutationResolvers } from './../../types.generated.js';

export const disconnectIManage: NonNullable<MutationResolvers['disconnectIManage']> = async (_parent, _arg, ctx) => {
  throw new Error(`disconnect is being written (${ctx.viewer.id})`);
};
