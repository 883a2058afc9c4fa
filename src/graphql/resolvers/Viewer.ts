import type { ViewerResolvers } from './../types.generated.js';

export const Viewer: ViewerResolvers = {
  imanage: (_parent, _args, ctx) => ({ connection: ctx.connection }),
};
