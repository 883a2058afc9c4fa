import { notFound } from '../../errors.js';
import { libraryIdArg } from '../../lookups.js';
import type { QueryResolvers } from './../../types.generated.js';

export const library: NonNullable<QueryResolvers['library']> = async (_parent, args, ctx) => {
  const id = libraryIdArg(args.id);
  const libraries = await ctx.imanage().loaders.libraries.load('all');
  const found = libraries.find((l) => l.id.toLowerCase() === id.toLowerCase());
  if (!found) throw notFound('Library', id);
  return found;
};
