import type { UserConnection } from '../../auth/connections.js';

/** The calling app user. */
export interface ViewerMapper {
  id: string;
}

/** The caller's connection, or null when they have none. */
export interface IManageConnectionMapper {
  connection: UserConnection | null;
}

/** The connected user's customer. */
export interface CustomerMapper {
  id: string;
  preferredLibrary: string | null;
}
