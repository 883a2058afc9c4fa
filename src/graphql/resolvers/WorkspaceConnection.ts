import type { WorkspaceConnectionResolvers } from './../types.generated.js';
export const WorkspaceConnection: WorkspaceConnectionResolvers = {/* Implement WorkspaceConnection resolver logic here */};
