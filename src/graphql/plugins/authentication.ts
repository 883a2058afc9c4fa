import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { InvalidAppTokenError, type AppTokenVerifier, type AppUser } from '../../auth/appTokens.js';
import { unauthenticated } from '../errors.js';
import { loggerFor } from '../../logger.js';
import { requestIdOf } from '../../http/requestId.js';

/**
 * Who is calling, checked before anything else about the operation: a request without a valid app
 * user token is answered 401 UNAUTHENTICATED before its document is parsed or validated, so that
 * without a token nothing can be learnt of the schema ("Cannot query field …" answers would tell
 * field names apart). The context (context.ts) then finds the token verified and remembered.
 *
 * Synchronous when the token was verified before (the usual case): an async hook would put a promise
 * on every request.
 */
export function useAuthentication(verifier: AppTokenVerifier, logger: Logger): Plugin {
  return {
    onParams({ request }) {
      const token = bearerToken(request);
      if (verifier.verifiedUser(token)) return;
      return authenticate(token, verifier, () => loggerFor(logger, requestIdOf(request))).then(() => undefined);
    },
  };
}

/**
 * The bearer token of the Authorization header. None, or another scheme, is a request without
 * credentials (RFC 6750 §3.1: a challenge without an error code); a Bearer header that is not a
 * token is a malformed one.
 */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization')?.trim() ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (match) return match[1]!;
  if (!/^Bearer(\s|$)/i.test(header)) throw unauthenticated(null);
  throw unauthenticated(new InvalidAppTokenError('malformed').description);
}

/** The token's user; UNAUTHENTICATED saying why it was refused (the reason is logged too, never the token). */
export async function authenticate(token: string, verifier: AppTokenVerifier, logger: () => Logger): Promise<AppUser> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidAppTokenError) {
      logger().info({ reason: error.reason }, 'app user token rejected');
      throw unauthenticated(error.description);
    }
    throw error;
  }
}
