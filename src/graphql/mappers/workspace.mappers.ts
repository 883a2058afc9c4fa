export type { WorkspaceRecord as WorkspaceMapper } from '../../imanage/records.js';
