import type { Plugin } from 'graphql-yoga';
import type { ConnectFlow } from './connectFlow.js';

/** Serves the connect flow's two routes from the same server as GraphQL, before Yoga's own routing. */
export function useConnectRoutes(flow: ConnectFlow): Plugin {
  return {
    async onRequest({ request, endResponse }) {
      const response = await flow.handle(request);
      if (response) endResponse(response);
    },
  };
}
