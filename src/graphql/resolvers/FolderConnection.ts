import type { FolderConnectionResolvers } from './../types.generated.js';
export const FolderConnection: FolderConnectionResolvers = {/* Implement FolderConnection resolver logic here */};
