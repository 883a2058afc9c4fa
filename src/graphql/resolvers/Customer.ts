import { findLibrary } from '../../folders/lookups.js';
import type { CustomerResolvers } from './../types.generated.js';

export const Customer: CustomerResolvers = {
  // Those iManage lists as hidden are left out, as iManage's own clients leave them out; `library(id)` still reads them.
  libraries: async (_parent, _args, ctx) => (await ctx.imanage().loaders.libraries.load('all')).filter((library) => !library.hidden),
  preferredLibrary: ({ preferredLibrary }, _args, ctx) => (preferredLibrary ? findLibrary(ctx.imanage().loaders, preferredLibrary) : null),
};
