import { createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

/**
 * App user tokens: short-lived JWTs the embedding app's backend signs per user (`sub` = its user id),
 * verified with an HS256 secret, an RS256/ES256 public key, or a JWKS URL. A refused token raises
 * `InvalidAppTokenError` naming why (`reason`, and a fixed `description` fit for RFC 6750's
 * `error_description`); nothing of the token itself is ever put in either.
 *
 * Beyond the signature, `exp`, `nbf`, `iss` and `aud`: the token may not claim a lifetime longer than
 * `maxAgeSeconds` (neither `exp` − `iat` nor `exp` − now), may not be issued in the future, and its
 * `sub` must be a sane id. With a public key or JWKS, which an identity provider shared by several
 * apps may hold, `iss` and `aud` must be configured, so that tokens issued for other apps are refused.
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

export type AppTokenKey = { kind: 'secret'; secret: Uint8Array } | { kind: 'publicKey'; key: KeyObject } | { kind: 'jwks'; url: URL };

export interface AppTokenVerifierOptions {
  key: AppTokenKey;
  /** Required with a public key or JWKS. */
  issuer?: string | undefined;
  /** Required with a public key or JWKS. */
  audience?: string | undefined;
  /** The longest lifetime a token may claim (`AUTH_JWT_MAX_AGE`). */
  maxAgeSeconds: number;
  /** Allowed clock difference when checking `exp`, `nbf`, `iat` and the lifetime. */
  clockToleranceSeconds?: number;
}

/** Why a token was refused. */
export type AppTokenRefusal =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'keys_unavailable'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'lifetime_too_long'
  | 'bad_subject';

/** Fixed texts (RFC 6750 allows no `"` or `\` in `error_description`), never anything from the token. */
const DESCRIPTIONS: Readonly<Record<AppTokenRefusal, string>> = {
  malformed: 'The token is not a well-formed signed JWT.',
  expired: 'The token has expired.',
  not_yet_valid: 'The token is not valid yet: its nbf or iat is in the future.',
  bad_signature: 'The token signature does not verify.',
  algorithm_not_allowed: 'The token is signed with an algorithm this service does not accept.',
  unknown_key: 'No key of the configured key set matches the token.',
  keys_unavailable: 'The key set that verifies tokens could not be fetched.',
  wrong_issuer: 'The token was issued by another issuer (iss).',
  wrong_audience: 'The token is meant for another audience (aud).',
  missing_claim: 'The token lacks a required claim.',
  lifetime_too_long: 'The token claims a longer lifetime than this service accepts.',
  bad_subject: 'The token sub is empty, too long or contains control characters.',
};

export class InvalidAppTokenError extends Error {
  /** Why, in a sentence for the caller (`WWW-Authenticate`'s `error_description`). */
  readonly description: string;
  constructor(
    readonly reason: AppTokenRefusal,
    /** A claim name (`exp`, `sub`, `aud`, `iss`) for `missing_claim`; always one of ours, never the token's text. */
    claim?: string,
  ) {
    super(`app user token rejected: ${reason}`);
    this.description = reason === 'missing_claim' && claim ? `The token lacks the required ${claim} claim.` : DESCRIPTIONS[reason];
  }
}

const MAX_TOKEN_LENGTH = 8192;
/** Longest `sub` accepted: the app's user id is stored as a key of the token store. */
const MAX_SUBJECT_LENGTH = 255;
/**
 * Control characters (C0, DEL, C1; PostgreSQL refuses NUL in text, and none belongs in an id) and
 * unpaired surrogates (not text at all: UTF-8 cannot encode them, so two ids would be stored alike).
 */
const UNFIT_CHARACTERS = /[\p{Cc}\p{Cs}]/u;
const REQUIRED_CLAIMS = new Set(['exp', 'sub', 'iss', 'aud']);
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
    if (key.kind !== 'secret' && (!options.issuer || !options.audience)) {
      // config.ts says so at start-up, naming the variable; this guards every other caller.
      throw new Error('an issuer and an audience are required to verify app tokens with a public key or JWKS');
    }
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
    const tolerance = this.options.clockToleranceSeconds ?? 30;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        requiredClaims: ['exp', 'sub'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: tolerance,
      }));
    } catch (error) {
      throw refusalOf(error);
    }
    const now = Date.now() / 1000;
    // `exp` is required above, and jose checked that it is a number (1e400 parses as Infinity).
    const exp = payload.exp!;
    const { iat } = payload;
    if (iat !== undefined && iat > now + tolerance) throw new InvalidAppTokenError('not_yet_valid');
    const maxAge = this.options.maxAgeSeconds;
    if (exp - now > maxAge + tolerance || (iat !== undefined && exp - iat > maxAge)) throw new InvalidAppTokenError('lifetime_too_long');
    const { sub } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH || UNFIT_CHARACTERS.test(sub)) {
      throw new InvalidAppTokenError('bad_subject');
    }
    const user: AppUser = { id: sub };
    // A token past its `exp` (within the clock tolerance) is not remembered.
    const until = Math.min(exp * 1000, Date.now() + VERIFIED_TTL_MS);
    if (until > Date.now()) this.verified.set(token, { user, until });
    return user;
  }
}

/** jose's failure as the reason a caller is told. */
function refusalOf(error: unknown): InvalidAppTokenError {
  if (error instanceof joseErrors.JWTExpired) return new InvalidAppTokenError('expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return new InvalidAppTokenError('missing_claim', REQUIRED_CLAIMS.has(error.claim) ? error.claim : undefined);
    if (error.claim === 'nbf') return new InvalidAppTokenError('not_yet_valid');
    if (error.claim === 'iss') return new InvalidAppTokenError('wrong_issuer');
    if (error.claim === 'aud') return new InvalidAppTokenError('wrong_audience');
    return new InvalidAppTokenError('malformed');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new InvalidAppTokenError('bad_signature');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new InvalidAppTokenError('algorithm_not_allowed');
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) return new InvalidAppTokenError('unknown_key');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return new InvalidAppTokenError('keys_unavailable');
  return new InvalidAppTokenError('malformed');
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
export async function signAppToken(
  secret: Uint8Array,
  sub: string,
  ttlSeconds: number,
  claims: { iss?: string | undefined; aud?: string | undefined } = {},
): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(secret);
}
