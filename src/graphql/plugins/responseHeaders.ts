import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';

/**
 * Headers every answer needs, whatever produced it (GraphQL, the connect flow, GraphiQL, health):
 *
 * - `Cache-Control: no-store`, unless the answer says otherwise: GraphQL answers are one user's data,
 *   the connect flow's redirects carry one-time codes and links, and the GraphiQL page embeds the dev
 *   token in sandbox mode. Only GraphiQL's static assets (graphiql.ts) set their own, public caching:
 *   they are the same package files for everyone.
 * - `Vary: Origin` when CORS is configured: whether an answer carries `Access-Control-Allow-Origin`,
 *   and which, depends on the request's Origin, so no cache may hand one origin's answer to another.
 *   Yoga adds it only when several origins are configured, and replaces any `Vary` already set.
 */
export function useResponseHeaders(options: { cors: boolean }): Plugin {
  return {
    onResponse({ response, serverContext }) {
      // On Node's own response, as requestId.ts does: headers the Response itself carries win over it
      // when it is written (an asset's own Cache-Control), and the Response keeps its quicker way out.
      const res = (serverContext as { res?: Partial<ServerResponse> } | undefined)?.res;
      if (typeof res?.setHeader === 'function' && !res.headersSent) res.setHeader('cache-control', 'no-store');
      else if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
      // After Yoga's CORS hook (it runs first), which sets `Vary` outright.
      if (options.cors) {
        const vary = response.headers.get('vary');
        if (!vary) response.headers.set('vary', 'Origin');
        else if (!vary.split(',').some((name) => ['origin', '*'].includes(name.trim().toLowerCase()))) response.headers.set('vary', `${vary}, Origin`);
      }
    },
  };
}
