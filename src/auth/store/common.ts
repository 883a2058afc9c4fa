import { envelopeKeyId, type TokenCipher } from './crypto.js';
import type {
  ConnectionRecord,
  ConnectionStatus,
  ConnectTicket,
  IdempotencyRecord,
  IdempotencyScope,
  KeepNewest,
  NewConnection,
  OAuthState,
  PendingLink,
} from './types.js';

/**
 * What the stores share: the associated data that binds each ciphertext to its place, encrypting and
 * decrypting records, the per-user mutex, and input checks. Nothing here touches a database.
 */

type TokenField = 'access_token' | 'refresh_token';

/** The distinct key ids of a connection's token envelopes (access, then refresh when stored). */
export function envelopeKeyIds(accessTokenEnc: string, refreshTokenEnc: string | null): string[] {
  return [...new Set([accessTokenEnc, ...(refreshTokenEnc === null ? [] : [refreshTokenEnc])].map(envelopeKeyId))];
}

/**
 * AAD for a token column. The user id sits between a fixed prefix and a fixed field name, so it needs
 * no escaping: a value moved to another user's row, or to the other token column, fails to decrypt.
 */
export function tokenAad(appUserId: string, field: TokenField): string {
  return `imanage-token:v1:${appUserId}:${field}`;
}

/** AAD for an OAuth state's PKCE code verifier: bound to the state id. */
export function codeVerifierAad(stateId: string): string {
  return `imanage-oauth-state:v1:${stateId}:code_verifier`;
}

/**
 * AAD for a pending link's token: bound to the link, its app user and the column (JSON, so that no
 * choice of ids can make two different triples read alike). A token moved to another link, or to a
 * connection row, fails to decrypt.
 */
export function pendingLinkAad(linkId: string, appUserId: string, field: TokenField): string {
  return `imanage-pending-link:v1:${JSON.stringify([linkId, appUserId, field])}`;
}

export function encryptPendingLinkTokens(cipher: TokenCipher, link: PendingLink): EncryptedTokens {
  return {
    accessTokenEnc: cipher.encrypt(link.accessToken, pendingLinkAad(link.id, link.appUserId, 'access_token')),
    refreshTokenEnc: link.refreshToken === null ? null : cipher.encrypt(link.refreshToken, pendingLinkAad(link.id, link.appUserId, 'refresh_token')),
  };
}

/** A pending link row as both databases hold it, types normalised. */
export interface StoredPendingLink extends Omit<PendingLink, 'accessToken' | 'refreshToken'>, EncryptedTokens {}

/** Throws `TokenDecryptionError` when a token does not belong to the link. */
export function decryptPendingLink(cipher: TokenCipher, row: StoredPendingLink): PendingLink {
  const { accessTokenEnc, refreshTokenEnc, ...rest } = row;
  return {
    ...rest,
    accessToken: cipher.decrypt(accessTokenEnc, pendingLinkAad(row.id, row.appUserId, 'access_token')),
    refreshToken: refreshTokenEnc === null ? null : cipher.decrypt(refreshTokenEnc, pendingLinkAad(row.id, row.appUserId, 'refresh_token')),
  };
}

/** A connection row as both databases hold it, with their types already normalised. */
export interface StoredConnection {
  appUserId: string;
  imanageUserId: string;
  customerId: string;
  preferredLibrary: string | null;
  hostUrl: string;
  apiBaseUrl: string;
  scopes: string[];
  accessTokenEnc: string;
  accessTokenExpiresAt: Date;
  refreshTokenEnc: string | null;
  status: ConnectionStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EncryptedTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
}

export function encryptTokens(cipher: TokenCipher, appUserId: string, tokens: { accessToken: string; refreshToken: string | null }): EncryptedTokens {
  return {
    accessTokenEnc: cipher.encrypt(tokens.accessToken, tokenAad(appUserId, 'access_token')),
    refreshTokenEnc: tokens.refreshToken === null ? null : cipher.encrypt(tokens.refreshToken, tokenAad(appUserId, 'refresh_token')),
  };
}

