import fc from 'fast-check';
import { buildASTSchema, isObjectType, Lexer, parse, Source, TokenKind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../src/config.js';
import { operationCost } from '../src/graphql/plugins/queryCost.js';
import { typeDefs } from '../src/graphql/typeDefs.generated.js';
import { useStack } from './helpers/stack.js';
import { expectLimit, expectSafe, postJson, raw, type RawResponse } from './support/hostile.js';

/**
 * Property tests over HTTP: whatever the document, variables or ids, the answer is never a 5xx, never
 * an unmasked error and never a crash; and for each limit a request just below its bound passes while
 * one just above is refused, naming the limit, with no iManage call.
 */

const schema = buildASTSchema(typeDefs);
const LIMITS = QUERY_LIMITS;
// A small call budget: random documents under the static bound may each make up to the budget's
// calls, and hundreds of them run here; the budget's refusals are answers like any other.
const stack = useStack({ env: { MAX_UPSTREAM_CALLS_PER_OPERATION: '40' }, connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

/** Safe, and never INTERNAL: an INTERNAL answer to a request would be a bug, however odd the request. */
function expectHandled(res: RawResponse): void {
  expectSafe(res);
  for (const error of res.json?.errors ?? []) expect(error.extensions.code, JSON.stringify(error)).not.toBe('INTERNAL');
}

function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

const costModel = { unpagedListSize: LIMITS.unpagedListSize, maxPageSize: 100, defaultPageSize: 25 };

describe('random input never produces a 5xx, an unmasked error or a crash', () => {
  it('random strings as documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), async (query) => {
        expectHandled(await postJson(stack, { query }));
      }),
      { numRuns: 80 },
    );
  });

  it('random token soup', async () => {
    const token = fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ':',
      '!',
      '=',
      '...',
      '@include',
      '@skip(if: true)',
      '$v',
      'query',
      'mutation',
      'subscription',
      'fragment F on Folder',
      'on',
      '...F',
      'viewer',
      'folder',
      'id',
      'name',
      'subfolders',
      'first: 5',
      'first: -1',
      'first: 1e99',
      '"x"',
      '"""block"""',
      '#c\n',
      '__schema',
      '__type',
      '__typename',
      'null',
      'true',
      '0',
      '$',
      '"\\u0000"',
      '"\\uD800"',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 40 }), async (tokens) => {
        expectHandled(await postJson(stack, { query: tokens.join(' ') }));
      }),
      { numRuns: 80 },
    );
  });

  it('random queries built from the schema, with aliases, arguments, fragments and directives', async () => {
    const fieldNames = new Set<string>(['__typename', 'bogus']);
    const typeNames: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      typeNames.push(type.name);
      for (const name of Object.keys(type.getFields())) fieldNames.add(name);
    }
    const value = fc.oneof(
      fc.integer({ min: -3, max: 250 }).map(String),
      fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('"ACTIVE_US!52488"', '"ACTIVE_US"', '"ACTIVE_US!52353"', 'true', 'null', 'PUBLIC', '$v', '[1, 2]', '{ a: 1 }', '1.5'),
    );
    const argument = fc.tuple(fc.constantFrom('first', 'after', 'id', 'query', 'name', 'if'), value).map(([n, v]) => `${n}: ${v}`);
    const directive = fc.constantFrom('@include(if: true)', '@skip(if: false)', '@skip(if: $v)', '@include(if: $v)', '@deprecated');
    const alias = fc.constantFrom('a', 'b', 'c', 'x1', 'y2');
    const { set } = fc.letrec<{ set: string; selection: string }>((tie) => ({
      set: fc.array(tie('selection'), { minLength: 1, maxLength: 4 }).map((items) => `{ ${items.join(' ')} }`),
      selection: fc.oneof(
        { maxDepth: 5, depthSize: 'small' },
        fc
          .record({
            alias: fc.option(alias, { nil: undefined }),
            name: fc.constantFrom(...fieldNames),
            args: fc.array(argument, { maxLength: 2 }),
            directive: fc.option(directive, { nil: undefined }),
            children: fc.option(tie('set'), { nil: undefined, maxDepth: 5, depthSize: 'small' }),
          })
          .map(({ alias: a, name, args, directive: d, children }) =>
            [a ? `${a}: ${name}` : name, args.length ? `(${args.join(', ')})` : '', d ?? '', children ?? ''].join(' '),
          ),
        fc.tuple(fc.option(fc.constantFrom(...typeNames), { nil: undefined }), tie('set')).map(([on, s]) => `... ${on ? `on ${on} ` : ''}${s}`),
      ),
    }));
    const operation = fc.constantFrom('', 'query ', 'query Q($v: Boolean = true) ', 'query Q($v: Boolean!) ');
    await fc.assert(
      fc.asyncProperty(operation, set, fc.option(fc.jsonValue(), { nil: undefined }), async (head, body, variables) => {
        const query = `${head}${body}`;
        const res = await postJson(stack, {
          query,
          variables: variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? variables : { v: true },
        });
        expectHandled(res);
      }),
      { numRuns: 150 },
    );
  });

  it('random variables', async () => {
    const query = `query Q($id: ID!, $first: Int, $after: String, $q: String, $b: Boolean!) {
      folder(id: $id) @include(if: $b) { id subfolders(first: $first, after: $after) { totalCount edges { cursor node { id } } } }
      library(id: "ACTIVE_US") @skip(if: $b) { folders(query: $q, first: $first, after: $after) { totalCount } } }`;
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('ACTIVE_US!52488', 0, -1, 101, 2 ** 31, 1.5, 'NaN', ''));
    const variables = fc.oneof(
      fc.record({ id: anyValue, first: anyValue, after: anyValue, q: anyValue, b: anyValue }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(variables, async (vars) => {
        expectHandled(await postJson(stack, { query, variables: vars }));
      }),
      { numRuns: 100 },
    );
  });

  it('random ids and cursors', async () => {
    const id = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .tuple(
          fc.constantFrom('ACTIVE_US', 'ACTIVE_UK', 'active_us', 'NOPE', '', '../', 'ACTIVE_US!1'),
          fc.constantFrom('!', '!!', '', '/', '%21'),
          fc.oneof(fc.nat().map(String), fc.string({ maxLength: 8 })),
        )
        .map((parts) => parts.join('')),
      fc.constantFrom('ACTIVE_US!52488', 'ACTIVE_US!56102', 'ACTIVE_US!56280', 'ACTIVE_US!57571', 'ACTIVE_US!52353', 'ACTIVE_US', 'ACTIVE_UK!72855'),
    );
    const cursor = fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.base64String({ maxLength: 24 })), { nil: null });
    const query = `query Q($id: ID!, $after: String) {
      folder(id: $id) { id name path { id } subfolders(first: 3, after: $after) { edges { cursor } } }
      workspace(id: $id) { id name } library(id: $id) { id } }`;
    await fc.assert(
      fc.asyncProperty(id, cursor, async (value, after) => {
        expectHandled(await postJson(stack, { query, variables: { id: value, after } }));
      }),
      { numRuns: 100 },
    );
  });

  it('random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        expectHandled(await postJson(stack, JSON.stringify(body)));
      }),
      { numRuns: 60 },
    );
  });

  it('leaves the server answering', async () => {
    const res = await stack.gql('{ viewer { id } }');
    expect(res.body).toEqual({ data: { viewer: { id: 'demo' } } });
  });
});

