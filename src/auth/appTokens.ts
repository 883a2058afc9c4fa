import { createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * App user tokens: short-lived JWTs the embedding app's backend signs per user (`sub` = its user id),
 * verified with an HS256 secret, an RS256/ES256 public key, or a JWKS URL. Every failure looks the
 * same to the caller; the reason is only logged.
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

export class AppTokenVerifier {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];

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

  async verify(token: string): Promise<AppUser> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new InvalidAppTokenError('malformed');
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
      return { id: payload.sub };
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
