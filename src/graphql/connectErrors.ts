import { ConnectFlowError, type ConnectFlow } from '../auth/connectFlow.js';
import type { GraphQLContext } from '../context.js';
import { AppError, badInput } from './errors.js';

/** The connect flow's refusals in the API's vocabulary (CONTRACT §4, §6); anything else goes on as it is. */
export function toAppError(error: unknown): unknown {
  if (!(error instanceof ConnectFlowError)) return error;
  switch (error.kind) {
    case 'return_to_not_allowed':
      return badInput(error.message, 'returnTo');
    case 'unknown_link':
      return badInput(error.message, 'link');
    case 'foreign_link':
      return new AppError('FORBIDDEN', error.message);
    case 'not_configured':
      return new AppError('INTERNAL', error.message);
  }
}

export function connectFlowOf(ctx: GraphQLContext): ConnectFlow {
  if (!ctx.connectFlow) throw new ConnectFlowError('not_configured', 'Connecting iManage accounts is not configured on this server.');
  return ctx.connectFlow;
}
