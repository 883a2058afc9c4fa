import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppTokenVerifier, InvalidAppTokenError, parsePublicKey, type AppTokenRefusal } from '../src/auth/appTokens.js';
import { loadConfig } from '../src/config.js';

/** App user tokens: HS256, RS256 and ES256 keys, JWKS, exp/iss/aud, clock skew, lifetime and `sub`. */

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const reject = async (verifier: AppTokenVerifier, token: string, reason?: AppTokenRefusal) => {
  const error = await verifier.verify(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidAppTokenError);
  if (reason) expect((error as InvalidAppTokenError).reason).toBe(reason);
  // The description goes into a WWW-Authenticate header: RFC 6750's characters only, nothing of the token.
  expect((error as InvalidAppTokenError).description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  for (const part of token.split('.')) if (part.length > 8) expect((error as InvalidAppTokenError).description).not.toContain(part);
};

describe('HS256', () => {
  const secret = new TextEncoder().encode('s'.repeat(40));
  const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret }, issuer: 'https://app.example', audience: 'imanage-graphql', maxAgeSeconds: HOUR });
  const sign = (claims: Record<string, unknown>, exp: number, alg = 'HS256') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setSubject('u1')
      .setIssuer('https://app.example')
      .setAudience('imanage-graphql')
      .setExpirationTime(exp)
      .sign(secret);

  it('accepts a good token and allows a small clock skew', async () => {
    expect(await verifier.verify(await sign({}, now() + 60))).toEqual({ id: 'u1' });
    expect(await verifier.verify(await sign({}, now() - 10))).toEqual({ id: 'u1' });
  });

  it('refuses expiry beyond the skew, a wrong issuer or audience, and other algorithms', async () => {
    await reject(verifier, await sign({}, now() - 120), 'expired');
    await reject(
      verifier,
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u1')
        .setIssuer('https://evil.example')
        .setAudience('imanage-graphql')
        .setExpirationTime('1m')
        .sign(secret),
      'wrong_issuer',
    );
    await reject(
      verifier,
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u1')
        .setIssuer('https://app.example')
        .setAudience('other')
        .setExpirationTime('1m')
        .sign(secret),
      'wrong_audience',
    );
    await reject(verifier, await sign({}, now() + 60, 'HS512'), 'algorithm_not_allowed');
    await reject(verifier, 'x'.repeat(9000), 'malformed');
    await reject(verifier, 'not.a.jwt', 'malformed');
    await reject(
      verifier,
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u1')
        .setIssuer('https://app.example')
        .setAudience('imanage-graphql')
        .setExpirationTime('1m')
        .sign(new TextEncoder().encode('o'.repeat(40))),
      'bad_signature',
    );
    await reject(verifier, await sign({ nbf: now() + 600 }, now() + 900), 'not_yet_valid');
    const noIssuer = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setAudience('imanage-graphql')
      .setExpirationTime('1m')
      .sign(secret);
    const refusal = await verifier.verify(noIssuer).catch((e: InvalidAppTokenError) => e);
    expect(refusal).toMatchObject({ reason: 'missing_claim', description: 'The token lacks the required iss claim.' });
  });
});

