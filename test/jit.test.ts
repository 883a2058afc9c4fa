import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCompiledExecution } from '../src/graphql/plugins/jit.js';
import { startStack, type Stack } from './helpers/stack.js';

/**
 * A document's first run is executed by graphql-js, every later run by the code graphql-jit compiled
 * from it (src/graphql/plugins/jit.ts): the two must answer alike, data and errors.
 */
describe('compiled execution', () => {
  it('compiles a document on its second run, not its first', async () => {
    const compiled: boolean[] = [];
    // graphql-jit's results carry the `stringify` it compiled; graphql-js's do not.
    const watch: Plugin = { onExecute: () => ({ onExecuteDone: ({ result }) => void compiled.push('stringify' in result) }) };
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { hello(name: String!): String! }', resolvers: { Query: { hello: (_: unknown, args: { name: string }) => `hi ${args.name}` } } }),
      plugins: [useCompiledExecution(), watch],
      logging: false,
    });
    const ask = async (query: string) =>
      (await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json();
    for (let i = 0; i < 3; i++) expect(await ask('{ hello(name: "a") }')).toEqual({ data: { hello: 'hi a' } });
    expect(await ask('{ other: hello(name: "b") }')).toEqual({ data: { other: 'hi b' } });
    expect(compiled).toEqual([false, true, true, false]);
  });
});

describe('the facade answers alike on a first and a later run', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const cases: Array<[string, string, (s: Stack) => Record<string, unknown>]> = [
    ['a tree, with fragments, aliases and directives', `query($lib: ID!, $deep: Boolean!) { library(id: $lib) { id name ...L workspaces(first: 3) { totalCount edges { cursor node { id name folders(first: 5) { edges { node { ...F sub: subfolders(first: 2) @include(if: $deep) { pageInfo { hasNextPage endCursor } edges { node { ...F } } } } } } } } } } } fragment L on Library { type } fragment F on Folder { id name path { name } workspace { name } }`, (s) => ({ lib: s.sandbox.ids.preferredLibrary, deep: true })],
    ['a folder that is not there (null and NOT_FOUND with its path)', `query($id: ID!) { a: folder(id: $id) { id name } b: viewer { id } }`, (s) => ({ id: `${s.sandbox.ids.preferredLibrary}!999999999` })],
    ['an error on a later line (locations across \\n and \\r\\n)', 'query($id: ID!) {\n  viewer { id }\r\n  # a comment\n    deep: folder(id: $id) {\n    id\n  }\n}', (s) => ({ id: `${s.sandbox.ids.preferredLibrary}!999999998` })],
    ['a malformed id (BAD_USER_INPUT)', `query($id: ID!) { folder(id: $id) { id } }`, () => ({ id: 'not an id' })],
    ['a variable of the wrong type', `query($id: ID!) { folder(id: $id) { id } }`, () => ({ id: { nested: true } })],
    ['a missing variable', `query($id: ID!) { folder(id: $id) { id } }`, () => ({})],
    ['a page with a cursor', `query($id: ID!) { folder(id: $id) { subfolders(first: 3) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } } }`, (s) => ({ id: s.sandbox.ids.bigFolder })],
    ['the viewer and __typename', `{ __typename viewer { __typename id imanage { status userId customerId } } }`, () => ({})],
  ];

  it.each(cases)('%s', async (_name, query, variables) => {
    const first = await stack.gql(query, variables(stack));
    const second = await stack.gql(query, variables(stack));
    const third = await stack.gql(query, variables(stack));
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    // Every error that graphql-js placed in the document is placed alike.
    for (const error of (first.body.errors ?? []) as Array<{ path?: unknown; locations?: unknown }>) if (error.path) expect(error.locations).toBeDefined();
  });
});
