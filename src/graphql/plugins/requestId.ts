import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { requestScope } from '../../logger.js';

/**
 * Gives every HTTP request an id: the caller's `x-request-id` when it is a sane token, else a new
 * UUID. It is on every log line of the request and echoed in the response's `x-request-id`.
 */

const ids = new WeakMap<Request, string>();
const SANE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's `x-request-id` when it is a sane token, else a new UUID. */
export function newRequestId(offered: string | string[] | null | undefined): string {
  return typeof offered === 'string' && SANE_ID.test(offered) ? offered : randomUUID();
}

/** The id of the request being served (set by the server around it), else one made for `request`. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = requestScope.getStore()?.requestId ?? newRequestId(request.headers.get('x-request-id'));
    ids.set(request, id);
  }
  return id;
}

export function useRequestId(): Plugin {
  return {
    onResponse({ request, response, serverContext }) {
      // Served by node:http, the header goes on Node's own response, which adds it to the headers
      // the Response is written with: changing the Response's headers instead would take it off
      // @whatwg-node/server's quicker way of writing them (one writeHead with the headers as made).
      const res = (serverContext as { res?: Partial<ServerResponse> } | undefined)?.res;
      if (typeof res?.setHeader === 'function' && !res.headersSent) res.setHeader('x-request-id', requestIdOf(request));
      else response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