/** A stored connection as a record; throws `TokenDecryptionError` when a token does not belong to the row. */
export function decryptConnection(cipher: TokenCipher, row: StoredConnection): ConnectionRecord {
  const { accessTokenEnc, refreshTokenEnc, ...rest } = row;
  return {
    ...rest,
    accessToken: cipher.decrypt(accessTokenEnc, tokenAad(row.appUserId, 'access_token')),
    refreshToken: refreshTokenEnc === null ? null : cipher.decrypt(refreshTokenEnc, tokenAad(row.appUserId, 'refresh_token')),
  };
}

export function toConnectionStatus(value: string): ConnectionStatus {
  if (value === 'connected' || value === 'reauth_required') return value;
  throw new Error('Token store: a connection row has an unknown status');
}

export function toIdempotencyStatus(value: string): IdempotencyRecord['status'] {
  if (value === 'pending' || value === 'done') return value;
  throw new Error('Token store: an idempotency row has an unknown status');
}

/** Input checks shared by both stores. Messages name the field, never its value. */
export function checkNewConnection(connection: NewConnection): void {
  checkId('appUserId', connection.appUserId);
  checkDate('accessTokenExpiresAt', connection.accessTokenExpiresAt);
  if (typeof connection.accessToken !== 'string' || connection.accessToken === '') {
    throw new TypeError('Token store: accessToken must be a non-empty string');
  }
  if (connection.refreshToken !== null && typeof connection.refreshToken !== 'string') {
    throw new TypeError('Token store: refreshToken must be a string or null');
  }
  if (!Array.isArray(connection.scopes) || !connection.scopes.every((s) => typeof s === 'string')) {
    throw new TypeError('Token store: scopes must be an array of strings');
  }
}

export function checkTokenUpdate(update: { accessToken: string; accessTokenExpiresAt: Date; refreshToken: string | null; scopes?: string[] }): void {
  checkDate('accessTokenExpiresAt', update.accessTokenExpiresAt);
  if (typeof update.accessToken !== 'string' || update.accessToken === '') {
    throw new TypeError('Token store: accessToken must be a non-empty string');
  }
  if (update.scopes !== undefined && (!Array.isArray(update.scopes) || !update.scopes.every((s) => typeof s === 'string'))) {
    throw new TypeError('Token store: scopes must be an array of strings');
  }
}

export function checkState(state: OAuthState): void {
  checkId('state id', state.id);
  checkId('appUserId', state.appUserId);
  checkDate('expiresAt', state.expiresAt);
}

export function checkTicket(ticket: ConnectTicket): void {
  checkId('ticket id', ticket.id);
  checkId('appUserId', ticket.appUserId);
  checkDate('expiresAt', ticket.expiresAt);
}

export function checkPendingLink(link: PendingLink): void {
  checkId('link id', link.id);
  checkNewConnection(link);
  checkDate('expiresAt', link.expiresAt);
}

export function checkKeep(limit: KeepNewest): void {
  if (!Number.isSafeInteger(limit.keep) || limit.keep < 1) throw new RangeError('Token store: keep must be a positive integer');
}

export function checkScope(scope: IdempotencyScope): void {
  checkId('appUserId', scope.appUserId);
  checkId('customerId', scope.customerId);
  checkId('imanageUserId', scope.imanageUserId);
}

export function checkTtl(ttlSeconds: number): void {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError('Token store: ttlSeconds must be a positive number');
  }
}

export function checkId(name: string, value: string): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Token store: ${name} must be a non-empty string`);
}

function checkDate(name: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`Token store: ${name} must be a valid Date`);
  }
}

/**
 * Runs tasks one at a time per key, in arrival order; different keys run in parallel. Keys with no
 * task running or waiting take no memory.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * Expired tickets, OAuth states, idempotency keys and used download links are deleted lazily, at most once a minute per
 * store. Expired pending links are not: their tokens must be revoked first (`takeExpiredPendingLinks`).
 */
export class PurgeSchedule {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs = 60_000) {}

  due(now: number): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
