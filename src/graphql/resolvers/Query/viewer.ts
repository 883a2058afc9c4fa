import type { QueryResolvers } from './../../types.generated.js';

export const viewer: NonNullable<QueryResolvers['viewer']> = (_parent, _arg, ctx) => ({ id: ctx.viewer.id });
