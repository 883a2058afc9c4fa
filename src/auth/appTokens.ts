import { createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

/**
 * App user tokens: short-lived JWTs the embedding app's backend signs per user (`sub` = its user id),
 * verified with an HS256 secret, an RS256/ES256 public key, or a JWKS URL. Every failure looks the
 * same to the caller; the reason is only logged.
 *
 * A client sends the same token with every request until it expires, so a verified token is
 * remembered (the whole string, signature included, is the key) until its `exp`, at most
 * `VERIFIED_TTL_MS`: verifying a signature is the largest part of a request that calls no iManage.
 * Only successes are remembered; a token that fails is checked afresh every time.
 */

export interface AppUser {
  /** The app's own user id (`sub`). */
  readonly id: string;
}

export type AppTokenKey =
  | { kind: 'secret'; secret: Uint8Array }
  | { kind: 'publicKey'; key: KeyObject }
  | { kind: 'jwks'; url: URL };

export interface AppTokenVerifierOptions {
  key: AppTokenKey;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Allowed clock difference when checking `exp` and `nbf`. */
  clockToleranceSeconds?: number;
}

export class InvalidAppTokenError extends Error {
  constructor(readonly reason: string) {
    super(`app user token rejected: ${reason}`);
  }
}

const MAX_TOKEN_LENGTH = 8192;
/** How long a verified token is trusted without checking it again, when its `exp` is later still. */
const VERIFIED_TTL_MS = 5 * 60_000;
/** The remembered tokens' total length, in characters (about 16 MB of strings). */
const VERIFIED_MAX_CHARS = 8 * 1024 * 1024;

export class AppTokenVerifier {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** Verified tokens and when to stop trusting them (epoch ms). lru-cache's own TTL would start a timer per millisecond. */
  private readonly verified = new LRUCache<string, { user: AppUser; until: number }>({
    maxSize: VERIFIED_MAX_CHARS,
    sizeCalculation: (_entry, token) => token.length,
  });

  constructor(private readonly options: AppTokenVerifierOptions) {
    const { key } = options;
    if (key.kind === 'secret') {
      this.key = key.secret;
      this.algorithms = ['HS256'];
    } else if (key.kind === 'publicKey') {
      this.key = key.key;
      this.algorithms = key.key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'];
    } else {
      this.key = createRemoteJWKSet(key.url, { timeoutDuration: 5000, cooldownDuration: 30_000 });
      this.algorithms = ['RS256', 'ES256'];
    }
  }

  /** The user of a token verified before and still trusted, without waiting; null otherwise (then `verify`). */
  verifiedUser(token: string): AppUser | null {
    const known = this.verified.get(token);
    if (!known) return null;
    if (Date.now() < known.until) return known.user;
    this.verified.delete(token);
    return null;
  }

  async verify(token: string): Promise<AppUser> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new InvalidAppTokenError('malformed');
    const known = this.verifiedUser(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        requiredClaims: ['exp', 'sub'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
      });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
        throw new InvalidAppTokenError('bad sub');
      }
      const user: AppUser = { id: payload.sub };
      // `exp` is required above; a token past it (within the clock tolerance) is not remembered.
      const now = Date.now();
      const until = Math.min(payload.exp! * 1000, now + VERIFIED_TTL_MS);
      if (until > now) this.verified.set(token, { user, until });
      return user;
    } catch (error) {
      if (error instanceof InvalidAppTokenError) throw error;
      const reason = error instanceof joseErrors.JOSEError ? error.code : 'malformed';
      throw new InvalidAppTokenError(reason);
    }
  }
}

/** A PEM public key (RSA or EC P-256); `\n` escapes are accepted, as env files often carry them. */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem.replace(/\\n/g, '\n'));
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return key;
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
  throw new Error('only RSA (RS256) and EC P-256 (ES256) public keys are supported');
}

/** Signs an HS256 app user token: the dev token of sandbox mode, and tests. */
export async function signAppToken(secret: Uint8Array, sub: string, ttlSeconds: number, claims: { iss?: string | undefined; aud?: string | undefined } = {}): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(secret);
}