describe('lifetime and subject', () => {
  const secret = new TextEncoder().encode('l'.repeat(40));
  const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret }, maxAgeSeconds: HOUR });
  /** A token with exactly these claims (any of them may be absurd: jose's builder would refuse some). */
  const forge = async (claims: Record<string, unknown>) => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(typeof claims === 'string' ? claims : JSON.stringify(claims)).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  };
  const forgeRaw = async (json: string) => forge(json as unknown as Record<string, unknown>);

  it('accepts a lifetime up to AUTH_JWT_MAX_AGE, with or without iat', async () => {
    expect(await verifier.verify(await forge({ sub: 'u', iat: now(), exp: now() + HOUR }))).toEqual({ id: 'u' });
    expect(await verifier.verify(await forge({ sub: 'u', exp: now() + HOUR }))).toEqual({ id: 'u' });
    // Issued a while ago, within the lifetime: what a client reusing its token sends.
    expect(await verifier.verify(await forge({ sub: 'u', iat: now() - 1800, exp: now() + 1800 }))).toEqual({ id: 'u' });
  });

  it('refuses a token claiming more: exp − iat or exp − now too long, exp absurd, iat in the future', async () => {
    await reject(verifier, await forge({ sub: 'u', iat: now(), exp: now() + HOUR + 120 }), 'lifetime_too_long');
    await reject(verifier, await forge({ sub: 'u', exp: now() + HOUR + 120 }), 'lifetime_too_long');
    await reject(verifier, await forge({ sub: 'u', iat: now() - 2 * HOUR, exp: now() + 60 }), 'lifetime_too_long');
    await reject(verifier, await forge({ sub: 'u', exp: 1e300 }), 'lifetime_too_long');
    await reject(verifier, await forgeRaw(`{"sub":"u","exp":1e400}`), 'lifetime_too_long'); // Infinity once parsed
    await reject(verifier, await forge({ sub: 'u', iat: now() + 10 * HOUR, exp: now() + 10 * HOUR + 60 }), 'not_yet_valid');
    await reject(verifier, await forge({ sub: 'u', iat: now() + 600, exp: now() + 900 }), 'not_yet_valid');
    await reject(verifier, await forge({ sub: 'u', exp: String(now() + 60) }), 'malformed');
    await reject(verifier, await forge({ sub: 'u' }), 'missing_claim');
  });

  it('refuses a sub that is empty, absurdly long, not a string, or has control characters or broken UTF-16', async () => {
    expect(await verifier.verify(await forge({ sub: 'x'.repeat(255), exp: now() + 60 }))).toEqual({ id: 'x'.repeat(255) });
    expect(await verifier.verify(await forge({ sub: 'Ünïcødé 用户 👩‍⚖️', exp: now() + 60 }))).toEqual({ id: 'Ünïcødé 用户 👩‍⚖️' });
    for (const sub of ['', 'x'.repeat(256), 'a\u0000b', 'tab\there', 'line\n', 'del\u007f', 'c1\u0085', 'lone\ud800']) {
      await reject(verifier, await forge({ sub, exp: now() + 60 }), 'bad_subject');
    }
    await reject(verifier, await forge({ sub: 42, exp: now() + 60 }));
    await reject(verifier, await forge({ exp: now() + 60 }), 'missing_claim');
  });
});

describe('verified tokens are remembered', () => {
  const secret = new TextEncoder().encode('r'.repeat(40));
  const sign = (sub: string, exp: number) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime(exp).sign(secret);

  it('only until the token expires', async () => {
    // Only Date is faked: jose and the verifier's memory both read the time from it, and no timer runs.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret }, clockToleranceSeconds: 0, maxAgeSeconds: HOUR });
      const exp = now() + 1;
      const token = await sign('u1', exp);
      expect(await verifier.verify(token)).toEqual({ id: 'u1' });
      expect(await verifier.verify(token)).toEqual({ id: 'u1' });
      vi.setSystemTime(exp * 1000 + 50);
      await reject(verifier, token);
    } finally {
      vi.useRealTimers();
    }
  });

  it('by the whole token: a changed signature or payload is verified afresh and refused', async () => {
    const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret }, maxAgeSeconds: HOUR });
    const token = await sign('u1', now() + 60);
    expect(await verifier.verify(token)).toEqual({ id: 'u1' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    await reject(verifier, `${header}.${payload}.${flipped}`);
    const other = Buffer.from(JSON.stringify({ sub: 'u2', exp: now() + 60 })).toString('base64url');
    await reject(verifier, `${header}.${other}.${signature}`);
    expect(await verifier.verify(token)).toEqual({ id: 'u1' });
  });
});

/** What a shared identity provider's tokens for this app carry. */
const PROVIDER = { AUTH_JWT_ISSUER: 'https://idp.example', AUTH_JWT_AUDIENCE: 'imanage-graphql' };

