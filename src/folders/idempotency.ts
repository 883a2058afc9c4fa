import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { IdempotencyKeyStore, IdempotencyRecord, IdempotencyScope } from '../auth/store/types.js';
import type { IManageClient } from '../imanage/client.js';
import { IManageCancelledError, IManageHttpError, IManageNetworkError, IManageProtocolError, IManageTimeoutError } from '../imanage/errors.js';
import type { IManageLoaders } from '../imanage/loaders.js';
import type { FolderRecord } from '../imanage/records.js';
import { userError, type UserErrorEntry } from './userErrors.js';

/**
 * `idempotencyKey` for the creating mutations (`createSubfolder`, the uploads), kept in the token store's database (so it holds across
 * restarts and, with PostgreSQL, across instances) for 24 hours per app user, iManage identity
 * (customer and user) and key: a key replayed after the app user relinked to another iManage user
 * is a new key, never the old user's folder.
 *
 * - The first call claims the key (an atomic insert of a pending row) and does the work; a later or
 *   concurrent call with the same key and input waits for it (bounded by `waitMs`) and answers with
 *   its result without calling iManage. The same key with other input is `IDEMPOTENCY_KEY_REUSED`.
 * - A folder created is remembered. A refusal (bad input, no rights, no parent) or a failure before
 *   anything was sent is not: nothing was created, so the key is released and may be used again.
 * - A create whose answer was lost and whose folder could not be found is remembered as
 *   "unconfirmed". A retry with the same key is then a new attempt under a derived key
 *   (`<key>#2`, `#3`), claimed the same atomic way, which first looks for the folder in the parent
 *   again (it may have appeared since) and sends the create only if it is still not there. After
 *   `MAX_ATTEMPTS` the key only looks, and never sends again. While an earlier send may still be
 *   running at iManage (the codec's `settling`: it timed out a moment ago), a retry only looks, without
 *   using up an attempt: sending again then could make a second one.
 * - A row left pending longer than `staleMs` (its process died mid-create) counts as unconfirmed.
 */

export type { IdempotencyScope };

/** Where keys are kept: the token store's idempotency keys. */
export type IdempotencyStore = IdempotencyKeyStore;

/** What a keyed write (`createSubfolder`, the uploads) works with: built from the request by graphql/writeDeps.ts. */
export interface WriteDeps {
  readonly client: IManageClient;
  readonly loaders: IManageLoaders;
  /** The app user and the iManage identity (customer, user) of their connection: what a key belongs to. */
  readonly caller: IdempotencyScope;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  /** Aborted when the caller goes away: a waiter for a held key stops waiting, an upload to iManage is cancelled mid-body. */
  readonly signal: AbortSignal;
  /** The timeout of one iManage call (`IMANAGE_TIMEOUT_MS`), which bounds how long a key is held and a concurrent call with it waits. */
  readonly callTimeoutMs: number;
  /** The longest a request's body may take to arrive (`REQUEST_TIMEOUT_MS`): what bounds an upload's transfer, and so how long its key may stay pending. */
  readonly transferMs: number;
}

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const MAX_ATTEMPTS = 3;

export type ParentKind = 'folder' | 'workspace';

/**
 * What one attempt at a create came to: `created` with the fields `C` of what was made, `refused`, or
 * `unconfirmed` (the answer was lost and the object was not found; `error` says so to the caller) with
 * the hint `H` the next attempt starts from.
 */
export type KeyedAttempt<C extends object, H extends object> =
  ({ kind: 'created' } & C) | { kind: 'refused'; userErrors: UserErrorEntry[] } | ({ kind: 'unconfirmed'; error: Error } & H);

/** How an attempt is to go: `H` is what an earlier attempt learnt (the codec's `noHint` at first). */
export type KeyedPlan<H extends object> = {
  /** Epoch ms when the first attempt under this key started: the object cannot be older. */
  since: number;
  /** An earlier attempt's answer was lost: look for its object before anything else. */
  lookFirst: boolean;
  /** False once the attempts are used up: look, but never send. */
  send: boolean;
} & H;

/**
 * How a kind of create is remembered under its key: the fields of a created result that are kept
 * (`created`, read back with `createdSchema`), and those of an unconfirmed one (`hintSchema`). Both are
 * spread into the stored JSON beside `v` and `outcome`.
 */
export interface KeyedCodec<C extends object, H extends object> {
  /** `createSubfolder`, `uploadDocument`: names the work in logs. */
  mutation: string;
  /** `folder`, `document`: names what is made in user errors. */
  noun: string;
  noHint: H;
  createdSchema: z.ZodType<C>;
  hintSchema: z.ZodType<H>;
  /** The part of a created result that is kept (never what this request alone needs). */
  keep(created: { kind: 'created' } & C): C;
  hintOf(result: { kind: 'unconfirmed'; error: Error } & H): H;
  /** Whether an unconfirmed attempt's send may still be running at iManage (by its hint), so that a retry must only look. */
  settling?(hint: H, now: number): boolean;
}

