import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore, type EncryptionKey, type TokenStore } from '../../src/auth/store/index.js';
import { keyUsage, reencryptConnections } from '../../src/auth/store/rotation.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { KEY_A, KEY_B, POSTGRES_URL, closeAll, dropSchema, newConnection, postgresAvailable, testCipher, testSchemaName } from './helpers.js';

/**
 * Key rotation (`npm run rotate-keys`): every stored connection is re-encrypted under the current key,
 * so that the old key can then be dropped without disconnecting anyone; rows under a key nobody holds
 * any more are counted, with their key ids.
 */

const KEY_C: EncryptionKey = { id: 'key-c', key: Buffer.alloc(32, 0xc3) };
const pgAvailable = await postgresAvailable();

let dir: string;
const stores: TokenStore[] = [];
const schemas: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-store-rotation-'));
});
afterAll(async () => {
  await closeAll(stores);
  for (const schema of schemas) await dropSchema(schema);
  await rm(dir, { recursive: true, force: true });
});

const targets = [
  { name: 'SQLite', url: () => join(dir, `rotation-${stores.length}.sqlite`), options: () => ({}) },
  ...(pgAvailable
    ? [
        {
          name: 'PostgreSQL',
          url: () => POSTGRES_URL,
          options: () => {
            const schema = testSchemaName('rotation');
            schemas.push(schema);
            return { postgresSchema: schema };
          },
        },
      ]
    : []),
];

describe.each(targets)('key rotation on $name', (target) => {
  it('moves every connection to the current key, so the old key can be dropped; counts what no key opens', async () => {
    const url = target.url();
    const options = target.options();
    const open = async (...keys: EncryptionKey[]) => {
      const store = await createTokenStore(url, testCipher(...keys), options);
      stores.push(store);
      return store;
    };

    const underA = await open(KEY_A);
    await underA.connections.save(newConnection('ada'));
    await underA.connections.save(newConnection('bob', { refreshToken: null }));
    const underC = await open(KEY_C);
    await underC.connections.save(newConnection('cy'));

    const rotating = await open(KEY_B, KEY_A);
    expect(await keyUsage(rotating.connections, ['key-b', 'key-a'])).toEqual({
      connections: 3,
      byKey: { 'key-a': 2, 'key-c': 1 },
      unknown: { connections: 1, keyIds: ['key-c'] },
    });
    const before = await rotating.connections.get('ada');

    expect(await reencryptConnections(rotating.connections, 'key-b')).toEqual({ reencrypted: 2, current: 0, unreadable: 1 });
    expect(await keyUsage(rotating.connections, ['key-b', 'key-a'])).toEqual({
      connections: 3,
      byKey: { 'key-b': 2, 'key-c': 1 },
      unknown: { connections: 1, keyIds: ['key-c'] },
    });
    // Run again: nothing left to do.
    expect(await reencryptConnections(rotating.connections, 'key-b')).toEqual({ reencrypted: 0, current: 2, unreadable: 1 });

    // The old key dropped: the same tokens, status and expiry, read under the new key alone.
    const onlyB = await open(KEY_B);
    const after = await onlyB.connections.get('ada');
    expect(after).toMatchObject({
      accessToken: before!.accessToken,
      refreshToken: before!.refreshToken,
      status: 'connected',
      accessTokenExpiresAt: before!.accessTokenExpiresAt,
    });
    expect((await onlyB.connections.get('bob'))!.refreshToken).toBeNull();
  });
});

describe('npm run rotate-keys and the start-up report', () => {
  const keyEnv = (...keys: EncryptionKey[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

  it('the command re-encrypts under the first key and reports by key; start-up warns of rows under keys not configured', async () => {
    const file = join(dir, 'command.sqlite');
    const seed = await createTokenStore(file, testCipher(KEY_A));
    await seed.connections.save(newConnection('ada'));
    await seed.close();
    const seedC = await createTokenStore(file, testCipher(KEY_C));
    await seedC.connections.save(newConnection('cy'));
    await seedC.close();

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rotate-keys.ts'], {
      env: { PATH: process.env.PATH, DATABASE_URL: file, TOKEN_ENCRYPTION_KEY: keyEnv(KEY_B, KEY_A), LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2); // one row no configured key opens
    expect(JSON.parse(run.stdout)).toEqual({
      currentKey: 'key-b',
      reencrypted: 1,
      current: 0,
      unreadable: 1,
      byKey: { 'key-b': 1, 'key-c': 1 },
      unknownKeys: { connections: 1, keyIds: ['key-c'] },
    });

    const lines: Array<{ level: number; msg: string; connections?: number; keyIds?: string[] }> = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const config = loadConfig({ DATABASE_URL: file, TOKEN_ENCRYPTION_KEY: keyEnv(KEY_B), PORT: '0' });
    const services = await createServices(config, createLogger('info', sink), {
      hostUrl: 'http://127.0.0.1:9',
      oauth: { clientId: 'c', clientSecret: 's' },
      allowHttp: true,
    });
    await services.close();
    expect(lines.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ connections: 1, keyIds: ['key-c'] })]);
  }, 40_000);
});