describe('RS256 and ES256 public keys', () => {
  for (const alg of ['RS256', 'ES256'] as const) {
    it(`verifies ${alg} with AUTH_JWT_PUBLIC_KEY and refuses HS256 tokens forged with the public key`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const pem = await exportSPKI(publicKey);
      const config = loadConfig({ AUTH_JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n'), ...PROVIDER });
      expect(config.jwt.key.kind).toBe('publicKey');
      const verifier = new AppTokenVerifier({ key: config.jwt.key, issuer: config.jwt.issuer, audience: config.jwt.audience, maxAgeSeconds: HOUR });
      const signed = (aud = 'imanage-graphql', header = alg as string) =>
        new SignJWT({}).setProtectedHeader({ alg: header }).setSubject('u2').setIssuer('https://idp.example').setAudience(aud).setExpirationTime('1m');
      expect(await verifier.verify(await signed().sign(privateKey))).toEqual({ id: 'u2' });
      // The identity provider's token for another app, signed with the same key.
      await reject(verifier, await signed('crm-app').sign(privateKey), 'wrong_audience');
      // The classic key-confusion attack: an HS256 token whose "secret" is the public key's PEM.
      await reject(verifier, await signed(undefined, 'HS256').sign(new TextEncoder().encode(pem)), 'algorithm_not_allowed');
      const noExp = await new SignJWT({})
        .setProtectedHeader({ alg })
        .setSubject('u2')
        .setIssuer('https://idp.example')
        .setAudience('imanage-graphql')
        .sign(privateKey);
      await reject(verifier, noExp, 'missing_claim');
    });
  }

  it('requires AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE with a public key or JWKS: start-up names the one missing', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    for (const source of [{ AUTH_JWT_PUBLIC_KEY: pem }, { AUTH_JWKS_URL: 'https://idp.example/jwks.json' }]) {
      const name = Object.keys(source)[0];
      expect(() => loadConfig({ ...source })).toThrow(new RegExp(`^AUTH_JWT_ISSUER is required with ${name}: expected`));
      expect(() => loadConfig({ ...source, AUTH_JWT_ISSUER: 'https://idp.example' })).toThrow(
        new RegExp(`^AUTH_JWT_AUDIENCE is required with ${name}: expected`),
      );
      expect(() => loadConfig({ ...source, AUTH_JWT_AUDIENCE: 'imanage-graphql' })).toThrow(/^AUTH_JWT_ISSUER is required/);
      expect(loadConfig({ ...source, ...PROVIDER }).jwt.audience).toBe('imanage-graphql');
    }
    const key = loadConfig({ AUTH_JWT_PUBLIC_KEY: pem, ...PROVIDER }).jwt.key;
    expect(() => new AppTokenVerifier({ key, maxAgeSeconds: HOUR })).toThrow(/issuer and an audience are required/);
    // An HS256 secret is this app's own: iss and aud stay optional.
    expect(loadConfig({ AUTH_JWT_SECRET: 's'.repeat(40) }).jwt.audience).toBeUndefined();
  });

  it('refuses keys it cannot use', () => {
    expect(() => parsePublicKey('not a key')).toThrow();
    expect(() => loadConfig({ AUTH_JWT_PUBLIC_KEY: 'not a key', ...PROVIDER })).toThrow(/^AUTH_JWT_PUBLIC_KEY is invalid/);
  });
});

describe('JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let requests = 0;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies tokens against the key set, fetched once and cached', async () => {
    const config = loadConfig({ AUTH_JWKS_URL: jwksUrl, ...PROVIDER });
    const verifier = new AppTokenVerifier({ key: config.jwt.key, issuer: config.jwt.issuer, audience: config.jwt.audience, maxAgeSeconds: HOUR });
    const signed = (sub: string, kid = 'k1') =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject(sub)
        .setIssuer('https://idp.example')
        .setAudience('imanage-graphql')
        .setExpirationTime('1m');
    for (let i = 0; i < 3; i++) {
      expect(await verifier.verify(await signed(`u${i}`).sign(privateKey))).toEqual({ id: `u${i}` });
    }
    expect(requests).toBe(1);
    await reject(verifier, await signed('u', 'other').sign(privateKey), 'unknown_key');
    await reject(verifier, await signed('u').setIssuer('https://other-tenant.idp.example').sign(privateKey), 'wrong_issuer');
  });
});
