import type { IManageClient } from '../imanage/client.js';
import { IManageProtocolError } from '../imanage/errors.js';
import type { ContainerId } from '../imanage/ids.js';
import type { FolderRecord, Page } from '../imanage/records.js';
import type { WireFolderCreate } from '../imanage/wire.js';
import { CreateUnconfirmedError } from './errors.js';

/**
 * After a create whose answer was lost (a 5xx, a timeout, a reset, an unreadable reply), iManage may
 * or may not have made the folder. Sending the create again could make a second one, so instead the
 * parent's folders are listed, fresh from iManage (no cache), and searched for it: every one of them,
 * page after page by iManage's cursor (reference §5.2), up to a bound past which the check fails.
 *
 * A folder counts as the one we asked for when everything iManage reliably echoes agrees: the exact
 * name (Unicode-normalised), the owner (the caller: this service never sends `owner`, and iManage
 * makes the creator the owner), the description and default security we sent when iManage reports
 * them, and a last-change date no earlier than the attempt (less `CLOCK_SKEW_MS`, as iManage's clock
 * is not ours; less 14 hours more for a date without a time zone, which may be a local time). The
 * newest match wins (iManage numbers containers in creation order). What it cannot tell apart: a
 * folder of the same name and description that the same user made in the same parent in the minutes
 * before; answering with that folder duplicates nothing.
 */

export interface ReconcileTarget {
  parent: { kind: 'folder' | 'workspace'; id: ContainerId };
  body: WireFolderCreate;
  /** The caller's iManage user id. */
  owner: string;
  /** Epoch ms when the first attempt at this create started. */
  since: number;
}

/** Children per listing call, and how many calls at most: past that, the parent cannot be checked. */
const PAGE_SIZE = 500;
const MAX_PAGES = 4;
const CLOCK_SKEW_MS = 10 * 60_000;
/**
 * A date without a time zone (reference §4.1 and §4.2 list a `timezone_offset` parameter, so iManage
 * may answer in a local time) is read as UTC and may be off by any offset there is, up to 14 hours.
 */
const UNZONED_SKEW_MS = CLOCK_SKEW_MS + 14 * 60 * 60_000;

/** The most calls `findCreatedFolder` makes. */
export const RECONCILE_MAX_CALLS = MAX_PAGES;

export interface ReconcileListing {
  pageSize: number;
  maxPages: number;
}

/** The parent has more folders than `findCreatedFolder` reads: whether the folder is among them is not known. */
export class ReconcileLimitError extends CreateUnconfirmedError {
  constructor(readonly maxFolders: number) {
    super(
      `The parent has more than ${maxFolders} folders, too many to check whether the folder was created. Check the parent before creating the folder again.`,
      false,
    );
  }
}

export async function findCreatedFolder(
  client: IManageClient,
  target: ReconcileTarget,
  listing: ReconcileListing = { pageSize: PAGE_SIZE, maxPages: MAX_PAGES },
): Promise<FolderRecord | null> {
  const matches: FolderRecord[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 1; ; page++) {
    const request = { cursor, limit: listing.pageSize };
    const result: Page<FolderRecord> =
      target.parent.kind === 'folder' ? await client.folderChildren(target.parent.id, request) : await client.workspaceChildren(target.parent.id, request);
    for (const folder of result.items) {
      // A server that ignores the cursor sends the same folders again: never an endless walk.
      if (seen.has(folder.id)) throw new IManageProtocolError("list the parent's folders", 'iManage sent folders of an earlier page again: it ignores paging');
      seen.add(folder.id);
      if (isTheCreatedFolder(folder, target)) matches.push(folder);
    }
    if (result.next === null) break;
    if (page >= listing.maxPages) throw new ReconcileLimitError(listing.pageSize * listing.maxPages);
    cursor = result.next;
  }
  return matches.reduce<FolderRecord | null>(
    (newest, folder) => (newest === null || containerNumber(folder) > containerNumber(newest) ? folder : newest),
    null,
  );
}

export function isTheCreatedFolder(folder: FolderRecord, target: ReconcileTarget): boolean {
  const { body } = target;
  if (folder.name.normalize('NFC') !== body.name.normalize('NFC')) return false;
  if (folder.owner !== null && folder.owner.toUpperCase() !== target.owner.toUpperCase()) return false;
  if (body.description !== undefined && folder.description !== null && folder.description.trim() !== body.description.trim()) return false;
  if (folder.defaultSecurity !== null && folder.defaultSecurity.toLowerCase() !== body.default_security) return false;
  if (folder.editDate !== null) {
    const timed = /T\d/.test(folder.editDate);
    const zoned = timed && /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(folder.editDate);
    // A time without a zone JavaScript would read as this machine's local time: read it as UTC instead.
    const changed = Date.parse(timed && !zoned ? `${folder.editDate}Z` : folder.editDate);
    if (Number.isFinite(changed) && changed < target.since - (zoned ? CLOCK_SKEW_MS : UNZONED_SKEW_MS)) return false;
  }
  return true;
}

function containerNumber(folder: FolderRecord): number {
  return Number(folder.id.slice(folder.id.indexOf('!') + 1)) || 0;
}
