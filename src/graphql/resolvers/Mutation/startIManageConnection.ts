import { connectFlowOf, toAppError } from '../../connectErrors.js';
import type { MutationResolvers } from './../../types.generated.js';

export const startIManageConnection: NonNullable<MutationResolvers['startIManageConnection']> = async (_parent, { returnTo }, ctx) => {
  try {
    return await connectFlowOf(ctx).start(ctx.viewer.id, returnTo);
  } catch (error) {
    throw toAppError(error);
  }
};
