/**
 * User routes (reference §4.4): one user by id, and a batch by `alias=` [I: the reference has no
 * batch user lookup; `alias=` is how group lookups are keyed]. Users are the firm's, so any caller
 * may read any of them, as iManage lets any user look up another's name.
 */
import { apiRequest, type ApiDeps } from './api-common.js';
import { noRecord } from './errors.js';
import { jsonReply, type Reply, type RequestContext } from './http.js';
import { paginate, parsePaging } from './paging.js';
import type { Store, UserRecord } from './store.js';
import { userJson } from './wire.js';

/** User ids are matched ignoring case. */
function findUser(store: Store, id: string): UserRecord | undefined {
  return store.users.get(id.trim().toUpperCase());
}

/** GET …/libraries/{lib}/users/{userId} (`me` is the caller). */
export function getUser(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const raw = ctx.params.userId!;
  const user = raw.toLowerCase() === 'me' ? req.caller.user : findUser(deps.store, raw);
  if (!user) throw noRecord(`User ${raw}`);
  return jsonReply(200, { data: userJson(user) });
}

/**
 * GET …/libraries/{lib}/users?alias=A,B,C → `{data:[User…]}` in the order asked, unknown ids left
 * out; without `alias`, every user, by id. Paged as every list (§5.2: `limit`, `offset`, or a cursor;
 * §4.4 lists `limit` and `offset` for users).
 */
export function listUsers(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const alias = ctx.query.alias;
  let users: UserRecord[];
  if (alias === undefined) users = [...deps.store.users.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  else {
    const found = new Map<string, UserRecord>();
    for (const part of alias.split(',')) {
      const u = part.trim() === '' ? undefined : findUser(deps.store, part);
      if (u) found.set(u.id, u);
    }
    users = [...found.values()];
  }
  const scope = `users|${req.library}|${alias ?? ''}`;
  const page = paginate(users, (u) => u.id, parsePaging(ctx.query, scope, deps.cursors), scope, deps.cursors);
  return jsonReply(200, {
    data: page.items.map(userJson),
    ...(page.totalCount !== undefined ? { total_count: page.totalCount } : {}),
    ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
  });
}
