import { IManageProtocolError } from './errors.js';
import { parseContainerId, parseDocumentId } from './ids.js';
import type { WireContainer, WireDocument, WireUser } from './wire.js';

/**
 * iManage objects as the rest of the service sees them: camelCase, every field present (null when
 * iManage did not send it). Enum-like values keep iManage's spelling (`read_write`); the GraphQL layer
 * maps them to its enums.
 */

export interface FolderRecord {
  readonly kind: 'folder';
  readonly id: string;
  readonly library: string;
  readonly name: string;
  readonly description: string | null;
  readonly defaultSecurity: string | null;
  readonly effectiveSecurity: string | null;
  readonly folderType: string | null;
  readonly owner: string | null;
  readonly editDate: string | null;
  readonly hasSubfolders: boolean | null;
  readonly hasDocuments: boolean | null;
  readonly parentId: string | null;
  readonly workspaceId: string | null;
  readonly workspaceName: string | null;
  readonly profile: Readonly<Record<string, unknown>> | null;
  /**
   * True when built from a reply that carries only some fields (path entries have no description,
   * effective security, edit date or profile): read those from a full record fetched by id.
   */
  readonly partial: boolean;
}

export interface WorkspaceRecord {
  readonly kind: 'workspace';
  readonly id: string;
  readonly library: string;
  readonly name: string;
  readonly description: string | null;
  readonly owner: string | null;
  /**
   * True when built from what a folder says of its workspace (`workspace_id`, `workspace_name`): only
   * the id, library and name are known; read the rest from the full record fetched by id.
   */
  readonly partial?: boolean;
}

export interface LibraryRecord {
  readonly id: string;
  /** `worksite` or `linksite`, when iManage says. */
  readonly type: string | null;
  /** iManage lists it as hidden (`is_hidden`, reference §1.4): left out of the caller's list, still read by id. */
  readonly hidden: boolean;
}

/** The caller's identity and where their API lives, from discovery (`GET /api`). */
export interface DiscoveryRecord {
  readonly userId: string;
  readonly customerId: string;
  readonly preferredLibrary: string | null;
  /** The v2 API base, e.g. `https://cloudimanage.com/work/api/v2`. */
  readonly apiBaseUrl: string;
}

/** One page of a list in iManage's cursor mode, in iManage's order. */
export interface Page<T> {
  readonly items: T[];
  /** iManage's cursor for the page after this one, to pass back unmodified; null when this page ends the list. */
  readonly next: string | null;
}

/**
 * One version of a document (reference §4.3). Fields that are the same for every version (filing
 * locations, the version list) are keyed by `numberId`, `LIBRARY!number`.
 */
export interface DocumentRecord {
  readonly kind: 'document';
  /** `LIBRARY!number.version`, as iManage spells it. */
  readonly id: string;
  readonly library: string;
  readonly documentNumber: number;
  readonly version: number;
  readonly name: string;
  readonly extension: string | null;
  /** iManage's document type, e.g. `WORD`, `PDF`. */
  readonly type: string | null;
  /** Bytes. */
  readonly size: number | null;
  /** iManage user ids. */
  readonly author: string | null;
  readonly operator: string | null;
  readonly comment: string | null;
  readonly createDate: string | null;
  readonly editDate: string | null;
  readonly defaultSecurity: string | null;
  readonly effectiveSecurity: string | null;
  readonly isCheckedOut: boolean | null;
  /** iManage's `in_use_by`: the user id holding the document (checked out, or open), when someone does. */
  readonly inUseBy: string | null;
  readonly checkoutDate: string | null;
  readonly isLatest: boolean | null;
  readonly workspaceId: string | null;
  readonly workspaceName: string | null;
  /** `class`, `class_description`, `subclass`, `customN`, `customN_description` as iManage sent them. */
  readonly profile: Readonly<Record<string, unknown>>;
}

/** An iManage user of one library (reference §4.4). */
export interface UserRecord {
  readonly id: string;
  readonly fullName: string | null;
  readonly email: string | null;
}

/** One filing of a document: the folder it is in, as a record, or as an id to read (some servers send only ids). */
export interface DocumentFiling {
  /** The document number, as digits. */
  readonly documentNumber: string;
  readonly folder: FolderRecord | string;
}

/** One page of a document search (offset paging): the items, and whether more matched after them. */
export interface SearchPage<T> {
  readonly items: T[];
  readonly overflow: boolean;
}

/** The library an object lives in: iManage's `database`, or else the prefix of its id. */
function libraryOf(wire: { id: string; database?: string | null | undefined }): string {
  return wire.database ?? wire.id.slice(0, Math.max(0, wire.id.indexOf('!')));
}

/**
 * A folder's or workspace's id, which this service reads back to list, page and find parents by:
 * `LIBRARY!number`, else iManage's reply is broken. Checked on the entries kept (a list of children may
 * hold documents and other entries, which are left out before this).
 */
