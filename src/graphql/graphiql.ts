import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { exampleTabs } from './examples.js';

/**
 * GraphiQL served from this server instead of a CDN. Yoga's own page loads its script, styles and
 * editor workers from unpkg.com, which a firm's network (or a developer offline) often cannot reach,
 * and a blank page teaches nothing. The same bundle ships in the `@graphql-yoga/graphiql` package:
 * this serves its files under `/graphiql/` and renders a page that points at them.
 */

export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

export interface GraphiQLSetup {
  /** Yoga's `graphiql` option: false when GraphiQL is off. */
  readonly options: GraphiQLOptions | false;
  /** Yoga's `renderGraphiQL`: the local page, or undefined for Yoga's CDN page. */
  readonly render: ((options: GraphiQLOptions) => string) | undefined;
  /** With GraphiQL off, the page that says how to query instead. */
  readonly plugins: Plugin[];
  /** The local assets by path, for the router; empty when GraphiQL is off or the package is missing. */
  readonly assets: ReadonlyMap<string, () => Promise<Response>>;
}

/**
 * GraphiQL as a newcomer should meet it: the example tabs (`examples.ts`), and in sandbox mode the dev
 * token in every tab's headers. Assets come from this server when `@graphql-yoga/graphiql` is installed.
 */
export function graphiqlSetup(enabled: boolean, devToken: string | undefined, logger: Logger): GraphiQLSetup {
  if (!enabled) return { options: false, render: undefined, plugins: [useGraphiQLOffPage()], assets: new Map() };
  const headers = devToken ? JSON.stringify({ Authorization: `Bearer ${devToken}` }, null, 2) : undefined;
  const options: GraphiQLOptions & { query?: string } = {
    title: 'iManage Work GraphQL',
    // Yoga's page opens its own welcome text in the first tab unless `query` says otherwise.
    query: exampleTabs[0]?.query,
    defaultTabs: exampleTabs.map((tab) => ({ query: tab.query, variables: tab.variables ?? null, headers: headers ?? null })),
    ...(headers ? { headers, defaultHeaders: headers } : {}),
  };
  const dir = graphiqlAssetsDir();
  if (!dir) {
    logger.warn('@graphql-yoga/graphiql is not installed: GraphiQL loads its assets from unpkg.com');
    return { options, render: undefined, plugins: [], assets: new Map() };
  }
  return { options, render: renderLocalGraphiQL, plugins: [], assets: graphiqlAssets(dir) };
}

/**
 * With GraphiQL off, a browser opening `/graphql` (a GET that accepts HTML and carries no query) gets a
 * short page saying how to query, instead of Yoga's empty 406.
 */
export function useGraphiQLOffPage(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || !(request.headers.get('accept') ?? '').includes('text/html')) return;
      if (url.pathname !== '/graphql' || url.searchParams.has('query')) return;
      endResponse(
        new fetchAPI.Response(GRAPHIQL_OFF_PAGE, {
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
        }),
      );
    },
  };
}

const GRAPHIQL_OFF_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>iManage Work GraphQL</title><link rel="icon" href="data:,"></head>
<body>
<h1>iManage Work GraphQL</h1>
<p>This is a GraphQL API. Send <code>POST /graphql</code> with <code>Content-Type: application/json</code>,
the app user's token as <code>Authorization: Bearer &lt;token&gt;</code> and a body such as
<code>{"query": "{ viewer { id imanage { status } } }"}</code>.</p>
<p>GraphiQL, the in-browser explorer, is off on this server (<code>GRAPHIQL=false</code>).</p>
</body>
</html>
`;

/** The only files served, with their content types: nothing else under the package is reachable. */
const ASSETS: Readonly<Record<string, string>> = {
  'yoga-graphiql.umd.js': 'text/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
  'monacoeditorwork/editor.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/json.worker.bundle.js': 'text/javascript; charset=utf-8',
  // Sic: the package names this file with two dots.
  'monacoeditorwork/graphql.worker..bundle.js': 'text/javascript; charset=utf-8',
};

/** The package's `dist/` folder, or null when it is not installed (Yoga's CDN page is used then). */
export function graphiqlAssetsDir(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');
  } catch {
    return null;
  }
}

/** The GraphiQL bundle's files by path under `/graphiql/`; each is read on first use and kept (about 9 MB in all). */
export function graphiqlAssets(dir: string): Map<string, () => Promise<Response>> {
  const files = new Map<string, () => Promise<Response>>();
  for (const [name, type] of Object.entries(ASSETS)) {
    let bytes: Promise<Uint8Array<ArrayBuffer>> | undefined;
    const read = () => {
      bytes ??= readFile(join(dir, name)).then((buffer) => new Uint8Array(buffer));
      // A failed read is tried again next time.
      bytes.catch(() => (bytes = undefined));
      return bytes;
    };
    files.set(
      `${GRAPHIQL_ASSETS_PATH}${name}`,
      async () =>
        new Response(await read(), { headers: { 'content-type': type, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' } }),
    );
  }
  return files;
}

/** Yoga's GraphiQL page, with every asset taken from `/graphiql/` on this server. */
export function renderLocalGraphiQL(options: GraphiQLOptions): string {
  const base = GRAPHIQL_ASSETS_PATH;
  // Inside <script>: `<` escaped so that no string in the options can close the script element.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  const title = escapeHtml(options.title ?? 'GraphiQL');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}graphiql.css">
<style>
/* GraphiQL lets a focused tab take the drag transform framer-motion left on it: a tab that moves between
   mouse down and up never gets the click, so every tab but the last took two clicks to open. */
.graphiql-tab { transform: none !important; }
</style>
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root">Loading ${title}…</div>
<script>
const workers = {};
const workerUrls = {
  editorWorkerService: '${base}monacoeditorwork/editor.worker.bundle.js',
  json: '${base}monacoeditorwork/json.worker.bundle.js',
  graphql: '${base}monacoeditorwork/graphql.worker..bundle.js',
};
function prepareWorkers() {
  return Promise.all(Object.entries(workerUrls).map(async ([label, url]) => {
    const source = await (await fetch(url)).text();
    workers[label] = URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
  }));
}
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
</script>
<script src="${base}yoga-graphiql.umd.js"></script>
<script>prepareWorkers().finally(() => YogaGraphiQL.renderYogaGraphiQL(root, ${json}));</script>
</body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
