import { readFileSync } from 'node:fs';
import { buildASTSchema, getIntrospectionQuery, Lexer, parse, Source, TokenKind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, QUERY_LIMITS } from '../src/config.js';
import { exampleOperations } from '../src/graphql/examples.js';
import { withoutSuggestions } from '../src/graphql/plugins/fieldSuggestions.js';
import { findIdenticalSelections } from '../src/graphql/plugins/identicalSelections.js';
import { operationCost } from '../src/graphql/plugins/queryCost.js';
import { typeDefs } from '../src/graphql/typeDefs.generated.js';

/** The pure parts of the query limits: the cost model, identical selections, suggestions, config. */

const schema = buildASTSchema(typeDefs);
const model = { unpagedListSize: QUERY_LIMITS.unpagedListSize, maxPageSize: 100, defaultPageSize: 25 };
const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables, model);

describe('operationCost', () => {
  it('counts object fields once per item of the lists above them; scalars, plumbing and introspection are free', () => {
    expect(cost('{ viewer { id imanage { status } } }')).toBe(2);
    expect(cost('{ folder(id: "A!1") { id name description editDate } }')).toBe(1);
    expect(cost('{ library(id: "A") { folders(first: 100) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } } }')).toBe(2);
    expect(cost('{ library(id: "A") { folders(first: 100) { edges { node { subfolders { totalCount } } } } } }')).toBe(1 + 1 + 100);
    expect(
      cost('{ library(id: "A") { folders(first: 100) { edges { node { subfolders(first: 100) { edges { node { subfolders { totalCount } } } } } } } } }'),
    ).toBe(1 + 1 + 100 * (1 + 100));
    // Unpaged lists: libraries and path count as unpagedListSize items.
    expect(cost('{ customer { libraries { workspaces(first: 2) { totalCount } } } }')).toBe(1 + 1 + 5 * 1);
    expect(cost('{ folder(id: "A!1") { path { subfolders { totalCount } } } }')).toBe(1 + 1 + 5 * 1);
    expect(cost(getIntrospectionQuery())).toBe(0);
    expect(cost('{ __typename __type(name: "Folder") { fields { name } } }')).toBe(0);
  });

  it('prices the README tree query and the GraphiQL examples within the limit', () => {
    const tree = `{ customer { libraries { id workspaces(first: 5) { edges { node { name
      folders { edges { node { name subfolders { totalCount } } } } } } } } } }`;
    expect(cost(tree)).toBe(657);
    for (const operation of ['WhoAmI', 'BrowseMatters', 'FindFolders', 'FolderPage', 'CreateFolder']) {
      expect(cost(exampleOperations, {}, operation), operation).toBeLessThanOrEqual(QUERY_LIMITS.maxCost);
    }
    expect(cost(exampleOperations, {}, 'BrowseMatters')).toBe(283);
    // The three-level tree of issue 14, refused when the limit was 1 000 although it makes a few dozen calls.
    const threeLevels = `{ workspace(id: "A!1") { folders(first: 50) { edges { node { subfolders(first: 50) { edges { node {
      subfolders(first: 50) { totalCount } } } } } } } } }`;
    expect(cost(threeLevels)).toBe(2552);
    expect(cost(threeLevels)).toBeLessThanOrEqual(QUERY_LIMITS.maxCost);
  });

  it('reads `first` from literals, variables and their defaults, within 1–100', () => {
    const query = 'query($n: Int) { library(id: "A") { folders(first: $n) { edges { node { workspace { id } } } } } }';
    expect(cost(query, { n: 10 })).toBe(2 + 10);
    expect(cost(query, {})).toBe(2 + 25);
    expect(cost(query, { n: null })).toBe(2 + 25);
    expect(cost(query, { n: 1000 })).toBe(2 + 100);
    expect(cost(query, { n: -5 })).toBe(2 + 1);
    expect(cost(query, { n: 'ten' })).toBe(2 + 100);
    expect(cost('query($n: Int = 7) { library(id: "A") { folders(first: $n) { edges { node { workspace { id } } } } } }')).toBe(2 + 7);
    // The page size belongs to the connection: a fragment on it uses its `first`.
    expect(cost('{ library(id: "A") { folders(first: 4) { ...E } } } fragment E on FolderConnection { edges { node { workspace { id } } } }')).toBe(2 + 4);
  });

  it('costs the operation that runs, and stays linear however fragments nest', () => {
    const doc = 'query Small { viewer { id } } query Big { library(id: "A") { folders(first: 100) { edges { node { workspace { id } } } } } }';
    expect(operationCost(schema, parse(doc), 'Small', {}, model)).toBe(1);
    expect(operationCost(schema, parse(doc), 'Big', {}, model)).toBe(2 + 100);
    // Which one would run is ambiguous: nothing runs, so nothing to price.
    expect(operationCost(schema, parse(doc), undefined, {}, model)).toBe(0);
    const levels = 40;
    const bomb = `{ ...F0 } ${Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { viewer { id } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ')}`;
    // 2^39 paths, priced through the memo (walking them would never finish).
    expect(cost(bomb)).toBe(2 ** (levels - 1));
  });
});

