import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TokenCipher, type EncryptionKey } from '../../src/auth/store/crypto.js';
import type { NewConnection } from '../../src/auth/store/types.js';

/** Fixed keys: a store written in one test file must be readable by the same keys in another. */
export const KEY_A: EncryptionKey = { id: 'key-a', key: Buffer.alloc(32, 0xa1) };
export const KEY_B: EncryptionKey = { id: 'key-b', key: Buffer.alloc(32, 0xb2) };

export function testCipher(...keys: EncryptionKey[]): TokenCipher {
  return new TokenCipher(keys.length > 0 ? keys : [KEY_A]);
}

/** A unique id per call, so tests sharing one database never touch each other's rows. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Token strings that are easy to find in raw bytes and unlikely to appear by chance. */
export function secretToken(label: string): string {
  return `SECRET-${label}-${randomBytes(12).toString('hex')}`;
}

export function newConnection(appUserId: string, overrides: Partial<NewConnection> = {}): NewConnection {
  return {
    appUserId,
    imanageUserId: 'JSMITH',
    customerId: '5948',
    preferredLibrary: 'ACTIVE_US',
    hostUrl: 'https://cloudimanage.example',
    apiBaseUrl: 'https://cloudimanage.example/work/api/v2/customers/5948',
    scopes: ['user'],
    accessToken: secretToken('access'),
    accessTokenExpiresAt: new Date('2030-01-01T01:00:00.000Z'),
    refreshToken: secretToken('refresh'),
    ...overrides,
  };
}

/** A settable clock, in epoch ms, for expiry tests. */
export class TestClock {
  constructor(public t = Date.parse('2030-01-01T00:00:00.000Z')) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Gives a broken lock a real chance to let a second caller in. Only a missing exclusion can fail a
 * test because of it; a correct lock never does, however slow the machine.
 */
export function chanceToInterleave(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects after `ms`, so a deadlock fails with a message instead of the test timeout. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the test PostgreSQL answers. CI (CI=true) always runs the PostgreSQL tests, so an
 * unreachable server fails there instead of being skipped.
 */
export async function postgresAvailable(): Promise<boolean> {
  if (process.env.CI) return true;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A schema name of this test file's own, so parallel files never share tables. */
export function testSchemaName(label: string): string {
  return `token_store_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Closes stores for teardown. A test that failed while holding a refresh lock leaves a pool that
 * never drains: give up on it after a while so the schema or files are still removed.
 */
export async function closeAll(stores: Array<{ close(): Promise<void> }>): Promise<void> {
  await Promise.all(stores.splice(0).map((store) => within(store.close(), 5_000, 'close').catch(() => {})));
}
