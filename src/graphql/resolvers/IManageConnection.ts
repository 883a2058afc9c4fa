import type { IManageConnectionResolvers } from './../types.generated.js';

export const IManageConnection: IManageConnectionResolvers = {
  status: ({ connection }) => (!connection ? 'NOT_CONNECTED' : connection.status === 'reauth_required' ? 'REAUTH_REQUIRED' : 'CONNECTED'),
  userId: ({ connection }) => connection?.imanageUserId ?? null,
  customerId: ({ connection }) => connection?.customerId ?? null,
  scopes: ({ connection }) => (connection ? [...connection.scopes] : null),
};
