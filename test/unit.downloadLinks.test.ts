import { hkdfSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadLinkRefusedError, DownloadLinks } from '../src/auth/downloadLinks.js';
import { openSqliteStore, type TokenStore } from '../src/auth/store/index.js';
import { TokenCipher } from '../src/auth/store/crypto.js';

/** Download links on their own: signing, binding, keys and their rotation, over a real (in-memory) token store. */

const OLD = { id: 'old', key: Buffer.alloc(32, 1) };
const NEW = { id: 'new', key: Buffer.alloc(32, 2) };
let store: TokenStore;
let t = Date.parse('2030-01-01T00:00:00Z');
const now = () => t;

beforeAll(async () => {
  store = openSqliteStore({ filename: ':memory:', cipher: new TokenCipher([OLD]) });
  await store.migrate();
});
afterAll(async () => {
  await store.close();
});

const links = (keys = [OLD]) => new DownloadLinks({ keys, publicUrl: 'https://graphql.example.com', ttlSeconds: 60, store: store.downloadLinks, now });
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof DownloadLinkRefusedError ? error.reason : error),
  );

describe('DownloadLinks', () => {
  it('makes a URL under PUBLIC_URL with the id as one escaped segment, and verifies what it signed', async () => {
    const url = await links().urlFor('alice', 'conn-1', 'R&D #2!12.1');
    expect(url).toMatch(/^https:\/\/graphql\.example\.com\/documents\/R%26D%20%232!12\.1\/download\?link=[\w-]+\.[\w-]+\.[\w-]+$/);
    const link = await links().verify(new URL(url).searchParams.get('link')!, 'R&D #2!12.1');
    expect(link).toMatchObject({ appUserId: 'alice', documentId: 'R&D #2!12.1', expiresAt: new Date(t + 60_000) });
    expect(link.jti).toMatch(/^[\w-]{24}$/);
    expect(links().madeFor(link, 'conn-1')).toBe(true);
    expect(links().madeFor(link, 'conn-2')).toBe(false);
  });

  it('names no iManage identity: the connection is a digest', async () => {
    const token = await links().sign('alice', 'alice\u00015948\u0001JSMITH', 'ACTIVE_US!1.1');
    const payload = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    expect(payload).not.toMatch(/JSMITH|5948/);
  });

  it('refuses another document (ids compared exactly), and expires after the TTL', async () => {
    const token = await links().sign('alice', 'c', 'ACTIVE_US!1.1');
    expect(await refusal(links().verify(token, 'active_us!1.1'))).toBe('wrong_document');
    expect(await refusal(links().verify(token, 'ACTIVE_US!1.2'))).toBe('wrong_document');
    t += 64_000; // within the 5 s tolerance
    expect(await refusal(links().verify(token, 'ACTIVE_US!1.1'))).toBeNull();
    t += 2_000;
    expect(await refusal(links().verify(token, 'ACTIVE_US!1.1'))).toBe('expired');
  });

  it('verifies under every configured key while they rotate, and refuses a key it does not hold', async () => {
    const fromOld = await links([OLD]).sign('alice', 'c', 'A!1.1');
    const fromNew = await links([NEW, OLD]).sign('alice', 'c', 'A!1.1');
    expect(await refusal(links([NEW, OLD]).verify(fromOld, 'A!1.1'))).toBeNull();
    expect(await refusal(links([OLD, NEW]).verify(fromNew, 'A!1.1'))).toBeNull();
    expect(await refusal(links([OLD]).verify(fromNew, 'A!1.1'))).toBe('bad_signature');
    // Another deployment's key under the same id does not verify.
    expect(await refusal(links([{ id: 'old', key: Buffer.alloc(32, 9) }]).verify(fromOld, 'A!1.1'))).toBe('bad_signature');
  });

  it('accepts only its own kind of token: a JWS under the same key without its type or audience is refused', async () => {
    // The key derivation is part of what instances must agree on: HKDF-SHA256, salt 'imanage-graphql', info 'download-link'.
    const key = new Uint8Array(hkdfSync('sha256', OLD.key, 'imanage-graphql', 'download-link', 32));
    const claims = { doc: 'A!1.1', conn: 'x' };
    const base = () =>
      new SignJWT(claims)
        .setSubject('alice')
        .setJti('j'.repeat(24))
        .setIssuedAt(t / 1000)
        .setExpirationTime(t / 1000 + 60);
    const genuine = await base()
      .setProtectedHeader({ alg: 'HS256', typ: 'imanage-download+jwt', kid: 'old' })
      .setAudience('imanage-graphql/download')
      .sign(key);
    expect(await refusal(links().verify(genuine, 'A!1.1'))).toBeNull();
    for (const token of [
      await base().setProtectedHeader({ alg: 'HS256', kid: 'old' }).setAudience('imanage-graphql/download').sign(key),
      await base().setProtectedHeader({ alg: 'HS256', typ: 'imanage-download+jwt', kid: 'old' }).sign(key),
      await base()
        .setProtectedHeader({ alg: 'HS512', typ: 'imanage-download+jwt', kid: 'old' })
        .setAudience('imanage-graphql/download')
        .sign(new Uint8Array(64)),
      'e30.e30.',
      'x'.repeat(5000),
      '',
    ]) {
      expect(await refusal(links().verify(token, 'A!1.1'))).not.toBeNull();
    }
  });

  it('is used once, released after a failure before any byte, and HEAD only reads', async () => {
    const link = await links().verify(await links().sign('alice', 'c', 'A!1.1'), 'A!1.1');
    expect(await links().isUsed(link)).toBe(false);
    expect(await links().use(link)).toBe(true);
    expect(await links().isUsed(link)).toBe(true);
    expect(await links().use(link)).toBe(false);
    await links().release(link);
    expect(await links().use(link)).toBe(true);
  });
});
