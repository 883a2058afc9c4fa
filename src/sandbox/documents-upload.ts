/**
 * Document writes (reference §4.3 [C]): upload `POST …/folders/{folderId}/documents` and new version
 * `POST …/documents/{docId}/versions`, both multipart with a `profile` part and a file part
 * (multipart.ts).
 *
 * Order of checks: target visible (404) → caller may write (403) → (new version) not checked out to
 * someone else (409) → body type (415) → profile (400, as soon as it arrives) → the whole body → commit.
 * Those before the body answer without reading it. A document exists only once its whole body has
 * arrived and been committed; anything else leaves nothing (the part file is removed).
 */
import { rename, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, visibleFolder, type ApiDeps, type ApiRequest } from './api-common.js';
import { documentType } from './content.js';
import { assembleProfile, checkExtension, checkName, parseUploadProfile, type ProfileWarning, type UploadInput } from './document-input.js';
import { visibleDocument } from './documents.js';
import { accessDenied, ApiError } from './errors.js';
import { Collector } from './folder-input.js';
import { jsonReply, type Reply, type RequestContext } from './http.js';
import { receiveMultipart, type ReceivedUpload } from './multipart.js';
import { documentKey, Perspective, type DocumentRecord, type Profile, type Trustee } from './store.js';
import { documentJson } from './wire.js';

/** The profile part, checked when it arrives (so a bad one is refused before the file is read). */
interface Checked {
  input: UploadInput;
  profile: Profile;
  warnings: ProfileWarning[];
}

async function receive(deps: ApiDeps, ctx: RequestContext, onProfile: (text: string) => void): Promise<ReceivedUpload> {
  const received = await receiveMultipart(ctx.bodyStream!, {
    dir: deps.uploadDir,
    progress: ctx.upload!,
    onProfile,
    ...(ctx.throttle ? { throttle: ctx.throttle } : {}),
  });
  // The `commitLate` fault: the whole body is in, and the commit waits, whether or not the client does.
  if (ctx.commitAt !== undefined) await sleep(Math.max(0, ctx.commitAt - Date.now()));
  return received;
}

/** Name and extension from the profile, else from the file part's filename [I]. */
function nameAndExtension(
  input: UploadInput,
  fileName: string | undefined,
  fallback?: { name: string; extension: string },
): { name: string; extension: string } {
  const out = new Collector();
  const dot = fileName ? fileName.lastIndexOf('.') : -1;
  const fromFile = fileName ? { name: dot > 0 ? fileName.slice(0, dot) : fileName, extension: dot > 0 ? fileName.slice(dot + 1) : '' } : undefined;
  let name = input.name ?? fallback?.name;
  if (name === undefined) {
    if (fromFile) name = checkName(fromFile.name, out);
    else out.add('name', 'required', 'name is required (in doc_profile, or as the file part’s filename).');
  }
  let extension = input.extension ?? fallback?.extension;
  if (extension === undefined) extension = fromFile ? checkExtension(fromFile.extension, out) : '';
  if (out.messages.length > 0 || name === undefined || extension === undefined) {
    throw new ApiError(400, 'NRC_INVALID_PROFILE', 'One or more fields are invalid.', out.messages);
  }
  return { name, extension };
}

/** Moves the part file to its final name and returns the stored content. */
async function keep(received: ReceivedUpload): Promise<DocumentRecord['content']> {
  const path = received.file.path.replace(/\.part$/, '');
  await rename(received.file.path, path);
  return { kind: 'file', path, sha256: received.file.sha256 };
}

function created(req: ApiRequest, record: DocumentRecord, warnings: ProfileWarning[]): Reply {
  const body: Record<string, unknown> = { data: documentJson(new Perspective(req.view.store, req.caller.user), record) };
  if (warnings.length > 0) body.warnings = warnings;
  return jsonReply(201, body);
}

function withTrustees(acl: readonly Trustee[], added: readonly Trustee[]): Trustee[] {
  const byKey = new Map<string, Trustee>();
  for (const t of [...acl, ...added]) byKey.set(`${t.type}:${t.id}`, t);
  return [...byKey.values()];
}

/** Runs `commit` with the received body; on any failure the part file goes. */
async function committing<T>(received: ReceivedUpload, commit: () => Promise<T>): Promise<T> {
  try {
    return await commit();
  } catch (e) {
    await rm(received.file.path, { force: true });
    throw e;
  }
}

/**
 * POST …/folders/{folderId}/documents: a new document (version 1) filed in the folder, with the
 * folder's matter fields (custom1..3) under the profile's. Needs read_write on the folder, as
 * creating a subfolder does (§4.1). 201 `{data: Document, warnings?}`.
 */
