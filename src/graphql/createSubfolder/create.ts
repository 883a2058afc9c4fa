import type { Logger } from 'pino';
import type { GraphQLContext, IManageAccess } from '../../context.js';
import { IManageError, IManageHttpError, IManageNetworkError, IManageProtocolError, IManageTimeoutError, IManageUnauthorizedError } from '../../imanage/errors.js';
import type { ContainerId } from '../../imanage/ids.js';
import type { IManageLoaders } from '../../imanage/loaders.js';
import type { FolderRecord } from '../../imanage/records.js';
import type { WireFolderCreate } from '../../imanage/wire.js';
import { AppError } from '../errors.js';
import type { CreateSubfolderInput } from '../types.generated.js';
import { requestHashOf, runKeyed, type AttemptPlan, type AttemptResult, type ParentKind } from './idempotency.js';
import { findCreatedFolder, RECONCILE_MAX_CALLS, type ReconcileTarget } from './reconcile.js';
import { userError, type UserErrorEntry } from './userErrors.js';
import { validateCreateSubfolder } from './validate.js';
import { toWireFolderCreate, userErrorsFromRefusal } from './wire.js';

/**
 * `createSubfolder` from input to payload: check the input (nothing sent on any problem), claim the
 * idempotency key, find out whether the parent is a folder or a workspace, send the create once, map
 * iManage's refusals onto the input, and when the answer is lost look for the folder instead of
 * sending again. A folder created is put into this request's loaders, so that reads later in the same
 * operation see it.
 */

export interface CreateSubfolderResult {
  folder: FolderRecord | null;
  userErrors: UserErrorEntry[];
  replayed: boolean;
}

export async function createSubfolder(ctx: GraphQLContext, input: CreateSubfolderInput): Promise<CreateSubfolderResult> {
  const checked = validateCreateSubfolder(input);
  if (!checked.ok) return { folder: null, userErrors: checked.userErrors, replayed: false };
  const { request } = checked;
  const access = ctx.imanage();
  const body = toWireFolderCreate(request);
  const keyed = request.idempotencyKey !== null;
  const attempt = (plan: AttemptPlan) => attemptCreate(access, request.parent, body, plan, keyed, ctx.logger());

  let outcome: { result: AttemptResult; replayed: boolean };
  if (request.idempotencyKey === null) {
    outcome = { result: await attempt({ since: Date.now(), lookFirst: false, send: true, parentKind: null }), replayed: false };
  } else {
    // Worst case of one attempt: every call it can make, each up to the timeout.
    const attemptMs = (2 + 2 * RECONCILE_MAX_CALLS + 2) * ctx.config.imanageTimeoutMs;
    const keyedOutcome = await runKeyed(
      {
        store: ctx.store.idempotencyKeys,
        scope: { appUserId: ctx.viewer.id, customerId: access.connection.customerId, imanageUserId: access.connection.imanageUserId },
        key: request.idempotencyKey,
        requestHash: requestHashOf(request.parent.id, body),
        waitMs: Math.min(attemptMs, 60_000),
        staleMs: attemptMs + 30_000,
        logger: ctx.logger(),
        signal: ctx.abortSignal(),
      },
      attempt,
    );
    if (keyedOutcome.kind === 'userError') return { folder: null, userErrors: [keyedOutcome.error], replayed: false };
    outcome = keyedOutcome;
  }

  const { result, replayed } = outcome;
  switch (result.kind) {
    case 'created':
      access.loaders.folderCreated(result.folder, { kind: result.parentKind, id: request.parent.id });
      return { folder: result.folder, userErrors: [], replayed };
    case 'refused':
      return { folder: null, userErrors: result.userErrors, replayed };
    case 'unconfirmed':
      throw result.error;
  }
}

/**
 * One attempt. Throws only before the create is sent (nothing can have been created); from the moment
 * it is sent, every outcome is a result.
 */
async function attemptCreate(
  access: IManageAccess,
  parentId: ContainerId,
  body: WireFolderCreate,
  plan: AttemptPlan,
  keyed: boolean,
  logger: Logger,
): Promise<AttemptResult> {
  const { client, loaders, connection } = access;
  const parentKind = plan.parentKind ?? (await discoverParent(loaders, parentId.id));
  if (parentKind === null) return { kind: 'refused', userErrors: [parentNotFound()] };
  const target: ReconcileTarget = { parent: { kind: parentKind, id: parentId }, body, owner: connection.imanageUserId, since: plan.since };

  if (plan.lookFirst) {
    const found = await findCreatedFolder(client, target);
    if (found) {
      logger.info({ folderId: found.id }, 'createSubfolder: an earlier attempt had created the folder');
      return { kind: 'created', folder: found, parentKind };
    }
    if (!plan.send) return { kind: 'unconfirmed', parentKind, error: attemptsUsedUp() };
  }

  let folder: FolderRecord;
  try {
    folder = parentKind === 'folder' ? await client.createSubfolder(parentId, body) : await client.createWorkspaceFolder(parentId, body);
  } catch (error) {
    if (wasNotRun(error)) throw error;
    // iManage refused the request: nothing was created.
    if (error instanceof IManageHttpError && error.status >= 400 && error.status < 500) return { kind: 'refused', userErrors: refusal(error) };
    return reconcile(access, target, error, keyed, logger);
  }
  return { kind: 'created', folder, parentKind };
}

