/**
 * Document routes (reference §4.3): profile, versions, the documents of a folder or a workspace,
 * search, filing locations (parents), download (GET and HEAD, with Range) and history; and the
 * `addDocument` knob. A document is seen through the same Perspective rules as folders.
 */
import { z } from 'zod';
import { apiRequest, listingScope, parseIdFilter, visibleFolder, visibleWorkspace, type ApiDeps, type ApiRequest } from './api-common.js';
import { contentDisposition, contentStream, contentTypeFor, documentType, type ContentSource } from './content.js';
import { accessDenied, ApiError, errorBody, invalidParam, noRecord } from './errors.js';
import { jsonReply, parseJsonBody, type Reply, type RequestContext } from './http.js';
import { DEFAULT_LIMIT, MAX_LIMIT, paginate, parseBool, parsePaging } from './paging.js';
import { documentKey, sortedBySortKey, sortKey, type ContainerRecord, type DocumentRecord, type FolderRecord, type Store } from './store.js';
import { matchesAllWords, matchesAnyAlternative, matchesWholeField } from './text-filters.js';
import type { NewDocument } from './types.js';
import { documentJson, folderJson } from './wire.js';

const iso = (ms: number): string => new Date(ms).toISOString();

const DOCUMENT_ID = /^([^!]+)!(\d{1,15})(?:\.(\d{1,9}))?$/;

/**
 * `LIB!n.v`, or `LIB!n` for the latest version [I]. Malformed → 400; another library than the
 * path's → 404, as for containers.
 */
function parseDocumentId(raw: string, library: string): { key: string; version?: number } {
  const m = DOCUMENT_ID.exec(raw.trim());
  if (!m) throw invalidParam(`'${raw}' is not a valid document id (expected LIBRARY!number.version).`);
  if (m[1]!.toUpperCase() !== library) throw noRecord(`Document ${raw}`);
  const key = `${library}!${Number(m[2])}`;
  return m[3] === undefined ? { key } : { key, version: Number(m[3]) };
}

function unreadable(req: ApiRequest, d: DocumentRecord): ApiError {
  const what = `Document ${d.id}`;
  return req.view.deniedByAcl(d) ? accessDenied(`Access to ${what} is denied.`) : noRecord(what);
}

/** The named version (or the latest, when the id names none or `latest` is set), if the caller may read it. */
export function visibleDocument(req: ApiRequest, rawId: string, latest: boolean): DocumentRecord {
  const { key, version } = parseDocumentId(rawId, req.library);
  const store = req.view.store;
  const versions = store.documentVersions.get(key);
  const named = latest || version === undefined ? versions?.[versions.length - 1] : versions?.find((d) => d.version === version);
  if (!named) throw noRecord(`Document ${rawId}`);
  if (!req.view.canRead(named)) throw unreadable(req, named);
  return named;
}

/** GET …/documents/{docId} (`latest=true`: that number's latest version). */
export function getDocument(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const doc = visibleDocument(req, ctx.params.id!, parseBool(ctx.query, 'latest') ?? false);
  return jsonReply(200, { data: documentJson(req.view, doc) });
}

/** GET …/documents/{docId}/versions: every version of that number the caller may read, ascending. */
export function documentVersions(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const doc = visibleDocument(req, ctx.params.id!, false);
  const versions = deps.store.documentVersions.get(documentKey(doc)) ?? [];
  return jsonReply(200, { data: versions.filter((d) => req.view.canRead(d)).map((d) => documentJson(req.view, d)) });
}

// ---- lists --------------------------------------------------------------------------------

const SORT_FIELDS = ['name', 'edit_date', 'create_date', 'document_number', 'size', 'type'] as const;
type SortField = (typeof SORT_FIELDS)[number];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Keys that order by the field, then naturally (name, number), so they stay unique for cursors. */
function keyBy(field: SortField): (d: DocumentRecord) => string {
  switch (field) {
    case 'name':
      return sortKey;
    case 'edit_date':
      return (d) => `${pad(d.editDate, 15)}\u0000${sortKey(d)}`;
    case 'create_date':
      return (d) => `${pad(d.createDate, 15)}\u0000${sortKey(d)}`;
    case 'document_number':
      return (d) => `${pad(d.number, 15)}\u0000${sortKey(d)}`;
    case 'size':
      return (d) => `${pad(d.size, 17)}\u0000${sortKey(d)}`;
    case 'type':
      return (d) => `${d.type.toLowerCase()}\u0000${sortKey(d)}`;
  }
}

