import type { IncomingMessage, ServerResponse } from 'node:http';
import Router, { type HTTPMethod } from 'find-my-way';
import { requestScope } from '../logger.js';
import { newRequestId } from './requestId.js';

/**
 * The front door: routes each request by method and path (find-my-way) to GraphQL (Yoga, at
 * `/graphql` alone) or to one of the plain HTTP routes (routes.ts). Paths are matched as sent: dot
 * segments and backslashes are not resolved, so `/graphql/../readyz` or `\readyz` is an unknown path.
 * The passthrough (`/imanage/*`) reads its own paths, strictly (passthroughPolicy.ts).
 *
 * What every answer carries, whoever made it, is set here on Node's response before the route runs
 * (a header the route's own answer carries wins when it is written): `x-request-id`,
 * `Cache-Control: no-store` (GraphQL answers are one user's data, the connect flow's redirects carry
 * one-time codes, the GraphiQL page may embed the dev token; only GraphiQL's static assets say
 * otherwise), and `Connection: close` while the server drains.
 */

interface RouteBase {
  readonly path: string;
  /** The methods it answers. HEAD, when listed, gets GET's answer without its body. */
  readonly methods: readonly HTTPMethod[];
  /** Any other method: 405 with `Allow` (the default), or 404 as for an unknown path. */
  readonly otherMethods?: 405 | 404;
}

/** A plain HTTP route, answered with a fetch `Response`, read whole before it is sent (no request body is read). */
export interface FetchRoute extends RouteBase {
  handle(request: Request): Response | Promise<Response>;
}

/**
 * A route that writes Node's response itself, for bodies streamed as they arrive (downloads): nothing
 * is buffered whole. It answers HEAD itself too. The router's headers are set before it runs.
 */
export interface StreamingRoute extends RouteBase {
  serve(req: IncomingMessage, res: ServerResponse, params: Readonly<Record<string, string | undefined>>): Promise<void>;
}

export type Route = FetchRoute | StreamingRoute;

export interface RouterOptions {
  /** Yoga's Node handler: gets every request to `/graphql`, whatever its method (CORS preflights, 405s). */
  graphql(req: IncomingMessage, res: ServerResponse): unknown;
  routes: readonly Route[];
  /** The base the plain routes see their request URL against (`PUBLIC_URL`). */
  publicUrl: string;
  draining(): boolean;
  /** A route that failed outright (its cause; the answer is a bare 500). */
  onError(error: unknown): void;
}

export const GRAPHQL_PATH = '/graphql';

/**
 * The one header a browser cannot send cross-site without a CORS preflight: GraphQL's GET and form
 * posts need it (Yoga's CSRF prevention), and so do the passthrough's writes that are not JSON.
 */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export interface RequestHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Marks the answers still to be written `Connection: close` (the drain has begun). */
  closeConnections(): void;
}

export function createRouter(options: RouterOptions): RequestHandler {
  const router = Router({
    defaultRoute: (_req, res) => plain(res, 404, 'Not found.'),
    // A path whose escapes are not UTF-8 (`%c0%ae`, a raw byte past ASCII): refused in the API's vocabulary.
    onBadUrl: (_path, _req, res) => {
      const body = JSON.stringify({
        errors: [{ message: 'The request path is malformed: a percent-escape is not UTF-8.', extensions: { code: 'BAD_USER_INPUT' } }],
      });
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    },
  });
  const answer = async (route: Route, req: IncomingMessage, res: ServerResponse, params: Record<string, string | undefined>) =>
    'serve' in route ? route.serve(req, res, params) : send(req, res, await route.handle(fetchRequest(req, options.publicUrl)));
  router.all(GRAPHQL_PATH, (req, res) => void options.graphql(req, res));
  for (const route of options.routes) {
    router.on([...route.methods], route.path, (req, res, params) => {
      answer(route, req, res, params).catch((error: unknown) => {
        options.onError(error);
        if (!res.headersSent) plain(res, 500, 'Internal error.');
        else res.destroy();
      });
    });
    const others = ALL_METHODS.filter((method) => !route.methods.includes(method));
    if ((route.otherMethods ?? 405) === 405 && others.length > 0) {
      const allow = route.methods.join(', ');
      router.on(others, route.path, (_req, res) => plain(res, 405, 'Method not allowed.', { allow }));
    }
  }

  // Answers not yet written when the drain begins; a request that arrives after it is marked at once.
  const unanswered = new Set<ServerResponse>();
  const handler: RequestHandler = (req, res) => {
    const requestId = newRequestId(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    res.setHeader('cache-control', 'no-store');
    if (options.draining()) res.setHeader('connection', 'close');
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
    requestScope.run({ requestId }, () => router.lookup(req, res));
  };
  handler.closeConnections = () => {
    for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
  };
  return handler;
}

/** The methods a route can be asked with; HEAD and GET count separately. */
const ALL_METHODS: readonly HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The request as a fetch `Request`, headers and URL only: no plain route reads a body. */
function fetchRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (value) for (const each of value) headers.append(name, each);
  }
  return new Request(new URL(req.url ?? '/', base), { method: req.method ?? 'GET', headers });
}

/** Writes a fetch `Response` to Node's response; its headers win over those set before. */
async function send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = req.method === 'HEAD' || response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  res.writeHead(response.status, headers);
  res.end(body);
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}
