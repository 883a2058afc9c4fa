import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenCipher, TokenDecryptionError, deriveKeyId, parseEncryptionKeys } from '../../src/auth/store/crypto.js';

const VECTOR = {
  key: Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'),
  keyId: 'k2024',
  iv: Buffer.from('cafebabefacedbaddecaf888', 'hex'),
  aad: 'imanage-token:v1:user-1:access_token',
  plaintext: 'ya29.example-access-token',
  // Written by this code once, and checked against an independent AES-GCM implementation (Python's
  // `cryptography`). Never change it: stored tokens must keep decrypting.
  envelope: 'v1.k2024.yv66vvrO263eyviI.ejvbR2KqKns0H4yWJvRN3A.88KSH4QfN3orezG4VnzqXGhTs3yrdgERIA',
};

const key = (byte: number): Buffer => Buffer.alloc(32, byte);
const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('TokenCipher', () => {
  it('produces the fixed test vector, and decrypts it', () => {
    const cipher = new TokenCipher([{ id: VECTOR.keyId, key: VECTOR.key }], { randomIv: () => Buffer.from(VECTOR.iv) });
    expect(cipher.encrypt(VECTOR.plaintext, VECTOR.aad)).toBe(VECTOR.envelope);
    const reader = new TokenCipher([{ id: VECTOR.keyId, key: VECTOR.key }]);
    expect(reader.decrypt(VECTOR.envelope, VECTOR.aad)).toBe(VECTOR.plaintext);
  });

  it('uses a fresh IV per value', () => {
    const cipher = new TokenCipher([{ id: 'k', key: key(1) }]);
    const a = cipher.encrypt('same', 'aad');
    const b = cipher.encrypt('same', 'aad');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(cipher.decrypt(a, 'aad')).toBe('same');
    expect(cipher.decrypt(b, 'aad')).toBe('same');
  });

  it('round-trips any text, and refuses any other associated data', () => {
    const cipher = new TokenCipher([{ id: 'k', key: key(2) }]);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), fc.string(), (plaintext, aad, otherAad) => {
        const envelope = cipher.encrypt(plaintext, aad);
        expect(envelope).toMatch(/^v1\.k\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
        expect(cipher.decrypt(envelope, aad)).toBe(plaintext);
        if (otherAad !== aad) expect(() => cipher.decrypt(envelope, otherAad)).toThrow(TokenDecryptionError);
      }),
      { numRuns: 200 },
    );
  });

  it('fails on the wrong associated data with a generic error', () => {
    const cipher = new TokenCipher([{ id: VECTOR.keyId, key: VECTOR.key }]);
    const error = errorOf(() => cipher.decrypt(VECTOR.envelope, 'imanage-token:v1:user-2:access_token'));
    expect(error).toBeInstanceOf(TokenDecryptionError);
    expect(error).toMatchObject({ name: 'TokenDecryptionError', reason: 'authentication_failed' });
    const shown = `${String(error)} ${JSON.stringify(error)}`;
    for (const secret of [VECTOR.plaintext, VECTOR.envelope, VECTOR.key.toString('base64'), VECTOR.key.toString('hex'), 'ejvbR2KqKns0H4yWJvRN3A']) {
      expect(shown).not.toContain(secret);
    }
  });

  it('fails on a tampered tag, IV or ciphertext, and on anything that is not a v1 envelope', () => {
    const cipher = new TokenCipher([{ id: VECTOR.keyId, key: VECTOR.key }]);
    const [version, id, iv, tag, ct] = VECTOR.envelope.split('.') as [string, string, string, string, string];
    const flip = (part: string): string => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0]! ^= 0x01;
      return bytes.toString('base64url');
    };
    const authenticationFailures = [
      [version, id, iv, flip(tag), ct],
      [version, id, flip(iv), tag, ct],
      [version, id, iv, tag, flip(ct)],
      [version, id, iv, tag, ct.slice(0, -2)],
    ];
    for (const parts of authenticationFailures) {
      expect(errorOf(() => cipher.decrypt(parts.join('.'), VECTOR.aad))).toMatchObject({ reason: 'authentication_failed' });
    }
    const malformed = [
      '',
      'not an envelope',
      ['v2', id, iv, tag, ct].join('.'),
      [version, id, iv, tag].join('.'),
      [version, id, iv, tag, ct, 'extra'].join('.'),
      [version, id, iv, tag.slice(0, -2), ct].join('.'), // a 15-byte tag: GCM would accept short tags
      [version, id, iv.slice(0, -2), tag, ct].join('.'),
      [version, id, iv, tag, `${ct}=`].join('.'),
      [version, '', iv, tag, ct].join('.'),
    ];
    for (const envelope of malformed) {
      expect(
        errorOf(() => cipher.decrypt(envelope, VECTOR.aad)),
        envelope,
      ).toMatchObject({ reason: 'malformed' });
    }
  });

  it('rotates keys: the first encrypts, all decrypt, and old envelopes need re-encryption', () => {
    const oldCipher = new TokenCipher([{ id: 'old', key: key(3) }]);
    const oldEnvelope = oldCipher.encrypt('token', 'aad');

    const rotated = new TokenCipher([
      { id: 'new', key: key(4) },
      { id: 'old', key: key(3) },
    ]);
    expect(rotated.currentKeyId).toBe('new');
    expect(rotated.decrypt(oldEnvelope, 'aad')).toBe('token');
    expect(rotated.needsReencryption(oldEnvelope)).toBe(true);
    const newEnvelope = rotated.encrypt('token', 'aad');
    expect(newEnvelope.split('.')[1]).toBe('new');
    expect(rotated.needsReencryption(newEnvelope)).toBe(false);
    expect(oldCipher.needsReencryption(oldEnvelope)).toBe(false);

    const newOnly = new TokenCipher([{ id: 'new', key: key(4) }]);
    expect(newOnly.decrypt(newEnvelope, 'aad')).toBe('token');
    expect(errorOf(() => newOnly.decrypt(oldEnvelope, 'aad'))).toMatchObject({ reason: 'unknown_key' });

    // The same id on a different key (a botched rotation) is a failure, not garbage.
    const impostor = new TokenCipher([{ id: 'old', key: key(5) }]);
    expect(errorOf(() => impostor.decrypt(oldEnvelope, 'aad'))).toMatchObject({ reason: 'authentication_failed' });
  });

  it('refuses bad key sets without showing the key bytes', () => {
    const secret = key(0x5a);
    const cases: Array<() => unknown> = [
      () => new TokenCipher([]),
      () => new TokenCipher([{ id: 'short', key: secret.subarray(0, 16) }]),
      () => new TokenCipher([{ id: 'has.dot', key: secret }]),
      () => new TokenCipher([{ id: '', key: secret }]),
      () =>
        new TokenCipher([
          { id: 'same', key: secret },
          { id: 'same', key: key(1) },
        ]),
    ];
    for (const make of cases) {
      const error = errorOf(make);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).not.toContain(secret.toString('base64'));
      expect(String(error)).not.toContain(secret.subarray(0, 16).toString('base64'));
    }
  });

  it('keeps its own copy of the keys', () => {
    const material = key(6);
    const cipher = new TokenCipher([{ id: 'k', key: material }]);
    const envelope = cipher.encrypt('token', 'aad');
    material.fill(0);
    expect(cipher.decrypt(envelope, 'aad')).toBe('token');
  });
});

