import { describe, expect, it } from 'vitest';
import { isTheCreatedFolder, type ReconcileTarget } from '../src/folders/reconcile.js';
import type { FolderRecord } from '../src/imanage/records.js';

/** Which folder in the parent is the one a lost create made. */

const since = Date.parse('2030-01-01T12:00:00.000Z');
const target: ReconcileTarget = {
  parent: { kind: 'folder', id: { id: 'ACTIVE_US!1', library: 'ACTIVE_US' } },
  body: { name: 'Café Légal', description: 'Leases', default_security: 'private' },
  owner: 'jsmith',
  since,
};
const folder = (overrides: Partial<FolderRecord> = {}): FolderRecord => ({
  kind: 'folder',
  id: 'ACTIVE_US!2',
  library: 'ACTIVE_US',
  name: 'Café Légal',
  description: 'Leases',
  defaultSecurity: 'private',
  effectiveSecurity: 'full_access',
  folderType: 'regular',
  owner: 'JSMITH',
  editDate: '2030-01-01T12:00:01.000Z',
  hasSubfolders: false,
  hasDocuments: false,
  parentId: 'ACTIVE_US!1',
  workspaceId: 'ACTIVE_US!9',
  workspaceName: 'W',
  profile: null,
  partial: false,
  ...overrides,
});

describe('isTheCreatedFolder', () => {
  it('matches on what iManage echoes', () => {
    expect(isTheCreatedFolder(folder(), target)).toBe(true);
    expect(isTheCreatedFolder(folder({ name: 'Cafe\u0301 Le\u0301gal' }), target)).toBe(true); // the same text, decomposed
    expect(isTheCreatedFolder(folder({ owner: null, editDate: null, defaultSecurity: null, description: null }), target)).toBe(true);
    expect(isTheCreatedFolder(folder({ editDate: '2030-01-01T11:55:00.000Z' }), target)).toBe(true); // within the clock skew allowed
    // Without a zone, a local time: New York's, five hours behind UTC, is the same moment.
    expect(isTheCreatedFolder(folder({ editDate: '2030-01-01T07:00:01' }), target)).toBe(true);
    expect(isTheCreatedFolder(folder({ editDate: '2030-01-01T07:00:01.000-05:00' }), target)).toBe(true);
  });

  it('does not match another name, owner, description, security, or an older folder', () => {
    expect(isTheCreatedFolder(folder({ name: 'café légal' }), target)).toBe(false);
    expect(isTheCreatedFolder(folder({ owner: 'AKUMAR' }), target)).toBe(false);
    expect(isTheCreatedFolder(folder({ description: 'Other' }), target)).toBe(false);
    expect(isTheCreatedFolder(folder({ defaultSecurity: 'inherit' }), target)).toBe(false);
    expect(isTheCreatedFolder(folder({ editDate: '2030-01-01T11:00:00.000Z' }), target)).toBe(false);
    expect(isTheCreatedFolder(folder({ editDate: '2029-12-31T12:00:00' }), target)).toBe(false); // a day before, whatever the zone
  });
});
