import type { CreateSubfolderPayloadResolvers } from './../types.generated.js';

/** The payload is built whole by `createSubfolder`: every field is read as it is. */
export const CreateSubfolderPayload: CreateSubfolderPayloadResolvers = {};
