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

  // Documents (issue 17). Document ids are `LIB!number.version`, naming the latest version.
  /**
   * A document both users can read, with versions 1..3 (this id names version 3), a comment, an
   * operator other than its author, filed in `documentFolder` and in `documentFolderOther`.
   */
  documentId: string;
  /** The folder `documentId` was filed in first ("Witness Statements"). */
  documentFolder: string;
  /** Its second folder ("Trial Bundle"). */
  documentFolderOther: string;
  /** In `folderWithDocuments`: private to AKUMAR (the second user), invisible to the demo user. */
  privateDocument: string;
  /** Checked out by AKUMAR (the second user); readable by the demo user. Versions 1..2. */
  checkedOutDocument: string;
  /** A folder of 250 documents (five authors, several types, dates over five years) for paging. */
  bigDocumentFolder: string;
  /** How many documents it holds (every one readable by the demo and second users). */
  bigDocumentFolderCount: number;
  /** A .txt whose text (its download and search `body`) holds the words "indemnification" and "Delaware". */
  textDocument: string;
  /** A .pdf named `Résumé – "Zoë" 2024` (non-ASCII letters, a dash and ASCII double quotes). */
  unicodeDocument: string;
  /** A 2.5 GiB .mp4 whose bytes are generated as they are sent (in `documentFolderOther`). */
  largeDocument: string;
  /**
   * Readable by both users (it inherits from `documentFolder`), and also filed in `privateFolder`,
   * which the second user cannot see: its filing locations differ by user.
   */
  sharedPrivateDocument: string;
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
  /** The request's W3C `traceparent` header as sent, when it had one (recorded, never acted on). */
  traceparent?: string;
  /** `clock()` when the response was decided. */
  at: number;
  /** The names of the request's headers, lower case, sorted (never their values): what a client sent along. */
  headerNames: string[];
  /** Uploads and new versions only: how much of the body arrived, and what it became. */
  upload?: UploadProgress;
}