/**
 * One page of documents with §5.2 paging, `sort_by` [I] and `sort_order` (both paging modes [I]):
 * `{data:[…], total_count?, cursor?}`.
 */
function documentPage(deps: ApiDeps, req: ApiRequest, listing: string, docs: DocumentRecord[]): Reply {
  const q = req.ctx.query;
  const field = (q.sort_by ?? 'name').toLowerCase();
  if (!(SORT_FIELDS as readonly string[]).includes(field)) throw invalidParam(`Parameter 'sort_by' must be one of ${SORT_FIELDS.join(', ')}.`);
  const keyOf = keyBy(field as SortField);
  const keyed = docs.map((d) => ({ d, k: keyOf(d) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  let sorted = keyed.map((x) => x.d);
  const scope = listingScope(req, listing, { sort_by: field });
  const paging = parsePaging(q, scope, deps.cursors);
  // parsePaging reverses in cursor mode only (§5.2); for documents sort_order applies in both [I].
  if (paging.mode === 'standard' && q.sort_order?.toLowerCase() === 'desc') sorted = sorted.reverse();
  const page = paginate(sorted, keyOf, paging, scope, deps.cursors);
  const body: Record<string, unknown> = { data: page.items.map((d) => documentJson(req.view, d)) };
  if (page.totalCount !== undefined) body.total_count = page.totalCount;
  if (page.cursor !== undefined) body.cursor = page.cursor;
  return jsonReply(200, body);
}

/**
 * GET …/folders/{id}/documents: the latest versions filed in the folder (extra filings included). A
 * saved-search folder answers what its search finds, in standard paging only: reference §5.2 [C] says
 * `standard_cursor` is "not for saved-search folders"; what a server answers to it is not known: 400
 * `NRC_INVALID_PARAM` here [I].
 */
export function folderDocuments(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  if (folder.folderType === 'search') {
    if (ctx.query.paging_mode === 'standard_cursor' || ctx.query.cursor !== undefined)
      throw invalidParam('Cursor paging (paging_mode=standard_cursor) is not supported for saved-search folders: page them with offset.');
    return documentPage(deps, req, `folder-documents:${folder.id}`, searchResults(req, folder.savedSearch ?? {}));
  }
  return documentPage(deps, req, `folder-documents:${folder.id}`, req.view.visibleDocuments(folder));
}

/** Folders at and below a container (a workspace's whole tree). */
function foldersUnder(store: Store, container: ContainerRecord, includeSelf: boolean): FolderRecord[] {
  const out: FolderRecord[] = includeSelf && container.kind === 'folder' ? [container] : [];
  const stack = [...container.childIds];
  while (stack.length > 0) {
    const f = store.folder(stack.pop()!);
    if (!f) continue;
    out.push(f);
    stack.push(...f.childIds);
  }
  return out;
}

/** Latest versions filed in any of the folders, each once, readable by the caller. */
function readableDocumentsIn(req: ApiRequest, folders: readonly FolderRecord[]): DocumentRecord[] {
  const seen = new Set<string>();
  const out: DocumentRecord[] = [];
  for (const f of folders) {
    for (const key of f.documentIds) {
      if (seen.has(key)) continue;
      seen.add(key);
      const d = req.view.store.latestDocument(key);
      if (d && req.view.canRead(d)) out.push(d);
    }
  }
  return out;
}

/** GET …/workspaces/{id}/documents (reference §4.3 [?]; supported [I]): its whole folder tree. */
export function workspaceDocuments(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const workspace = visibleWorkspace(req, ctx.params.id!);
  return documentPage(deps, req, `workspace-documents:${workspace.id}`, readableDocumentsIn(req, foldersUnder(deps.store, workspace, false)));
}

// ---- search -------------------------------------------------------------------------------

const count = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^\s*\d{1,9}\s*$/)
    .transform(Number),
]);

const searchBody = z.object({
  limit: count.pipe(z.number().min(1).max(MAX_LIMIT)).optional(),
  offset: count.pipe(z.number().min(0)).optional(),
  profile_fields: z
    .object({ document: z.array(z.string()).optional() })
    .passthrough()
    .optional(),
  filters: z.record(z.string(), z.unknown()).optional(),
});