/** `createSubfolder`'s attempt: the folder and its parent's kind; an unconfirmed one keeps the parent's kind. */
export type AttemptResult = KeyedAttempt<{ folder: FolderRecord; parentKind: ParentKind; parentFolder?: FolderRecord | undefined }, FolderHint>;
export type AttemptPlan = KeyedPlan<FolderHint>;

export type KeyedOutcome<R = AttemptResult> = { kind: 'result'; result: R; replayed: boolean } | { kind: 'userError'; error: UserErrorEntry };

export interface KeyedCreate {
  store: IdempotencyKeyStore;
  /** The app user and the iManage identity of their connection. */
  scope: IdempotencyScope;
  key: string;
  requestHash: string;
  /** How long a call waits for a concurrent one holding the same key. */
  waitMs: number;
  /** A pending claim older than this was abandoned. */
  staleMs: number;
  logger: Logger;
  /** The waiting caller went away. */
  signal?: AbortSignal | undefined;
  now?: () => number;
}

/**
 * A send whose failure does not show iManage was done with it: no answer in time, a call cut off when
 * its caller left, or a connection that broke after it was made (one refused, or a name that did not
 * resolve, never reached iManage). Not finding what it made proves nothing until it can have finished:
 * the codec's `settling`.
 */
function mayStillRun(error: unknown): boolean {
  // Cut off because the caller left: iManage may have the whole request, and go on with it.
  if (error instanceof IManageTimeoutError || error instanceof IManageCancelledError) return true;
  return error instanceof IManageNetworkError && !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(error.causeCode ?? '');
}

/** Whether the earlier send under this key may still be running at iManage (`settleBy` not yet passed): the codecs' `settling`. */
export function settling(hint: { settleBy?: number | null | undefined }, now = Date.now()): boolean {
  return typeof hint.settleBy === 'number' && now < hint.settleBy;
}

/**
 * After a write whose answer was lost (`error`), sent by `client` once its count of sends stood at
 * `sentBefore`: until when iManage may still carry it out (`settleBy`, twice the call timeout from when
 * it left, or from `notBefore` when that is later; null when it never left or its failure shows
 * iManage was done with it), and the client to look for it with (one the caller's leaving does not
 * cancel, when that is what cut the write off: the idempotency record and the audit trail still say
 * what became of it).
 */
export function afterLostWrite(
  client: IManageClient,
  sentBefore: number,
  error: unknown,
  callTimeoutMs: number,
  notBefore = 0,
): { settleBy: number | null; looker: IManageClient } {
  // From when it left, not from when it was asked for: a wait for the token, a slot or a rate limit
  // before it went must not use the window up.
  const left = client.sentCount > sentBefore ? client.lastSentAt : null;
  const settleBy = left !== null && mayStillRun(error) ? Math.max(left, notBefore) + 2 * callTimeoutMs : null;
  return { settleBy, looker: error instanceof IManageCancelledError ? client.detached() : client };
}

/** What became of a write whose answer was lost, in words for its error message. */
export function lostAnswer(error: unknown): string {
  if (error instanceof IManageHttpError) return `failed (${error.status})`;
  if (error instanceof IManageTimeoutError) return 'did not answer in time';
  if (error instanceof IManageCancelledError) return 'was not waited for (the caller left)';
  if (error instanceof IManageNetworkError) return 'could not be reached';
  if (error instanceof IManageProtocolError) return 'sent a reply this service cannot read';
  return 'failed';
}

/** A fingerprint of what was asked: the same key may only be used again for the same request. */
export function requestHashOf(parentId: string, body: unknown): string {
  // Upper case, not `idKey`: hashes stored under v1 must still match.
  return createHash('sha256')
    .update(JSON.stringify(['createSubfolder:v1', parentId.toUpperCase(), body]))
    .digest('hex');
}

/**
 * Runs a create under an idempotency key (see the top of this file). `codec` says what is kept of its
 * result; without one, it is `createSubfolder`'s.
 */
