import { FolderProfile } from './FolderProfile.js';
import type { DocumentProfileResolvers } from './../types.generated.js';

/**
 * A document's profile fields have the keys and value types of a folder's profile (`class`,
 * `custom1`, `custom1_description`, …), so they are read the same way; a document's author is its own
 * field (`Document.author`).
 */
const { author: _author, ...shared } = FolderProfile as Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const DocumentProfile: DocumentProfileResolvers = {
  ...(shared as DocumentProfileResolvers),
  classDescription: (parent) => text(parent.class_description),
};
