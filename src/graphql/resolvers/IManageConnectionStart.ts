import type { IManageConnectionStartResolvers } from './../types.generated.js';

/** Resolved from what `ConnectFlow.start` answers: `url` and `expiresAt` as they are. */
export const IManageConnectionStart: IManageConnectionStartResolvers = {};
