import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/**
 * App user tokens: short-lived JWTs the embedding app's backend signs per user (`sub` = its user id).
 * Verification failures all look the same to the caller; the reason is only logged.
 */

export interface AppUser {
  /** The app's own user id (`sub`). */
  readonly id: string;
}

export interface AppTokenVerifierOptions {
  secret: Uint8Array;
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
  constructor(private readonly options: AppTokenVerifierOptions) {}

  async verify(token: string): Promise<AppUser> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new InvalidAppTokenError('malformed');
    try {
      const { payload } = await jwtVerify(token, this.options.secret, {
        algorithms: ['HS256'],
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

/** Signs an HS256 app user token: the dev token of sandbox mode, and tests. */
export async function signAppToken(secret: Uint8Array, sub: string, ttlSeconds: number, claims: { iss?: string; aud?: string } = {}): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(secret);
}
