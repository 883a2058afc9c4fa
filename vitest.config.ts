import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: keep parallel files to what the machine can run without starving servers.
    maxWorkers: 2,
  },
});