/** Filters matched as a comma list of exact values, any case (§4.6 custom row) [I for the others]. */
const EXACT_FILTERS = ['type', 'extension', 'author', 'operator', 'class', 'subclass'] as const;
const CUSTOM_FILTER = /^custom([1-9]|[12]\d|30)$/;

function filterText(filters: Record<string, unknown>, name: string): string | undefined {
  const v = filters[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidParam(`Filter '${name}' must be a string.`);
}

function filterDate(filters: Record<string, unknown>, name: string): number | undefined {
  const text = filterText(filters, name);
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidParam(`Filter '${name}' must be an ISO 8601 date.`);
  return ms;
}

function anyOf(list: string, value: string): boolean {
  const folded = value.toLowerCase();
  return list
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .some((x) => x !== '' && x === folded);
}

function documentField(d: DocumentRecord, name: string): string {
  switch (name) {
    case 'type':
      return d.type;
    case 'extension':
      return d.extension;
    case 'author':
      return d.owner;
    case 'operator':
      return d.operator;
    default: {
      const v = d.profile[name];
      return v === undefined ? '' : String(v);
    }
  }
}

const textOf = (d: DocumentRecord): string => (d.content.kind === 'text' ? d.content.text : '');

function parseDocumentNumbers(raw: unknown): number[] {
  const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === 'number' || typeof raw === 'string' ? String(raw).split(',') : undefined;
  if (!parts) throw invalidParam("Filter 'document_number' must be a comma-separated list of numbers.");
  const out: number[] = [];
  for (const part of parts) {
    if (part.trim() === '') continue;
    if (!/^\s*\d{1,15}\s*$/.test(part)) throw invalidParam(`'${part}' in document_number is not a document number.`);
    out.push(Number(part));
  }
  return out;
}

/** The candidates a search starts from: named numbers, a container's documents, or the library's. */
/** The latest versions matching the search `filters` that the caller can read, in no particular order. */
function searchResults(req: ApiRequest, filters: Record<string, unknown>): DocumentRecord[] {
  const matches = searchFilter(filters);
  return searchCandidates(req, filters).filter((d) => matches(d) && req.view.canRead(d));
}

function searchCandidates(req: ApiRequest, filters: Record<string, unknown>): DocumentRecord[] {
  const store = req.view.store;
  let keys: Iterable<string>;
  if (filters.document_number !== undefined && filters.document_number !== null) {
    keys = parseDocumentNumbers(filters.document_number).map((n) => `${req.library}!${n}`);
  } else {
    keys = [...store.documentVersions.keys()].filter((k) => k.startsWith(`${req.library}!`));
  }
  let latest = [...new Set(keys)].map((k) => store.latestDocument(k)).filter((d): d is DocumentRecord => d !== undefined);
  const containerRaw = filterText(filters, 'container_id');
  if (containerRaw !== undefined) {
    const subtreeRaw = filters.include_subtree;
    const subtree = subtreeRaw === true || (typeof subtreeRaw === 'string' && ['true', '1'].includes(subtreeRaw.toLowerCase()));
    if (subtreeRaw !== undefined && typeof subtreeRaw !== 'boolean' && !(typeof subtreeRaw === 'string' && /^(true|false|1|0)$/i.test(subtreeRaw))) {
      throw invalidParam("Filter 'include_subtree' must be true or false.");
    }
    const id = parseIdFilter(containerRaw, req.library, 'container_id');
    const container = id ? store.container(id) : undefined;
    if (!container || !req.view.canRead(container)) return [];
    // A workspace holds documents only through its folders: without include_subtree it has none [I].
    const folders = subtree ? foldersUnder(store, container, true) : container.kind === 'folder' ? [container] : [];
    const inside = new Set(folders.flatMap((f) => f.documentIds));
    latest = latest.filter((d) => inside.has(documentKey(d)));
  }
  return latest;
}

function searchFilter(filters: Record<string, unknown>): (d: DocumentRecord) => boolean {
  const name = filterText(filters, 'name');
  const anywhere = filterText(filters, 'anywhere');
  const body = filterText(filters, 'body');
  // R10's doc quote names a `comments` filter (§4.3); how it matches is not known: the whole comment, any case, `*` a wildcard [I].
  const comments = filterText(filters, 'comments');
  const exact: Array<[string, string]> = [];
  for (const key of Object.keys(filters)) {
    if ((EXACT_FILTERS as readonly string[]).includes(key) || CUSTOM_FILTER.test(key)) {
      const v = filterText(filters, key);
      if (v !== undefined) exact.push([key, v]);
    }
  }
  const from = filterDate(filters, 'edit_date_from');
  const to = filterDate(filters, 'edit_date_to');
  return (d) => {
    if (name !== undefined && !matchesAnyAlternative(d.name, name)) return false;
    if (anywhere !== undefined && !matchesAllWords([d.name, d.comment, textOf(d)], anywhere)) return false;
    if (body !== undefined && !matchesAllWords([textOf(d)], body)) return false;
    if (comments !== undefined && !matchesWholeField(d.comment, comments)) return false;
    for (const [key, v] of exact) if (!anyOf(v, documentField(d, key))) return false;
    if (from !== undefined && d.editDate < from) return false;
    if (to !== undefined && d.editDate > to) return false;
    return true;
  };
}

/** Without `profile_fields`, only the default fields (§4.3); with them, those (id and wstype always). */
function projected(full: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  const wanted = fields ?? ['id', 'wstype', 'iwl'];
  const out: Record<string, unknown> = { id: full.id };
  for (const f of wanted) if (f in full) out[f] = full[f];
  out.wstype = full.wstype;
  return out;
}

/** POST …/documents/search → `{data:[…], overflow}`: latest versions, natural order. */
export function searchDocuments(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const parsed = searchBody.safeParse(parseJsonBody(ctx));
  if (!parsed.success) throw invalidParam(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  const { limit = DEFAULT_LIMIT, offset = 0, profile_fields, filters = {} } = parsed.data;
  const found = sortedBySortKey(searchResults(req, filters));
  const page = found.slice(offset, offset + limit);
  return jsonReply(200, {
    data: page.map((d) => projected(documentJson(req.view, d), profile_fields?.document)),
    overflow: found.length > offset + limit,
  });
}

// ---- filing locations -------------------------------------------------------------------

const parentsBody = z.object({
  document_numbers: z.array(count).min(1).max(MAX_LIMIT),
  limit: count.pipe(z.number().min(1).max(MAX_LIMIT)).optional(),
});

/**
 * POST …/documents/parents → `{data:[{document:{id, document_number, version}, folder, create_date}]}`:
 * one entry per (readable document, readable folder), in the order of the numbers asked for.
 */
export function documentParents(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const parsed = parentsBody.safeParse(parseJsonBody(ctx));
  if (!parsed.success) throw invalidParam(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  const limit = parsed.data.limit ?? DEFAULT_LIMIT;
  const data: unknown[] = [];
  for (const n of new Set(parsed.data.document_numbers)) {
    const d = deps.store.latestDocument(`${req.library}!${n}`);
    if (!d || !req.view.canRead(d)) continue;
    const first = deps.store.documentVersions.get(documentKey(d))![0]!;
    const filed = new Map([[d.folderId, first.createDate], ...d.otherLocations.map((l) => [l.folderId, l.filedAt] as const)]);
    for (const folder of deps.store.filingFolders(d)) {
      if (!req.view.canRead(folder)) continue;
      data.push({
        document: { id: `${d.library}!${d.number}.${d.version}`, document_number: d.number, version: d.version },
        folder: folderJson(req.view, folder),
        create_date: iso(filed.get(folder.id) ?? first.createDate),
      });
    }
  }
  return jsonReply(200, { data: data.slice(0, limit) });
}

// ---- download and history ---------------------------------------------------------------

const ACTIVITIES = ['view', 'export'];

type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/**
 * One `bytes=a-b`, `a-` or `-n` range (RFC 9110 §14.1.2). Several ranges, another unit or a
 * malformed header: undefined, so the whole body is sent [I].
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '') || m[1]!.length > 16 || m[2]!.length > 16) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? undefined : Number(m[2]);
  if (last !== undefined && last < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(size - 1, last ?? size - 1) };
}

export function sourceOf(d: DocumentRecord): ContentSource {
  return { versionId: d.id, content: d.content, size: d.size };
}

/**
 * GET/HEAD …/documents/{docId}/download?activity=export|view&latest=: the bytes, generated while
 * sent; a GET (not a HEAD, not a 416) records the activity in the version's history.
 */
export function downloadDocument(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const activity = (ctx.query.activity ?? 'view').toLowerCase();
  if (!ACTIVITIES.includes(activity)) throw invalidParam("Parameter 'activity' must be 'view' or 'export'.");
  const doc = visibleDocument(req, ctx.params.id!, parseBool(ctx.query, 'latest') ?? false);
  const fileName = doc.extension === '' ? doc.name : `${doc.name}.${doc.extension}`;
  const headers: Record<string, string> = {
    'content-type': contentTypeFor(doc.extension),
    'content-disposition': contentDisposition(fileName),
    'accept-ranges': 'bytes',
    'last-modified': new Date(doc.editDate).toUTCString(),
  };
  const range = parseRange(typeof ctx.headers.range === 'string' ? ctx.headers.range : undefined, doc.size);
  if (range === 'unsatisfiable') {
    return jsonReply(416, errorBody('NRC_INVALID_PARAM', `The range is outside the ${doc.size} bytes of ${doc.id}.`), {
      'content-range': `bytes */${doc.size}`,
      'accept-ranges': 'bytes',
    });
  }
  if (ctx.method !== 'HEAD') doc.history.push({ activity, user: req.caller.user.id, at: deps.clock() });
  const start = range?.start ?? 0;
  const length = range ? range.end - range.start + 1 : doc.size;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${doc.size}`;
  const source = sourceOf(doc);
  return {
    status: range ? 206 : 200,
    headers,
    body: Buffer.alloc(0),
    stream: { length, open: (from, to) => contentStream(source, start + from, start + to) },
  };
}

/** GET …/documents/{docId}/history → `{data:[{activity, user, date, comments?}]}`, newest first. */
export function documentHistory(deps: ApiDeps, ctx: RequestContext): Reply {
  const req = apiRequest(deps, ctx);
  const doc = visibleDocument(req, ctx.params.id!, false);
  const data = doc.history
    .map((h, i) => ({ h, i }))
    .sort((a, b) => b.h.at - a.h.at || b.i - a.i)
    .map(({ h }) => ({ activity: h.activity, user: h.user, date: iso(h.at), ...(h.comments !== undefined ? { comments: h.comments } : {}) }));
  return jsonReply(200, { data });
}

// ---- the addDocument knob ---------------------------------------------------------------

const newDocumentSchema = z
  .object({
    folderId: z.string().min(1),
    name: z.string().trim().min(1).max(254),
    extension: z.string().regex(/^[A-Za-z0-9]{0,16}$/),
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    text: z
      .string()
      .max(1024 * 1024)
      .optional(),
    owner: z.string().min(1).optional(),
  })
  .strict()
  .refine((d) => (d.size === undefined) !== (d.text === undefined), { message: 'give exactly one of size and text' });

/**
 * Files a new document (version 1) in a folder; its bytes are generated on the fly, or are `text`.
 * Returns its id (`LIB!n.1`). Nonsense throws a TypeError.
 */
export function addDocument(store: Store, clock: () => number, input: NewDocument): string {
  const parsed = newDocumentSchema.safeParse(input);
  if (!parsed.success) throw new TypeError(`addDocument: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`);
  const spec = parsed.data;
  const m = /^([^!]+)!(\d{1,15})$/.exec(spec.folderId.trim());
  const folder = m ? store.folder(`${m[1]!.toUpperCase()}!${Number(m[2])}`) : undefined;
  if (!folder) throw new TypeError(`addDocument: no folder ${spec.folderId}`);
  const owner = spec.owner === undefined ? folder.owner : [...store.users.keys()].find((id) => id === spec.owner!.toUpperCase());
  if (!owner) throw new TypeError(`addDocument: no user ${spec.owner}`);
  const now = clock();
  return store.fileNewDocument(folder, now, {
    name: spec.name,
    extension: spec.extension,
    type: documentType(spec.extension),
    size: spec.text !== undefined ? Buffer.byteLength(spec.text, 'utf8') : spec.size!,
    owner,
    defaultSecurity: 'inherit',
    acl: [],
    profile: { class: 'DOC', subclass: '', ...Object.fromEntries(Object.entries(folder.profile).filter(([k]) => k.startsWith('custom'))) },
    content: spec.text !== undefined ? { kind: 'text', text: spec.text } : { kind: 'generated' },
    operator: owner,
    comment: '',
    history: [{ activity: 'import', user: owner, at: now }],
  }).id;
}
