/**
 * The data model (users, groups, workspaces, folders, documents) and iManage's security rules.
 *
 * Security, as the sandbox applies it (README "Choices"):
 * - Every workspace, folder and document has a default security (inherit|public|view|private)
 *   and an ACL of user and group trustees.
 * - A caller's effective access is: full_access when they own the object; else the highest level
 *   among ACL entries naming them or one of their groups; else from the default security:
 *   public → read_write, view → read, private → no_access, inherit → the caller's effective
 *   access on the parent (so a subfolder of a private folder is private to the same people).
 * - Below `read` an object is invisible: 404 on direct access, absent from every list.
 */
export type DefaultSecurity = 'inherit' | 'public' | 'view' | 'private';
export type ResolvedSecurity = Exclude<DefaultSecurity, 'inherit'>;
export type AccessLevel = 'no_access' | 'read' | 'read_write' | 'full_access';

export const ACCESS_LEVELS: readonly AccessLevel[] = ['no_access', 'read', 'read_write', 'full_access'];
export const accessRank = (level: AccessLevel): number => ACCESS_LEVELS.indexOf(level);

/** An ACL entry. The type is implied on the wire by user_trustees / group_trustees. */
export interface Trustee {
  id: string;
  type: 'user' | 'group';
  access_level: AccessLevel;
}

export interface UserRecord {
  id: string;
  fullName: string;
  email: string;
  password: string;
  userType: 'enterprise' | 'virtual';
  groups: string[];
  preferredLibrary: string;
  /** May be granted the `admin` OAuth scope. */
  isAdmin: boolean;
  /** Numeric ids iManage also exposes (ssid, anonymous_id). */
  ssid: string;
}

export interface GroupRecord {
  id: string;
  fullName: string;
}

export type ProfileValue = string | number | boolean;
export type Profile = Record<string, ProfileValue>;

interface SecuredRecord {
  id: string;
  library: string;
  number: number;
  name: string;
  defaultSecurity: DefaultSecurity;
  acl: Trustee[];
  owner: string;
  createDate: number;
  editDate: number;
}

interface ContainerCommon extends SecuredRecord {
  description: string;
  activityDate: number;
  /** Local part of the filing e-mail address; the server appends `.<library>@<domain>`. */
  emailPrefix: string;
  isExternalAsNormal: boolean;
  projectCustom: [string, string, string];
  profile: Profile;
  /** Direct subfolder ids (any order; lists are sorted when read). */
  childIds: string[];
}

export interface WorkspaceRecord extends ContainerCommon {
  kind: 'workspace';
}

export interface FolderRecord extends ContainerCommon {
  kind: 'folder';
  /** A folder id, or the workspace id for a folder at the workspace's root. */
  parentId: string;
  workspaceId: string;
  /** `search`: a saved search shown as a folder (`knobs.makeSavedSearch`); its documents are what `savedSearch` finds. */
  folderType: 'regular' | 'tab' | 'search';
  /** Documents filed here, by number (`LIB!number`, see documentKey); lists show each one's latest version. */
  documentIds: string[];
  /** A saved-search folder's filters, as the document search POST takes them. */
  savedSearch?: Record<string, unknown>;
}

/**
 * What a download serves: a text body (small, searchable), bytes generated on the fly (content.ts),
 * or an uploaded file stored in the sandbox's upload directory (its SHA-256 computed while it arrived).
 */
export type DocumentContent = { kind: 'text'; text: string } | { kind: 'generated' } | { kind: 'file'; path: string; sha256: string };

/** One entry of a version's history (reference §4.3 history): who did what, when. */
export interface HistoryEntry {
  activity: string;
  user: string;
  at: number;
  /** The upload's `audit.comments`, when one was given. */
  comments?: string;
}

/** A folder a document is filed in besides its own (`folderId`), and since when. */
export interface FilingLocation {
  folderId: string;
  filedAt: number;
}

/**
 * One version of a document. Every version is its own record (`id` is `LIB!number.version`); the
 * versions of a number share name, security and filing, and the highest one is the latest.
 */
