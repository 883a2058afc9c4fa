import type { Tracer } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { DocumentOffsetRequest, DocumentPageRequest, IManageClient } from './client.js';
import { IManageBadRequestError, IManageHttpError, IManageNotFoundError } from './errors.js';
import { documentNumberId, idKey, parseContainerId, parseDocumentId, type DocumentId } from './ids.js';
import type { DocumentRecord, FolderRecord, Page, SearchPage, UserRecord } from './records.js';
import type { WireDocumentFilters } from './wire.js';
import { tracedBatch as traced } from '../telemetry/spans.js';

/**
 * The per-request DataLoaders of documents, built with the folder loaders (`createLoaders`) and keyed,
 * like them, by the caller's connection. What a page of documents costs, whatever its size:
 *
 * - by id: the ids asked for in one tick are one document search per library (`document_number=n1,n2,…`,
 *   which answers latest versions); an id naming an older version gets its profile GET, those of the
 *   tick sent together;
 * - people (`author`, `operator`, who checked out): one users call per library for the tick;
 * - filing locations: one `documents/parents` call per library for the tick; the folders it returns
 *   prime the folder loader, so their fields (and `path`, walked as for any folder) cost no more;
 * - every document a list, a search or a version list returns primes the by-id loader.
 */

/** Document numbers per search or parents call: far above a page (100), well below iManage's limits. */
const NUMBERS_PER_CALL = 500;
/** User ids per users call, to keep the URL short. */
const USERS_PER_CALL = 50;
/** Users read one by one at once, when the server has no batch route (documents spec item 9). */
const USER_FALLBACK_CONCURRENCY = 8;

export interface DocumentPageKey extends DocumentPageRequest {
  kind: 'folderDocuments' | 'workspaceDocuments';
  /** The folder or workspace id. */
  container: string;
}

/** One page of a saved-search folder's documents, by offset. */
export interface DocumentOffsetKey extends DocumentOffsetRequest {
  /** The folder id. */
  container: string;
}

export interface DocumentSearchKey {
  library: string;
  filters: WireDocumentFilters;
  offset: number;
  limit: number;
}

/** Something that is the same for every version of a document: its library and number. */
export interface DocumentNumberKey {
  library: string;
  /** The document number, as digits. */
  number: string;
  /**
   * The id of a version (`LIB!number.version`), to name the document by in calls: the reference names
   * documents by version (§3), and the versionless form is only the sandbox's [I]. Not part of the key.
   */
  id?: string | undefined;
}

export interface UserKey {
  library: string;
  /** The iManage user id, e.g. `JSMITH` (matched ignoring case). */
  id: string;
}

export interface DocumentLoaders {
  /**
   * A document version by id, `LIB!number.version`, or `LIB!number` for the latest; null when iManage
   * has no such document for this user (or the id is not a document id).
   */
  document: DataLoader<string, DocumentRecord | null, string>;
  /** Every version of a document the user may read; null when iManage has no such document for them. */
  versions: DataLoader<DocumentNumberKey, DocumentRecord[] | null, string>;
  /** The folders a document is filed in that the user can see (the same for every version). */
  locations: DataLoader<DocumentNumberKey, FolderRecord[], string>;
  /** A user of a library; null when iManage does not know them. */
  user: DataLoader<UserKey, UserRecord | null, string>;
  /** One page of a folder's or workspace's documents (iManage's cursor mode). */
  page: DataLoader<DocumentPageKey, Page<DocumentRecord>, string>;
  /** One page of a library's document search (offset paging). */
  search: DataLoader<DocumentSearchKey, SearchPage<DocumentRecord>, string>;
  /** One page of a saved-search folder's documents (offset paging: cursor paging is not for them). */
  savedSearch: DataLoader<DocumentOffsetKey, SearchPage<DocumentRecord>, string>;
}

export interface DocumentLoaderDependencies {
  client: IManageClient;
  /** A cache key with the caller's connection in it. */
  scoped(key: string): string;
  folder: DataLoader<string, FolderRecord | null, string>;
  primeFolders(records: readonly FolderRecord[]): void;
  /** With tracing on: each batch of the batching loaders under a pending span (`tracedBatch`; loaders.ts says why not the lists). */
  tracer?: Tracer | undefined;
}

