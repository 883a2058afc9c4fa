/** Idempotency keys of mutations, per app user and iManage identity, with a time to live. */
import { checkId, checkScope, checkTtl, PurgeSchedule, toIdempotencyStatus } from './common.js';
import type { Database, IdempotencyKeysTable } from './database.js';
import type { IdempotencyKeyStore, IdempotencyRecord, IdempotencyScope } from './types.js';

export class SqlIdempotencyKeyStore implements IdempotencyKeyStore {
  private readonly purge = new PurgeSchedule();

  constructor(
    private readonly database: Database,
    private readonly now: () => number,
  ) {}

  async claimIdempotencyKey(
    record: IdempotencyScope & {
      key: string;
      requestHash: string;
      ttlSeconds: number;
    },
  ): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    checkScope(record);
    checkId('idempotency key', record.key);
    checkTtl(record.ttlSeconds);
    const { db, codec } = this.database;
    const now = this.now();
    await this.purgeExpired(now);
    const at = codec.time(now);
    const row = db
      .selectFrom('idempotency_keys')
      .where('app_user_id', '=', record.appUserId)
      .where('customer_id', '=', record.customerId)
      .where('imanage_user_id', '=', record.imanageUserId)
      .where('key', '=', record.key);
    // Each statement is atomic on its own; the loop covers a row released or expiring between the
    // INSERT that found it and the SELECT that reads it.
    for (let attempt = 0; attempt < 3; attempt++) {
      await db
        .deleteFrom('idempotency_keys')
        .where('app_user_id', '=', record.appUserId)
        .where('customer_id', '=', record.customerId)
        .where('imanage_user_id', '=', record.imanageUserId)
        .where('key', '=', record.key)
        .where('expires_at', '<=', at)
        .execute();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          app_user_id: record.appUserId,
          customer_id: record.customerId,
          imanage_user_id: record.imanageUserId,
          key: record.key,
          request_hash: record.requestHash,
          status: 'pending',
          response: null,
          created_at: at,
          expires_at: codec.time(now + Math.ceil(record.ttlSeconds * 1000)),
        })
        .onConflict((conflict) => conflict.columns(['app_user_id', 'customer_id', 'imanage_user_id', 'key']).doNothing())
        .executeTakeFirst();
      if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return { claimed: true };
      const existing = await row.selectAll().where('expires_at', '>', at).executeTakeFirst();
      if (existing) return { claimed: false, existing: this.record(existing) };
    }
    throw new Error('Token store: the idempotency key kept changing while it was claimed; try again');
  }

  async completeIdempotencyKey(scope: IdempotencyScope, key: string, response: string): Promise<void> {
    await this.database.db
      .updateTable('idempotency_keys')
      .set({ status: 'done', response })
      .where('app_user_id', '=', scope.appUserId)
      .where('customer_id', '=', scope.customerId)
      .where('imanage_user_id', '=', scope.imanageUserId)
      .where('key', '=', key)
      .execute();
  }

  async releaseIdempotencyKey(scope: IdempotencyScope, key: string): Promise<void> {
    await this.database.db
      .deleteFrom('idempotency_keys')
      .where('app_user_id', '=', scope.appUserId)
      .where('customer_id', '=', scope.customerId)
      .where('imanage_user_id', '=', scope.imanageUserId)
      .where('key', '=', key)
      .where('status', '=', 'pending')
      .execute();
  }

  private async purgeExpired(now: number): Promise<void> {
    if (!this.purge.due(now)) return;
    await this.database.db.deleteFrom('idempotency_keys').where('expires_at', '<=', this.database.codec.time(now)).execute();
  }

  private record(row: IdempotencyKeysTable): IdempotencyRecord {
    const { codec } = this.database;
    return {
      appUserId: row.app_user_id,
      customerId: row.customer_id,
      imanageUserId: row.imanage_user_id,
      key: row.key,
      requestHash: row.request_hash,
      status: toIdempotencyStatus(row.status),
      response: row.response,
      createdAt: codec.date(row.created_at),
      expiresAt: codec.date(row.expires_at),
    };
  }
}
