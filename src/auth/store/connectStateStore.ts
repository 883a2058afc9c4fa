/** The connect flow's short-lived rows: tickets, OAuth states and pending links, each single-use and capped per user. */
import { sql } from 'kysely';
import {
  checkKeep,
  checkPendingLink,
  checkState,
  checkTicket,
  codeVerifierAad,
  decryptPendingLink,
  encryptPendingLinkTokens,
  PurgeSchedule,
} from './common.js';
import { TokenDecryptionError, type TokenCipher } from './crypto.js';
import { readAccountColumns, type Database, type PendingLinksTable } from './database.js';
import type { ConnectStateStore, ConnectTicket, KeepNewest, OAuthState, PendingLink } from './types.js';

export class SqlConnectStateStore implements ConnectStateStore {
  private readonly purge = new PurgeSchedule();

  constructor(
    private readonly database: Database,
    private readonly cipher: TokenCipher,
    private readonly now: () => number,
  ) {}

  async saveTicket(ticket: ConnectTicket, limit: KeepNewest): Promise<void> {
    checkTicket(ticket);
    checkKeep(limit);
    const { db, codec } = this.database;
    const now = this.now();
    await this.purgeExpired(now);
    await db
      .insertInto('connect_tickets')
      .values({
        id: ticket.id,
        app_user_id: ticket.appUserId,
        return_to: ticket.returnTo,
        expires_at: codec.time(ticket.expiresAt),
        created_at: codec.time(now),
      })
      .execute();
    await this.dropOldest('connect_tickets', ticket.appUserId, limit.keep);
  }

  async consumeTicket(id: string): Promise<ConnectTicket | null> {
    const { db, codec } = this.database;
    const row = await db.deleteFrom('connect_tickets').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row || codec.date(row.expires_at).getTime() <= this.now()) return null;
    return { id: row.id, appUserId: row.app_user_id, returnTo: row.return_to, expiresAt: codec.date(row.expires_at) };
  }

  async saveState(state: OAuthState, limit: KeepNewest): Promise<void> {
    checkState(state);
    checkKeep(limit);
    const { db, codec } = this.database;
    const now = this.now();
    await this.purgeExpired(now);
    await db
      .insertInto('oauth_states')
      .values({
        id: state.id,
        app_user_id: state.appUserId,
        code_verifier_enc: this.cipher.encrypt(state.codeVerifier, codeVerifierAad(state.id)),
        return_to: state.returnTo,
        expires_at: codec.time(state.expiresAt),
        created_at: codec.time(now),
      })
      .execute();
    await this.dropOldest('oauth_states', state.appUserId, limit.keep);
  }

  async consumeState(id: string): Promise<OAuthState | null> {
    const { db, codec } = this.database;
    // Deleting and reading in one statement: of two concurrent consumers exactly one gets the row.
    const row = await db.deleteFrom('oauth_states').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row || codec.date(row.expires_at).getTime() <= this.now()) return null;
    return {
      id: row.id,
      appUserId: row.app_user_id,
      codeVerifier: this.cipher.decrypt(row.code_verifier_enc, codeVerifierAad(row.id)),
      returnTo: row.return_to,
      expiresAt: codec.date(row.expires_at),
    };
  }

  async savePendingLink(link: PendingLink, limit: KeepNewest): Promise<PendingLink[]> {
    checkPendingLink(link);
    checkKeep(limit);
    const { db, codec } = this.database;
    const encrypted = encryptPendingLinkTokens(this.cipher, link);
    await db
      .insertInto('pending_links')
      .values({
        id: link.id,
        app_user_id: link.appUserId,
        imanage_user_id: link.imanageUserId,
        customer_id: link.customerId,
        preferred_library: link.preferredLibrary,
        host_url: link.hostUrl,
        api_base_url: link.apiBaseUrl,
        scopes: codec.scopes(link.scopes),
        access_token_enc: encrypted.accessTokenEnc,
        access_token_expires_at: codec.time(link.accessTokenExpiresAt),
        refresh_token_enc: encrypted.refreshTokenEnc,
        expires_at: codec.time(link.expiresAt),
        created_at: codec.time(this.now()),
      })
      .execute();
    return this.decryptLinks(await this.dropOldest('pending_links', link.appUserId, limit.keep));
  }

  async takePendingLink(id: string): Promise<PendingLink | null> {
    const rows = await this.database.db.deleteFrom('pending_links').where('id', '=', id).returningAll().execute();
    return this.decryptLinks(rows)[0] ?? null;
  }

  async takeExpiredPendingLinks(max: number): Promise<PendingLink[]> {
    const { db, codec, kind } = this.database;
    const rows = await db
      .deleteFrom('pending_links')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('pending_links')
          .select('id')
          .where('expires_at', '<=', codec.time(this.now()))
          .orderBy('expires_at')
          .limit(Math.max(0, Math.trunc(max)))
          // PostgreSQL: instances sweeping at once take different links, and each link is revoked once.
          // SQLite has one writer at a time, and no such clause.
          .$if(kind === 'postgres', (query) => query.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
    return this.decryptLinks(rows);
  }

  /** Deletes (and answers) the user's rows of `table` beyond the newest `keep`, by insertion order. */
  private async dropOldest(table: 'connect_tickets' | 'oauth_states' | 'pending_links', appUserId: string, keep: number): Promise<PendingLinksTable[]> {
    // Typed as one of the three: the columns used here are in all of them.
    const name = table as 'pending_links';
    const { db, insertionOrder } = this.database;
    const order = sql.ref(insertionOrder);
    const newest = db.selectFrom(name).select(order.as('n')).where('app_user_id', '=', appUserId).orderBy(order, 'desc').limit(keep);
    return db.deleteFrom(name).where('app_user_id', '=', appUserId).where(order, 'not in', newest).returningAll().execute();
  }

  /** Links as records; one whose tokens do not decrypt (tampered, key removed) is left out: it was deleted already. */
  private decryptLinks(rows: PendingLinksTable[]): PendingLink[] {
    const { codec } = this.database;
    const links: PendingLink[] = [];
    for (const row of rows) {
      try {
        links.push(
          decryptPendingLink(this.cipher, {
            id: row.id,
            ...readAccountColumns(codec, row),
            expiresAt: codec.date(row.expires_at),
          }),
        );
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
      }
    }
    return links;
  }

  /** Expired tickets and states, at most once a minute; expired pending links wait for `takeExpiredPendingLinks` (their tokens need revoking). */
  private async purgeExpired(now: number): Promise<void> {
    if (!this.purge.due(now)) return;
    const { db, codec } = this.database;
    await db.deleteFrom('connect_tickets').where('expires_at', '<=', codec.time(now)).execute();
    await db.deleteFrom('oauth_states').where('expires_at', '<=', codec.time(now)).execute();
  }
}
