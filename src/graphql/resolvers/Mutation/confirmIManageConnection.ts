import { connectFlowOf, toAppError } from '../../connectErrors.js';
import type { MutationResolvers } from './../../types.generated.js';

export const confirmIManageConnection: NonNullable<MutationResolvers['confirmIManageConnection']> = async (_parent, { link }, ctx) => {
  try {
    const connection = await connectFlowOf(ctx).confirm(ctx.viewer.id, link);
    return { id: ctx.viewer.id, connection };
  } catch (error) {
    throw toAppError(error);
  }
};
