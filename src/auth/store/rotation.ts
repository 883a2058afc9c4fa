import { TokenDecryptionError } from './crypto.js';
import type { ConnectionStore } from './types.js';

/**
 * Key rotation of the stored iManage tokens (`TOKEN_ENCRYPTION_KEY=new:…,old:…`): which keys the rows
 * are under, and re-encrypting every row under the current key, so that an old key can be dropped
 * without disconnecting anyone. Connect tickets, states and pending links live minutes, not rows to
 * rotate: they are gone ten minutes after the rotation.
 */

export interface KeyUsage {
  /** Connections stored. */
  readonly connections: number;
  /** Connections per key id (a connection whose two tokens are under different keys counts under both). */
  readonly byKey: Readonly<Record<string, number>>;
  /** Connections with a token under a key that is not configured: they cannot be decrypted. */
  readonly unknown: { readonly connections: number; readonly keyIds: readonly string[] };
}

export async function keyUsage(store: ConnectionStore, configuredKeyIds: readonly string[]): Promise<KeyUsage> {
  const rows = await store.connectionKeys();
  const byKey: Record<string, number> = {};
  const unknownIds = new Set<string>();
  let unknown = 0;
  for (const row of rows) {
    for (const id of row.keyIds) byKey[id] = (byKey[id] ?? 0) + 1;
    const missing = row.keyIds.filter((id) => !configuredKeyIds.includes(id));
    if (missing.length > 0) unknown += 1;
    for (const id of missing) unknownIds.add(id);
  }
  return { connections: rows.length, byKey, unknown: { connections: unknown, keyIds: [...unknownIds].sort() } };
}

export interface RotationResult {
  /** Rows written again under the current key. */
  readonly reencrypted: number;
  /** Rows already under the current key, left alone. */
  readonly current: number;
  /** Rows that could not be decrypted (a key not configured, or damaged): left as they are. */
  readonly unreadable: number;
}

/**
 * Writes every connection not wholly under `currentKeyId` again with the same tokens, which the store
 * encrypts under the current key. A row changed meanwhile (a refresh wrote it: under the current key
 * already) is read again, at most three times.
 */
export async function reencryptConnections(store: ConnectionStore, currentKeyId: string): Promise<RotationResult> {
  let reencrypted = 0;
  let current = 0;
  let unreadable = 0;
  for (const { appUserId, keyIds } of await store.connectionKeys()) {
    if (keyIds.every((id) => id === currentKeyId)) {
      current += 1;
      continue;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      let row;
      try {
        row = await store.get(appUserId);
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
        unreadable += 1;
        break;
      }
      if (!row) break; // deleted meanwhile
      const written = await store.updateTokens(appUserId, row.version, {
        accessToken: row.accessToken,
        accessTokenExpiresAt: row.accessTokenExpiresAt,
        refreshToken: row.refreshToken,
      });
      if (written) {
        reencrypted += 1;
        break;
      }
    }
  }
  return { reencrypted, current, unreadable };
}
