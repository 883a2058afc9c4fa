/**
 * HTTP twins of the programmatic knobs, for people driving `npm run sandbox` from a browser or
 * curl. Served only with `adminRoutes: true` (SANDBOX_ADMIN=1); never logged, never delayed,
 * never faulted, and not authenticated (the sandbox binds to loopback by default).
 */
import { ApiError } from './errors.js';
import { faultFromJson } from './faults.js';
import { apiErrorReply, emptyReply, jsonReply, parseJsonBody, type Reply, type RequestContext } from './http.js';
import type { NewDocument, RequestLog, SandboxKnobs } from './types.js';

export const ADMIN_PREFIX = '/__sandbox/';

function objectBody(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  const body = parseJsonBody(ctx);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'NRC_INVALID_PARAM', 'A JSON object is expected.');
  }
  return body as Record<string, unknown>;
}

export function adminReply(ctx: RequestContext, knobs: SandboxKnobs, log: RequestLog): Reply {
  try {
    switch (`${ctx.method} ${ctx.pathname}`) {
      case 'POST /__sandbox/latency': {
        const ms = objectBody(ctx).ms;
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
          throw new ApiError(400, 'NRC_INVALID_PARAM', 'Body must be {"ms": <non-negative number>}.');
        }
        knobs.setLatency(ms);
        return jsonReply(200, { data: { latency_ms: ms } });
      }
      case 'POST /__sandbox/faults': {
        const spec = faultFromJson(parseJsonBody(ctx));
        if (typeof spec === 'string') throw new ApiError(400, 'NRC_INVALID_PARAM', spec);
        knobs.injectFault(spec);
        return jsonReply(201, { data: { queued: true } });
      }
      case 'DELETE /__sandbox/faults':
        knobs.clearFaults();
        return emptyReply(204);
      case 'POST /__sandbox/expire-tokens':
        knobs.expireAllTokens();
        return emptyReply(204);
      case 'POST /__sandbox/revoke-refresh-tokens': {
        const userId = objectBody(ctx).user_id;
        knobs.revokeRefreshTokens(typeof userId === 'string' ? userId : undefined);
        return emptyReply(204);
      }
      case 'POST /__sandbox/documents': {
        const id = knobs.addDocument(objectBody(ctx) as unknown as NewDocument);
        return jsonReply(201, { data: { id } });
      }
      case 'POST /__sandbox/checkout': {
        const body = objectBody(ctx);
        if (typeof body.documentId !== 'string' || !(typeof body.userId === 'string' || body.userId === null)) {
          throw new ApiError(400, 'NRC_INVALID_PARAM', 'Body must be {"documentId": "LIB!n", "userId": "<user>" | null}.');
        }
        knobs.setCheckedOut(body.documentId, body.userId);
        return emptyReply(204);
      }
      case 'POST /__sandbox/reset':
        knobs.reset();
        return emptyReply(204);
      case 'GET /__sandbox/log':
        return jsonReply(200, { data: log.entries() });
      case 'DELETE /__sandbox/log':
        log.clear();
        return emptyReply(204);
      default:
        throw new ApiError(404, 'NRC_NO_RECORD', `No admin route ${ctx.method} ${ctx.pathname}.`);
    }
  } catch (e) {
    if (e instanceof ApiError) return apiErrorReply(e);
    if (e instanceof TypeError) return apiErrorReply(new ApiError(400, 'NRC_INVALID_PARAM', e.message));
    throw e;
  }
}
