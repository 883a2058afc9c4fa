import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  IManageCallBudgetError,
  IManageForbiddenError,
  IManageHttpError,
  IManageNotFoundError,
  IManageNotReplayedError,
  IManageProtocolError,
  IManageTokenRejectedError,
  IManageUnauthorizedError,
  IManageUnpagedListError,
  IManageUnsupportedError,
  IManageUntrustedApiError,
} from './errors.js';
import { parseDocumentId, type ContainerId, type DocumentId } from './ids.js';
import {
  isDocumentLike,
  isFolderLike,
  toDocumentRecord,
  toFolderRecord,
  toUserRecord,
  toWorkspaceRecord,
  type DiscoveryRecord,
  type DocumentFiling,
  type DocumentRecord,
  type FolderRecord,
  type LibraryRecord,
  type Page,
  type SearchPage,
  type UserRecord,
  type WorkspaceRecord,
} from './records.js';
import type { CallScope } from './resilience.js';
import {
  isRecord,
  readJsonReply,
  type IManageTransport,
  type RequestBody,
  type StreamMethod,
  type StreamRequest,
  type StreamResponse,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
import {
  DOCUMENT_FIELDS,
  wireContainer,
  wireDiscovery,
  wireDocument,
  wireDocumentParent,
  wireLibrary,
  wireListCursor,
  wireListTotal,
  wireSearchMeta,
  wireUser,
  type WireDocumentFilters,
  type WireDocumentUpload,
  type WireFolderCreate,
} from './wire.js';

/**
 * The iManage Work REST API v2, one typed method per endpoint, as one connected user. Every path of
 * the API is spelled here and nowhere else. Tokens come from an `AccessTokenSource`: the client never
 * sees where they are stored.
 */

export interface AccessTokenSource {
  /** A token to use now; refreshing ahead of expiry is the source's business. */
  current(): Promise<string>;
  /**
   * iManage refused `rejected`. Return a fresh token to replay the call with once, or null when no
   * fresh token can be had (the user must connect again).
   */
  renew(rejected: string): Promise<string | null>;
}

/** What the client needs to know of the caller's connection. */
export interface IManageSession {
  /** The connection's id: the key of per-user concurrency and rate-limit waits. */
  readonly id: string;
  /** The v2 API base from discovery, e.g. `https://cloudimanage.com/work/api/v2`. */
  readonly apiBaseUrl: string;
  readonly customerId: string;
  readonly tokens: AccessTokenSource;
}

/** One page of a list in iManage's cursor mode. */
export interface PageRequest {
  /** The `cursor` a previous page of the same list returned, unmodified; null for the first page. */
  cursor: string | null;
  /** How many items at most (iManage takes 1 to 9999). */
  limit: number;
}

export interface FolderSearchRequest extends PageRequest {
  /** iManage's folder `name` filter, sent as it is: whole name, `*` wildcards, `,` alternatives (reference §4.6). */
  name?: string | undefined;
}

export interface WorkspaceSearchRequest extends PageRequest {
  /** iManage's workspace `name_or_description` filter, sent as it is: whole field, `*` wildcards (reference §4.6). */
  nameOrDescription?: string | undefined;
}

/** How a folder's or workspace's documents are ordered: iManage's `sort_by` and `sort_order` (reference §5.2; `sort_by` is [I]). */
export interface DocumentPageRequest extends PageRequest {
  sortBy?: 'name' | 'edit_date' | 'create_date' | 'document_number' | 'size' | 'type' | undefined;
  sortOrder?: 'asc' | 'desc' | undefined;
}

/** One page of a list read by offset (a saved-search folder's documents). */
export interface DocumentOffsetRequest {
  offset: number;
  limit: number;
  sortBy?: DocumentPageRequest['sortBy'];
  sortOrder?: DocumentPageRequest['sortOrder'];
}

/** One page of iManage's document search, by offset (reference §4.3 search POST, §5.2). */
export interface DocumentSearchRequest {
  filters: WireDocumentFilters;
  /** 0-based position of the first result wanted. */
  offset: number;
  /** How many results at most (iManage takes 1 to 9999). */
  limit: number;
}

/** How calls reach iManage: the resilient upstream in the service, or the bare transport. */
export interface Upstream {
  send(request: TransportRequest, scope: CallScope): Promise<TransportResponse>;
  /** A call whose reply body is handed over as it arrives (downloads). */
  stream(request: StreamRequest, scope: CallScope): Promise<StreamResponse>;
}

export interface DownloadRequest {
  /** The caller's `Range` header, passed to iManage as it is (a single `bytes=` range is what iManage serves as 206). */
  range?: string | undefined;
  /** HEAD: the headers alone (size, type, name), and no export recorded. */
  head?: boolean;
  /** Serve the latest version of the document's number, whatever version the id names. */
  latest?: boolean;
  /** Cancels the call and the transfer; the client's own signal does too. */
  signal?: AbortSignal | undefined;
}

/** A write this client sent (a call that is not a read) and iManage's status for it: null when none came back. */
export interface IManageWrite {
  /** The endpoint template, e.g. `POST /libraries/{lib}/folders/{id}/subfolders`. */
  readonly operation: string;
  readonly status: number | null;
}

/**
 * A call of the passthrough (`ANY /imanage/{path}`): any path below the iManage host, as the caller
 * asked for it once checked by the route. The client adds the token and fills the customer id.
 */
export interface PassthroughRequest {
  method: StreamMethod;
  /**
   * The decoded path segments below the host (`['work', 'api', 'v2', 'customers', '{customerId}', …]`),
   * dot segments resolved, none empty: each is escaped here. `{customerId}` becomes the connection's.
   */
  segments: readonly string[];
  /** The query string without its `?`, sent as it is ('' for none). */
  query: string;
  /** Names the call in logs, errors and metrics: a template of few values, never the real path. */
  operation: string;
  /** Request headers to send besides the token, names in lower case. */
  headers: Record<string, string>;
  /**
   * A body: bytes are sent again if a 401 is replayed with a fresh token; a stream is sent once, so a
   * 401 on it fails with IManageNotReplayedError after the token is renewed.
   */
  body?: Readable | Uint8Array | undefined;
  /** Which statuses are answered as the reply (body and all); the others are thrown as typed errors. */
  passStatus: (status: number) => boolean;
}

/** The segment of a passthrough path the connection's customer id fills. */
export const CUSTOMER_ID_SEGMENT = '{customerId}';

/** A file to send to iManage with its profile, as a multipart upload's parts. */
export interface MultipartUpload {
  /** The `profile` part (reference §4.3). */
  profile: WireDocumentUpload;
  /** The `file` part's bytes, read once as they come. */
  file: Readable;
  /** The `file` part's file name (ASCII; the document's name is in the profile) and media type. */
  fileName: string;
  mimeType: string;
  /** Cancels the upload: the connection to iManage is closed mid-body, so nothing is filed. */
  signal?: AbortSignal | undefined;
}

export class IManageClient {
  /** Calls sent to iManage by this client, retries and replays included: logged per GraphQL request. */
  callCount = 0;
  /**
   * Attempts that actually left for iManage: `callCount` also counts a call refused here before it
   * was sent (an open breaker, a rate-limit wait past the deadline, no transfer slot in time).
   */
  sentCount = 0;
  /** When the last of those attempts left (epoch ms); null before the first. */
  lastSentAt: number | null = null;
  /** Every write sent, in order, once per call (a 401 replay is the same write): the audit trail's evidence. */
  readonly writes: IManageWrite[] = [];

  /** How long the operation was given, from when this client was made: what `restartDeadline` gives again. */
  private readonly deadlineBudgetMs: number;

  constructor(
    private readonly upstream: Upstream,
    private readonly session: IManageSession,
    /** Aborts every call when the GraphQL request that made them is gone. */
    private readonly signal?: AbortSignal,
    /** Epoch ms by which the whole GraphQL operation must be answered. */
    private deadline: number = Date.now() + 60_000,
    /**
     * The most calls this client may send (`MAX_UPSTREAM_CALLS_PER_OPERATION`: one client serves one
     * GraphQL operation). The call that would go past it is not sent: it fails with
     * IManageCallBudgetError, and a retry past it is not made (the failure it would retry stands).
     */
    private readonly maxCalls: number = Infinity,
  ) {
    this.deadlineBudgetMs = Math.max(0, deadline - Date.now());
  }

  /**
   * Gives the calls still to come the operation's whole deadline again, from now. For an upload, once
   * its file has gone: the transfer may take longer than the deadline (the request's own timeout
   * bounds it), and the calls after it (the look for a document whose answer was lost, the payload's
   * fields) must not fail for the time the bytes took.
   */
  restartDeadline(): void {
    this.deadline = Date.now() + this.deadlineBudgetMs;
  }

  /**
   * A client for the same user, deadline and call budget that the caller's leaving does not cancel:
   * to find out, for the record, what a write the caller left during did at iManage.
   */
  detached(): IManageClient {
    return new IManageClient(this.upstream, this.session, undefined, this.deadline, Math.max(0, this.maxCalls - this.callCount));
  }

  /** How long is left before the operation's deadline (0 once it has passed): what a wait before the next call may take. */
  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** Notes an attempt handed to the transport. */
  private sent(): void {
    this.sentCount += 1;
    this.lastSentAt = Date.now();
  }

  /** Counts one call about to be sent; false when the budget is spent. */
  private spend(): boolean {
    if (this.callCount >= this.maxCalls) return false;
    this.callCount += 1;
    return true;
  }

  /** `GET /customers/{cid}/libraries`: the libraries this user can use. */
  async listLibraries(): Promise<LibraryRecord[]> {
    const body = await this.get('GET /libraries', ['libraries']);
    return parseItems(body, wireLibrary, 'GET /libraries').map((l) => ({ id: l.id, type: l.type ?? null, hidden: l.is_hidden === true }));
  }

  /**
   * `GET /libraries/{lib}/folders/{id}`; null when iManage has no such folder for this user, or answers
   * something else by that id (a server may answer a workspace id on the folder route, `wstype`
   * saying so: the reference is silent on it).
   */
  async getFolder(folder: ContainerId): Promise<FolderRecord | null> {
    const operation = 'GET /libraries/{lib}/folders/{id}';
    const body = await this.getOrNull(operation, ['libraries', folder.library, 'folders', folder.id]);
    if (body === null) return null;
    const wire = parseSingle(body, wireContainer, operation);
    return isFolderLike(wire) ? toFolderRecord(wire) : null;
  }

  /** `GET /libraries/{lib}/folders?include_ids=…`: several folders of one library in one call. */
  async getFolders(library: string, ids: readonly string[]): Promise<FolderRecord[]> {
    const operation = 'GET /libraries/{lib}/folders?include_ids';
    const body = await this.get(operation, ['libraries', library, 'folders'], {
      include_ids: ids.join(','),
      limit: String(ids.length),
    });
    return parseItems(body, wireContainer, operation)
      .filter(isFolderLike)
      .map((w) => toFolderRecord(w));
  }

  /** `GET /libraries/{lib}/folders?name=…`: iManage's folder search within a library. */
  async searchFolders(library: string, request: FolderSearchRequest): Promise<Page<FolderRecord>> {
    const operation = 'GET /libraries/{lib}/folders';
    return this.page(operation, ['libraries', library, 'folders'], request, { ...(request.name ? { name: request.name } : {}) }, (w) =>
      isFolderLike(w) ? toFolderRecord(w) : null,
    );
  }

  /** `GET /libraries/{lib}/folders/{id}/children?exclude_docs=true`: the folders directly inside a folder. */
  async folderChildren(folder: ContainerId, request: PageRequest): Promise<Page<FolderRecord>> {
    const operation = 'GET /libraries/{lib}/folders/{id}/children';
    return this.page(operation, ['libraries', folder.library, 'folders', folder.id, 'children'], request, { exclude_docs: 'true' }, (w) =>
      isFolderLike(w) ? toFolderRecord(w) : null,
    );
  }

  /**
   * `GET /libraries/{lib}/folders/{id}/path`: the folders from the top of the workspace down to this
   * one, inclusive. iManage's reply may start with the workspace itself; that entry is left out. Path
   * entries carry only some fields, so the records are marked partial.
   */
  async folderPath(folder: ContainerId): Promise<FolderRecord[] | null> {
    const operation = 'GET /libraries/{lib}/folders/{id}/path';
    const body = await this.getOrNull(operation, ['libraries', folder.library, 'folders', folder.id, 'path']);
    if (body === null) return null;
    return parseItems(body, wireContainer, operation)
      .filter((w) => w.wstype !== 'workspace')
      .map((w) => toFolderRecord(w, true));
  }

  /** `GET /libraries/{lib}/workspaces/{id}`; null when iManage has no such workspace for this user. */
  async getWorkspace(workspace: ContainerId): Promise<WorkspaceRecord | null> {
    const operation = 'GET /libraries/{lib}/workspaces/{id}';
    const body = await this.getOrNull(operation, ['libraries', workspace.library, 'workspaces', workspace.id]);
    return body === null ? null : toWorkspaceRecord(parseSingle(body, wireContainer, operation));
  }

  /** `GET /libraries/{lib}/workspaces?include_ids=…`: several workspaces of one library in one call. */
  async getWorkspaces(library: string, ids: readonly string[]): Promise<WorkspaceRecord[]> {
    const operation = 'GET /libraries/{lib}/workspaces?include_ids';
    const body = await this.get(operation, ['libraries', library, 'workspaces'], {
      include_ids: ids.join(','),
      limit: String(ids.length),
    });
    return parseItems(body, wireContainer, operation).map(toWorkspaceRecord);
  }

  /** `GET /libraries/{lib}/workspaces?name_or_description=…`: the workspaces of a library, optionally filtered. */
  async searchWorkspaces(library: string, request: WorkspaceSearchRequest): Promise<Page<WorkspaceRecord>> {
    const operation = 'GET /libraries/{lib}/workspaces';
    const filters: Record<string, string> = request.nameOrDescription ? { name_or_description: request.nameOrDescription } : {};
    return this.page(operation, ['libraries', library, 'workspaces'], request, filters, toWorkspaceRecord);
  }

  /** `GET /libraries/{lib}/workspaces/{id}/children?exclude_docs=true`: the workspace's root folders. */
  async workspaceChildren(workspace: ContainerId, request: PageRequest): Promise<Page<FolderRecord>> {
    const operation = 'GET /libraries/{lib}/workspaces/{id}/children';
    return this.page(operation, ['libraries', workspace.library, 'workspaces', workspace.id, 'children'], request, { exclude_docs: 'true' }, (w) =>
      isFolderLike(w) ? toFolderRecord(w) : null,
    );
  }

  /**
   * `POST /libraries/{lib}/folders/{id}/subfolders`: creates a folder inside `folder`; the reply's
   * `{data: Folder}` (200 or 201) as a full record. Sent once: a failure is thrown as it is and never
   * retried here, because a lost answer may hide a folder that was created (the caller reconciles).
   * Only a 401 is replayed with a fresh token, as for every call: iManage refused that request before
   * running it.
   */
  async createSubfolder(folder: ContainerId, body: WireFolderCreate): Promise<FolderRecord> {
    const operation = 'POST /libraries/{lib}/folders/{id}/subfolders';
    return this.create(operation, ['libraries', folder.library, 'folders', folder.id, 'subfolders'], body);
  }

  /** `POST /libraries/{lib}/workspaces/{id}/folders`: creates a folder at the root of `workspace`; as `createSubfolder`. */
  async createWorkspaceFolder(workspace: ContainerId, body: WireFolderCreate): Promise<FolderRecord> {
    const operation = 'POST /libraries/{lib}/workspaces/{id}/folders';
    return this.create(operation, ['libraries', workspace.library, 'workspaces', workspace.id, 'folders'], body);
  }

  /**
   * `GET /libraries/{lib}/documents/{id}` (reference §4.3): one version's profile; with `latest`, the
   * latest version of that document whatever version the id names. Null when iManage has no such
   * document for this user.
   */
  async getDocument(document: DocumentId, options: { latest?: boolean } = {}): Promise<DocumentRecord | null> {
    const operation = 'GET /libraries/{lib}/documents/{id}';
    const body = await this.getOrNull(operation, ['libraries', document.library, 'documents', document.id], options.latest ? { latest: 'true' } : undefined);
    return body === null ? null : toDocumentRecord(parseSingle(body, wireDocument, operation));
  }

  /**
   * `GET /libraries/{lib}/documents/{id}/versions` (reference §4.3): every version of the document
   * the user may read, in iManage's order; null when iManage has no such document for this user.
   */
  async documentVersions(document: DocumentId): Promise<DocumentRecord[] | null> {
    const operation = 'GET /libraries/{lib}/documents/{id}/versions';
    const body = await this.getOrNull(operation, ['libraries', document.library, 'documents', document.id, 'versions']);
    return body === null ? null : parseItems(body, wireDocument, operation).filter(isDocumentLike).map(toDocumentRecord);
  }

  /** `GET /libraries/{lib}/folders/{id}/documents` (reference §4.3): the documents filed in a folder, by cursor. */
  async folderDocuments(folder: ContainerId, request: DocumentPageRequest): Promise<Page<DocumentRecord>> {
    const operation = 'GET /libraries/{lib}/folders/{id}/documents';
    return this.documentPage(operation, ['libraries', folder.library, 'folders', folder.id, 'documents'], request);
  }

  /**
   * `GET /libraries/{lib}/folders/{id}/documents` of a saved-search folder (`folder_type` `search`):
   * reference §5.2 says cursor paging is "not for saved-search folders", so it is read in standard
   * paging, by offset, with `total=true` to tell where it ends (without a `total_count`, a full page is
   * taken to have more after it). Every entry counts towards the offset of the next page.
   */
  async savedSearchDocuments(folder: ContainerId, request: DocumentOffsetRequest): Promise<SearchPage<DocumentRecord>> {
    const operation = 'GET /libraries/{lib}/folders/{id}/documents';
    const body = await this.get(operation, ['libraries', folder.library, 'folders', folder.id, 'documents'], {
      paging_mode: 'standard',
      offset: String(request.offset),
      limit: String(request.limit),
      total: 'true',
      ...(request.sortBy ? { sort_by: request.sortBy } : {}),
      ...(request.sortOrder ? { sort_order: request.sortOrder } : {}),
    });
    const items = parseItems(body, wireDocument, operation).map(toDocumentRecord);
    // §5.2: in standard paging iManage answers in its natural order, which may not be the one asked for.
    requireOrder(items, request);
    const { totalCount } = listMeta(body, operation);
    return { items, overflow: totalCount !== null ? request.offset + items.length < totalCount : items.length >= request.limit };
  }

  /**
   * `GET /libraries/{lib}/workspaces/{id}/documents` (reference §4.3 [?]: seen in one source only): the
   * documents filed anywhere in a workspace. A server without the route (405, or 404 without
   * `NRC_NO_RECORD`) fails with IManageUnsupportedError: there is no other single call for this list.
   */
  async workspaceDocuments(workspace: ContainerId, request: DocumentPageRequest): Promise<Page<DocumentRecord>> {
    const operation = 'GET /libraries/{lib}/workspaces/{id}/documents';
    try {
      return await this.documentPage(operation, ['libraries', workspace.library, 'workspaces', workspace.id, 'documents'], request);
    } catch (error) {
      const routeMissing = error instanceof IManageHttpError && (error.status === 405 || (error.status === 404 && error.code !== 'NRC_NO_RECORD'));
      if (routeMissing) throw new IManageUnsupportedError(operation);
      throw error;
    }
  }

  private async documentPage(operation: string, segments: string[], request: DocumentPageRequest): Promise<Page<DocumentRecord>> {
    const sort = { ...(request.sortBy ? { sort_by: request.sortBy } : {}), ...(request.sortOrder ? { sort_order: request.sortOrder } : {}) };
    const page = await this.page(operation, segments, request, sort, (w) => (isDocumentLike(w) ? toDocumentRecord(w) : null), wireDocument);
    requireOrder(page.items, request);
    return page;
  }

  /**
   * `POST /libraries/{lib}/documents/search` (reference §4.3, §4.6): documents matching every filter,
   * by offset. The profile fields this service reads are asked for by name (`DOCUMENT_FIELDS`):
   * without them iManage answers only ids. `overflow` says whether more matched past this page.
   */
  async searchDocuments(library: string, request: DocumentSearchRequest): Promise<SearchPage<DocumentRecord>> {
    const operation = 'POST /libraries/{lib}/documents/search';
    const response = await this.call(
      'POST',
      operation,
      ['libraries', library, 'documents', 'search'],
      undefined,
      {
        json: { limit: request.limit, offset: request.offset, profile_fields: { document: DOCUMENT_FIELDS }, filters: request.filters },
      },
      true,
    );
    // Every result counts towards the offset of the next page: none is left out here.
    const items = parseItems(response.body, wireDocument, operation).map(toDocumentRecord);
    const meta = wireSearchMeta.safeParse(response.body);
    return { items, overflow: meta.success && meta.data.overflow === true };
  }

  /**
   * `POST /libraries/{lib}/documents/parents` (reference §4.3, §5.3): the folders the given documents
   * are filed in, for many documents at once: one entry per document and folder the user can see.
   */
  async documentParents(library: string, documentNumbers: readonly string[]): Promise<DocumentFiling[]> {
    const operation = 'POST /libraries/{lib}/documents/parents';
    const response = await this.call(
      'POST',
      operation,
      ['libraries', library, 'documents', 'parents'],
      undefined,
      {
        json: { document_numbers: documentNumbers.map(Number), limit: PARENTS_LIMIT },
      },
      true,
    );
    return parseItems(response.body, wireDocumentParent, operation).flatMap((entry): DocumentFiling[] => {
      const { document, folder } = entry;
      const number =
        typeof document === 'string' ? parseDocumentId(document)?.number : (document.document_number?.toString() ?? parseDocumentId(document.id)?.number);
      if (number === undefined) throw new IManageProtocolError(operation, 'a filing names no document number');
      if (typeof folder !== 'string' && !isFolderLike(folder)) return [];
      return [{ documentNumber: number, folder: typeof folder === 'string' ? folder : toFolderRecord(folder) }];
    });
  }

  /**
   * `GET /libraries/{lib}/users?alias=A,B`: several users of a library at once; users iManage does not
   * know are absent. [I]: the reference has no batch user lookup (§4.4); `alias=` is how iManage keys
   * group lookups. A server without it answers 400, 404 or 405, or lists users that were not asked
   * for (it ignores `alias`): then the loader asks `getUser` for each.
   */
  async getUsers(library: string, ids: readonly string[]): Promise<UserRecord[]> {
    const operation = 'GET /libraries/{lib}/users?alias';
    const body = await this.get(operation, ['libraries', library, 'users'], { alias: ids.join(','), limit: String(ids.length) });
    return parseItems(body, wireUser, operation).map(toUserRecord);
  }

  /** `GET /libraries/{lib}/users/{id}` (reference §4.4); null when iManage knows no such user. */
  async getUser(library: string, id: string): Promise<UserRecord | null> {
    const operation = 'GET /libraries/{lib}/users/{id}';
    const body = await this.getOrNull(operation, ['libraries', library, 'users', id]);
    return body === null ? null : toUserRecord(parseSingle(body, wireUser, operation));
  }

  /**
   * `POST /libraries/{lib}/folders/{id}/documents` (reference §4.3): files a new document, multipart with
   * a `profile` part and a `file` part, the file's bytes sent as they come. Sent once, never retried
   * (its body cannot be read twice, and a lost answer may hide a document that was filed: the caller
   * reconciles). A 401 before the upload renews the token for the next call and fails with
   * IManageNotReplayedError: nothing was filed.
   */
  async uploadDocument(folder: ContainerId, upload: MultipartUpload): Promise<DocumentRecord> {
    const operation = 'POST /libraries/{lib}/folders/{id}/documents';
    return this.sendMultipart(operation, ['libraries', folder.library, 'folders', folder.id, 'documents'], upload);
  }

  /** `POST /libraries/{lib}/documents/{id}/versions` (reference §4.3, the same form as an upload): a new version, as `uploadDocument`. */
  async addDocumentVersion(document: DocumentId, upload: MultipartUpload): Promise<DocumentRecord> {
    const operation = 'POST /libraries/{lib}/documents/{id}/versions';
    return this.sendMultipart(operation, ['libraries', document.library, 'documents', document.id, 'versions'], upload);
  }

  private async sendMultipart(operation: string, segments: string[], upload: MultipartUpload): Promise<DocumentRecord> {
    const url = this.url(segments);
    const boundary = `imanage-graphql-${randomUUID()}`;
    const signals = [upload.signal, this.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    // The body is a stream, read once: a 401 renews the token and fails (IManageNotReplayedError), never resent.
    const response = await this.asUser(
      operation,
      false,
      (token, scope) =>
        this.upstream.stream(
          {
            method: 'POST',
            url,
            operation,
            token,
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json' },
            body: Readable.from(multipartParts(boundary, upload), { objectMode: false }),
            signal,
          },
          scope,
        ),
      false,
    );
    return toDocumentRecord(parseSingle(await readJsonReply(response, operation), wireDocument, operation));
  }

  private async create(operation: string, segments: string[], body: WireFolderCreate): Promise<FolderRecord> {
    const response = await this.call('POST', operation, segments, undefined, { json: body });
    return toFolderRecord(parseSingle(response.body, wireContainer, operation));
  }

  /**
   * One page in iManage's preferred paging mode, `standard_cursor` (reference §4.6 end, §5.2): the
   * previous page's `cursor` passed back unmodified, and no offset (deprecated on children). The
   * reply's `cursor` names the next page; its absence ends the list. `total=true` is sent too: §5.2
   * says cursor mode ignores it and omits `total_count`, so a `total_count` shows a server that paged
   * by offset instead (the reference lists no cursor paging for workspace children, §4.2). Such a first
   * page holding fewer items than that count, with no cursor, is not the whole list:
   * IManageUnpagedListError, never a list ended short. (Later pages were reached by cursor, so the
   * server does page by it.) A server that ignores the cursor it is given is told by content where
   * pages are read (src/graphql/paging.ts, src/folders/reconcile.ts), not by its cursor: a fresh cursor
   * may name the same page again, and a cursor sent back unchanged may be a handle that advances.
   */
  private async page<T, W = z.infer<typeof wireContainer>>(
    operation: string,
    segments: string[],
    request: PageRequest,
    filters: Record<string, string>,
    map: (wire: W) => T | null,
    schema: z.ZodType<W> = wireContainer as unknown as z.ZodType<W>,
  ): Promise<Page<T>> {
    const body = await this.get(operation, segments, {
      ...filters,
      paging_mode: 'standard_cursor',
      limit: String(request.limit),
      total: 'true',
      ...(request.cursor === null ? {} : { cursor: request.cursor }),
    });
    const wires = parseItems(body, schema, operation);
    const { next, totalCount } = listMeta(body, operation);
    if (next === null && request.cursor === null && totalCount !== null && wires.length < totalCount)
      throw new IManageUnpagedListError(operation, wires.length, totalCount);
    return { items: wires.map(map).filter((x): x is T => x !== null), next };
  }

  /** The body, or null when the object does not exist for this user (404, or 403 turned into one by `call`). */
  private async getOrNull(operation: string, segments: string[], query?: Record<string, string>): Promise<unknown | null> {
    try {
      return await this.get(operation, segments, query);
    } catch (error) {
      if (error instanceof IManageNotFoundError) return null;
      throw error;
    }
  }

  private async get(operation: string, segments: string[], query?: Record<string, string>): Promise<unknown> {
    return (await this.call('GET', operation, segments, query)).body;
  }

  /**
   * Sends one call with the user's token; on a 401 asks for a fresh token and replays once. A read
   * (a GET, or a search POST: `read`) refused with 403 is answered as IManageNotFoundError: to a user
   * who may not see an object, it does not exist, and "forbidden" would tell them it does (reference
   * §5.4 lists both for objects out of reach). Its status stays 403 (a missing route is told apart by
   * it) and iManage's code is dropped (it could say "denied"). Writes keep their 403: the user can see
   * what they may not change.
   */
  private async call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    operation: string,
    segments: string[],
    query?: Record<string, string>,
    body?: RequestBody,
    read = method === 'GET',
  ): Promise<TransportResponse> {
    const url = this.url(segments, query);
    return this.asUser(operation, read, (token, scope) => this.upstream.send({ method, url, operation, token, body, signal: this.signal, read }, scope));
  }

  /** `asUserOnce`, and a `write` (by default what is not a `read`) noted in `writes` with its status, whatever its outcome. */
  private async asUser<T extends { status: number }>(
    operation: string,
    read: boolean,
    send: (token: string, scope: CallScope) => Promise<T>,
    replayable = true,
    write = !read,
  ): Promise<T> {
    if (!write) return this.asUserOnce(operation, read, send, replayable);
    try {
      const reply = await this.asUserOnce(operation, read, send, replayable);
      this.writes.push({ operation, status: reply.status });
      return reply;
    } catch (error) {
      const status = error instanceof IManageHttpError ? error.status : error instanceof IManageUnauthorizedError ? 401 : null;
      this.writes.push({ operation, status });
      throw error;
    }
  }

  /**
   * Runs `send` with the user's token, spending one call of the budget per attempt (and every retry
   * through `spendRetry`: the budget cannot be bypassed); on a 401 asks for a fresh token and replays
   * once; a `read` refused with 403 becomes IManageNotFoundError (see `call`). A call that is not
   * `replayable` (its body was a stream) renews the token on a 401 and fails with IManageNotReplayedError.
   */
  private async asUserOnce<T>(operation: string, read: boolean, send: (token: string, scope: CallScope) => Promise<T>, replayable = true): Promise<T> {
    const scope: CallScope = { userKey: this.session.id, deadline: this.deadline, spendRetry: () => this.spend(), onSend: () => this.sent() };
    const attempt = (token: string) => {
      if (!this.spend()) throw new IManageCallBudgetError(operation, this.maxCalls);
      return send(token, scope);
    };
    const unreadableAsMissing = (error: unknown) =>
      read && error instanceof IManageForbiddenError ? new IManageNotFoundError(operation, error.status, undefined) : error;
    const token = await this.session.tokens.current();
    try {
      return await attempt(token);
    } catch (error) {
      if (!(error instanceof IManageTokenRejectedError)) throw unreadableAsMissing(error);
    }
    const fresh = await this.session.tokens.renew(token);
    if (fresh === null) throw new IManageUnauthorizedError(operation);
    if (!replayable) throw new IManageNotReplayedError(operation);
    try {
      return await attempt(fresh);
    } catch (error) {
      if (error instanceof IManageTokenRejectedError) throw new IManageUnauthorizedError(operation);
      throw unreadableAsMissing(error);
    }
  }

  /**
   * `GET /libraries/{lib}/documents/{docId}/download?activity=export` (reference §4.3): the
   * document's bytes as iManage streams them, with its status (200, 206 for a range, 416 for a range
   * past the end) and headers. `activity=export`, as iManage's documentation advises for a file that
   * leaves iManage, records an export in the document's history (a HEAD records nothing). Before any
   * byte arrives a 401 is replayed once with a fresh token, a 403 is answered as a 404 (a read), and
   * the upstream policy may retry; once the reply is given, a failure is an error on its body. Read
   * the body to its end or destroy it.
   */
  async download(document: DocumentId, request: DownloadRequest = {}): Promise<StreamResponse> {
    const operation = `${request.head ? 'HEAD' : 'GET'} /libraries/{lib}/documents/{id}/download`;
    const query: Record<string, string> = { activity: 'export', latest: request.latest ? 'true' : 'false' };
    return this.openStream(request.head ? 'HEAD' : 'GET', operation, ['libraries', document.library, 'documents', document.id, 'download'], query, {
      headers: request.range === undefined ? {} : { range: request.range },
      signal: request.signal,
      passStatus: (status) => status < 400 || status === 416,
    });
  }

  /**
   * `call` for a reply whose body is streamed: the same token handling (a 401, which comes before
   * any byte, is replayed once with a fresh token), the same 403-as-404 for reads, the same budget.
   * The request's signal and the client's both cancel it. No request body: one sent as a stream could
   * not be replayed after a 401 (`passthrough` renews the token and fails instead).
   */
  private async openStream(
    method: StreamRequest['method'],
    operation: string,
    segments: string[],
    query: Record<string, string> | undefined,
    options: Pick<StreamRequest, 'headers' | 'signal' | 'passStatus'>,
  ): Promise<StreamResponse> {
    const url = this.url(segments, query);
    const signals = [options.signal, this.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const read = method === 'GET' || method === 'HEAD';
    return this.asUser(operation, read, (token, scope) => this.upstream.stream({ ...options, method, url, operation, token, signal }, scope));
  }

  /**
   * The passthrough (`ANY /imanage/{path}`, src/http/passthrough.ts): one call to any path of the
   * iManage host, as this user, through the same policy as every call (a 401 renewed and replayed once
   * when the body allows it, the user's slots, rate-limit waits), as a relayed call: an open breaker
   * fails it, but its outcome is not counted, and of GET and HEAD without a body only those whose
   * connection broke before the first byte are retried. The host is the origin of the connection's API base, which
   * discovery pinned to the configured iManage host; the path cannot leave it (segments are escaped,
   * dot and empty segments refused). Statuses `passStatus` refuses are thrown as typed errors; the
   * others come back with the body unread, to be read to its end or destroyed.
   */
  async passthrough(request: PassthroughRequest): Promise<StreamResponse> {
    const origin = new URL(this.session.apiBaseUrl).origin;
    for (const segment of request.segments) {
      if (segment === '' || segment === '.' || segment === '..') throw new TypeError('passthrough: empty and dot segments are resolved by the caller');
    }
    const path = request.segments.map((segment) => encodeURIComponent(segment === CUSTOMER_ID_SEGMENT ? this.session.customerId : segment)).join('/');
    if (request.query.includes('#')) throw new TypeError('passthrough: a query holds no "#"');
    const url = new URL(`${origin}/${path}${request.query === '' ? '' : `?${request.query}`}`);
    if (url.origin !== origin) throw new TypeError('passthrough: the URL left the iManage host');
    const replayable = request.body === undefined || request.body instanceof Uint8Array;
    // Not a `read` to asUser: the passthrough answers iManage's 403 as iManage gave it, never as a 404.
    // Only what changes something (not GET or HEAD) is a write.
    return this.asUser(
      request.operation,
      false,
      (token, scope) =>
        this.upstream.stream(
          {
            method: request.method,
            url,
            operation: request.operation,
            token,
            headers: request.headers,
            body: request.body,
            signal: this.signal,
            passStatus: request.passStatus,
            relayed: true,
          },
          scope,
        ),
      replayable,
      request.method !== 'GET' && request.method !== 'HEAD',
    );
  }

  /** `{apiBase}/customers/{cid}/…`, every segment escaped. */
  private url(segments: string[], query?: Record<string, string>): URL {
    const path = ['customers', this.session.customerId, ...segments].map(encodeURIComponent).join('/');
    const url = new URL(`${this.session.apiBaseUrl.replace(/\/+$/, '')}/${path}`);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url;
  }
}

/**
 * An upload's body (RFC 7578): the `profile` part as JSON, then the `file` part with the file's bytes as
 * they come. A failure of the file (the client went away, the file is too large) fails the body, which
 * cancels the request.
 */
async function* multipartParts(boundary: string, upload: MultipartUpload): AsyncGenerator<Buffer> {
  const fileName = upload.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const mimeType = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(upload.mimeType) ? upload.mimeType : 'application/octet-stream';
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="profile"\r\nContent-Type: application/json; charset=utf-8\r\n\r\n` +
      `${JSON.stringify(upload.profile)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
    'utf8',
  );
  for await (const chunk of upload.file) yield chunk as Buffer;
  yield Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
}

/**
 * `GET {host}/api`: who the token belongs to, their customer id and preferred library, and the v2 API
 * base from `versions[]` (reference §1.3), or `{host}/work/api/v2` when iManage lists none (§1.2).
 * Every later call sends the user's token to that base, so it is pinned: it must be on the configured
 * host's origin, and https unless `allowHttp` (sandbox mode, on loopback). Anything else is refused
 * with `IManageUntrustedApiError`, never followed or silently replaced.
 */
export async function discover(
  transport: IManageTransport,
  hostUrl: string,
  token: string,
  options: { signal?: AbortSignal | undefined; allowHttp?: boolean } = {},
): Promise<DiscoveryRecord> {
  const operation = 'GET /api';
  const host = hostUrl.replace(/\/+$/, '');
  if (!host.startsWith('https:') && !options.allowHttp) throw new IManageUntrustedApiError(operation, 'the iManage host is not https');
  let response: TransportResponse;
  try {
    response = await transport.send({ method: 'GET', url: new URL(`${host}/api`), operation, token, signal: options.signal });
  } catch (error) {
    if (error instanceof IManageTokenRejectedError) throw new IManageUnauthorizedError(operation);
    throw error;
  }
  const parsed = wireDiscovery.safeParse(response.body);
  if (!parsed.success) throw new IManageProtocolError(operation, 'discovery reply lacks user or customer_id');
  const { user, versions, work } = parsed.data.data;
  const v2 = versions?.find((v) => v.name === 'v2')?.url;
  const apiBaseUrl = v2 === undefined ? `${host}/work/api/v2` : v2.replace(/\/+$/, '');
  const refusal = untrustedApiBase(apiBaseUrl, host, options.allowHttp === true);
  if (refusal) throw new IManageUntrustedApiError(operation, refusal);
  return {
    userId: user.id,
    customerId: String(user.customer_id),
    preferredLibrary: work?.preferred_library ?? null,
    apiBaseUrl,
  };
}

/** Why `apiBase` may not receive tokens meant for `host`, or null when it may. */
function untrustedApiBase(apiBase: string, host: string, allowHttp: boolean): string | null {
  if (!URL.canParse(apiBase)) return 'not an absolute URL';
  const url = new URL(apiBase);
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) return allowHttp ? 'not http(s)' : 'not https';
  if (url.origin !== new URL(host).origin) return 'not on the configured iManage host';
  if (url.username || url.password || url.search || url.hash) return 'carries credentials, a query or a fragment';
  return null;
}

/**
 * The most filings one `documents/parents` call asks for: a page of 100 documents filed in a few
 * folders each is far below it, and iManage takes at most 9999 (reference §5.2).
 */
const PARENTS_LIMIT = 9999;

/** `{data: {...}}`: one object. */
function parseSingle<T>(body: unknown, schema: z.ZodType<T>, operation: string): T {
  const data = isRecord(body) ? body.data : undefined;
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new IManageProtocolError(operation, `object does not match the API (${firstIssue(parsed.error)})`);
  return parsed.data;
}

/**
 * The `cursor` and `total_count` beside a list's `data`, each read on its own: one that breaks its
 * shape is a protocol error, never dropped (a lost cursor would end the list short).
 */
function listMeta(body: unknown, operation: string): { next: string | null; totalCount: number | null } {
  const cursor = wireListCursor.safeParse(body);
  if (!cursor.success) throw new IManageProtocolError(operation, `the list's cursor is not a string (${firstIssue(cursor.error)})`);
  const total = wireListTotal.safeParse(body);
  if (!total.success) throw new IManageProtocolError(operation, `the list's total_count is not a count (${firstIssue(total.error)})`);
  return { next: cursor.data.cursor || null, totalCount: total.data.total_count ?? null };
}

/** Both list envelopes: a flat `{data:[…]}` and a result set `{data:{results:[…]}}`. */
function parseItems<T>(body: unknown, schema: z.ZodType<T>, operation: string): T[] {
  const data = isRecord(body) ? body.data : undefined;
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.results) ? data.results : undefined;
  if (!list) throw new IManageProtocolError(operation, 'reply has no list in data or data.results');
  const parsed = arrayOf(schema).safeParse(list);
  if (!parsed.success) throw new IManageProtocolError(operation, `list item does not match the API (${firstIssue(parsed.error)})`);
  return parsed.data;
}

