import type { WorkspaceEdgeResolvers } from './../types.generated.js';
export const WorkspaceEdge: WorkspaceEdgeResolvers = {/* Implement WorkspaceEdge resolver logic here */};
