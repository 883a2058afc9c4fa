import { findLibrary } from '../../folders/lookups.js';
import type { CustomerResolvers } from './../types.generated.js';

export const Customer: CustomerResolvers = {
  libraries: (_parent, _args, ctx) => ctx.imanage().loaders.libraries.load('all'),
  preferredLibrary: ({ preferredLibrary }, _args, ctx) => (preferredLibrary ? findLibrary(ctx.imanage().loaders, preferredLibrary) : null),
};