describe('a createSubfolder with 100 trustees written inline', () => {
  it('is within the token limit, costs little and repeats no selection', () => {
    const trustees = Array.from({ length: 100 }, (_, i) => `{ id: "USER${i}", accessLevel: READ }`).join(', ');
    const profile = Array.from({ length: 12 }, (_, i) => `custom${i + 1}: "C${i}"`).join(' ');
    const mutation = `mutation { createSubfolder(input: { parentId: "ACTIVE_US!1", name: "N", description: "D", defaultSecurity: PRIVATE,
      profile: { ${profile} }, userTrustees: [${trustees}], groupTrustees: [{ id: "G", accessLevel: READ }], idempotencyKey: "k" }) {
      replayed userErrors { field code message } folder { id name parent { id } } } }`;
    const lexer = new Lexer(new Source(mutation));
    let tokens = 0;
    while (lexer.advance().kind !== TokenKind.EOF) tokens++;
    expect(tokens).toBeLessThan(QUERY_LIMITS.maxTokens / 2);
    expect(cost(mutation)).toBeLessThan(10);
    expect(findIdenticalSelections(parse(mutation), QUERY_LIMITS.maxIdenticalSelections)).toBeNull();
  });
});

describe('findIdenticalSelections', () => {
  const find = (query: string, max = 3) => findIdenticalSelections(parse(query), max);

  it('counts the same field with the same arguments, aliased or not', () => {
    expect(find('{ a: __typename b: __typename c: __typename }')).toBeNull();
    expect(find('{ a: __typename b: __typename c: __typename d: __typename }')).toEqual({ field: '__typename', count: 4 });
    expect(find('{ __typename __typename __typename __typename }')).toEqual({ field: '__typename', count: 4 });
    expect(find('{ a: folder(id: "1") { id } b: folder(id: "1") { id } c: folder(id: "1") { id } d: folder(id: "1") { id } }')?.field).toBe('folder');
  });

  it('does not count different arguments, or selections in different objects', () => {
    expect(find('{ a: folder(id: "1") { id } b: folder(id: "2") { id } c: folder(id: "3") { id } d: folder(id: "4") { id } }')).toBeNull();
    expect(find('{ a: viewer { id id id } b: viewer { id id id } }', 3)).toBeNull();
    // Argument order does not make a selection different.
    expect(find('{ a: folders(first: 1, query: "x") { totalCount } b: folders(query: "x", first: 1) { totalCount } }', 1)?.count).toBe(2);
  });

  it('merges inline fragments and fragment spreads into their selection set, each fragment once', () => {
    expect(find('{ __typename ... { __typename } ... on Query { __typename } ...F } fragment F on Query { __typename }')).toEqual({
      field: '__typename',
      count: 4,
    });
    expect(find('{ __typename ...F ...F ...F } fragment F on Query { __typename }')).toBeNull();
    expect(find('fragment F on Query { a: __typename b: __typename c: __typename d: __typename } { ...F }')).not.toBeNull();
    // A cycle is validation's to refuse; counting must not loop.
    expect(find('{ ...F } fragment F on Query { __typename ...G } fragment G on Query { ...F }')).toBeNull();
  });
});

