import type { Plugin } from 'graphql-yoga';

/**
 * The request body limit is Yoga's own (`maxRequestBodySize` in server.ts: 413 by `content-length`, or
 * while a chunked body streams in; maskError gives it the contract's code). What Yoga leaves out: the
 * rest of an oversized body is never read, so the connection cannot carry another request.
 * `Connection: close` on the 413 tells the client so, instead of letting it reuse a socket that is
 * about to be reset.
 */
export function useCloseAfterOversizedBody(): Plugin {
  return {
    onResponse({ response }) {
      if (response.status === 413) response.headers.set('connection', 'close');
    },
  };
}
