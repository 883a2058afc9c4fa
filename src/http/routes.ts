import type { ConnectFlow } from '../auth/connectFlow.js';
import { CALLBACK_PATH, CONNECT_PATH } from '../auth/connectFlow.js';
import { alive } from './health.js';
import type { Route, StreamingRoute } from './router.js';

/**
 * The service's plain HTTP routes, beside GraphQL: health, readiness, metrics, the connect flow,
 * document downloads, the passthrough to iManage, GraphiQL's assets and the favicon. Each is given
 * what it serves; only the passthrough reads a request body (it streams it to iManage).
 */
export interface RouteSources {
  ready(): Promise<Response>;
  /** `GET /metrics`, when metrics are on. */
  metrics?: ((request: Request) => Promise<Response>) | undefined;
  connectFlow?: ConnectFlow | undefined;
  /** GraphiQL's asset files by path (`/graphiql/…`), when GraphiQL is served from here. */
  graphiqlAssets?: ReadonlyMap<string, () => Promise<Response>> | undefined;
  /** `GET`/`HEAD /documents/:id/download` (download.ts), when downloads are served. */
  download?: StreamingRoute | undefined;
  /** `ANY /imanage/*` (passthrough.ts): iManage's REST API as the caller's connection. */
  passthrough?: StreamingRoute | undefined;
}

export function appRoutes(sources: RouteSources): Route[] {
  const routes: Route[] = [
    { path: '/healthz', methods: ['GET', 'HEAD'], handle: alive },
    { path: '/readyz', methods: ['GET', 'HEAD'], handle: sources.ready },
    // Browsers ask for it whatever the page says; "no icon" without a 404 in the console.
    {
      path: '/favicon.ico',
      methods: ['GET', 'HEAD'],
      handle: () => new Response(null, { status: 204, headers: { 'cache-control': 'public, max-age=86400' } }),
    },
  ];
  const { metrics, connectFlow, graphiqlAssets, download, passthrough } = sources;
  if (metrics) routes.push({ path: '/metrics', methods: ['GET'], handle: metrics });
  if (download) routes.push(download);
  if (passthrough) routes.push(passthrough);
  if (connectFlow) {
    for (const path of [CONNECT_PATH, CALLBACK_PATH]) {
      routes.push({ path, methods: ['GET'], handle: async (request) => (await connectFlow.handle(request)) ?? new Response(null, { status: 404 }) });
    }
  }
  for (const [path, serve] of graphiqlAssets ?? []) {
    // Only the bundle's files, on GET: anything else under /graphiql/ is not there (404).
    routes.push({ path, methods: ['GET', 'HEAD'], otherMethods: 404, handle: serve });
  }
  return routes;
}
