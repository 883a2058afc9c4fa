import type { Plugin } from 'graphql-yoga';
import { AppError, limitExceeded } from '../errors.js';

/**
 * The request body limit, in place of Yoga's `maxRequestBodySize` (off in server.ts): refused with 413
 * before parsing.
 *
 * - With a `content-length`, by that alone: Node's HTTP parser reads exactly that many bytes as the
 *   body (more would be the next request; both it and `transfer-encoding` are refused with 400), so
 *   nothing needs counting. Yoga counts every body as it streams in, through a TransformStream and a
 *   new Request, which took about half of a small request's time over HTTP (BENCHMARKS.md).
 * - Without one (chunked), counted while it streams in, and refused at the first byte over.
 *
 * What Yoga leaves out too: the rest of an oversized body is never read, so the connection cannot
 * carry another request. `Connection: close` on the 413 tells the client so, instead of letting it
 * reuse a socket that is about to be reset.
 */
export function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!/^\d+$/.test(length)) throw new AppError('BAD_USER_INPUT', 'The Content-Length header is not a number of bytes.', {}, 400);
        if (Number(length) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((received) => requestParser(counted(received, limit, fetchAPI)));
    },
    onResponse({ response }) {
      if (response.status === 413) response.headers.set('connection', 'close');
    },
  };
}

const tooLarge = () => limitExceeded('bodySize', 'The request body is larger than this service accepts.');

/** The request, its body counted as it is read; an error on the first chunk past `limit`. */
function counted(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  let bytes = 0;
  // A body that is a native stream is piped through a native TransformStream, a ponyfill one through
  // the ponyfill's: the two do not mix.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}
