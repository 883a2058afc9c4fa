import { addDocumentVersion as add } from '../../../documents/upload.js';
import { writeDeps } from '../../writeDeps.js';
import type { MutationResolvers } from './../../types.generated.js';

export const addDocumentVersion: NonNullable<MutationResolvers['addDocumentVersion']> = (_parent, { input }, ctx) => add(writeDeps(ctx), input);