describe('withoutSuggestions', () => {
  it('removes every form of "Did you mean" graphql-js writes', () => {
    expect(withoutSuggestions('Cannot query field "idd" on type "Viewer". Did you mean "id"?')).toBe('Cannot query field "idd" on type "Viewer".');
    expect(withoutSuggestions('Unknown argument "frist" on field "Library.workspaces". Did you mean "first"?')).toBe(
      'Unknown argument "frist" on field "Library.workspaces".',
    );
    expect(withoutSuggestions('Unknown type "Foldr". Did you mean "Folder", "FolderEdge", or "FolderProfile"?')).toBe('Unknown type "Foldr".');
    expect(
      withoutSuggestions(
        'Variable "$s" got invalid value "PUBLI"; Value "PUBLI" does not exist in "DefaultSecurity" enum. Did you mean the enum value "PUBLIC"?',
      ),
    ).toBe('Variable "$s" got invalid value "PUBLI"; Value "PUBLI" does not exist in "DefaultSecurity" enum.');
    expect(withoutSuggestions('Folder "x" does not exist.')).toBe('Folder "x" does not exist.');
  });
});

describe('configuration of the limits and the production switches', () => {
  const production = {
    IMANAGE_BASE_URL: 'https://cloudimanage.com',
    IMANAGE_CLIENT_ID: 'id',
    IMANAGE_CLIENT_SECRET: 'secret',
    AUTH_JWT_SECRET: 'x'.repeat(32),
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  };

  it('turns introspection and suggestions on in sandbox mode and off otherwise, each switchable', () => {
    expect(loadConfig({})).toMatchObject({ introspection: true, fieldSuggestions: true, graphiql: true, sandboxLatencyMs: 0 });
    expect(loadConfig(production)).toMatchObject({ introspection: false, fieldSuggestions: false, graphiql: false });
    expect(loadConfig({ ...production, INTROSPECTION: 'true', FIELD_SUGGESTIONS: '1' })).toMatchObject({ introspection: true, fieldSuggestions: true });
    expect(loadConfig({ INTROSPECTION: 'false', FIELD_SUGGESTIONS: '0' })).toMatchObject({ introspection: false, fieldSuggestions: false });
    expect(() => loadConfig({ INTROSPECTION: 'yes' })).toThrow(/^INTROSPECTION is invalid: expected true or false\.$/);
  });

  it('takes SANDBOX_LATENCY_MS in sandbox mode only', () => {
    expect(loadConfig({ SANDBOX_LATENCY_MS: '1500' }).sandboxLatencyMs).toBe(1500);
    expect(() => loadConfig({ SANDBOX_LATENCY_MS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, SANDBOX_LATENCY_MS: '10' })).toThrow(/^SANDBOX_LATENCY_MS is invalid: expected it only in sandbox mode/);
  });

  it('fixes the limits in one frozen place, with the numbers the README gives', () => {
    const config = loadConfig({});
    expect(config.limits).toBe(QUERY_LIMITS);
    expect(Object.isFrozen(QUERY_LIMITS)).toBe(true);
    expect(QUERY_LIMITS).toEqual({
      maxDepth: 15,
      maxAliases: 50,
      maxTokens: 2_000,
      maxDirectives: 20,
      maxCost: 100_000,
      unpagedListSize: 5,
      maxListItems: 50_000,
      maxIdenticalSelections: 10,
      maxRequestBodyBytes: 100_000,
    });
    // The identical-selection cap sits below the alias cap, so each can be hit on its own.
    expect(QUERY_LIMITS.maxIdenticalSelections).toBeLessThan(QUERY_LIMITS.maxAliases);
  });

  it("match the README's table", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const bound = (limit: string) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${limit}\` |`));
      return Number(row?.split('|')[3]?.replace(/[^0-9]/g, ''));
    };
    expect(bound('bodySize')).toBe(QUERY_LIMITS.maxRequestBodyBytes);
    expect(bound('tokens')).toBe(QUERY_LIMITS.maxTokens);
    expect(bound('depth')).toBe(QUERY_LIMITS.maxDepth);
    expect(bound('aliases')).toBe(QUERY_LIMITS.maxAliases);
    expect(bound('directives')).toBe(QUERY_LIMITS.maxDirectives);
    expect(bound('identicalSelections')).toBe(QUERY_LIMITS.maxIdenticalSelections);
    expect(bound('cost')).toBe(QUERY_LIMITS.maxCost);
    expect(bound('listItems')).toBe(QUERY_LIMITS.maxListItems);
    for (const variable of ['INTROSPECTION', 'FIELD_SUGGESTIONS', 'SANDBOX_LATENCY_MS', 'GRAPHIQL', 'CORS_ORIGINS']) {
      expect(readme).toContain(`| \`${variable}\` |`);
    }
  });
});
