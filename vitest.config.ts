import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships both index.mjs ("module") and index.js ("main") without an exports map. Node
    // (and so graphql-yoga) loads index.js; Vite would pick index.mjs for our sources, giving two
    // copies of graphql and breaking `instanceof GraphQLError`. Resolve it the way Node does.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: keep parallel files to what the machine can run without starving servers.
    maxWorkers: 2,
    // A test that checks nothing fails: every test must call `expect` at least once.
    // `expect.poll` waits for what a browser or a server does next: on a loaded CI machine that can take
    // more than vitest's default second. A longer wait only delays a failure.
    expect: { requireAssertions: true, poll: { timeout: 10_000 } },
  },
});
