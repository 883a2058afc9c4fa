/**
 * `GET /api` (discovery, reference §1.3) and `GET …/customers/{cid}/libraries` (§1.4).
 */
import { apiRequest, type ApiDeps } from './api-common.js';
import { DMS_VERSION } from './errors.js';
import { jsonReply, type Reply, type RequestContext } from './http.js';

/** The v2 API version discovery advertises. */
export const API_VERSION = '2.1.1630';

export function discovery(deps: ApiDeps, ctx: RequestContext): Reply {
  const { caller } = apiRequest(deps, ctx);
  const user = caller.user;
  const app = deps.oauth.appById(caller.clientId);
  return jsonReply(200, {
    data: {
      app: { id: app?.appId ?? caller.clientId },
      auth_status: 'authenticated',
      capabilities: ['app_store', 'global_users', 'oauth'],
      dms_version: DMS_VERSION,
      user: {
        anonymous_id: user.ssid,
        customer_id: deps.store.customerId,
        email: user.email,
        id: user.id,
        name: user.fullName,
        ssid: user.ssid,
        user_type: user.userType,
      },
      versions: [{ name: 'v2', url: `${deps.baseUrl()}/work/api/v2`, version: API_VERSION }],
      work: {
        libraries: deps.store.libraries.map((alias) => ({
          alias,
          attributes: { knowledge: false },
          is_classic_client_compatible: false,
          status: 'ready',
          type: 'worksite',
        })),
        preferred_library: user.preferredLibrary,
      },
    },
  });
}

export function libraries(deps: ApiDeps, ctx: RequestContext): Reply {
  apiRequest(deps, ctx);
  return jsonReply(200, {
    data: deps.store.libraries.map((id) => ({ id, type: 'worksite', is_hidden: deps.store.hiddenLibraries.has(id) })),
  });
}
