import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from './helpers/stack.js';

/**
 * A token store the operator must fix stops start-up with one line on stderr naming DATABASE_URL, exit
 * code 1, no stack trace; in sandbox mode the simulator started before it is closed again.
 */

const dir = mkdtempSync(join(tmpdir(), 'imanage-graphql-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('start-up with a DATABASE_URL that cannot be used', () => {
  it('sandbox mode, a folder: one line, exit 1', () => {
    const result = start({ DATABASE_URL: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`DATABASE_URL is invalid: ${dir} is a folder; name a SQLite file in it.\n`);
  });

  it('production settings, PostgreSQL unreachable: one line without the password, exit 1', () => {
    const result = start({
      IMANAGE_BASE_URL: 'https://imanage.invalid',
      IMANAGE_CLIENT_ID: 'client',
      IMANAGE_CLIENT_SECRET: 'secret',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DATABASE_URL: 'postgres://app:hunter2-secret@127.0.0.1:1/db',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('DATABASE_URL: PostgreSQL at 127.0.0.1:1 refused the connection; is the server running?\n');
  });
});

describe('sandbox mode keeps its state apart', () => {
  it("uses a database of its own that lives and dies with its simulator, not production's default file", () => {
    expect(loadConfig({}).databaseUrl).toBe('sqlite::memory:');
    const production = {
      IMANAGE_BASE_URL: 'https://imanage.invalid',
      IMANAGE_CLIENT_ID: 'c',
      IMANAGE_CLIENT_SECRET: 's',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    };
    expect(loadConfig(production).databaseUrl).toBe('./data/imanage-graphql.sqlite');
  });
});
