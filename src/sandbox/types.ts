/**
 * Public types of the sandbox. They live apart from the implementation so that tests and
 * benchmarks can import them without pulling in the server, and so `index.ts` stays a table
 * of contents.
 */

export interface SandboxOptions {
  /** TCP port; default 0 (ephemeral, read the chosen one from `Sandbox.url`). */
  port?: number;
  /** Bind address; default '127.0.0.1'. */
  host?: string;
  /** Serve the HTTP admin routes under /__sandbox/. Default false: they then 404 like any unknown path. */
  adminRoutes?: boolean;
  /** Seconds of inactivity before an access token dies (each accepted use restarts the count). Default 1800: iManage's 30 minutes. */
  accessTokenIdleSeconds?: number;
  /** Lifetime of a refresh token, in seconds. iManage's default is 365 days. */
  refreshTokenSeconds?: number;
  /** Milliseconds since the epoch; default Date.now. Lets tests move time forward. */
  clock?: () => number;
  /**
   * Redirect URIs registered for both OAuth apps, matched exactly, in addition to the always
   * registered `http://localhost:<any port>/…` and `http://127.0.0.1:<any port>/…`.
   */
  redirectUris?: string[];
  /**
   * Names of the seeded US and UK libraries, default `['ACTIVE_US', 'ACTIVE_UK']`. iManage allows any
   * library name without `!` (reference §1.4, §3), e.g. `['R&D #2 Ünits', 'ACTIVE_UK']`; ids and
   * library ids are then answered with the name upper-cased.
   */
  libraries?: [string, string];
}

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

export interface DemoUser {
  /** iManage user id, e.g. 'JSMITH'. */
  id: string;
  password: string;
  /** Full name, for display. */
  name: string;
}

/** Notable seeded ids, so tests need not search for them. */
export interface DemoIds {
  customerId: number;
  /** Every library id, preferred first. */
  libraries: string[];
  preferredLibrary: string;
  /** Workspace (in the preferred library) holding the deep folder tree and the big folder. */
  workspaceWithDeepTree: string;
  /** Folder ids from the workspace's topmost folder down to a 4th-level folder (4 ids). */
  deepFolderPath: string[];
  /** A folder with many subfolders (and no documents). */
  bigFolder: string;
  /** How many children the demo user sees in `bigFolder` (all are folders). */
  bigFolderChildCount: number;
  /** Private folder the demo user can read and the second user cannot. */
  privateFolder: string;
  /** Private folder the second user can read and the demo user cannot. */
  privateFolderOfOther: string;
  /** Its parent: the demo user sees it, but sees no subfolder in it (has_subfolders false for them). */
  parentOfPrivateFolderOfOther: string;
  /** Folder on which the demo user has `read` only (creating under it answers 403). */
  readOnlyFolder: string;
  /** Folder with a non-Latin name, in the second library. */
  unicodeFolder: string;
  /** Folder with neither subfolders nor documents, writable by the demo user. */
  emptyFolder: string;
  /** Folder holding documents (and no subfolders). */
  folderWithDocuments: string;
  /** How many documents the demo user sees in `folderWithDocuments`. */
  folderWithDocumentsCount: number;
  /** Workspace the demo user cannot see (the second user can). */
  privateWorkspaceOfOther: string;
  /**
   * Folder whose ACL names the demo user with `no_access` (an ethical wall): reading it directly
   * answers them 403, where an object merely not shared with them answers 404.
   */
  deniedFolder: string;
  /** Every workspace id per library, in natural (name) order, whoever can see them. */
  workspaces: Record<string, string[]>;
}

export interface RequestLogEntry {
  method: string;
  /** URL pathname, percent-decoded (so ids read `ACTIVE_US!123` even if sent as `%21`). */
  path: string;
  query: Record<string, string>;
  /** Status sent; 0 when no response was sent (reset and stalled faults, client gone). */
  status: number;
  /** The iManage user the request was authenticated as (or a token was issued to). */
  userId?: string;
  /** `clock()` when the response was decided. */
  at: number;
}

export interface RequestLog {
  entries(): RequestLogEntry[];
  /** `path`: exact match, a prefix when the string ends with '*', or a RegExp. */
  count(filter?: { method?: string; path?: string | RegExp }): number;
  /**
   * API and OAuth requests being handled now: received, and not yet answered or dropped (a client
   * that hangs up during the latency or a stall is dropped at once). Tests wait on it, never on time.
   */
  inFlight(): number;
  /** The most API and OAuth requests being handled at once since the last `clear()`. */
  peakInFlight(): number;
  clear(): void;
}

export type FaultKind =
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { type: 'reset' }
  | { type: 'truncate' }
  | { type: 'nonJson' }
  | { type: 'wrongContentType' }
  | { type: 'stall'; ms?: number }
  | { type: 'stallBody'; ms?: number }
  | { type: 'afterSuccess'; status: number }
  /**
   * A server that ignores the paging parameters (`cursor`, `offset`): every page is answered as the
   * first one, with the first page's cursor again.
   */
  | { type: 'ignorePaging' };

export interface FaultSpec {
  /** Default: any method. */
  method?: string;
  /** Matched against the decoded URL pathname: exact string, a prefix when it ends with '*', or a RegExp. */
  path: string | RegExp;
  /** How many matching requests it hits; default 1; Infinity allowed. */
  times?: number;
  kind: FaultKind;
}

export interface SandboxKnobs {
  /** Added before every response (not to /__sandbox admin routes). */
  setLatency(ms: number): void;
  /** Queued; the first queued fault matching a request is used (and counted down). */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Every access token issued so far now answers 401 (refresh tokens keep working). */
  expireAllTokens(): void;
  /** Refresh tokens of that user (or everyone's) are refused from now on. */
  revokeRefreshTokens(userId?: string): void;
  /** Faults, latency and the request log are cleared. Data and tokens are NOT reset. */
  reset(): void;
}

export interface Sandbox {
  /** Host root, e.g. http://127.0.0.1:40123; the API is under /work/api/v2. */
  readonly url: string;
  readonly customerId: number;
  readonly apps: { default: AppCredentials; noRefresh: AppCredentials };
  /** Demo users by a short key: demo, second, paralegal, london, admin. */
  readonly users: Record<string, DemoUser>;
  readonly ids: DemoIds;
  readonly log: RequestLog;
  readonly knobs: SandboxKnobs;
  /** Closes the server and every socket, including stalled ones. Idempotent. */
  close(): Promise<void>;
}
