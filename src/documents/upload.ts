import { createHash, randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { z } from 'zod';
import {
  checkIdempotencyKey,
  checkProfile,
  checkText,
  checkTrustees,
  CONTROL,
  CONTROL_EXCEPT_LINES,
  type DefaultSecurity,
  type TrusteeInput,
} from '../folders/validate.js';
import { DomainError } from '../folders/errors.js';
import { LIMITS } from '../folders/fields.js';
import { afterLostWrite, lostAnswer, runKeyed, settling, type IdempotencyScope, type KeyedAttempt, type WriteDeps } from '../folders/idempotency.js';
import { userError, type UserErrorEntry } from '../folders/userErrors.js';
import { inputPathOf, toWireTrustees, userErrorsFromRefusal, WIRE_DEFAULT_SECURITY } from '../folders/wire.js';
import type { IManageClient, MultipartUpload } from '../imanage/client.js';
import {
  IManageCancelledError,
  IManageCircuitOpenError,
  IManageHttpError,
  IManageNetworkError,
  IManageProtocolError,
  IManageTimeoutError,
} from '../imanage/errors.js';
import { parseContainerId, parseDocumentId, sameId, type ContainerId, type DocumentId } from '../imanage/ids.js';
import type { DocumentRecord } from '../imanage/records.js';
import type { WireDocumentUpload } from '../imanage/wire.js';
import { UPLOAD_BUFFER_BYTES, UploadAbortedError, UploadTooLargeError, type FileDescription, type FileUpload } from './fileUpload.js';

/**
 * `uploadDocument` and `addDocumentVersion` from input to payload: check the input (nothing read of the
 * file, nothing sent, on any problem), make sure the folder or document is there and writable (which
 * also proves the token good just before the bytes go), send the file to iManage as it arrives, once,
 * and map iManage's refusals onto the input. Every upload carries a reference in its `comment`; when
 * the answer is lost after the bytes went (5xx, timeout, broken reply), the folder's documents (or the
 * document's versions) are searched for that reference instead of sending again.
 */

export interface UploadDocumentInput {
  readonly folderId: string;
  readonly file: FileUpload;
  readonly name?: string | null | undefined;
  readonly extension?: string | null | undefined;
  readonly profile?: Parameters<typeof checkProfile>[1];
  readonly defaultSecurity?: DefaultSecurity | null | undefined;
  readonly userTrustees?: readonly TrusteeInput[] | null | undefined;
  readonly groupTrustees?: readonly TrusteeInput[] | null | undefined;
  readonly idempotencyKey?: string | null | undefined;
}

export interface AddDocumentVersionInput {
  readonly documentId: string;
  readonly file: FileUpload;
  readonly comment?: string | null | undefined;
  readonly idempotencyKey?: string | null | undefined;
}

export interface UploadResult {
  document: DocumentRecord | null;
  userErrors: UserErrorEntry[];
  replayed: boolean;
}

/** The most a version's comment may be: iManage keeps 254 characters, and the upload's reference takes the rest. */
export const MAX_VERSION_COMMENT = 200;
const EXTENSION = /^[A-Za-z0-9]{1,16}$/;
/** How many pages of the folder's newest documents are searched for an upload whose answer was lost. */
const RECONCILE_PAGES = 3;

/**
 * An upload whose answer was lost and whose document was not found: raised as UPSTREAM_UNAVAILABLE.
 * `notFiled`: nothing was filed, as far as iManage shows (it failed with a 5xx or an unreadable reply,
 * and the document is not there); false when that is not known (the look failed, or iManage may still
 * be filing it).
 */
export class UploadUnconfirmedError extends DomainError {
  constructor(
    message: string,
    readonly notFiled: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UploadUnconfirmedError';
  }
}

export async function uploadDocument(deps: WriteDeps, input: UploadDocumentInput): Promise<UploadResult> {
  const errors: UserErrorEntry[] = [];
  const at = (...path: string[]) => ['input', ...path];
  const folder = parseContainerId(input.folderId);
  if (!folder) errors.push(userError(at('folderId'), 'INVALID_ID', '`folderId` is not an iManage folder id. Expected LIBRARY!number, e.g. ACTIVE_US!52811.'));
  const givenName = input.name?.trim() ?? null;
  if (givenName !== null && givenName !== '') checkText(errors, at('name'), '`name`', givenName, LIMITS.name, CONTROL);
  const givenExtension = input.extension === undefined || input.extension === null ? null : input.extension.trim().replace(/^\./, '');
  if (givenExtension !== null && !EXTENSION.test(givenExtension))
    errors.push(userError(at('extension'), 'INVALID_FORMAT', '`extension` must be 1 to 16 letters or digits, e.g. docx or pdf.'));
  const profile = checkProfile(errors, input.profile, at('profile'));
  const userTrustees = checkTrustees(errors, input.userTrustees, 'userTrustees', 'user');
  const groupTrustees = checkTrustees(errors, input.groupTrustees, 'groupTrustees', 'group');
  const key = checkIdempotencyKey(errors, input.idempotencyKey, at('idempotencyKey'));
  checkSize(errors, input.file);
  if (errors.length > 0 || !folder) return refused(input.file, errors);

  const file = await describe(input.file);
  if ('code' in file) return refused(input.file, [file]);
  const fromFile = splitFileName(file.fileName);
  const name = givenName !== null && givenName !== '' ? givenName : fromFile.name;
  const extension = givenExtension ?? fromFile.extension;
  if (name === '') errors.push(userError(at('name'), 'REQUIRED', 'A document needs a name: give `name`, or a file name.'));
  else if (givenName === null || givenName === '') checkText(errors, at('name'), 'The file name', name, LIMITS.name, CONTROL);
  if (extension !== null && !EXTENSION.test(extension))
    errors.push(userError(at('extension'), 'INVALID_FORMAT', "The file name's extension is not 1 to 16 letters or digits: give `extension`."));
  if (errors.length > 0) return refused(input.file, errors);

  const target = await deps.loaders.folder.load(folder.id);
  if (target === null) return refused(input.file, [userError(at('folderId'), 'NOT_FOUND', 'No such folder, or the user cannot see it.')]);
  if (target.effectiveSecurity === 'read' || target.effectiveSecurity === 'no_access')
    return refused(input.file, [userError(at('folderId'), 'FORBIDDEN', 'The user may only read this folder: iManage would not file a document in it.')]);

  const reference = referenceFor(deps.caller, key);
  const docProfile: WireDocumentUpload['doc_profile'] = { name, comment: reference };
  if (extension !== null) docProfile['extension'] = extension.toLowerCase();
  if (input.defaultSecurity) docProfile['default_security'] = WIRE_DEFAULT_SECURITY[input.defaultSecurity];
  for (const { field, value } of profile) docProfile[field.wire] = value instanceof Date ? value.toISOString() : value;
  const body: WireDocumentUpload = {
    warnings_for_required_and_disabled_fields: false,
    doc_profile: docProfile,
    ...(userTrustees.length > 0 ? { user_trustees: toWireTrustees(userTrustees) } : {}),
    ...(groupTrustees.length > 0 ? { group_trustees: toWireTrustees(groupTrustees) } : {}),
  };
  return run(deps, input.file, file, key, {
    operation: 'uploadDocument',
    upload: (upload) => deps.client.uploadDocument(folder, upload),
    body,
    fileName: `${name}${extension ? `.${extension}` : ''}`,
    find: (client, size) => findInFolder(client, folder, reference, name, size),
    refusalPath: (field) => inputPathOf(field?.replace(/^doc_profile\./, '')),
    target: 'folderId',
    requestHash: hashOf(['uploadDocument:v1', folder.library.toUpperCase(), folder.id.toUpperCase(), body, file.mimeType]),
  });
}

export async function addDocumentVersion(deps: WriteDeps, input: AddDocumentVersionInput): Promise<UploadResult> {
  const errors: UserErrorEntry[] = [];
  const at = (...path: string[]) => ['input', ...path];
  const document = parseDocumentId(input.documentId);
  if (!document)
    errors.push(
      userError(at('documentId'), 'INVALID_ID', '`documentId` is not an iManage document id. Expected LIBRARY!number.version, e.g. ACTIVE_US!453.1.'),
    );
  const comment = input.comment ?? null;
  if (comment !== null) checkText(errors, at('comment'), '`comment`', comment, MAX_VERSION_COMMENT, CONTROL_EXCEPT_LINES);
  const key = checkIdempotencyKey(errors, input.idempotencyKey, at('idempotencyKey'));
  checkSize(errors, input.file);
  if (errors.length > 0 || !document) return refused(input.file, errors);

  const file = await describe(input.file);
  if ('code' in file) return refused(input.file, [file]);

  const current = await deps.loaders.documents.document.load(document.id);
  if (current === null) return refused(input.file, [userError(at('documentId'), 'NOT_FOUND', 'No such document, or the user cannot see it.')]);
  if (current.effectiveSecurity === 'read' || current.effectiveSecurity === 'no_access')
    return refused(input.file, [userError(at('documentId'), 'FORBIDDEN', 'The user may only read this document: iManage would not take a new version.')]);

  const reference = referenceFor(deps.caller, key);
  const body: WireDocumentUpload = {
    warnings_for_required_and_disabled_fields: false,
    doc_profile: { comment: comment === null || comment === '' ? reference : `${comment} ${reference}` },
  };
  return run(deps, input.file, file, key, {
    operation: 'addDocumentVersion',
    requestHash: hashOf(['addDocumentVersion:v1', document.library.toUpperCase(), document.number, body, file.mimeType]),
    upload: (upload) => deps.client.addDocumentVersion(document, upload),
    body,
    fileName: `${current.name}${current.extension ? `.${current.extension}` : ''}`,
    find: (client, size) => findInVersions(client, document, reference, size),
    refusalPath: (field) => (field === 'comment' || field === 'doc_profile.comment' ? ['input', 'comment'] : null),
    target: 'documentId',
  });
}

interface Sending {
  operation: 'uploadDocument' | 'addDocumentVersion';
  /** A fingerprint of what was asked (the file's bytes aside: a replay compares those itself). */
  requestHash: string;
  upload(upload: MultipartUpload): Promise<DocumentRecord>;
  body: WireDocumentUpload;
  fileName: string;
  /** Looks for the upload in iManage with `client` after a lost answer (of `size` bytes, when known): the document, or null when it is not there. */
  find(client: IManageClient, size: number | null): Promise<DocumentRecord | null>;
  /** The input field an iManage message's field names (null: none, the entry goes on `input`). */
  refusalPath(field: string | undefined): string[] | null;
  /** The input field that names where the file goes. */
  target: 'folderId' | 'documentId';
}

const nullableText = z.string().nullable();
/** A document as a key keeps it (`DocumentRecord`, read back from the store). */
const documentRecord = z.object({
  kind: z.literal('document'),
  id: z.string().min(1),
  library: z.string(),
  documentNumber: z.number(),
  version: z.number(),
  name: z.string(),
  extension: nullableText,
  type: nullableText,
  size: z.number().nullable(),
  author: nullableText,
  operator: nullableText,
  comment: nullableText,
  createDate: nullableText,
  editDate: nullableText,
  defaultSecurity: nullableText,
  effectiveSecurity: nullableText,
  isCheckedOut: z.boolean().nullable(),
  inUseBy: nullableText,
  checkoutDate: nullableText,
  isLatest: z.boolean().nullable(),
  workspaceId: nullableText,
  workspaceName: nullableText,
  profile: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<DocumentRecord>;

/** What is kept under a key of an upload: the document filed, and the file's size and SHA-256, which a replay must match. */
type Filed = { document: DocumentRecord; size: number; sha256: string | null };
/**
 * What the next attempt under a key starts from: until when (epoch ms) the lost upload may still be
 * filed by iManage (null when its failure showed iManage was done with it: a 5xx, an unreadable reply).
 */
type UploadHint = { settleBy?: number | null | undefined };
type UploadAttempt = KeyedAttempt<Filed, UploadHint>;
/** How one attempt is to go: `keyed` hashes the file (for a replay to compare) and words the errors for a retry with the key. */
type UploadPlan = { lookFirst: boolean; send: boolean; keyed: boolean } & UploadHint;

/**
 * The upload, with its key when it has one (src/folders/idempotency.ts: the same key and input files
 * one document, a concurrent call waits, a lost answer is looked for before anything is sent again),
 * or once without.
 */
async function run(deps: WriteDeps, file: FileUpload, description: FileDescription, key: string | null, sending: Sending): Promise<UploadResult> {
  if (key === null) {
    const result = await attempt(deps, file, description, sending, { lookFirst: false, send: true, keyed: false });
    if (result.kind === 'unconfirmed') throw result.error;
    if (result.kind === 'refused') return refused(file, result.userErrors);
    return filed(deps, result.document, false);
  }
  const attemptMs = uploadAttemptMs(deps);
  const outcome = await runKeyed<Filed, UploadHint>(
    {
      store: deps.idempotency,
      scope: deps.caller,
      key,
      requestHash: sending.requestHash,
      // A wait for a call holding the key ends by the operation's deadline (`OPERATION_DEADLINE_MS`), as createSubfolder's does.
      waitMs: Math.min(attemptMs, 60_000, deps.client.remainingMs()),
      staleMs: attemptMs + 30_000,
      logger: deps.logger,
      signal: deps.signal,
    },
    (plan) => attempt(deps, file, description, sending, { lookFirst: plan.lookFirst, send: plan.send, keyed: true, settleBy: plan.settleBy ?? null }),
    {
      mutation: sending.operation,
      noun: sending.operation === 'uploadDocument' ? 'document' : 'version',
      noHint: {},
      createdSchema: z.object({ document: documentRecord, size: z.number(), sha256: z.string().nullable() }),
      hintSchema: z.object({ settleBy: z.number().nullish() }),
      keep: ({ document, size, sha256 }) => ({ document, size, sha256 }),
      hintOf: ({ settleBy }) => ({ settleBy: settleBy ?? null }),
      // Until the lost upload can have been filed, a retry only looks (src/folders/idempotency.ts).
      settling,
    },
  );
  if (outcome.kind === 'userError') return refused(file, [outcome.error]);
  const { result, replayed } = outcome;
  if (result.kind === 'unconfirmed') throw result.error;
  if (result.kind === 'refused') return refused(file, result.userErrors);
  if (!replayed) return filed(deps, result.document, false);
  // A replay sends nothing, but the file must be the one filed: read it through and compare.
  const same = await sameFile(file, result.size, result.sha256);
  if (same !== true) return refused(file, [same]);
  return filed(deps, result.document, true);
}

function filed(deps: WriteDeps, document: DocumentRecord, replayed: boolean): UploadResult {
  deps.loaders.documents.document.clear(document.id).prime(document.id, document);
  return { document, userErrors: [], replayed };
}

/**
 * The longest one keyed attempt may take: the lookups and the look for a lost answer, each up to the
 * call timeout, and the transfer, which the request's own timeout bounds. A key holds for this long
 * (plus a margin) before it counts as abandoned: a key pending for less may still be sending its file,
 * and taking it for abandoned would send the file twice.
 */
export function uploadAttemptMs(deps: Pick<WriteDeps, 'callTimeoutMs' | 'transferMs'>): number {
  return (3 + RECONCILE_PAGES) * deps.callTimeoutMs + deps.transferMs;
}

/**
 * One attempt: look first when an earlier one's answer was lost, then send the file once. Throws only
 * before anything is sent; from then on every outcome is a result. A document found by looking is
 * answered only when this request's file has its size (read through to count it).
 */
async function attempt(deps: WriteDeps, file: FileUpload, description: FileDescription, sending: Sending, plan: UploadPlan): Promise<UploadAttempt> {
  if (plan.lookFirst) {
    const found = await sending.find(deps.client, null);
    if (found) {
      deps.logger.info({ documentId: found.id }, `${sending.operation}: an earlier attempt had filed the document`);
      const same = await sameFile(file, found.size, null);
      if (same !== true) return { kind: 'refused', userErrors: [same] };
      return { kind: 'created', document: found, size: found.size ?? 0, sha256: null };
    }
    if (!plan.send) return { kind: 'unconfirmed', settleBy: plan.settleBy ?? null, error: settling(plan) ? stillSettling(sending) : attemptsUsedUp(sending) };
  }
  let bytes: Readable;
  try {
    bytes = await file.open();
  } catch (error) {
    // Nothing sent: a file already used by another mutation of the request, or one that did not come.
    if (error instanceof UploadTooLargeError) return { kind: 'refused', userErrors: [tooLarge(error.maxBytes)] };
    if (error instanceof UploadAbortedError) return { kind: 'refused', userErrors: [incomplete(error)] };
    throw error;
  }
  const counted = countBytes(bytes, plan.keyed);
  const sentBefore = deps.client.sentCount;
  const failure: { of: Error | null } = { of: null };
  bytes.once('error', (error: Error) => (failure.of = error));
  let document: DocumentRecord;
  try {
    document = await sending
      .upload({
        profile: sending.body,
        file: counted.stream,
        fileName: sending.fileName,
        mimeType: description.mimeType,
        signal: deps.signal,
      })
      // The file has gone, however long that took: what follows gets the operation's time anew.
      .finally(() => deps.client.restartDeadline());
  } catch (error) {
    // The file failed first (too large, cut short): the request to iManage was cancelled mid-body, so nothing was filed.
    if (failure.of instanceof UploadTooLargeError) return { kind: 'refused', userErrors: [tooLarge(failure.of.maxBytes)] };
    if (failure.of instanceof UploadAbortedError) return { kind: 'refused', userErrors: [incomplete(failure.of)] };
    if (error instanceof IManageHttpError && error.status < 500 && error.status !== 408 && error.status !== 429)
      return { kind: 'refused', userErrors: refusalErrors(error, sending) };
    if (!ambiguous(error) || !counted.complete()) throw error;
    // An upload that may still be filed at iManage is given time to be, from its file's end (when
    // iManage had it all) if that came after the request left: until then a keyed retry only looks.
    const { settleBy, looker } = afterLostWrite(deps.client, sentBefore, error, deps.callTimeoutMs, counted.endedAt());
    const found = await reconcile(looker, sending, error, counted.bytes(), plan.keyed, settleBy, deps);
    if (found.kind === 'unconfirmed') return found;
    document = found.document;
  }
  return { kind: 'created', document, size: counted.bytes(), sha256: counted.sha256() };
}

/**
 * The answer to the upload was lost after its file went: look for the document rather than send it
 * again. Not finding it proves nothing when iManage may still be filing it (`settleBy` set).
 */
async function reconcile(
  client: IManageClient,
  sending: Sending,
  lost: unknown,
  size: number,
  keyed: boolean,
  settleBy: number | null,
  deps: WriteDeps,
): Promise<{ kind: 'found'; document: DocumentRecord } | Extract<UploadAttempt, { kind: 'unconfirmed' }>> {
  const what = lostAnswer(lost);
  const { place, where } = placeOf(sending);
  deps.logger.warn({ err: lost, bytes: size }, `${sending.operation}: iManage ${what} after the file was sent; looking for the document`);
  let found: DocumentRecord | null;
  try {
    found = await sending.find(client, size);
  } catch (lookError) {
    deps.logger.warn({ err: lookError }, `${sending.operation}: could not look for the document`);
    const retry = keyed
      ? 'Ask again with the same idempotencyKey: it looks for the document before sending anything.'
      : `Look ${where} before uploading again.`;
    return {
      kind: 'unconfirmed',
      settleBy,
      error: new UploadUnconfirmedError(
        `iManage ${what} while filing the document, and ${place} could not be checked, so whether it was filed is not known. ${retry}`,
        false,
        { cause: lookError },
      ),
    };
  }
  if (found) {
    deps.logger.info({ documentId: found.id }, `${sending.operation}: the document was filed although the answer was lost`);
    return { kind: 'found', document: found };
  }
  if (settleBy !== null) {
    const retry = keyed
      ? 'Ask again with the same idempotencyKey in a few seconds: until iManage can have finished the first call, a retry only looks for the document, and after that it looks before sending the file.'
      : `Check ${place} in a few seconds before uploading again.`;
    return {
      kind: 'unconfirmed',
      settleBy,
      error: new UploadUnconfirmedError(
        `iManage ${what} while filing the document and may still be filing it: it is not ${where} yet, so whether it will be is not known. ${retry}`,
        false,
        { cause: lost },
      ),
    };
  }
  const retry = keyed ? 'Ask again with the same idempotencyKey: it looks for the document again before sending the file.' : 'It is safe to try again.';
  return {
    kind: 'unconfirmed',
    settleBy: null,
    error: new UploadUnconfirmedError(
      `iManage ${what} while filing the document, and the document is not ${where}: nothing was filed, as far as iManage shows. ${retry}`,
      true,
      { cause: lost },
    ),
  };
}

/** Where a lost upload is looked for: the folder's documents, or the document's versions. */
function placeOf(sending: Sending): { place: string; where: string } {
  return sending.operation === 'uploadDocument'
    ? { place: 'the folder', where: 'in the folder' }
    : { place: "the document's versions", where: "among the document's versions" };
}

function stillSettling(sending: Sending): UploadUnconfirmedError {
  return new UploadUnconfirmedError(
    `iManage did not answer the earlier call with this idempotencyKey in time and may still be filing its document, which is not ${placeOf(sending).where} yet. Nothing was sent again: ask again with the same key in a few seconds.`,
    false,
  );
}

function attemptsUsedUp(sending: Sending): UploadUnconfirmedError {
  return new UploadUnconfirmedError(
    `Earlier calls with this idempotencyKey failed without iManage confirming the document, and it is still not ${placeOf(sending).where}. Nothing more is sent under this key: use a new idempotencyKey to try again.`,
    true,
  );
}

/** Reads the file through: true when it has `size` bytes (and `sha256`, when known), else the user error saying it differs. */
async function sameFile(file: FileUpload, size: number | null, sha256: string | null): Promise<true | UserErrorEntry> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of await file.open()) {
      bytes += (chunk as Buffer).length;
      if (sha256 !== null) hash.update(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof UploadTooLargeError) return tooLarge(error.maxBytes);
    if (error instanceof UploadAbortedError) return incomplete(error);
    throw error;
  }
  if ((size === null || bytes === size) && (sha256 === null || hash.digest('hex') === sha256)) return true;
  return userError(
    ['input', 'idempotencyKey'],
    'IDEMPOTENCY_KEY_REUSED',
    'This idempotencyKey was used in the last 24 hours with a different file. Use a new key for a new upload.',
  );
}

/**
 * A 5xx, a timeout, a broken connection, an unreadable reply, or the caller's leaving after the bytes
 * went: iManage may have filed it. (A caller who left mid-file cut the request short: nothing was filed.)
 */
function ambiguous(error: unknown): boolean {
  if (error instanceof IManageCircuitOpenError) return false;
  if (error instanceof IManageHttpError) return error.status >= 500 || error.status === 408;
  return (
    error instanceof IManageTimeoutError ||
    error instanceof IManageCancelledError ||
    error instanceof IManageNetworkError ||
    error instanceof IManageProtocolError
  );
}

/** iManage's refusal (4xx) as user errors: what it names in the profile goes on the input field; rights, absence and check-out on the target. */
function refusalErrors(error: IManageHttpError, sending: Sending): UserErrorEntry[] {
  const target = ['input', sending.target];
  const code = error.code ?? null;
  if (error.status === 403) return [userError(target, 'FORBIDDEN', 'iManage does not allow this user to file documents here.', code)];
  if (error.status === 404) return [userError(target, 'NOT_FOUND', 'iManage has no such target, or the user cannot see it.', code)];
  if (error.status === 409 || error.status === 423 || /CHECKED_OUT|CHECKOUT/i.test(code ?? ''))
    return [userError(target, 'CHECKED_OUT', 'The document is checked out: iManage takes no new version until it is checked in.', code)];
  return userErrorsFromRefusal(error, sending.refusalPath, 'the upload');
}

/** The folder's newest documents, searched for this upload's reference (and its name and size). */
async function findInFolder(client: IManageClient, folder: ContainerId, reference: string, name: string, size: number | null): Promise<DocumentRecord | null> {
  let cursor: string | null = null;
  for (let page = 0; page < RECONCILE_PAGES; page++) {
    const result = await client.folderDocuments(folder, { limit: 100, cursor, sortBy: 'edit_date', sortOrder: 'desc' });
    const found = result.items.find((d) => d.comment?.includes(reference) && d.name === name && (d.size === null || size === null || d.size === size));
    if (found) return found;
    if (result.next === null) return null;
    cursor = result.next;
  }
  return null;
}

async function findInVersions(client: IManageClient, document: DocumentId, reference: string, size: number | null): Promise<DocumentRecord | null> {
  const versions = await client.documentVersions(document);
  return versions?.find((v) => v.comment?.includes(reference) && (v.size === null || size === null || v.size === size) && !sameId(v.id, document.id)) ?? null;
}

function checkSize(errors: UserErrorEntry[], file: FileUpload): void {
  // Known before any byte is read when the request's length says so; otherwise counted as it streams.
  if (file.sizeBounds !== null && file.sizeBounds.atLeast > file.maxBytes) errors.push(tooLarge(file.maxBytes));
}

const tooLarge = (maxBytes: number) =>
  userError(['input', 'file'], 'FILE_TOO_LARGE', `The file is larger than this service accepts: at most ${maxBytes} bytes (UPLOAD_MAX_BYTES).`);

const incomplete = (error: UploadAbortedError) => userError(['input', 'file'], 'FILE_INCOMPLETE', error.message);

/** The file part's name and type, or the user error of a part that did not come. */
async function describe(file: FileUpload): Promise<FileDescription | UserErrorEntry> {
  try {
    return await file.describe();
  } catch (error) {
    if (error instanceof UploadAbortedError) return incomplete(error);
    throw error;
  }
}

function refused(file: FileUpload, userErrors: UserErrorEntry[]): UploadResult {
  file.discard();
  return { document: null, userErrors, replayed: false };
}

/** `Contract.final.docx` → name `Contract.final`, extension `docx`; a name without one has none. */
export function splitFileName(fileName: string): { name: string; extension: string | null } {
  const base = fileName.split(/[/\\]/).pop()!.trim();
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return { name: base, extension: null };
  return { name: base.slice(0, dot).trim(), extension: base.slice(dot + 1) };
}

/**
 * What an upload writes in its comment so that a lost answer can be found: with a key, derived from the
 * caller and the key (so a later call with the key finds an earlier one's document) and telling neither;
 * without, random. Unguessable either way.
 */
function referenceFor(caller: IdempotencyScope, key: string | null): string {
  const id =
    key === null
      ? randomBytes(10).toString('hex')
      : createHash('sha256')
          .update(JSON.stringify(['upload-reference:v1', caller.appUserId, caller.customerId, caller.imanageUserId, key]))
          .digest('hex')
          .slice(0, 20);
  return `[upload ${id}]`;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * Counts (and with `hash`, hashes) the bytes that pass, and says whether the source ended (all of the
 * file went to iManage) and when (epoch ms; 0 before it has).
 */
function countBytes(source: Readable, hash: boolean): { stream: Readable; bytes(): number; complete(): boolean; endedAt(): number; sha256(): string | null } {
  let bytes = 0;
  let complete = false;
  let endedAt = 0;
  const digest = hash ? createHash('sha256') : null;
  const stream = new Transform({
    highWaterMark: UPLOAD_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      digest?.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      complete = true;
      endedAt = Date.now();
      callback();
    },
  });
  source.on('error', (error) => stream.destroy(error));
  source.pipe(stream);
  let sha256: string | null = null;
  return {
    stream,
    bytes: () => bytes,
    complete: () => complete,
    endedAt: () => endedAt,
    sha256: () => (digest === null ? null : (sha256 ??= digest.digest('hex'))),
  };
}
