import { toAccessLevel, toDate, toDefaultSecurity } from '../enums.js';
import { isLatest, latestOf, locationsOf, versionsOf, workspaceOfDocument } from '../../documents/lookups.js';
import type { DocumentRecord } from '../../imanage/records.js';
import type { UserMapper } from '../mappers/document.mappers.js';
import type { DocumentResolvers } from './../types.generated.js';

/** A user the document names, by id: their name and e-mail are read only when asked for (`User`). */
const person = (document: DocumentRecord, id: string | null): UserMapper | null => (id ? { library: document.library, id } : null);

export const Document: DocumentResolvers = {
  profile: (parent) => parent.profile,
  author: (parent) => person(parent, parent.author),
  operator: (parent) => person(parent, parent.operator),
  createDate: (parent) => toDate(parent.createDate),
  editDate: (parent) => toDate(parent.editDate),
  checkedOutBy: (parent) => (parent.isCheckedOut ? person(parent, parent.inUseBy) : null),
  checkoutDate: (parent) => (parent.isCheckedOut ? toDate(parent.checkoutDate) : null),
  isLatest: (parent, _args, ctx) => isLatest(ctx.imanage().loaders, parent),
  latest: (parent, _args, ctx) => latestOf(ctx.imanage().loaders, parent),
  versions: (parent, _args, ctx) => versionsOf(ctx.imanage().loaders, parent),
  library: (parent) => ({ id: parent.library }),
  workspace: (parent, _args, ctx) => workspaceOfDocument(ctx.imanage().loaders, parent),
  locations: (parent, _args, ctx) => locationsOf(ctx.imanage().loaders, parent),
  defaultSecurity: (parent) => (parent.defaultSecurity === null ? null : toDefaultSecurity(parent.defaultSecurity)),
  effectiveSecurity: (parent) => toAccessLevel(parent.effectiveSecurity),
  downloadUrl: (parent, _args, ctx) => ctx.downloadLinks.urlFor(parent.id),
};
