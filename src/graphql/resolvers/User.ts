import { loadUser } from '../../documents/lookups.js';
import type { UserResolvers } from './../types.generated.js';

/** Known by id; the name and e-mail of every user of a page come from one iManage call per library. */
export const User: UserResolvers = {
  fullName: async (parent, _args, ctx) => (await loadUser(ctx.imanage().loaders, parent.library, parent.id))?.fullName ?? null,
  email: async (parent, _args, ctx) => (await loadUser(ctx.imanage().loaders, parent.library, parent.id))?.email ?? null,
};
