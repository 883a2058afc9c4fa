import type { ViewerResolvers } from './../types.generated.js';

export const Viewer: ViewerResolvers = {
  imanage: (parent, _args, ctx) => ({ connection: parent.connection !== undefined ? parent.connection : ctx.connection }),
};