describe('parseEncryptionKeys', () => {
  const material = Buffer.from('8f1c0a6e54b3d2917aa0c4e3f5b6d7e8091a2b3c4d5e6f708192a3b4c5d6e7f8', 'hex');
  const b64 = material.toString('base64');
  const other = Buffer.alloc(32, 0x42);

  it('reads one base64 key, deriving its id from its SHA-256', () => {
    const expectedId = createHash('sha256').update(material).digest('hex').slice(0, 8);
    expect(deriveKeyId(material)).toBe(expectedId);
    for (const text of [b64, `  ${b64}\n`, b64.replace(/=+$/, ''), material.toString('base64url')]) {
      expect(parseEncryptionKeys(text)).toEqual([{ id: expectedId, key: material }]);
    }
  });

  it('reads a list of id:base64 entries, first one first', () => {
    const keys = parseEncryptionKeys(`2025-06:${other.toString('base64')}, 2024_01 : ${b64}`);
    expect(keys).toEqual([
      { id: '2025-06', key: other },
      { id: '2024_01', key: material },
    ]);
    const cipher = new TokenCipher(keys);
    expect(cipher.currentKeyId).toBe('2025-06');
    expect(parseEncryptionKeys(`only:${b64}`)).toEqual([{ id: 'only', key: material }]);
  });

  it('refuses malformed values with a message naming TOKEN_ENCRYPTION_KEY and never the key material', () => {
    const short = material.subarray(0, 31).toString('base64');
    const long = Buffer.concat([material, material]).toString('base64');
    const bad = [
      '',
      '   ',
      'not base64!',
      short,
      long,
      material.toString('hex'),
      `${b64},`,
      `a:${b64},b`,
      `:${b64}`,
      `bad.id:${b64}`,
      `bad id:${b64}`,
      `a:${b64},a:${other.toString('base64')}`,
      `a:${short}`,
      `a:${b64}:extra`,
      `a:${b64};b:${b64}`,
    ];
    for (const value of bad) {
      const error = errorOf(() => parseEncryptionKeys(value));
      expect(error, value).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(/^TOKEN_ENCRYPTION_KEY must be base64 of 32 random bytes/);
      for (const secret of [
        b64,
        b64.slice(0, 12),
        short.slice(0, 12),
        long.slice(0, 12),
        material.toString('hex').slice(0, 12),
        other.toString('base64').slice(0, 12),
      ]) {
        expect(message, value).not.toContain(secret);
      }
    }
  });

  it('never repeats any part of a rejected value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6 }), (value) => {
        let message: string;
        try {
          parseEncryptionKeys(value);
          return;
        } catch (error) {
          message = (error as Error).message;
        }
        const probe = value.trim();
        if (probe.length >= 6) expect(message).not.toContain(probe);
      }),
      { numRuns: 300 },
    );
  });
});
