import type { CustomerResolvers } from './../types.generated.js';

export const Customer: CustomerResolvers = {
  libraries: (_parent, _args, ctx) => ctx.imanage().loaders.libraries.load('all'),
  preferredLibrary: async ({ preferredLibrary }, _args, ctx) => {
    if (!preferredLibrary) return null;
    const libraries = await ctx.imanage().loaders.libraries.load('all');
    return libraries.find((l) => l.id.toLowerCase() === preferredLibrary.toLowerCase()) ?? null;
  },
};
