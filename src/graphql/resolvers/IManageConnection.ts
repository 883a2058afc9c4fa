import type { IManageConnectionResolvers } from './../types.generated.js';

export const IManageConnection: IManageConnectionResolvers = {
  status: ({ connection }) => (connection ? 'CONNECTED' : 'NOT_CONNECTED'),
  connectUrl: (_parent, _args, ctx) => `${ctx.config.publicUrl}/connect/imanage`,
  userId: ({ connection }) => connection?.imanageUserId ?? null,
  customerId: ({ connection }) => connection?.customerId ?? null,
  scopes: ({ connection }) => (connection ? [...connection.scopes] : null),
  expiresAt: ({ connection }) => connection?.expiresAt() ?? null,
};