/** `z.array(schema)`, built once per schema. */
const arrays = new WeakMap<z.ZodType, z.ZodType>();
function arrayOf<T>(schema: z.ZodType<T>): z.ZodType<T[]> {
  let array = arrays.get(schema);
  if (!array) arrays.set(schema, (array = z.array(schema)));
  return array as z.ZodType<T[]>;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'value'}: ${issue.code}` : 'invalid';
}

/**
 * The fields whose order is not in doubt (dates and numbers), as numbers; names and types sort by a
 * collation this service cannot know, so their pages are taken as they come.
 */
const ORDERED_VALUE: Partial<Record<NonNullable<DocumentPageRequest['sortBy']>, (d: DocumentRecord) => number | null>> = {
  edit_date: (d) => (d.editDate === null ? null : Date.parse(d.editDate)),
  create_date: (d) => (d.createDate === null ? null : Date.parse(d.createDate)),
  document_number: (d) => d.documentNumber,
  size: (d) => d.size,
};

/**
 * A page not in the order asked for is refused (IManageUnsupportedError): `sort_by` is not in the
 * reference (§5.2 has only `sort_order`), and a server that ignores it answers in its own order.
 */
function requireOrder(items: readonly DocumentRecord[], request: Pick<DocumentPageRequest, 'sortBy' | 'sortOrder'>): void {
  const value = request.sortBy && ORDERED_VALUE[request.sortBy];
  if (!value) return;
  const ascending = (request.sortOrder ?? 'asc') === 'asc';
  const values = items.map(value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (!values.every((v, i) => i === 0 || (ascending ? values[i - 1]! <= v : values[i - 1]! >= v)))
    throw new IManageUnsupportedError(`sort_by=${request.sortBy}`);
}
