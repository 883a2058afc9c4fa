import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for iManage tokens and other stored secrets.
 *
 * Envelope (v1), one ASCII string with no padding characters:
 *
 *   v1.<keyId>.<iv base64url>.<tag base64url>.<ciphertext base64url>
 *
 * AES-256-GCM, a 12-byte random IV per value, a 16-byte tag. The caller's associated data (AAD) is
 * authenticated but not stored: it names the value's owner and place (e.g.
 * `imanage-token:v1:<appUserId>:access_token`), so a ciphertext copied into another row or column
 * fails to decrypt. The envelope's version and key id are not in the AAD: the version fixes the
 * format and a different key id selects a different key, which fails authentication anyway.
 *
 * Nothing here logs, and no error message carries plaintext, key material or envelope contents.
 */

const ENVELOPE_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids travel inside envelopes, which are dot-separated: keep them short and dot-free. */
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;
const BASE64_KEY_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

export interface EncryptionKey {
  /** Stored in every envelope: letters, digits, `_` and `-`, at most 64 characters. */
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export interface TokenCipherOptions {
  /**
   * Test-only: where IVs come from (default: 12 bytes from `crypto.randomBytes`). Never set this in
   * production: reusing an IV under one key breaks GCM.
   */
  randomIv?: () => Buffer;
}

export type TokenDecryptionFailure = 'malformed' | 'unknown_key' | 'authentication_failed';

/** A stored secret could not be decrypted: wrong key, wrong owner (AAD), tampering, or not an envelope. */
export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';

  constructor(readonly reason: TokenDecryptionFailure) {
    super(
      reason === 'unknown_key'
        ? 'A stored credential is encrypted with a key that is not configured in TOKEN_ENCRYPTION_KEY'
        : 'A stored credential could not be decrypted',
    );
  }
}

/** Deterministic id for a key given without one: the first 8 hex digits of its SHA-256. */
export function deriveKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class TokenCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: { id: string; key: Buffer };
  private readonly randomIv: () => Buffer;

  /** The first key encrypts; every key decrypts the envelopes that name it. */
  constructor(keys: readonly EncryptionKey[], options: TokenCipherOptions = {}) {
    const first = keys[0];
    if (!first) throw new Error('TokenCipher needs at least one encryption key');
    const byId = new Map<string, Buffer>();
    for (const [index, { id, key }] of keys.entries()) {
      if (!KEY_ID_PATTERN.test(id)) {
        throw new Error(`Encryption key ${index + 1}: the id must be 1-64 letters, digits, "_" or "-"`);
      }
      if (key.length !== KEY_BYTES) {
        throw new Error(`Encryption key ${index + 1} ("${id}"): expected ${KEY_BYTES} bytes`);
      }
      if (byId.has(id)) throw new Error(`Encryption key ${index + 1}: the id "${id}" is used twice`);
      byId.set(id, Buffer.from(key)); // a private copy: the caller may wipe or reuse its buffer
    }
    this.keys = byId;
    this.current = { id: first.id, key: byId.get(first.id)! };
    this.randomIv = options.randomIv ?? (() => randomBytes(IV_BYTES));
  }

  /** The id of the key new envelopes are written with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = this.randomIv();
    if (iv.length !== IV_BYTES) throw new Error(`TokenCipher: the IV must be ${IV_BYTES} bytes`);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [ENVELOPE_VERSION, this.current.id, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Throws `TokenDecryptionError` unless `envelope` was made by `encrypt` with a known key and this `aad`. */
  decrypt(envelope: string, aad: string): string {
    const { keyId, iv, tag, ciphertext } = parseEnvelope(envelope);
    const key = this.keys.get(keyId);
    if (!key) throw new TokenDecryptionError('unknown_key');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      // Strict decoding: a valid tag over bytes that are not UTF-8 is still corrupt.
      const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
    } catch {
      // Node's own message says nothing secret, but it is replaced anyway: one generic error.
      throw new TokenDecryptionError('authentication_failed');
    }
  }

  /** True when the envelope is not written with the current (first) key, so the next write should re-encrypt. */
  needsReencryption(envelope: string): boolean {
    return envelopeKeyId(envelope) !== this.current.id;
  }
}

/** The id of the key an envelope was written with (its second field), read without decrypting. */
export function envelopeKeyId(envelope: string): string {
  return envelope.split('.', 3)[1] ?? '';
}

function parseEnvelope(envelope: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = envelope.split('.');
  if (parts.length !== 5) throw new TokenDecryptionError('malformed');
  const [version, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (version !== ENVELOPE_VERSION || !KEY_ID_PATTERN.test(keyId)) throw new TokenDecryptionError('malformed');
  if (![iv, tag, ciphertext].every((part) => BASE64URL_PATTERN.test(part))) {
    throw new TokenDecryptionError('malformed');
  }
  const decoded = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) throw new TokenDecryptionError('malformed');
  return decoded;
}

const EXPECTED_KEYS =
  'TOKEN_ENCRYPTION_KEY must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`), ' +
  'or a comma-separated list of id:base64 entries whose first key encrypts';

/**
 * Parses `TOKEN_ENCRYPTION_KEY`: either one base64 key (its id derived with `deriveKeyId`), or
 * `id:base64,id:base64,...` where the first entry encrypts and all decrypt (key rotation: put the
 * new key first, keep the old ones until every row has been rewritten). Standard or URL-safe base64,
 * padded or not. Errors say which entry is wrong and never repeat any of the value.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const trimmed = value.trim();
  if (trimmed === '') throw new Error(`${EXPECTED_KEYS}; it is empty`);
  if (!trimmed.includes(':') && !trimmed.includes(',')) {
    const key = decodeKey(trimmed);
    if (!key) throw new Error(`${EXPECTED_KEYS}; the value is not base64 of 32 bytes`);
    return [{ id: deriveKeyId(key), key }];
  }
  const entries = trimmed.split(',');
  const keys: EncryptionKey[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim();
    const where = `entry ${index + 1} of ${entries.length}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`${EXPECTED_KEYS}; ${where} is not of the form id:base64`);
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new Error(`${EXPECTED_KEYS}; ${where} has an id that is not 1-64 letters, digits, "_" or "-"`);
    }
    const key = decodeKey(entry.slice(colon + 1).trim());
    if (!key) throw new Error(`${EXPECTED_KEYS}; ${where} is not base64 of 32 bytes`);
    if (seen.has(id)) throw new Error(`${EXPECTED_KEYS}; ${where} repeats an id used before it`);
    seen.add(id);
    keys.push({ id, key });
  }
  return keys;
}

function decodeKey(text: string): Buffer | null {
  if (!BASE64_KEY_PATTERN.test(text)) return null;
  const key = Buffer.from(text, 'base64');
  return key.length === KEY_BYTES ? key : null;
}
