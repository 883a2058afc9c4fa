import type { UserConnection } from '../../auth/connections.js';

/** The calling app user; `connection`, when present, replaces the one read at the request's start. */
export interface ViewerMapper {
  id: string;
  connection?: UserConnection | null;
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
