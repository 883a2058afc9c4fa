/**
 * What only PostgreSQL does for the stores: advisory locks, so that several instances sharing one
 * database refresh a user's tokens one at a time and apply migrations once. Locks are released by the
 * server if an instance dies.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { KeyedMutex } from './common.js';

const ignore = (): void => {};

export class PostgresLocks {
  /** Lock holders sit idle in a transaction while their work runs: a pool of their own, so they never starve queries. */
  private readonly pool: pg.Pool;
  /** Same-user callers in this instance queue here first, so they hold one lock connection, not many. */
  private readonly local = new KeyedMutex();

  constructor(
    connectionString: string,
    private readonly scope: string,
    poolSize: number,
  ) {
    this.pool = new pg.Pool({ connectionString, max: poolSize });
    this.pool.on('error', ignore);
  }

  /**
   * Holds `pg_advisory_xact_lock(hash of schema and app user id)` in a transaction on a connection from
   * the lock pool while `fn` runs; `fn`'s own queries go through the query pool and commit on their own.
   * If the lock's connection drops while `fn` runs, the lock is gone early: the compare-and-set in
   * `updateTokens` still keeps a second refresher from overwriting newer tokens.
   */
  withUserLock<T>(appUserId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(appUserId, async () => {
      const client = await this.pool.connect();
      // While fn runs the client sits idle in a transaction; a drop then is an 'error' event, not a rejection.
      client.on('error', ignore);
      let broken: Error | undefined;
      try {
        try {
          await client.query('BEGIN');
          await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey('refresh', this.scope, appUserId)]);
        } catch (error) {
          broken = error instanceof Error ? error : new Error('refresh lock failed'); // state unknown: discard
          throw error;
        }
        let result: T;
        try {
          result = await fn();
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        }
        await client.query('COMMIT').catch((commitError: Error) => {
          broken = commitError; // only the lock's empty transaction is lost; fn's work stands
        });
        return result;
      } finally {
        client.off('error', ignore);
        client.release(broken);
      }
    });
  }

  /**
   * A session lock around a whole migration run, on a lock connection: a second instance starting
   * at once waits here, then finds every migration recorded. Taken before CREATE SCHEMA, which is not
   * safe to race.
   */
  async whileMigrating(fn: () => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const key = advisoryKey('migrate', this.scope);
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch((error: Error) => {
          broken = error; // the session is unusable: destroy it, which also drops the lock
        });
      }
    } catch (error) {
      broken = error instanceof Error ? error : new Error('migration failed');
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** A signed 64-bit advisory lock key (as a decimal string) from SHA-256 of the parts. */
export function advisoryKey(...parts: string[]): string {
  const digest = createHash('sha256')
    .update(['imanage-token-store', ...parts].join('\u0000'))
    .digest();
  return digest.readBigInt64BE(0).toString();
}
