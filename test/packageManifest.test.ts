import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** What package.json promises operators (README "Dependencies"): the Node version, and only runtime packages in `dependencies`. */
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines?: { node?: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, unknown>;
};
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } }>;
};

describe('package.json', () => {
  it('states the Node version it runs on', () => {
    expect(manifest.engines?.node).toBe('>=20.19');
  });

  it('keeps build and test tools out of the runtime dependencies', () => {
    for (const tool of ['tsx', 'esbuild', 'typescript', 'vitest', '@graphql-codegen/cli', '@graphql-yoga/graphiql']) {
      expect(manifest.dependencies, tool).not.toHaveProperty(tool);
      expect(manifest.devDependencies, tool).toHaveProperty(tool);
    }
  });

  it('locks no package that declares Node 22 where an override gives a Node 20 one', () => {
    const locked = Object.entries(lock.packages).filter(([path]) => /node_modules\/(@whatwg-node\/promise-helpers|graphql)$/.test(path));
    expect(locked.length).toBeGreaterThan(0);
    for (const [path, entry] of locked) expect(entry.engines?.node ?? '', path).not.toMatch(/>=\s*22/);
  });
});
