import type { Plugin } from 'graphql-yoga';

/**
 * The body size limit itself is Yoga's `maxRequestBodySize` (server.ts): 413 before parsing, by
 * `content-length` when the client sends one, else counted while the body streams in. What Yoga
 * leaves out: the rest of an oversized body is never read, so the connection cannot carry another
 * request. `Connection: close` on the 413 tells the client so, instead of letting it reuse a socket
 * that is about to be reset.
 */
export function useCloseAfterOversizedBody(): Plugin {
  return {
    onResponse({ response }) {
      if (response.status === 413) response.headers.set('connection', 'close');
    },
  };
}
