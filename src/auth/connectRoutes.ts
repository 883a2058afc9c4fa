import type { Plugin } from 'graphql-yoga';
import { mayBeFor } from '../graphql/plugins/paths.js';
import { CALLBACK_PATH, CONNECT_PATH, type ConnectFlow } from './connectFlow.js';

/**
 * Serves the connect flow's two routes from the same server as GraphQL, before Yoga's own routing.
 * Synchronous for every other path: an async hook would put a promise on every GraphQL request.
 */
export function useConnectRoutes(flow: ConnectFlow): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (!mayBeFor(request, CONNECT_PATH) || (url.pathname !== CONNECT_PATH && url.pathname !== CALLBACK_PATH)) return;
      return flow.handle(request).then((response) => {
        if (response) endResponse(response);
      });
    },
  };
}