/** The answer to the create was lost: look for the folder rather than send the create again. */
async function reconcile(access: IManageAccess, target: ReconcileTarget, lost: unknown, keyed: boolean, logger: Logger): Promise<AttemptResult> {
  const what = lostAnswer(lost);
  logger.warn({ err: lost, parentId: target.parent.id.id }, `createSubfolder: ${what}; looking for the folder in the parent`);
  let found: FolderRecord | null;
  try {
    found = await findCreatedFolder(access.client, target);
  } catch (error) {
    logger.warn({ err: error }, 'createSubfolder: could not list the parent to look for the folder');
    const retry = keyed ? 'Ask again with the same idempotencyKey: the parent is checked before anything is sent again.' : 'Check the parent before creating the folder again.';
    return {
      kind: 'unconfirmed',
      parentKind: target.parent.kind,
      error: new AppError('UPSTREAM_UNAVAILABLE', `iManage ${what} while creating the folder, and the parent's folders could not be checked, so whether the folder was created is not known. ${retry}`, { parentChecked: false }),
    };
  }
  if (found) {
    logger.info({ folderId: found.id }, 'createSubfolder: the folder was created although the answer was lost');
    return { kind: 'created', folder: found, parentKind: target.parent.kind };
  }
  const retry = keyed ? 'Ask again with the same idempotencyKey: the parent is checked again before anything is sent.' : 'It is safe to ask again.';
  return {
    kind: 'unconfirmed',
    parentKind: target.parent.kind,
    error: new AppError('UPSTREAM_UNAVAILABLE', `iManage ${what} while creating the folder, and the folder is not among the parent's folders: it was not created, as far as iManage shows. ${retry}`, { parentChecked: true }),
  };
}

/**
 * A folder id first (most creates are subfolders), then a workspace id: one call for a folder parent,
 * two for a workspace, none when this request has already loaded the parent.
 */
async function discoverParent(loaders: IManageLoaders, id: string): Promise<ParentKind | null> {
  const folder = await loaders.folder.load(id);
  // A server that answers a workspace id on the folder route gives the workspace itself.
  if (folder) return folder.workspaceId !== null && folder.workspaceId.toLowerCase() === folder.id.toLowerCase() ? 'workspace' : 'folder';
  return (await loaders.workspace.load(id)) ? 'workspace' : null;
}

/**
 * Failures that prove the create did not run, so it may be asked again as it is: iManage refused the
 * token (401) or the rate (429) before looking at the request, or the call was never sent (the
 * upstream's circuit breaker was open, or the operation had made its MAX_UPSTREAM_CALLS_PER_OPERATION).
 */
function wasNotRun(error: unknown): boolean {
  if (error instanceof IManageUnauthorizedError) return true;
  if (error instanceof IManageHttpError) return error.status === 401 || error.status === 429;
  return error instanceof IManageError && (error.kind === 'circuit_open' || error.kind === 'call_budget');
}

function refusal(error: IManageHttpError): UserErrorEntry[] {
  if (error.status === 403) {
    return [userError(['input', 'parentId'], 'FORBIDDEN', 'iManage does not allow this user to add folders here: it takes read_write access on the parent.', error.code ?? null)];
  }
  if (error.status === 404) return [parentNotFound(error.code ?? null)];
  return userErrorsFromRefusal(error);
}

function parentNotFound(imanageCode: string | null = null): UserErrorEntry {
  return userError(['input', 'parentId'], 'NOT_FOUND', 'The parent folder or workspace does not exist, or this user cannot see it.', imanageCode);
}

function lostAnswer(error: unknown): string {
  if (error instanceof IManageHttpError) return `failed (${error.status})`;
  if (error instanceof IManageTimeoutError) return 'did not answer in time';
  if (error instanceof IManageNetworkError) return 'could not be reached';
  if (error instanceof IManageProtocolError) return 'sent a reply this service cannot read';
  return 'failed';
}

function attemptsUsedUp(): AppError {
  return new AppError(
    'UPSTREAM_UNAVAILABLE',
    'Earlier calls with this idempotencyKey failed without iManage confirming the folder, and it is still not among the parent\'s folders. Nothing more is sent under this key: use a new idempotencyKey to try again.',
    { parentChecked: true },
  );
}