export async function runKeyed<C extends object = FolderCreated, H extends object = FolderHint>(
  options: KeyedCreate,
  attempt: (plan: KeyedPlan<H>) => Promise<KeyedAttempt<C, H>>,
  codec: KeyedCodec<C, H> = FOLDER_CODEC as unknown as KeyedCodec<C, H>,
): Promise<KeyedOutcome<KeyedAttempt<C, H>>> {
  const now = options.now ?? Date.now;
  let previous: Unconfirmed<H> | null = null;
  for (let n = 1; ; n++) {
    // '#' is not allowed in a key, so a derived key cannot collide with one a client chose.
    const key = n === 1 ? options.key : `${options.key}#${n}`;
    const claim = await claimOrWait(options, key, now, codec);
    switch (claim.kind) {
      case 'reused':
        return {
          kind: 'userError',
          error: userError(
            ['input', 'idempotencyKey'],
            'IDEMPOTENCY_KEY_REUSED',
            `This idempotencyKey was used in the last 24 hours for a different ${codec.noun}. Use a new key for a new ${codec.noun}.`,
          ),
        };
      case 'inProgress':
        return {
          kind: 'userError',
          error: userError(
            ['input', 'idempotencyKey'],
            'IDEMPOTENCY_KEY_IN_PROGRESS',
            `Another call with this idempotencyKey is still creating the ${codec.noun}. Ask again shortly with the same key to get its result.`,
          ),
        };
      case 'claimed':
        return { kind: 'result', result: await runClaimed(options, key, previous, attempt, now, codec), replayed: false };
      case 'remembered':
        if (claim.remembered.outcome === 'created') {
          return { kind: 'result', result: { kind: 'created', ...claim.remembered.created }, replayed: true };
        }
        previous = claim.remembered;
        if (n >= MAX_ATTEMPTS || codec.settling?.(previous.hint, now())) {
          const result = await attempt({ since: previous.since, lookFirst: true, send: false, ...previous.hint });
          if (result.kind === 'created') await remember(options, key, { outcome: 'created', created: codec.keep(result) }, codec);
          return { kind: 'result', result, replayed: false };
        }
    }
  }
}

async function runClaimed<C extends object, H extends object>(
  options: KeyedCreate,
  key: string,
  previous: Unconfirmed<H> | null,
  attempt: (plan: KeyedPlan<H>) => Promise<KeyedAttempt<C, H>>,
  now: () => number,
  codec: KeyedCodec<C, H>,
): Promise<KeyedAttempt<C, H>> {
  const finished = track(options.store, options.scope, key);
  try {
    const since = previous?.since ?? now();
    let result: KeyedAttempt<C, H>;
    try {
      result = await attempt({ since, lookFirst: previous !== null, send: true, ...(previous?.hint ?? codec.noHint) });
    } catch (error) {
      // Thrown before anything was sent (the attempt turns every later failure into a result).
      await release(options, key);
      throw error;
    }
    if (result.kind === 'refused') await release(options, key);
    else if (result.kind === 'created') await remember(options, key, { outcome: 'created', created: codec.keep(result) }, codec);
    else await remember(options, key, { outcome: 'unconfirmed', since, hint: codec.hintOf(result) }, codec);
    return result;
  } finally {
    finished();
  }
}

type Claim<C, H> = { kind: 'claimed' } | { kind: 'reused' } | { kind: 'inProgress' } | { kind: 'remembered'; remembered: Remembered<C, H> };

/** Claims `key`, or reads what it holds; while another call holds it pending, waits (bounded) for it. */
async function claimOrWait<C extends object, H extends object>(
  options: KeyedCreate,
  key: string,
  now: () => number,
  codec: KeyedCodec<C, H>,
): Promise<Claim<C, H>> {
  const deadline = now() + options.waitMs;
  let pause = 25;
  for (;;) {
    const claim = await options.store.claimIdempotencyKey({
      ...options.scope,
      key,
      requestHash: options.requestHash,
      ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
    });
    if (claim.claimed) return { kind: 'claimed' };
    const { existing } = claim;
    if (existing.requestHash !== options.requestHash) return { kind: 'reused' };
    if (existing.status === 'done') return { kind: 'remembered', remembered: parseRemembered(existing, options.logger, codec) };
    if (now() - existing.createdAt.getTime() > options.staleMs) {
      options.logger.warn({ mutation: codec.mutation }, 'idempotency key abandoned while pending: treating its create as unconfirmed');
      return { kind: 'remembered', remembered: { outcome: 'unconfirmed', since: existing.createdAt.getTime(), hint: codec.noHint } };
    }
    const left = deadline - now();
    if (left <= 0 || options.signal?.aborted) return { kind: 'inProgress' };
    // Woken early when the holder is in this process; otherwise polled, backing off to 0.5 s.
    await Promise.race([sleep(Math.min(pause, left)), inFlight(options.store, options.scope, key)]);
    pause = Math.min(pause * 2, 500);
  }
}

async function remember<C extends object, H extends object>(
  options: KeyedCreate,
  key: string,
  remembered: Remembered<C, H>,
  codec: KeyedCodec<C, H>,
): Promise<void> {
  // Stored flat, as version 1 stored a folder: `{v, outcome, ...fields}`.
  const stored =
    remembered.outcome === 'created'
      ? { v: 1, outcome: 'created', ...remembered.created }
      : { v: 1, outcome: 'unconfirmed', since: remembered.since, ...remembered.hint };
  try {
    await options.store.completeIdempotencyKey(options.scope, key, JSON.stringify(stored));
  } catch (error) {
    // The outcome stands; the key stays pending and is treated as unconfirmed once stale, which
    // looks for the object before sending anything.
    options.logger.error({ err: error, mutation: codec.mutation }, 'could not record the outcome of an idempotent create');
  }
}

