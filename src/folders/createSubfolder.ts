import type { Logger } from 'pino';
import type { IManageClient } from '../imanage/client.js';
import {
  IManageCallBudgetError,
  IManageCircuitOpenError,
  IManageForbiddenError,
  IManageNotFoundError,
  IManageRateLimitedError,
  IManageRefusedError,
  IManageTokenRejectedError,
  IManageUnauthorizedError,
} from '../imanage/errors.js';
import { sameId, type ContainerId } from '../imanage/ids.js';
import type { IManageLoaders } from '../imanage/loaders.js';
import type { FolderRecord } from '../imanage/records.js';
import type { WireFolderCreate } from '../imanage/wire.js';
import { CreateUnconfirmedError } from './errors.js';
import {
  afterLostWrite,
  lostAnswer,
  requestHashOf,
  runKeyed,
  settling,
  type AttemptPlan,
  type AttemptResult,
  type ParentKind,
  type WriteDeps,
} from './idempotency.js';
import { findCreatedFolder, RECONCILE_MAX_CALLS, type ReconcileTarget } from './reconcile.js';
import { userError, type UserErrorEntry } from './userErrors.js';
import { validateCreateSubfolder, type CreateSubfolderInput } from './validate.js';
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

export async function createSubfolder(deps: WriteDeps, input: CreateSubfolderInput): Promise<CreateSubfolderResult> {
  const checked = validateCreateSubfolder(input);
  if (!checked.ok) return { folder: null, userErrors: checked.userErrors, replayed: false };
  const { request } = checked;
  const body = toWireFolderCreate(request);
  const keyed = request.idempotencyKey !== null;
  const attempt = (plan: AttemptPlan) => attemptCreate(deps, request.parent, body, plan, keyed);

  let outcome: { result: AttemptResult; replayed: boolean };
  if (request.idempotencyKey === null) {
    outcome = { result: await attempt({ since: Date.now(), lookFirst: false, send: true, parentKind: null }), replayed: false };
  } else {
    // Worst case of one attempt: every call it can make, each up to the timeout.
    const attemptMs = (2 + 2 * RECONCILE_MAX_CALLS + 2) * deps.callTimeoutMs;
    const keyedOutcome = await runKeyed(
      {
        store: deps.idempotency,
        scope: deps.caller,
        key: request.idempotencyKey,
        requestHash: requestHashOf(request.parent.id, body),
        // A wait for a call holding the key ends by the operation's deadline (`OPERATION_DEADLINE_MS`), as every iManage call does.
        waitMs: Math.min(attemptMs, 60_000, deps.client.remainingMs()),
        staleMs: attemptMs + 30_000,
        logger: deps.logger,
        signal: deps.signal,
      },
      attempt,
    );
    if (keyedOutcome.kind === 'userError') return { folder: null, userErrors: [keyedOutcome.error], replayed: false };
    outcome = keyedOutcome;
  }

  const { result, replayed } = outcome;
  switch (result.kind) {
    case 'created':
      deps.loaders.folderCreated(result.folder, { kind: result.parentKind, id: request.parent.id, record: result.parentFolder });
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
async function attemptCreate(deps: WriteDeps, parentId: ContainerId, body: WireFolderCreate, plan: AttemptPlan, keyed: boolean): Promise<AttemptResult> {
  const { client, loaders, logger } = deps;
  const discovered = plan.parentKind === null ? await discoverParent(loaders, parentId.id) : { kind: plan.parentKind, folder: undefined };
  if (discovered === null) return { kind: 'refused', userErrors: [parentNotFound()] };
  const { kind: parentKind, folder: parentFolder } = discovered;
  const target: ReconcileTarget = { parent: { kind: parentKind, id: parentId }, body, owner: deps.caller.imanageUserId, since: plan.since };

  if (plan.lookFirst) {
    const found = await findCreatedFolder(client, target);
    if (found) {
      logger.info({ folderId: found.id }, 'createSubfolder: an earlier attempt had created the folder');
      return { kind: 'created', folder: found, parentKind, parentFolder };
    }
    if (!plan.send) return { kind: 'unconfirmed', parentKind, error: settling(plan) ? stillSettling() : attemptsUsedUp() };
  }

  let folder: FolderRecord;
  const sentBefore = client.sentCount;
  try {
    folder = parentKind === 'folder' ? await client.createSubfolder(parentId, body) : await client.createWorkspaceFolder(parentId, body);
  } catch (error) {
    if (wasNotRun(error)) throw error;
    // iManage refused the request: nothing was created.
    if (error instanceof IManageRefusedError) return { kind: 'refused', userErrors: refusal(error) };
    // A send that may still be running at iManage is given time to finish: until then a keyed retry only looks.
    const { settleBy, looker } = afterLostWrite(client, sentBefore, error, deps.callTimeoutMs);
    const reconciled = await reconcile(looker, target, error, keyed, logger, settleBy);
    return reconciled.kind === 'created' ? { ...reconciled, parentFolder } : reconciled;
  }
  return { kind: 'created', folder, parentKind, parentFolder };
}

/**
 * The answer to the create was lost: look for the folder rather than send the create again. Not
 * finding it proves nothing when the create may still be running at iManage (`settleBy` set).
 */
async function reconcile(
  client: IManageClient,
  target: ReconcileTarget,
  lost: unknown,
  keyed: boolean,
  logger: Logger,
  settleBy: number | null,
): Promise<AttemptResult> {
  const what = lostAnswer(lost);
  logger.warn({ err: lost, parentId: target.parent.id.id }, `createSubfolder: ${what}; looking for the folder in the parent`);
  let found: FolderRecord | null;
  try {
    found = await findCreatedFolder(client, target);
  } catch (error) {
    logger.warn({ err: error }, 'createSubfolder: could not list the parent to look for the folder');
    const retry = keyed
      ? 'Ask again with the same idempotencyKey: the parent is checked before anything is sent again.'
      : 'Check the parent before creating the folder again.';
    return {
      kind: 'unconfirmed',
      parentKind: target.parent.kind,
      settleBy,
      error: new CreateUnconfirmedError(
        `iManage ${what} while creating the folder, and the parent's folders could not be checked, so whether the folder was created is not known. ${retry}`,
        false,
      ),
    };
  }
  if (found) {
    logger.info({ folderId: found.id }, 'createSubfolder: the folder was created although the answer was lost');
    return { kind: 'created', folder: found, parentKind: target.parent.kind };
  }
  if (settleBy !== null) {
    const retry = keyed
      ? 'Ask again with the same idempotencyKey in a few seconds: until iManage can have finished the first call, a retry only looks for the folder, and after that it looks before sending anything.'
      : 'Check the parent in a few seconds before creating the folder again.';
    return {
      kind: 'unconfirmed',
      parentKind: target.parent.kind,
      settleBy,
      error: new CreateUnconfirmedError(
        `iManage ${what} while creating the folder and may still be creating it: it is not among the parent's folders yet, so whether it will be is not known. ${retry}`,
        false,
      ),
    };
  }
  const retry = keyed ? 'Ask again with the same idempotencyKey: the parent is checked again before anything is sent.' : 'It is safe to ask again.';
  return {
    kind: 'unconfirmed',
    parentKind: target.parent.kind,
    error: new CreateUnconfirmedError(
      `iManage ${what} while creating the folder, and the folder is not among the parent's folders: it was not created, as far as iManage shows. ${retry}`,
      true,
    ),
  };
}

/**
 * A folder id first (most creates are subfolders), then a workspace id: one call for a folder parent,
 * two for a workspace, none when this request has already loaded the parent.
 */
async function discoverParent(loaders: IManageLoaders, id: string): Promise<{ kind: ParentKind; folder: FolderRecord | undefined } | null> {
  const folder = await loaders.folder.load(id);
  // A server that answers a workspace id on the folder route gives the workspace itself.
  if (folder)
    return folder.workspaceId !== null && sameId(folder.workspaceId, folder.id) ? { kind: 'workspace', folder: undefined } : { kind: 'folder', folder };
  return (await loaders.workspace.load(id)) ? { kind: 'workspace', folder: undefined } : null;
}

/**
 * Failures that prove the create did not run, so it may be asked again as it is: iManage refused the
 * token (401) or the rate (429) before looking at the request, or the call was never sent (the
 * upstream's circuit breaker was open, or the operation had made its MAX_UPSTREAM_CALLS_PER_OPERATION).
 */
function wasNotRun(error: unknown): boolean {
  return (
    error instanceof IManageUnauthorizedError ||
    error instanceof IManageTokenRejectedError ||
    error instanceof IManageRateLimitedError ||
    error instanceof IManageCircuitOpenError ||
    error instanceof IManageCallBudgetError
  );
}

function refusal(error: IManageRefusedError): UserErrorEntry[] {
  if (error instanceof IManageForbiddenError) {
    return [
      userError(
        ['input', 'parentId'],
        'FORBIDDEN',
        'iManage does not allow this user to add folders here: it takes read_write access on the parent.',
        error.code ?? null,
      ),
    ];
  }
  if (error instanceof IManageNotFoundError) return [parentNotFound(error.code ?? null)];
  return userErrorsFromRefusal(error);
}

function parentNotFound(imanageCode: string | null = null): UserErrorEntry {
  return userError(['input', 'parentId'], 'NOT_FOUND', 'The parent folder or workspace does not exist, or this user cannot see it.', imanageCode);
}

function stillSettling(): CreateUnconfirmedError {
  return new CreateUnconfirmedError(
    "iManage did not answer the earlier call with this idempotencyKey in time and may still be creating its folder, which is not among the parent's folders yet. Nothing was sent again: ask again with the same key in a few seconds.",
    false,
  );
}

function attemptsUsedUp(): CreateUnconfirmedError {
  return new CreateUnconfirmedError(
    "Earlier calls with this idempotencyKey failed without iManage confirming the folder, and it is still not among the parent's folders. Nothing more is sent under this key: use a new idempotencyKey to try again.",
    true,
  );
}
