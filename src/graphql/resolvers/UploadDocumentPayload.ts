import type { UploadDocumentPayloadResolvers } from './../types.generated.js';

/** The payload is built whole by the upload workflow: every field is read as it is. */
export const UploadDocumentPayload: UploadDocumentPayloadResolvers = {};
