import { z } from 'zod';
import { IManageProtocolError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';

/** iManage's OAuth 2.0 token endpoint, `POST {host}/auth/oauth2/token` (form-encoded). */

const tokenReply = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.coerce.number().int().positive().nullish(),
  refresh_token: z.string().min(1).nullish(),
  scope: z.string().nullish(),
});

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** When the access token dies unless used; iManage counts idle time, so this is a lower bound. */
  expiresAt: Date;
  scopes: string[];
}

/** iManage does not document `expires_in`; clients assume 30 idle minutes when it is absent. */
const DEFAULT_EXPIRES_IN_SECONDS = 1800;

export async function requestToken(
  transport: IManageTransport,
  hostUrl: string,
  form: Record<string, string>,
  requestedScopes: string[],
): Promise<TokenSet> {
  const operation = `POST /auth/oauth2/token (${form.grant_type ?? 'unknown'})`;
  const url = new URL(`${hostUrl.replace(/\/+$/, '')}/auth/oauth2/token`);
  const response = await transport.send({ method: 'POST', url, operation, body: { form } });
  const parsed = tokenReply.safeParse(response.body);
  if (!parsed.success) throw new IManageProtocolError(operation, 'token reply lacks access_token');
  const reply = parsed.data;
  return {
    accessToken: reply.access_token,
    refreshToken: reply.refresh_token ?? null,
    expiresAt: new Date(Date.now() + (reply.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000),
    scopes: reply.scope ? reply.scope.split(/\s+/).filter(Boolean) : requestedScopes,
  };
}
