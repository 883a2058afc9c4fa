import { beforeAll, describe, expect, it } from 'vitest';
import { graphiqlAssetsDir } from '../src/graphql/graphiql.js';
import { useStack } from './helpers/stack.js';

/** GraphiQL's page and its files, served by this server (sandbox mode): only the bundle's own files. */

beforeAll(() => {
  if (!graphiqlAssetsDir())
    throw new Error('GraphiQL is served from the @graphql-yoga/graphiql package, which is not installed: npm install @graphql-yoga/graphiql');
});
const stack = useStack({ connect: [] });

describe('GraphiQL from this server', () => {
  it('renders a page that loads everything from /graphiql/ and opens the example tabs', async () => {
    const res = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('unpkg.com');
    expect(html).toContain('<script src="/graphiql/yoga-graphiql.umd.js"></script>');
    expect(html).toContain('/graphiql/monacoeditorwork/graphql.worker..bundle.js');
    for (const operation of ['query BrowseMatters', 'query FolderPage', 'query FolderPath', 'mutation CreateFolder', 'query WhoAmI', 'query FindFolders']) {
      expect(html).toContain(operation);
    }
    // The options sit in a <script>: nothing in them can close it.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('serves the bundle with its content type', async () => {
    const css = await fetch(`${stack.url}/graphiql/graphiql.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await css.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    const js = await fetch(`${stack.url}/graphiql/yoga-graphiql.umd.js`, { method: 'HEAD' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    '/graphiql/package.json',
    '/graphiql/yoga-graphiql.es.js',
    '/graphiql/../package.json',
    '/graphiql/%2e%2e/package.json',
    '/graphiql/..%2fpackage.json',
    '/graphiql/monacoeditorwork/../../package.json',
    '/graphiql/',
    '/graphiql/graphiql.css/',
  ])('answers 404 for anything else: %s', async (path) => {
    const res = await fetch(`${stack.url}${path}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('"name"');
  });

  it('answers 404 to other methods', async () => {
    const res = await fetch(`${stack.url}/graphiql/graphiql.css`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
  });
});

describe('GraphiQL off (GRAPHIQL=false)', () => {
  const off = useStack({ connect: [], env: { GRAPHIQL: 'false' } });

  it('answers a browser with a short page saying how to query, and serves no GraphiQL', async () => {
    const res = await fetch(`${off.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('POST /graphql');
    expect(html).toContain('GRAPHIQL=false');
    expect(html).not.toContain('<script');
    expect((await fetch(`${off.url}/graphiql/graphiql.css`)).status).toBe(404);
  });

  it('leaves GraphQL over GET and POST as they were', async () => {
    const authorization = `Bearer ${await off.token('demo')}`;
    const res = await fetch(`${off.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', authorization },
    });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    const post = await off.gql('{ __typename }');
    expect(post.body.data).toEqual({ __typename: 'Query' });
  });
});
