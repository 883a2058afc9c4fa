import type { DocumentConnectionResolvers } from './../types.generated.js';

/** Built whole by the connection helpers (src/graphql/connections.ts): every field is read as it is. */
export const DocumentConnection: DocumentConnectionResolvers = {};
