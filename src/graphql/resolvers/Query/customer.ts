import type { QueryResolvers } from './../../types.generated.js';

export const customer: NonNullable<QueryResolvers['customer']> = (_parent, _arg, ctx) => {
  const { connection } = ctx.imanage();
  return { id: connection.customerId, preferredLibrary: connection.preferredLibrary };
};
