import { NotFoundError } from '../folders/errors.js';
import type { DocumentNumberKey } from '../imanage/documentLoaders.js';
import type { IManageLoaders } from '../imanage/loaders.js';
import type { DocumentRecord, FolderRecord, UserRecord, WorkspaceRecord } from '../imanage/records.js';
import { documentNumberId } from '../imanage/ids.js';

/**
 * The lookups documents are resolved with, through the caller's per-request loaders (batched as
 * src/imanage/documentLoaders.ts says), raising NotFoundError as the folder lookups do.
 */

/** A document version by id (`LIB!n.v`, or `LIB!n` for the latest). */
export async function loadDocument(loaders: IManageLoaders, id: string): Promise<DocumentRecord> {
  const record = await loaders.documents.document.load(id);
  if (!record) throw new NotFoundError('Document', id);
  return record;
}

/** Documents by id, each on its own (they are fetched together): one that is missing rejects alone. */
export function loadDocuments(loaders: IManageLoaders, ids: readonly string[]): Array<Promise<DocumentRecord>> {
  return ids.map((id) => loadDocument(loaders, id));
}

const numberOf = (document: DocumentRecord): DocumentNumberKey => ({ library: document.library, number: String(document.documentNumber), id: document.id });

/** The latest version of a document: itself when iManage says it is. */
export async function latestOf(loaders: IManageLoaders, document: DocumentRecord): Promise<DocumentRecord> {
  if (document.isLatest === true) return document;
  return loadDocument(loaders, documentNumberId(document.library, document.documentNumber));
}

/** Whether this version is the latest: as iManage says, or else by reading the latest. */
export async function isLatest(loaders: IManageLoaders, document: DocumentRecord): Promise<boolean> {
  if (document.isLatest !== null) return document.isLatest;
  return (await latestOf(loaders, document)).version === document.version;
}

/** Every version of the document the user may read. */
export async function versionsOf(loaders: IManageLoaders, document: DocumentRecord): Promise<DocumentRecord[]> {
  const versions = await loaders.documents.versions.load(numberOf(document));
  if (!versions) throw new NotFoundError('Document', document.id);
  // Oldest first, whatever order iManage lists them in (the reference does not say).
  return [...versions].sort((a, b) => a.version - b.version);
}

/** The folders the document is filed in that the user can see. */
export function locationsOf(loaders: IManageLoaders, document: DocumentRecord): Promise<FolderRecord[]> {
  return loaders.documents.locations.load(numberOf(document));
}

/** A user of a library by id; null when iManage does not know them. */
export function loadUser(loaders: IManageLoaders, library: string, id: string): Promise<UserRecord | null> {
  return loaders.documents.user.load({ library, id });
}

/** The document's workspace, from what the document says of it when that is enough (no call); null when it names none. */
export async function workspaceOfDocument(loaders: IManageLoaders, document: DocumentRecord): Promise<WorkspaceRecord | null> {
  if (document.workspaceId === null) return null;
  const record = await loaders.workspaceOf(document);
  if (!record) throw new NotFoundError('Workspace', document.workspaceId);
  return record;
}