async function release(options: KeyedCreate, key: string): Promise<void> {
  try {
    await options.store.releaseIdempotencyKey(options.scope, key);
  } catch (error) {
    options.logger.error({ err: error }, 'could not release an idempotency key');
  }
}

// What a key remembers, as stored in the database's `response` column.

type Remembered<C, H> = { outcome: 'created'; created: C } | Unconfirmed<H>;
type Unconfirmed<H> = { outcome: 'unconfirmed'; since: number; hint: H };

function parseRemembered<C extends object, H extends object>(record: IdempotencyRecord, logger: Logger, codec: KeyedCodec<C, H>): Remembered<C, H> {
  let json: unknown = null;
  try {
    json = JSON.parse(record.response ?? 'null');
  } catch {
    json = null;
  }
  const head = z.object({ v: z.literal(1), outcome: z.enum(['created', 'unconfirmed']), since: z.number().optional() }).safeParse(json);
  if (head.success && head.data.outcome === 'created') {
    const created = codec.createdSchema.safeParse(json);
    if (created.success) return { outcome: 'created', created: created.data };
  }
  if (head.success && head.data.outcome === 'unconfirmed' && head.data.since !== undefined) {
    const hint = codec.hintSchema.safeParse(json);
    if (hint.success) return { outcome: 'unconfirmed', since: head.data.since, hint: hint.data };
  }
  // Unreadable: assume the worst that is safe, that the object may exist, and look before sending.
  logger.error({ mutation: codec.mutation }, 'unreadable idempotency record: treating its create as unconfirmed');
  return { outcome: 'unconfirmed', since: record.createdAt.getTime(), hint: codec.noHint };
}

// createSubfolder's codec: the folder and its parent's kind (as stored since version 1).

const folderRecord = z.object({
  kind: z.literal('folder'),
  id: z.string().min(1),
  library: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  defaultSecurity: z.string().nullable(),
  effectiveSecurity: z.string().nullable(),
  folderType: z.string().nullable(),
  owner: z.string().nullable(),
  editDate: z.string().nullable(),
  hasSubfolders: z.boolean().nullable(),
  hasDocuments: z.boolean().nullable(),
  parentId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  workspaceName: z.string().nullable(),
  profile: z.record(z.string(), z.unknown()).nullable(),
  partial: z.boolean(),
}) satisfies z.ZodType<FolderRecord>;

const parentKind = z.enum(['folder', 'workspace']);
type FolderCreated = { folder: FolderRecord; parentKind: ParentKind; parentFolder?: FolderRecord | undefined };
/**
 * What the next attempt starts from: the parent's kind, and until when (epoch ms) the lost send may
 * still be running at iManage (null when its failure showed it was over: a 5xx, an unreadable reply).
 */
export type FolderHint = { parentKind: ParentKind | null; settleBy?: number | null | undefined };

const FOLDER_CODEC: KeyedCodec<FolderCreated, FolderHint> = {
  mutation: 'createSubfolder',
  noun: 'folder',
  noHint: { parentKind: null },
  createdSchema: z.object({ folder: folderRecord, parentKind }),
  hintSchema: z.object({ parentKind: parentKind.nullable(), settleBy: z.number().nullish() }),
  // The parent as this request loaded it is not kept: a replay loads what it needs.
  keep: ({ folder, parentKind }) => ({ folder, parentKind }),
  hintOf: ({ parentKind, settleBy }) => ({ parentKind, settleBy: settleBy ?? null }),
  settling,
};

// Calls of this process holding a key, so that a waiter in the same process wakes as soon as the
// holder is done rather than at its next poll. Per store, so that test stacks do not see each other.

const holders = new WeakMap<IdempotencyKeyStore, Map<string, Promise<void>>>();

function holderId(scope: IdempotencyScope, key: string): string {
  return JSON.stringify([scope.appUserId, scope.customerId, scope.imanageUserId, key]);
}

function track(store: IdempotencyKeyStore, scope: IdempotencyScope, key: string): () => void {
  let map = holders.get(store);
  if (!map) holders.set(store, (map = new Map()));
  const id = holderId(scope, key);
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  map.set(id, promise);
  return () => {
    if (map.get(id) === promise) map.delete(id);
    done();
  };
}

function inFlight(store: IdempotencyKeyStore, scope: IdempotencyScope, key: string): Promise<void> {
  return holders.get(store)?.get(holderId(scope, key)) ?? new Promise<void>(() => undefined);
}
