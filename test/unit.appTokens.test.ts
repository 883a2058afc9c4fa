import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppTokenVerifier, InvalidAppTokenError, parsePublicKey } from '../src/auth/appTokens.js';
import { loadConfig } from '../src/config.js';

/** App user tokens: HS256, RS256 and ES256 keys, JWKS, exp/iss/aud and clock skew. */

const now = () => Math.floor(Date.now() / 1000);
const reject = async (verifier: AppTokenVerifier, token: string) => {
  await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidAppTokenError);
};

describe('HS256', () => {
  const secret = new TextEncoder().encode('s'.repeat(40));
  const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret }, issuer: 'https://app.example', audience: 'imanage-graphql' });
  const sign = (claims: Record<string, unknown>, exp: number, alg = 'HS256') =>
    new SignJWT(claims).setProtectedHeader({ alg }).setSubject('u1').setIssuer('https://app.example').setAudience('imanage-graphql').setExpirationTime(exp).sign(secret);

  it('accepts a good token and allows a small clock skew', async () => {
    expect(await verifier.verify(await sign({}, now() + 60))).toEqual({ id: 'u1' });
    expect(await verifier.verify(await sign({}, now() - 10))).toEqual({ id: 'u1' });
  });

  it('refuses expiry beyond the skew, a wrong issuer or audience, and other algorithms', async () => {
    await reject(verifier, await sign({}, now() - 120));
    await reject(verifier, await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('https://evil.example').setAudience('imanage-graphql').setExpirationTime('1m').sign(secret));
    await reject(verifier, await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('https://app.example').setAudience('other').setExpirationTime('1m').sign(secret));
    await reject(verifier, await sign({}, now() + 60, 'HS512'));
    await reject(verifier, 'x'.repeat(9000));
  });
});

describe('verified tokens are remembered', () => {
  const secret = new TextEncoder().encode('r'.repeat(40));
  const sign = (sub: string, exp: number) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime(exp).sign(secret);

  it('only until the token expires', async () => {
    const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret }, clockToleranceSeconds: 0 });
    const exp = now() + 1;
    const token = await sign('u1', exp);
    expect(await verifier.verify(token)).toEqual({ id: 'u1' });
    expect(await verifier.verify(token)).toEqual({ id: 'u1' });
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    await reject(verifier, token);
  });

  it('by the whole token: a changed signature or payload is verified afresh and refused', async () => {
    const verifier = new AppTokenVerifier({ key: { kind: 'secret', secret } });
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

describe('RS256 and ES256 public keys', () => {
  for (const alg of ['RS256', 'ES256'] as const) {
    it(`verifies ${alg} with AUTH_JWT_PUBLIC_KEY and refuses HS256 tokens forged with the public key`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const pem = await exportSPKI(publicKey);
      const config = loadConfig({ AUTH_JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n') });
      expect(config.jwt.key.kind).toBe('publicKey');
      const verifier = new AppTokenVerifier({ key: config.jwt.key });
      const good = await new SignJWT({}).setProtectedHeader({ alg }).setSubject('u2').setExpirationTime('1m').sign(privateKey);
      expect(await verifier.verify(good)).toEqual({ id: 'u2' });
      // The classic key-confusion attack: an HS256 token whose "secret" is the public key's PEM.
      const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u2').setExpirationTime('1m').sign(new TextEncoder().encode(pem));
      await reject(verifier, forged);
      const noExp = await new SignJWT({}).setProtectedHeader({ alg }).setSubject('u2').sign(privateKey);
      await reject(verifier, noExp);
    });
  }

  it('refuses keys it cannot use', () => {
    expect(() => parsePublicKey('not a key')).toThrow();
    expect(() => loadConfig({ AUTH_JWT_PUBLIC_KEY: 'not a key' })).toThrow(/^AUTH_JWT_PUBLIC_KEY is invalid/);
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
    const config = loadConfig({ AUTH_JWKS_URL: jwksUrl });
    const verifier = new AppTokenVerifier({ key: config.jwt.key });
    for (let i = 0; i < 3; i++) {
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(`u${i}`).setExpirationTime('1m').sign(privateKey);
      expect(await verifier.verify(token)).toEqual({ id: `u${i}` });
    }
    expect(requests).toBe(1);
    const unknownKid = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'other' }).setSubject('u').setExpirationTime('1m').sign(privateKey);
    await reject(verifier, unknownKid);
  });
});