export interface DocumentRecord extends SecuredRecord {
  kind: 'document';
  version: number;
  extension: string;
  type: string;
  /** Bytes of the download; for text content, the UTF-8 length of the text. */
  size: number;
  /** The folder it was filed in first; `inherit` security follows this one. */
  folderId: string;
  /** Further folders it is filed in (POST documents/parents lists them all). */
  otherLocations: FilingLocation[];
  profile: Profile;
  content: DocumentContent;
  /** Last user to edit it; `owner` is the author. */
  operator: string;
  comment: string;
  checkedOut?: { by: string; at: number };
  history: HistoryEntry[];
}

/** What a new document's filer chooses; the rest `Store.fileNewDocument` fills in. */
export type NewDocumentFields = Omit<
  DocumentRecord,
  'kind' | 'id' | 'library' | 'number' | 'version' | 'createDate' | 'editDate' | 'folderId' | 'otherLocations'
>;

export type ContainerRecord = WorkspaceRecord | FolderRecord;
export type AnyRecord = ContainerRecord | DocumentRecord;

/** `LIB!number`: the key shared by every version of a document. */
export function documentKey(record: DocumentRecord): string {
  return `${record.library}!${record.number}`;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same firm on every start. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sort keys give every list one natural order (folders before documents, then by name
 * case-insensitively in code-point order, then by number) and double as keyset cursor keys.
 */
export function sortKey(record: AnyRecord): string {
  const num = String(record.number).padStart(12, '0');
  if (record.kind === 'document') {
    return `1\u0000${record.name.toLowerCase()}\u0000${num}.${String(record.version).padStart(6, '0')}`;
  }
  return `0\u0000${record.name.toLowerCase()}\u0000${num}`;
}

/** Records in `sortKey` order, each key built once rather than once per comparison. */
export function sortedBySortKey<T extends AnyRecord>(records: readonly T[]): T[] {
  const keyed = records.map((record) => ({ record, key: sortKey(record) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.record);
}

export class Store {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  /** Every version, by `LIB!number.version`. */
  readonly documents = new Map<string, DocumentRecord>();
  /** The versions of each document number (`LIB!number`), ascending. Folders list these keys. */
  readonly documentVersions = new Map<string, DocumentRecord[]>();
  /** Client number → client name, and "client/matter" → matter name, for custom1/2 descriptions. */
  readonly clientNames = new Map<string, string>();
  readonly matterNames = new Map<string, string>();
  /** Libraries listed with `is_hidden: true` (reference §1.4): still usable by id. */
  readonly hiddenLibraries = new Set<string>();
  private readonly lastContainerNumber = new Map<string, number>();
  private readonly lastDocumentNumber = new Map<string, number>();

  constructor(
    readonly customerId: number,
    /** Canonical (upper-case) library ids, preferred first. */
    readonly libraries: string[],
    private readonly random: () => number,
    firstNumbers: Record<string, { container: number; document: number }>,
  ) {
    for (const lib of libraries) {
      const first = firstNumbers[lib] ?? { container: 50_000, document: 1_000_000 };
      this.lastContainerNumber.set(lib, first.container);
      this.lastDocumentNumber.set(lib, first.document);
    }
  }

  /** The canonical library id for a path segment (library ids are matched case-insensitively). */
  library(raw: string): string | undefined {
    const upper = raw.toUpperCase();
    return this.libraries.find((l) => l === upper);
  }

  /** Irregularly spaced, increasing numbers, so nobody mistakes ids for small consecutive integers. */
  private step(): number {
    const r = this.random();
    return r < 0.1 ? 40 + Math.floor(this.random() * 400) : 1 + Math.floor(r * 17);
  }

  nextContainerNumber(lib: string): number {
    const n = (this.lastContainerNumber.get(lib) ?? 50_000) + this.step();
    this.lastContainerNumber.set(lib, n);
    return n;
  }

  nextDocumentNumber(lib: string): number {
    const n = (this.lastDocumentNumber.get(lib) ?? 1_000_000) + this.step();
    this.lastDocumentNumber.set(lib, n);
    return n;
  }

  container(id: string): ContainerRecord | undefined {
    return this.containers.get(id);
  }

  workspace(id: string): WorkspaceRecord | undefined {
    const c = this.containers.get(id);
    return c?.kind === 'workspace' ? c : undefined;
  }

  folder(id: string): FolderRecord | undefined {
    const c = this.containers.get(id);
    return c?.kind === 'folder' ? c : undefined;
  }

  parentOf(record: AnyRecord): ContainerRecord | undefined {
    if (record.kind === 'folder') return this.containers.get(record.parentId);
    if (record.kind === 'document') return this.containers.get(record.folderId);
    return undefined;
  }

  workspaceOf(record: FolderRecord | DocumentRecord): WorkspaceRecord | undefined {
    const folder = record.kind === 'folder' ? record : this.folder(record.folderId);
    return folder ? this.workspace(folder.workspaceId) : undefined;
  }

  addContainer(record: ContainerRecord): void {
    this.containers.set(record.id, record);
    if (record.kind === 'folder') this.containers.get(record.parentId)?.childIds.push(record.id);
  }

  /** Adds a version; the first version of a number is filed in its folder(s). */
  /** Files a new document in `folder` at `at`: version 1 of the library's next number (`LIB!n.1`), filed there alone. */
  fileNewDocument(folder: FolderRecord, at: number, fields: NewDocumentFields): DocumentRecord {
    const number = this.nextDocumentNumber(folder.library);
    const record: DocumentRecord = {
      kind: 'document',
      id: `${folder.library}!${number}.1`,
      library: folder.library,
      number,
      version: 1,
      createDate: at,
      editDate: at,
      folderId: folder.id,
      otherLocations: [],
      ...fields,
    };
    this.addDocument(record);
    return record;
  }

  addDocument(record: DocumentRecord): void {
    this.documents.set(record.id, record);
    const key = documentKey(record);
    const versions = this.documentVersions.get(key);
    if (versions) {
      versions.push(record);
      versions.sort((a, b) => a.version - b.version);
      return;
    }
    this.documentVersions.set(key, [record]);
    for (const folderId of [record.folderId, ...record.otherLocations.map((l) => l.folderId)]) this.folder(folderId)?.documentIds.push(key);
  }

  /** The latest version of a document number (`LIB!number`). */
  latestDocument(key: string): DocumentRecord | undefined {
    const versions = this.documentVersions.get(key);
    return versions?.[versions.length - 1];
  }

  isLatest(record: DocumentRecord): boolean {
    return this.latestDocument(documentKey(record)) === record;
  }

  /** Every folder a document number is filed in, its own first. */
  filingFolders(record: DocumentRecord): FolderRecord[] {
    const out: FolderRecord[] = [];
    for (const id of [record.folderId, ...record.otherLocations.map((l) => l.folderId)]) {
      const f = this.folder(id);
      if (f) out.push(f);
    }
    return out;
  }

  removeFolder(folder: FolderRecord): void {
    const parent = this.containers.get(folder.parentId);
    if (parent) parent.childIds = parent.childIds.filter((id) => id !== folder.id);
    this.containers.delete(folder.id);
  }

  /** True when `candidate` is `folder` itself or lies anywhere below it. */
  isSelfOrDescendant(candidate: ContainerRecord, folder: FolderRecord): boolean {
    let current: ContainerRecord | undefined = candidate;
    while (current) {
      if (current.id === folder.id) return true;
      current = current.kind === 'folder' ? this.containers.get(current.parentId) : undefined;
    }
    return false;
  }

  /** Re-parents a folder (PATCH parent_id); its subtree follows it into the new workspace. */
  moveFolder(folder: FolderRecord, newParent: ContainerRecord): void {
    const oldParent = this.containers.get(folder.parentId);
    if (oldParent) oldParent.childIds = oldParent.childIds.filter((id) => id !== folder.id);
    folder.parentId = newParent.id;
    newParent.childIds.push(folder.id);
    const workspaceId = newParent.kind === 'workspace' ? newParent.id : newParent.workspaceId;
    const stack: FolderRecord[] = [folder];
    while (stack.length > 0) {
      const f = stack.pop()!;
      f.workspaceId = workspaceId;
      for (const childId of f.childIds) {
        const child = this.folder(childId);
        if (child) stack.push(child);
      }
    }
  }

  /** Descriptions iManage would look up for custom1 (client) and custom2 (matter). */
  describeCustom(profile: Profile): Profile {
    const out: Profile = {};
    const c1 = profile.custom1;
    const c2 = profile.custom2;
    if (typeof c1 === 'string' && this.clientNames.has(c1)) out.custom1_description = this.clientNames.get(c1)!;
    if (typeof c1 === 'string' && typeof c2 === 'string' && this.matterNames.has(`${c1}/${c2}`)) {
      out.custom2_description = this.matterNames.get(`${c1}/${c2}`)!;
    }
    return out;
  }
}

/**
 * One caller's view of the store. Built per request; memoises access so listing hundreds of
 * folders (each asking about its subfolders) stays cheap.
 */
export class Perspective {
  private readonly cache = new Map<string, AccessLevel>();

  constructor(
    readonly store: Store,
    readonly user: UserRecord,
  ) {}

  access(record: AnyRecord): AccessLevel {
    const cached = this.cache.get(record.id);
    if (cached !== undefined) return cached;
    const level = this.computeAccess(record);
    this.cache.set(record.id, level);
    return level;
  }

  private computeAccess(record: AnyRecord): AccessLevel {
    if (record.owner === this.user.id) return 'full_access';
    let best = -1;
    for (const t of record.acl) {
      const applies = t.type === 'user' ? t.id === this.user.id : this.user.groups.includes(t.id);
      if (applies) best = Math.max(best, accessRank(t.access_level));
    }
    if (best >= 0) return ACCESS_LEVELS[best]!;
    switch (record.defaultSecurity) {
      case 'public':
        return 'read_write';
      case 'view':
        return 'read';
      case 'private':
        return 'no_access';
      case 'inherit': {
        const parent = this.store.parentOf(record);
        // A workspace cannot inherit (the create enums exclude it); treat a stray one as public.
        return parent ? this.access(parent) : 'read_write';
      }
    }
  }

  canRead(record: AnyRecord): boolean {
    return accessRank(this.access(record)) >= accessRank('read');
  }

  /** Not readable because an ACL entry names the caller (or a group of theirs) with no_access. */
  deniedByAcl(record: AnyRecord): boolean {
    if (this.canRead(record) || record.owner === this.user.id) return false;
    return record.acl.some((t) => (t.type === 'user' ? t.id === this.user.id : this.user.groups.includes(t.id)));
  }

  canWrite(record: AnyRecord): boolean {
    return accessRank(this.access(record)) >= accessRank('read_write');
  }

  /** The default security an `inherit` object ends up with (the nearest non-inherit ancestor's). */
  resolvedDefault(record: AnyRecord): ResolvedSecurity {
    let current: AnyRecord | undefined = record;
    while (current) {
      if (current.defaultSecurity !== 'inherit') return current.defaultSecurity;
      current = this.store.parentOf(current);
    }
    return 'public';
  }

  visibleSubfolders(container: ContainerRecord): FolderRecord[] {
    const out: FolderRecord[] = [];
    for (const id of container.childIds) {
      const f = this.store.folder(id);
      if (f && this.canRead(f)) out.push(f);
    }
    return sortedBySortKey(out);
  }

  /** Latest versions of the documents filed in a folder that the caller can read. */
  visibleDocuments(container: ContainerRecord): DocumentRecord[] {
    if (container.kind !== 'folder') return [];
    const out: DocumentRecord[] = [];
    for (const key of container.documentIds) {
      const d = this.store.latestDocument(key);
      if (d && this.canRead(d)) out.push(d);
    }
    return sortedBySortKey(out);
  }

  hasVisibleSubfolder(container: ContainerRecord): boolean {
    return container.childIds.some((id) => {
      const f = this.store.folder(id);
      return f !== undefined && this.canRead(f);
    });
  }

  /** Folders: a readable document filed directly in it. Workspaces: one anywhere below it. */
  hasVisibleDocument(container: ContainerRecord): boolean {
    if (container.kind === 'folder') {
      return container.documentIds.some((key) => {
        const d = this.store.latestDocument(key);
        return d !== undefined && this.canRead(d);
      });
    }
    const stack = [...container.childIds];
    while (stack.length > 0) {
      const f = this.store.folder(stack.pop()!);
      if (!f) continue;
      if (this.hasVisibleDocument(f)) return true;
      stack.push(...f.childIds);
    }
    return false;
  }
}