function containerId(id: string): string {
  if (parseContainerId(id) === null)
    throw new IManageProtocolError('container record', `a folder or workspace id that is not LIBRARY!number (${id.slice(0, 60)})`);
  return id;
}

export function toFolderRecord(wire: WireContainer, partial = false): FolderRecord {
  return {
    kind: 'folder',
    id: containerId(wire.id),
    library: libraryOf(wire),
    name: wire.name,
    description: wire.description ?? null,
    defaultSecurity: wire.default_security ?? null,
    effectiveSecurity: wire.effective_security ?? null,
    folderType: wire.folder_type ?? null,
    owner: wire.owner ?? null,
    editDate: wire.edit_date ?? null,
    hasSubfolders: wire.has_subfolders ?? null,
    hasDocuments: wire.has_documents ?? null,
    parentId: wire.parent_id ?? null,
    workspaceId: wire.workspace_id ?? null,
    workspaceName: wire.workspace_name ?? null,
    profile: wire.profile ?? null,
    partial,
  };
}

export function toWorkspaceRecord(wire: WireContainer): WorkspaceRecord {
  return {
    kind: 'workspace',
    id: containerId(wire.id),
    library: libraryOf(wire),
    name: wire.name,
    description: wire.description ?? null,
    owner: wire.owner ?? null,
  };
}

/**
 * Lists mix kinds: folder children carry documents unless excluded, and tabs and search folders come
 * back as folders. Anything whose `wstype` says it is not a folder is left out of folder lists.
 */
export function isFolderLike(wire: WireContainer): boolean {
  return wire.wstype == null || wire.wstype === 'folder' || wire.wstype === 'tab';
}

const PROFILE_KEYS = [
  'class',
  'class_description',
  'subclass',
  ...Array.from({ length: 30 }, (_, i) => [`custom${i + 1}`, `custom${i + 1}_description`]).flat(),
];

/**
 * A document record from iManage's profile. The number and version come from their fields, or from
 * the id (`LIB!number.version`) when a reply leaves them out.
 */
/** A document's number or version, which the API answers as an `Int` (1 to 2³¹−1); anything else is iManage's reply broken. */
function documentInteger(value: number, what: string, id: string): number {
  if (Number.isSafeInteger(value) && value >= 1 && value <= 2 ** 31 - 1) return value;
  throw new IManageProtocolError('document record', `a document (${id.slice(0, 60)}) without a usable ${what}`);
}

/**
 * A document's id, which this service reads back to download it and list its versions:
 * `LIBRARY!number.version` (or `LIBRARY!number`), else iManage's reply is broken. Checked on the
 * entries kept, as `containerId` (a folder's list may hold entries of other kinds, left out before this).
 */
function documentId(id: string): string {
  if (parseDocumentId(id) === null) throw new IManageProtocolError('document record', `a document id that is not LIBRARY!number.version (${id.slice(0, 60)})`);
  return id;
}

export function toDocumentRecord(wire: WireDocument): DocumentRecord {
  const fromId = /!([0-9]+)(?:\.([0-9]+))?$/.exec(wire.id);
  const profile: Record<string, unknown> = {};
  for (const key of PROFILE_KEYS) {
    const value = (wire as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && value !== '') profile[key] = value;
  }
  return {
    kind: 'document',
    id: documentId(wire.id),
    library: libraryOf(wire),
    documentNumber: documentInteger(wire.document_number ?? Number(fromId?.[1] ?? NaN), 'number', wire.id),
    version: documentInteger(wire.version ?? Number(fromId?.[2] ?? NaN), 'version', wire.id),
    name: wire.name,
    extension: wire.extension || null,
    type: wire.type || null,
    size: wire.size ?? null,
    author: wire.author || null,
    operator: wire.operator || null,
    comment: wire.comment || null,
    createDate: wire.create_date || null,
    editDate: wire.edit_date || null,
    defaultSecurity: wire.default_security || null,
    effectiveSecurity: wire.effective_security || null,
    isCheckedOut: wire.is_checked_out ?? null,
    inUseBy: wire.in_use_by || null,
    checkoutDate: wire.checkout_date || null,
    isLatest: wire.is_latest ?? null,
    workspaceId: wire.workspace_id || null,
    workspaceName: wire.workspace_name || null,
    profile,
  };
}

/** Lists of documents may carry other kinds (folders, shortcuts): only documents and e-mails are kept. */
export function isDocumentLike(wire: WireDocument): boolean {
  return wire.wstype == null || wire.wstype === 'document' || wire.wstype === 'email';
}

export function toUserRecord(wire: WireUser): UserRecord {
  return { id: wire.id, fullName: wire.full_name || null, email: wire.email || null };
}
