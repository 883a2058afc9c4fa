/** Download links already used, by `jti`: one download per link, across every instance on the database. */
import { checkId, PurgeSchedule } from './common.js';
import type { Database } from './database.js';
import type { DownloadLinkStore } from './types.js';

export class SqlDownloadLinkStore implements DownloadLinkStore {
  private readonly purge = new PurgeSchedule();

  constructor(
    private readonly database: Database,
    private readonly now: () => number,
  ) {}

  async use(link: { jti: string; appUserId: string; expiresAt: Date }): Promise<boolean> {
    checkId('jti', link.jti);
    checkId('appUserId', link.appUserId);
    if (!(link.expiresAt instanceof Date) || Number.isNaN(link.expiresAt.getTime())) throw new TypeError('Token store: expiresAt must be a valid Date');
    const { db, codec } = this.database;
    const now = this.now();
    await this.purgeExpired(now);
    // One statement: of two concurrent uses, the database lets exactly one insert.
    const inserted = await db
      .insertInto('used_download_links')
      .values({ jti: link.jti, app_user_id: link.appUserId, used_at: codec.time(now), expires_at: codec.time(link.expiresAt) })
      .onConflict((conflict) => conflict.column('jti').doNothing())
      .executeTakeFirst();
    return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async isUsed(jti: string): Promise<boolean> {
    checkId('jti', jti);
    const row = await this.database.db.selectFrom('used_download_links').select('jti').where('jti', '=', jti).executeTakeFirst();
    return row !== undefined;
  }

  async release(jti: string): Promise<void> {
    checkId('jti', jti);
    await this.database.db.deleteFrom('used_download_links').where('jti', '=', jti).execute();
  }

  private async purgeExpired(now: number): Promise<void> {
    if (!this.purge.due(now)) return;
    await this.database.db.deleteFrom('used_download_links').where('expires_at', '<=', this.database.codec.time(now)).execute();
  }
}
