/**
 * Document classes the sandbox knows, and which profile fields each requires or disables.
 * iManage lets a firm configure this per library (reference §4.3 lists `GET …/classes` [c]; the
 * rules themselves are not in the reference): these are the sandbox's demo configuration [I].
 */
export interface DocumentClass {
  description: string;
  /** Fields that must have a value once the document's profile is assembled (folder values included). */
  required: readonly string[];
  /** Fields that may not be set for this class. */
  disabled: readonly string[];
}

export const DOCUMENT_CLASSES: Readonly<Record<string, DocumentClass>> = {
  DOC: { description: 'Document', required: [], disabled: [] },
  EMAIL: { description: 'E-mail', required: [], disabled: [] },
  // custom1/custom2 (client, matter) come from the matter's folders; custom4 (agreement type) must be given.
  AGREEMENT: { description: 'Agreement', required: ['custom1', 'custom2', 'custom4'], disabled: ['custom29', 'custom30'] },
};

export const DEFAULT_CLASS = 'DOC';
