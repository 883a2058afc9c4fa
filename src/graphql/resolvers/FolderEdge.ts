import type { FolderEdgeResolvers } from './../types.generated.js';
export const FolderEdge: FolderEdgeResolvers = {/* Implement FolderEdge resolver logic here */};
