import type { Plugin } from 'graphql-yoga';

/**
 * `Vary: Origin` on every GraphQL answer when CORS is configured: whether an answer carries
 * `Access-Control-Allow-Origin`, and which, depends on the request's Origin, so no cache may hand one
 * origin's answer to another. Yoga adds it only when several origins are configured, and replaces any
 * `Vary` already set. (The headers every answer carries are the router's: src/http/router.ts.)
 */
export function useVaryOrigin(): Plugin {
  return {
    onResponse({ response }) {
      // After Yoga's CORS hook (it runs first), which sets `Vary` outright.
      const vary = response.headers.get('vary');
      if (!vary) response.headers.set('vary', 'Origin');
      else if (!vary.split(',').some((name) => ['origin', '*'].includes(name.trim().toLowerCase()))) response.headers.set('vary', `${vary}, Origin`);
    },
  };
}