/** An upload's progress, as the request log keeps it. */
export interface UploadProgress {
  /** Request body bytes read (multipart framing included); 0 when it was refused before reading. */
  bodyBytes: number;
  /** Bytes of the file part stored so far. */
  fileBytes: number;
  /** The body arrived to its end (the request completed); false when the client went away or it was refused before its end. */
  completed: boolean;
  /** The version created (`LIB!n.v`), once committed; absent when nothing was. */
  documentId?: string;
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
  /** The entries of uploads and new versions (those with `upload`), oldest first. */
  uploads(): RequestLogEntry[];
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
  /**
   * The real status and headers (full Content-Length), the first `afterBytes` bytes of the body
   * (default half), then the connection is destroyed: a download cut off midway.
   */
  | { type: 'abortBody'; afterBytes?: number }
  | { type: 'afterSuccess'; status: number }
  /**
   * A server that ignores the paging parameters (`cursor`, `offset`, in the query or in a JSON body):
   * every page is answered as the first one, with the first page's cursor again; with `freshCursor`,
   * with a cursor never sent before each time (test fault: a server that issues cursors it then ignores).
   */
  | { type: 'ignorePaging'; freshCursor?: boolean }
  /**
   * Test fault: a server whose cursor is a stable handle. Every answer names its next page with the
   * same cursor, which the server resolves to where the listing stands; the paging itself is the real one.
   */
  | { type: 'cursorHandle' }
  /**
   * Test fault: the real operation runs `ms` after the request arrived, whether or not the client is
   * still waiting (a server that carries on with a request its client gave up on); the answer is sent
   * if the client is still there. On an upload or new version, the body is read as it arrives and the
   * commit waits until `ms` after the request arrived.
   */
  | { type: 'commitLate'; ms: number }
  /** A server that ignores the query parameters `names` (a filter it does not know): they are dropped before the real handler runs. */
  | { type: 'ignoreParams'; names: string[] }
  /**
   * The real reply with the top-level fields `fields` set on its JSON body (a server that spells a
   * sibling of `data` its own way, e.g. `total_count` as a string of digits). Error replies are sent as they are.
   */
  | { type: 'replyFields'; fields: Record<string, unknown> }
  /**
   * The real operation runs (an upload is committed); if it succeeded, the client then gets
   * `then`: 'status' (default) an iManage error with `status` (default 500), 'reset' a TCP reset,
   * 'stall' no answer at all until it gives up. A failed operation's real answer is sent.
   */
  | { type: 'commitThenFail'; then?: 'status' | 'reset' | 'stall'; status?: number }
  /** Uploads: the body is read slowly, pausing `delayMs` after every `everyBytes` bytes (default 64 KiB). No effect elsewhere. */
  | { type: 'slowUpload'; delayMs: number; everyBytes?: number };

export interface FaultSpec {
  /** Default: any method. */
  method?: string;
  /** Matched against the decoded URL pathname: exact string, a prefix when it ends with '*', or a RegExp. */
  path: string | RegExp;
  /** How many matching requests it hits; default 1; Infinity allowed. */
  times?: number;
  kind: FaultKind;
}

/** A document for `knobs.addDocument` (and `POST /__sandbox/documents`). */
export interface NewDocument {
  /** The folder to file it in (`LIB!number`). */
  folderId: string;
  /** Its name, without the extension. */
  name: string;
  /** e.g. 'pdf' (letters and digits, may be empty). */
  extension: string;
  /** Bytes of generated content (any size: generated while sent, so several GiB cost no memory). */
  size?: number;
  /** Or a text body (UTF-8), searchable by `body` and `anywhere`. Exactly one of size and text. */
  text?: string;
  /** Author and owner (a user id); default: the folder's owner. */
  owner?: string;
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
  /** How many of that user's access and refresh tokens would still be accepted (not revoked, expired or rotated). */
  liveTokens(userId: string): { access: number; refresh: number };
  /** Faults, latency and the request log are cleared. Data and tokens are NOT reset. */
  reset(): void;
  /** Files a new document (version 1, security inherited from the folder); returns its id `LIB!n.1`. */
  addDocument(doc: NewDocument): string;
  /** Checks the document's latest version out to that user (`null` checks it in). */
  setCheckedOut(documentId: string, userId: string | null): void;
  /**
   * Turns a folder into a saved search shown as a folder (`folder_type: "search"`): its documents are
   * the library's that match `filters` (the document search POST's), and it refuses cursor paging
   * (reference §5.2: `standard_cursor` is "not for saved-search folders").
   */
  makeSavedSearch(folderId: string, filters: Record<string, unknown>): void;
  /** Lists that library with `is_hidden` true or false (reference §1.4 `is_hidden` [C]); its contents are unchanged. */
  setLibraryHidden(libraryId: string, hidden: boolean): void;
}

/** A document as `Sandbox.folderDocuments` lists it: its latest version, whoever may read it. */
export interface SandboxDocument {
  /** `LIB!n.v` of the latest version. */
  id: string;
  name: string;
  extension: string;
  size: number;
  comment: string;
  version: number;
  /** `LIB!n.v` of every version, ascending. */
  versions: string[];
  /** Whether its latest version's bytes were uploaded (rather than seeded or added by `addDocument`). */
  uploaded: boolean;
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
  /**
   * The bytes a download of that document serves, `start..endInclusive` (default: all of it), from
   * any document id (`LIB!n.v`, or `LIB!n` for the latest version), text or generated: what a test
   * expects to receive. One Buffer: keep ranges small for large documents.
   */
  documentBytes(documentId: string, start?: number, endInclusive?: number): Buffer;
  /**
   * SHA-256 (hex) of a version's whole download (`LIB!n` = the latest): recorded while an upload
   * arrived; computed for seeded and added documents (about a second per GiB).
   */
  documentSha256(documentId: string): string;
  /** Every document filed in that folder (`LIB!number`), whoever may read it, in natural (name) order. */
  folderDocuments(folderId: string): SandboxDocument[];
  /**
   * Where uploaded bytes are kept: one file per committed version, and `<uuid>.part` while one
   * arrives (removed if it never completes). Created by `startSandbox`, removed by `close`.
   */
  readonly uploadDir: string;
  /** Closes the server and every socket, including stalled ones. Idempotent. */
  close(): Promise<void>;
}