export async function uploadDocument(deps: ApiDeps, ctx: RequestContext): Promise<Reply> {
  const req = apiRequest(deps, ctx);
  const folder = visibleFolder(req, ctx.params.id!);
  if (!req.view.canWrite(folder)) throw accessDenied(`You need read_write access on ${folder.id} to add documents.`);
  const base: Profile = {};
  for (const [k, v] of Object.entries(folder.profile)) if (/^custom\d+(_description)?$/.test(k)) base[k] = v;
  let checked: Checked | undefined;
  const received = await receive(deps, ctx, (text) => {
    const input = parseUploadProfile(text, 'upload', deps.store);
    checked = { input, ...assembleProfile(base, input) };
  });
  return committing(received, async () => {
    if (!checked)
      throw new ApiError(400, 'NRC_INVALID_PROFILE', 'One or more fields are invalid.', [
        { field: 'profile', code: 'required', code_message: "The 'profile' part is required." },
      ]);
    const { input, profile, warnings } = checked;
    const { name, extension } = nameAndExtension(input, received.file.fileName);
    // The folder may have gone, or the caller's rights changed, while the body arrived.
    const now = deps.store.folder(folder.id);
    if (!now || !req.view.canWrite(now)) throw accessDenied(`You need read_write access on ${folder.id} to add documents.`);
    const content = await keep(received);
    const at = deps.clock();
    const caller = req.caller.user.id;
    const record = deps.store.fileNewDocument(folder, at, {
      name,
      extension,
      type: input.type ?? documentType(extension),
      size: received.file.size,
      owner: input.author ?? caller,
      defaultSecurity: input.defaultSecurity ?? 'inherit',
      acl: input.trustees,
      profile,
      content,
      operator: input.operator ?? caller,
      comment: input.comment ?? '',
      history: [{ activity: 'import', user: caller, at, ...(input.auditComments ? { comments: input.auditComments } : {}) }],
    });
    folder.activityDate = at;
    ctx.upload!.documentId = record.id;
    return created(req, record, warnings);
  });
}

function checkedOutElsewhere(doc: DocumentRecord, userId: string): ApiError | undefined {
  if (!doc.checkedOut || doc.checkedOut.by === userId) return undefined;
  return new ApiError(
    409,
    'NRC_CHECKED_OUT',
    `Document ${doc.id} is checked out by ${doc.checkedOut.by}; it cannot take a new version until it is checked in.`,
  );
}

/**
 * POST …/documents/{docId}/versions: version latest+1 of that document number, whichever version
 * the id names. Name, extension, profile, security and filing carry over from the latest version,
 * under what the profile part gives. Needs read_write on the document; refused (409) while someone
 * else has it checked out; the user who has it checked out checks it in by uploading (unless
 * `keep_locked`). 201 `{data: Document, warnings?}`.
 */
export async function addDocumentVersion(deps: ApiDeps, ctx: RequestContext): Promise<Reply> {
  const req = apiRequest(deps, ctx);
  const latest = visibleDocument(req, ctx.params.id!, true);
  const caller = req.caller.user.id;
  if (!req.view.canWrite(latest)) throw accessDenied(`You need read_write access on ${latest.id} to add a version.`);
  const busy = checkedOutElsewhere(latest, caller);
  if (busy) throw busy;
  const empty: UploadInput = { profile: {}, trustees: [], warningsOnly: false, keepLocked: false };
  let checked: Checked = { input: empty, ...assembleProfile(latest.profile, empty) };
  const received = await receive(deps, ctx, (text) => {
    const input = parseUploadProfile(text, 'version', deps.store);
    checked = { input, ...assembleProfile(latest.profile, input) };
  });
  return committing(received, async () => {
    const { input, profile, warnings } = checked;
    const { name, extension } = nameAndExtension(input, received.file.fileName, latest);
    // Another version may have been committed, or the document checked out, while the body arrived.
    const store = deps.store;
    const key = documentKey(latest);
    const previous = store.latestDocument(key)!;
    const refused = checkedOutElsewhere(previous, caller);
    if (refused) throw refused;
    if (!req.view.canWrite(previous)) throw accessDenied(`You need read_write access on ${previous.id} to add a version.`);
    const content = await keep(received);
    const at = deps.clock();
    const version = previous.version + 1;
    const record: DocumentRecord = {
      kind: 'document',
      id: `${previous.library}!${previous.number}.${version}`,
      library: previous.library,
      number: previous.number,
      version,
      name,
      extension,
      type: input.type ?? (input.extension !== undefined ? documentType(extension) : previous.type),
      size: received.file.size,
      owner: input.author ?? previous.owner,
      createDate: at,
      editDate: at,
      defaultSecurity: input.defaultSecurity ?? previous.defaultSecurity,
      acl: withTrustees(previous.acl, input.trustees),
      folderId: previous.folderId,
      otherLocations: previous.otherLocations.map((l) => ({ ...l })),
      profile,
      content,
      operator: input.operator ?? caller,
      comment: input.comment ?? previous.comment,
      ...(previous.checkedOut && input.keepLocked ? { checkedOut: { ...previous.checkedOut } } : {}),
      history: [{ activity: 'new_version', user: caller, at, ...(input.auditComments ? { comments: input.auditComments } : {}) }],
    };
    // The upload checks the document in (the version just made carries the lock when kept).
    for (const v of store.documentVersions.get(key) ?? []) delete v.checkedOut;
    store.addDocument(record);
    ctx.upload!.documentId = record.id;
    return created(req, record, warnings);
  });
}