export function createDocumentLoaders({ client, scoped, folder, primeFolders, tracer }: DocumentLoaderDependencies): DocumentLoaders {
  const numberKey = (key: DocumentNumberKey) => scoped(idKey(documentNumberId(key.library, key.number)));

  const document: DocumentLoaders['document'] = new DataLoader(
    traced(tracer, 'document', (ids) => loadDocuments(client, ids, primeDocuments)),
    { cacheKeyFn: (id) => scoped(idKey(id)) },
  );

  /** Known documents: by their id, and the latest also by `LIB!number`. */
  function primeDocuments(records: readonly DocumentRecord[]): void {
    for (const record of records) {
      document.prime(record.id, record);
      if (record.isLatest === true) document.prime(documentNumberId(record.library, record.documentNumber), record);
    }
  }

  const versions: DocumentLoaders['versions'] = new DataLoader(
    traced(tracer, 'versions', (keys) =>
      Promise.all(
        keys.map(async (key) => {
          try {
            const named = (key.id === undefined ? null : parseDocumentId(key.id)) ?? parseDocumentId(documentNumberId(key.library, key.number))!;
            const found = await client.documentVersions(named);
            if (found) primeDocuments(found);
            return found;
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    ),
    { cacheKeyFn: numberKey },
  );

  const locations: DocumentLoaders['locations'] = new DataLoader(
    traced(tracer, 'locations', (keys) => loadLocations(client, keys, folder, primeFolders)),
    { cacheKeyFn: numberKey },
  );

  // Once the server has refused the batch users route, this request asks user by user.
  let usersOneByOne = false;
  const user: DocumentLoaders['user'] = new DataLoader(
    traced(tracer, 'user', (keys) =>
      loadUsers(
        client,
        keys,
        () => usersOneByOne,
        () => (usersOneByOne = true),
      ),
    ),
    { cacheKeyFn: (key) => scoped(JSON.stringify([idKey(key.library), idKey(key.id)])) },
  );

  // Lists cannot be batched upstream (one container per call); `batch: false` hands each key alone.
  const page: DocumentLoaders['page'] = new DataLoader(
    async ([key]) => {
      const { kind, container, ...request } = key!;
      const id = parseContainerId(container)!;
      const found = kind === 'folderDocuments' ? await client.folderDocuments(id, request) : await client.workspaceDocuments(id, request);
      primeDocuments(found.items);
      return [found];
    },
    { cacheKeyFn: (key) => scoped(JSON.stringify([key.kind, key.container, key.sortBy ?? null, key.sortOrder ?? null, key.cursor, key.limit])), batch: false },
  );

  const search: DocumentLoaders['search'] = new DataLoader(
    async ([key]) => {
      const found = await client.searchDocuments(key!.library, key!);
      primeDocuments(found.items);
      return [found];
    },
    { cacheKeyFn: (key) => scoped(JSON.stringify([key.library, key.filters, key.offset, key.limit])), batch: false },
  );

  const savedSearch: DocumentLoaders['savedSearch'] = new DataLoader(
    async ([key]) => {
      const { container, ...request } = key!;
      const found = await client.savedSearchDocuments(parseContainerId(container)!, request);
      primeDocuments(found.items);
      return [found];
    },
    { cacheKeyFn: (key) => scoped(JSON.stringify([key.container, key.sortBy ?? null, key.sortOrder ?? null, key.offset, key.limit])), batch: false },
  );

  return { document, versions, locations, user, page, search, savedSearch };
}

/**
 * Documents by id: one search per library (chunked) for the latest versions of every number asked
 * for, then the profile GET of each older version asked for, all at once. A number the search does
 * not return is not readable by this user: its ids are null without further calls (unless the search
 * says it was cut short: then each such number's latest profile is read alone).
 */
async function loadDocuments(
  client: IManageClient,
  ids: readonly string[],
  prime: (records: readonly DocumentRecord[]) => void,
): Promise<Array<DocumentRecord | null | Error>> {
  const parsed = ids.map((id) => parseDocumentId(id));
  const byLibrary = groupByLibrary(parsed.filter((id): id is DocumentId => id !== null));
  const latest = new Map<string, DocumentRecord | Error>();
  await Promise.all(
    [...byLibrary.values()].flatMap((libraryIds) => {
      const library = libraryIds[0]!.library;
      const numbers = [...new Set(libraryIds.map((id) => id.number))];
      return chunks(numbers, NUMBERS_PER_CALL).map(async (chunk) => {
        try {
          const found = await client.searchDocuments(library, { filters: { document_number: chunk.join(',') }, offset: 0, limit: chunk.length });
          // The search answers latest versions (documents spec item 5). The reference does not say so:
          // should a server list older versions too, the one it marks latest, else the highest, stands
          // for its number.
          const newest = new Map<string, DocumentRecord>();
          for (const record of found.items) {
            if (record.isLatest === false) continue;
            const key = idKey(documentNumberId(library, record.documentNumber));
            const kept = newest.get(key);
            if (!kept || (kept.isLatest !== true && (record.isLatest === true || record.version > kept.version))) newest.set(key, record);
          }
          const records = [...newest.values()].map((record) => (record.isLatest === null ? { ...record, isLatest: true } : record));
          prime(records);
          for (const record of records) latest.set(idKey(documentNumberId(library, record.documentNumber)), record);
          // Cut short (older versions took room): a number not returned may still be readable, and one
          // returned without a version marked latest may have lost its latest to the cut. Its latest
          // profile is read alone rather than taken for one this user cannot see, or an older version.
          if (found.overflow) {
            const missing = chunk.filter((number) => newest.get(idKey(documentNumberId(library, number)))?.isLatest !== true);
            await Promise.all(
              missing.map(async (number) => {
                const key = idKey(documentNumberId(library, number));
                try {
                  const record = await client.getDocument({ library, number, version: null, id: documentNumberId(library, number) }, { latest: true });
                  if (record) latest.set(key, record);
                } catch (error) {
                  latest.set(key, error as Error);
                }
              }),
            );
          }
        } catch (error) {
          for (const number of chunk) latest.set(idKey(documentNumberId(library, number)), error as Error);
        }
      });
    }),
  );
  return Promise.all(
    parsed.map(async (id) => {
      if (id === null) return null;
      const newest = latest.get(idKey(documentNumberId(id.library, id.number)));
      if (newest === undefined || newest instanceof Error) return newest ?? null;
      if (id.version === null || id.version === newest.version) return newest;
      // Versions after the latest do not exist; an older one is read by its profile.
      if (id.version > newest.version) return null;
      try {
        return await client.getDocument(id);
      } catch (error) {
        return error as Error;
      }
    }),
  );
}

/**
 * Filing locations: one `documents/parents` call per library (chunked). Folders sent whole prime the
 * folder loader; folders sent as ids are read through it (one include_ids call per library). Folders
 * the user cannot read are left out.
 */
async function loadLocations(
  client: IManageClient,
  keys: readonly DocumentNumberKey[],
  folder: DataLoader<string, FolderRecord | null, string>,
  primeFolders: (records: readonly FolderRecord[]) => void,
): Promise<Array<FolderRecord[] | Error>> {
  const byLibrary = groupByLibrary(keys);
  const filed = new Map<string, Array<FolderRecord | string> | Error>();
  await Promise.all(
    [...byLibrary.values()].flatMap((libraryKeys) => {
      const library = libraryKeys[0]!.library;
      const numbers = [...new Set(libraryKeys.map((key) => key.number))];
      return chunks(numbers, NUMBERS_PER_CALL).map(async (chunk) => {
        const key = (number: string) => idKey(documentNumberId(library, number));
        try {
          const filings = await client.documentParents(library, chunk);
          for (const number of chunk) filed.set(key(number), []);
          for (const filing of filings) (filed.get(key(filing.documentNumber)) as Array<FolderRecord | string> | undefined)?.push(filing.folder);
          primeFolders(filings.flatMap((filing) => (typeof filing.folder === 'string' ? [] : [filing.folder])));
        } catch (error) {
          for (const number of chunk) filed.set(key(number), error as Error);
        }
      });
    }),
  );
  return Promise.all(
    keys.map(async (key): Promise<FolderRecord[] | Error> => {
      const entries = filed.get(idKey(documentNumberId(key.library, key.number))) ?? [];
      if (entries instanceof Error) return entries;
      const loaded = await Promise.all(
        entries.map((entry) => (typeof entry === 'string' ? folder.load(entry).catch((error: unknown) => error as Error) : entry)),
      );
      const failure = loaded.find((entry) => entry instanceof Error);
      if (failure) return failure;
      const seen = new Set<string>();
      return loaded.filter((entry): entry is FolderRecord => {
        if (entry === null || entry instanceof Error || seen.has(idKey(entry.id))) return false;
        seen.add(idKey(entry.id));
        return true;
      });
    }),
  );
}

/**
 * Users: one batch call per library (chunked); when the server has no batch route (400, 404 or 405:
 * documents spec item 9), one GET per user, at most USER_FALLBACK_CONCURRENCY at once, for the rest of
 * the request too.
 */
async function loadUsers(
  client: IManageClient,
  keys: readonly UserKey[],
  oneByOne: () => boolean,
  noBatchRoute: () => void,
): Promise<Array<UserRecord | null | Error>> {
  const byLibrary = groupByLibrary(keys);
  const found = new Map<string, UserRecord | null | Error>();
  const keyOf = (library: string, id: string) => JSON.stringify([idKey(library), idKey(id)]);
  const limit = pLimit(USER_FALLBACK_CONCURRENCY);
  const oneAtATime = (library: string, ids: readonly string[]) =>
    Promise.all(
      ids.map((id) =>
        limit(async () => {
          try {
            found.set(keyOf(library, id), await client.getUser(library, id));
          } catch (error) {
            found.set(keyOf(library, id), error as Error);
          }
        }),
      ),
    );
  await Promise.all(
    [...byLibrary.values()].flatMap((libraryKeys) => {
      const library = libraryKeys[0]!.library;
      const ids = [...new Map(libraryKeys.map((key) => [idKey(key.id), key.id])).values()];
      // A user id with a comma cannot be named in `alias=`: it is read alone.
      const [listable, alone] = [ids.filter((id) => !id.includes(',')), ids.filter((id) => id.includes(','))];
      return [
        oneAtATime(library, alone),
        ...chunks(listable, USERS_PER_CALL).map(async (chunk) => {
          if (oneByOne()) return oneAtATime(library, chunk);
          try {
            const records = await client.getUsers(library, chunk);
            const asked = new Set(chunk.map(idKey));
            if (records.some((record) => !asked.has(idKey(record.id)))) {
              // Users that were not asked for: this server ignores `alias` (the reference has no
              // batch lookup, §4.4), so its answer says nothing of the ones asked. One at a time, then.
              noBatchRoute();
              return oneAtATime(library, chunk);
            }
            for (const record of records) found.set(keyOf(library, record.id), record);
          } catch (error) {
            if (!hasNoBatchRoute(error)) {
              for (const id of chunk) found.set(keyOf(library, id), error as Error);
              return;
            }
            noBatchRoute();
            await oneAtATime(library, chunk);
          }
        }),
      ];
    }),
  );
  return keys.map((key) => found.get(keyOf(key.library, key.id)) ?? null);
}

function hasNoBatchRoute(error: unknown): boolean {
  return error instanceof IManageBadRequestError || error instanceof IManageNotFoundError || (error instanceof IManageHttpError && error.status === 405);
}

/** Keys by library, ignoring the case of library ids; each group keeps the spelling of its first key. */
function groupByLibrary<T extends { library: string }>(keys: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const key of keys) {
    const group = groups.get(idKey(key.library));
    if (group) group.push(key);
    else groups.set(idKey(key.library), [key]);
  }
  return groups;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