describe('each limit: just below passes, just above is refused before anything runs', () => {
  /** Refused, naming the limit, with no iManage call. */
  async function expectRefused(query: string, limit: string, variables?: Record<string, unknown>) {
    stack.resetCounts();
    expectLimit(await postJson(stack, { query, variables }), limit);
    expect(stack.apiCalls()).toBe(0);
  }
  async function expectPasses(query: string, variables?: Record<string, unknown>) {
    const res = await postJson(stack, { query, variables });
    expectSafe(res);
    expect(res.json.errors, res.text.slice(0, 500)).toBeUndefined();
    expect(res.status).toBe(200);
    return res;
  }

  it(`depth: ${LIMITS.maxDepth} passes, ${LIMITS.maxDepth + 1} is refused (fragments do not add depth)`, async () => {
    // __type(1) ofType × k, then a leaf: depth k + 2. Inline fragments and siblings vary the shape.
    const chain = (depth: number, wraps: boolean[], siblings: boolean[]) => {
      let inner = 'name';
      for (let level = depth - 2; level >= 1; level--) {
        const body = `${siblings[level % siblings.length] ? 'kind ' : ''}ofType { ${inner} }`;
        inner = wraps[level % wraps.length] ? `... on __Type { ${body} }` : body;
      }
      return `{ __type(name: "Folder") { ${inner} } }`;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        async (wraps, siblings) => {
          await expectPasses(chain(LIMITS.maxDepth, wraps, siblings));
          await expectRefused(chain(LIMITS.maxDepth + 1, wraps, siblings), 'depth');
        },
      ),
      { numRuns: 15 },
    );
  });

  it(`aliases: ${LIMITS.maxAliases} pass, ${LIMITS.maxAliases + 1} are refused, wherever they sit`, async () => {
    // Spread over the leaves of viewer and imanage, so that no field is selected more than 10 times.
    const leaves = ['imanage.status', 'imanage.userId', 'imanage.customerId', 'imanage.scopes', 'imanage.__typename', 'viewer.id', 'viewer.__typename'];
    const aliased = (n: number, atRoot: number) => {
      const root = Array.from({ length: Math.min(atRoot, n) }, (_, i) => `t${i}: __type(name: "T${i}") { name }`);
      const nested = Array.from({ length: n - root.length }, (_, i) => leaves[i % leaves.length]!.split('.') as [string, string]);
      const at = (parent: string) => nested.flatMap(([p, leaf], i) => (p === parent ? [`l${i}: ${leaf}`] : [])).join(' ');
      return `{ ${root.join(' ')} viewer { ${at('viewer')} imanage { status ${at('imanage')} } } }`;
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: LIMITS.maxAliases + 1 }), async (atRoot) => {
        await expectPasses(aliased(LIMITS.maxAliases, atRoot));
        await expectRefused(aliased(LIMITS.maxAliases + 1, atRoot), 'aliases');
      }),
      { numRuns: 15 },
    );
  });

  it(`tokens: ${LIMITS.maxTokens} pass, ${LIMITS.maxTokens + 1} are refused`, async () => {
    // Exactly n tokens of valid, cheap selections: aliased viewer blocks of aliased imanage blocks of
    // leaves (each leaf at most 10 times per selection set; aliases keep graphql-js from comparing
    // every block with every other, which it would give up on).
    const imanageLeaves = ['status', 'userId', 'customerId', 'scopes', '__typename'];
    const viewerLeaves = ['id', '__typename'];
    const leaves = (names: string[], n: number) => Array.from({ length: n }, (_, i) => names[i % names.length]).join(' ');
    const build = (n: number, blockSize: number) => {
      const viewers: Array<{ direct: number; blocks: number[] }> = [{ direct: 1, blocks: [] }];
      let count = 2 + 6; // { v0: viewer { id } }
      while (n - count > 19) {
        const viewer = viewers.at(-1)!;
        if (viewer.blocks.length < 10) {
          const size = Math.min(blockSize, n - count - 5);
          viewer.blocks.push(size);
          count += 5 + size;
        } else {
          viewers.push({ direct: 1, blocks: [] });
          count += 6;
        }
      }
      viewers.at(-1)!.direct += n - count;
      let block = 0;
      const query = `{ ${viewers
        .map(
          (v, i) =>
            `v${i}: viewer { ${leaves(viewerLeaves, v.direct)} ${v.blocks.map((b) => `m${block++}: imanage { ${leaves(imanageLeaves, b)} }`).join(' ')} }`,
        )
        .join(' ')} }`;
      expect(tokenCount(query)).toBe(n);
      return query;
    };
    await fc.assert(
      // At most 10 of each of the five leaves per block; 45 or more keeps the blocks' aliases within 50.
      fc.asyncProperty(fc.integer({ min: 45, max: 50 }), async (blockSize) => {
        await expectPasses(build(LIMITS.maxTokens, blockSize));
        await expectRefused(build(LIMITS.maxTokens + 1, blockSize), 'tokens');
      }),
      { numRuns: 10 },
    );
  });

  it(`directives: ${LIMITS.maxDirectives} pass, ${LIMITS.maxDirectives + 1} are refused`, async () => {
    const names = ['status', 'userId', 'customerId', 'scopes', '__typename'];
    const build = (n: number, doubles: number) => {
      const fields: string[] = [];
      let left = n;
      for (let i = 0; left > 0; i++) {
        const two = i < doubles && left >= 2;
        fields.push(`${names[i % names.length]} @include(if: true)${two ? ' @skip(if: false)' : ''}`);
        left -= two ? 2 : 1;
      }
      return `{ viewer { imanage { ${fields.join(' ')} } } }`;
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 11 }), async (doubles) => {
        await expectPasses(build(LIMITS.maxDirectives, doubles));
        await expectRefused(build(LIMITS.maxDirectives + 1, doubles), 'directives');
      }),
      { numRuns: 12 },
    );
  });

  it(`identical selections: ${LIMITS.maxIdenticalSelections} pass, ${LIMITS.maxIdenticalSelections + 1} are refused, aliased or not, through fragments`, async () => {
    // Each copy of __typename goes to the operation itself, an inline fragment, or a named fragment,
    // with or without an alias.
    const build = (placements: Array<[number, boolean]>) => {
      const parts: string[][] = [[], [], []];
      placements.forEach(([where, aliasIt], i) => parts[where]!.push(aliasIt ? `t${i}: __typename` : '__typename'));
      const [direct, inline, named] = parts as [string[], string[], string[]];
      return `{ ${direct.join(' ')} ... on Query { ${inline.join(' ')} __typename } ${named.length ? '...F' : ''} }${named.length ? ` fragment F on Query { ${named.join(' ')} }` : ''}`;
    };
    const placement = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean());
    await fc.assert(
      fc.asyncProperty(
        fc.array(placement, { minLength: LIMITS.maxIdenticalSelections + 1, maxLength: LIMITS.maxIdenticalSelections + 1 }),
        async (placements) => {
          // The inline fragment adds one copy of its own.
          await expectPasses(build(placements.slice(0, LIMITS.maxIdenticalSelections - 1)));
          await expectRefused(build(placements.slice(0, LIMITS.maxIdenticalSelections)), 'identicalSelections');
        },
      ),
      { numRuns: 20 },
    );
  });

  it(`cost: ${LIMITS.maxCost} passes, ${LIMITS.maxCost + 1} is refused (page sizes from variables)`, async () => {
    const [w1, w2] = stack.sandbox.ids.workspaces.ACTIVE_US!;
    // The estimate is reached under a folder without subfolders, so that the document that passes makes
    // a few real calls (the static limit is a guard far above MAX_UPSTREAM_CALLS_PER_OPERATION):
    // cost = 2 + a(1 + b(1 + c)) for the empty folder's three levels, + 2 + x(1 + y) and + 2 + r for
    // the two workspaces' folders; + 1 for the extra viewer.
    const query = (extra: boolean) => `query($a: Int, $b: Int, $c: Int, $x: Int, $y: Int, $r: Int) {
      folder(id: "${stack.sandbox.ids.emptyFolder}") { subfolders(first: $a) { edges { node {
        subfolders(first: $b) { edges { node { subfolders(first: $c) { edges { node { workspace { id } } } } } } } } } } }
      w1: workspace(id: "${w1}") { folders(first: $x) { edges { node { subfolders(first: $y) { edges { node { workspace { id } } } } } } } }
      w2: workspace(id: "${w2}") { folders(first: $r) { edges { node { workspace { id } } } } }
      ${extra ? 'viewer { id }' : ''} }`;
    /** Page sizes (each 1–100) that make the cost exactly maxCost, for a given `a`. */
    const variablesFor = (a: number) => {
      const target = LIMITS.maxCost - 6;
      const b = 100;
      for (let c = Math.min(100, Math.floor((target - a - a * b) / (a * b))); c >= 1; c--) {
        const rest = target - a - a * b - a * b * c; // = x(1 + y) + r
        for (let x = 100; x >= 1; x--) {
          const y = Math.min(100, Math.floor((rest - 1) / x) - 1);
          const r = rest - x * (1 + y);
          if (y >= 1 && r >= 1 && r <= 100) return { a, b, c, x, y, r };
        }
      }
      throw new Error(`no page sizes for a = ${a}`);
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 10, max: 100 }), async (a) => {
        const variables = variablesFor(a);
        for (const v of Object.values(variables)) expect(v).toBeGreaterThanOrEqual(1);
        for (const v of Object.values(variables)) expect(v).toBeLessThanOrEqual(100);
        expect(operationCost(schema, parse(query(false)), undefined, variables, costModel)).toBe(LIMITS.maxCost);
        expect(operationCost(schema, parse(query(true)), undefined, variables, costModel)).toBe(LIMITS.maxCost + 1);
        await expectPasses(query(false), variables);
        await expectRefused(query(true), 'cost', variables);
      }),
      { numRuns: 6 },
    );
  });

  it(`body size: ${LIMITS.maxRequestBodyBytes} bytes pass, one more is refused with 413, with or without content-length`, async () => {
    // Characters of 1 to 4 bytes in UTF-8, so bytes (not characters) are what is counted.
    const chars = ['a', 'é', '€', '😀'];
    const body = (bytes: number, seed: number[]) => {
      const base = JSON.stringify({ query: '{ viewer { id } }', variables: { pad: '' } });
      let left = bytes - Buffer.byteLength(base);
      let pad = '';
      for (let i = 0; left > 4; i++) {
        const c = chars[seed[i % seed.length]!]!;
        pad += c;
        left -= Buffer.byteLength(c);
      }
      pad += 'a'.repeat(left);
      const text = JSON.stringify({ query: '{ viewer { id } }', variables: { pad } });
      expect(Buffer.byteLength(text)).toBe(bytes);
      return text;
    };
    const streamed = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      return new ReadableStream({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 8192) controller.enqueue(bytes.slice(offset, offset + 8192));
          controller.close();
        },
      });
    };
    const send = (text: string, stream: boolean) =>
      raw(stack, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream ? streamed(text) : text });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 16 }), fc.boolean(), async (seed, stream) => {
        const fits = await send(body(LIMITS.maxRequestBodyBytes, seed), stream);
        expect(fits.status).toBe(200);
        expect(fits.json).toEqual({ data: { viewer: { id: 'demo' } } });
        const over = await send(body(LIMITS.maxRequestBodyBytes + 1, seed), stream);
        expect(over.status).toBe(413);
        expectLimit(over, 'bodySize');
      }),
      { numRuns: 10 },
    );
  });
});
