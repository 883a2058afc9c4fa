import { randomUUID } from 'node:crypto';
import { requestScope } from '../logger.js';

/**
 * Every HTTP request's id: the caller's `x-request-id` when it is a sane token, else a new UUID. The
 * router (router.ts) echoes it in the response's `x-request-id` and runs the request in its
 * `requestScope`, so that every log line written while serving it carries it.
 */

const ids = new WeakMap<Request, string>();
const SANE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's `x-request-id` when it is a sane token, else a new UUID. */
export function newRequestId(offered: string | string[] | null | undefined): string {
  return typeof offered === 'string' && SANE_ID.test(offered) ? offered : randomUUID();
}

/** The id of the request being served (set by the router around it), else one made for `request`. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = requestScope.getStore()?.requestId ?? newRequestId(request.headers.get('x-request-id'));
    ids.set(request, id);
  }
  return id;
}
