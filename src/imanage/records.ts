import type { WireContainer } from './wire.js';

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

/** The library an object lives in: iManage's `database`, or else the prefix of its id. */
function libraryOf(wire: WireContainer): string {
  return wire.database ?? wire.id.slice(0, Math.max(0, wire.id.indexOf('!')));
}

export function toFolderRecord(wire: WireContainer, partial = false): FolderRecord {
  return {
    kind: 'folder',
    id: wire.id,
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
    id: wire.id,
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
