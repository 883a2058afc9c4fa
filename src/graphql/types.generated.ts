import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { CreateSubfolderPayloadMapper, FolderMapper, FolderProfileMapper, UserErrorMapper } from './mappers/folder.mappers.js';
import { CustomerMapper, IManageConnectionMapper, ViewerMapper } from './mappers/connection.mappers.js';
import { DocumentMapper, DocumentProfileMapper, UserMapper } from './mappers/document.mappers.js';
import { LibraryMapper } from './mappers/library.mappers.js';
import { WorkspaceMapper } from './mappers/workspace.mappers.js';
import { GraphQLContext } from '../context.js';
export type Maybe<T> = T | null | undefined;
export type InputMaybe<T> = T | null | undefined;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type EnumResolverSignature<T, AllowedValues = any> = { [key in keyof T]?: AllowedValues };
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string | number; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in time, as an ISO 8601 string with a time zone offset, e.g. `2026-11-29T14:03:00.000Z`. */
  DateTime: { input: Date; output: Date | string; }
  /**
   * A file sent with the operation by the GraphQL multipart request spec
   * (https://github.com/jaydenseric/graphql-multipart-request-spec): a `multipart/form-data` POST to
   * `/graphql` with an `operations` field (the request as JSON, the file variable `null`), a `map` field
   * (`{"0": ["variables.input.file"]}`), then the file part. The request needs the `x-graphql-yoga-csrf`
   * header like any form post. The bytes stream from the request to iManage as they arrive: nothing is held
   * whole. GraphiQL cannot send files; README "Uploading a document" shows `curl`.
   */
  Upload: { input: import("../documents/fileUpload.js").FileUpload; output: never; }
};

/** A user's or group's rights on an object, from none to full. */
export type AccessLevel =
  /** May read, change, delete and change security. */
  | 'FULL_ACCESS'
  /** No rights: the object is hidden. */
  | 'NO_ACCESS'
  /** May read. */
  | 'READ'
  /** May read and change, including adding subfolders. */
  | 'READ_WRITE';

/** A new version of a document. Validation `code`s as `UploadDocumentInput`. */
export type AddDocumentVersionInput = {
  /** A comment recorded on the new version, at most 200 characters (iManage keeps 254; the upload's reference takes the rest). Line breaks are allowed. */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** The document, by the id of any of its versions, e.g. `ACTIVE_US!453.1` (`INVALID_ID` otherwise). */
  documentId: Scalars['ID']['input'];
  /** The new version's file, by the multipart request spec. */
  file: Scalars['Upload']['input'];
  /** As `UploadDocumentInput.idempotencyKey`: the same key and file add one version at most. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};

/** The state of an app user's iManage connection. */
export type ConnectionStatus =
  /** Connected: queries run as the user's iManage account. */
  | 'CONNECTED'
  /** The user has never connected an iManage account, or disconnected it. Connect it with `startIManageConnection`. */
  | 'NOT_CONNECTED'
  /** The user connected once, but iManage refused the stored token and no refresh could replace it (idle past iManage's timeout without a refresh token, or revoked). Connect again with `startIManageConnection`. */
  | 'REAUTH_REQUIRED';

/**
 * A folder to create. Strings are counted in Unicode characters (code points). Validation `code`s used
 * for this input (see `UserError.code`): `REQUIRED`, `TOO_LONG`, `INVALID_CHARACTERS`, `INVALID_ID`,
 * `OUT_OF_RANGE`, `DUPLICATE`, `TOO_MANY`, `INVALID_FORMAT`.
 */
export type CreateSubfolderInput = {
  /** Who may see the folder besides its trustees. `INHERIT` (the parent's setting) when omitted. */
  defaultSecurity?: InputMaybe<DefaultSecurity>;
  /**
   * A description shown beside the name in iManage. At most 254 characters (`TOO_LONG`), the length
   * iManage stores; line breaks and tabs are allowed, other control, separator and format characters are
   * not (`INVALID_CHARACTERS`).
   */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Groups to name on the folder's access list, each with a level. Same rules as `userTrustees`. */
  groupTrustees?: InputMaybe<Array<TrusteeInput>>;
  /**
   * Makes the create safe to repeat: the same key from the same app user within 24 hours creates one
   * folder at most and answers with the first call's result (`replayed: true`), also when the calls arrive
   * at once (the later one waits for the first, until its own operation deadline at most, then answers
   * `IDEMPOTENCY_KEY_IN_PROGRESS`). The same key with different input is refused
   * (`IDEMPOTENCY_KEY_REUSED`). 1 to 128 characters of `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`, `.` and `:`
   * (`INVALID_FORMAT`, `TOO_LONG`); a UUID is a good key. A call that iManage refused created nothing, so
   * its key is free again. After `UPSTREAM_UNAVAILABLE`, asking again with the same key first looks for
   * the folder in the parent and sends the create only if it is still not there (three sends per key at
   * most; after that the key only looks). While iManage may still be carrying out a create that got no
   * answer in time (until twice `IMANAGE_TIMEOUT_MS` after it was sent), asking again only looks.
   * Keys expire 24 hours after their first use.
   */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /**
   * The folder's name. Leading and trailing white space is removed; the rest is kept exactly as given,
   * Unicode included. Required (`REQUIRED` when blank), at most 254 characters (`TOO_LONG`), no control
   * characters such as line breaks or tabs, no line or paragraph separators and no invisible format
   * characters such as bidirectional overrides, which make a name display as another (`INVALID_CHARACTERS`;
   * the zero-width joiner and non-joiner are allowed). iManage allows several folders of one name under
   * one parent.
   */
  name: Scalars['String']['input'];
  /**
   * Where to create the folder: a folder id (the new folder becomes its subfolder) or a workspace id
   * (the new folder sits at the workspace's root), e.g. `ACTIVE_US!52811`. The form is `LIBRARY!number`;
   * anything else is an `INVALID_ID` user error. A parent that does not exist, or that the user cannot see,
   * is a `NOT_FOUND` user error; one the user may only read is a `FORBIDDEN` user error.
   */
  parentId: Scalars['ID']['input'];
  /** Profile fields of the new folder. iManage copies the parent's client and matter fields (`custom1` to `custom3`) unless given here. */
  profile?: InputMaybe<FolderProfileInput>;
  /**
   * Users to name on the folder's access list, each with a level. At most 100 entries (`TOO_MANY`); an id
   * may appear once (`DUPLICATE`, compared ignoring case). The caller is the folder's owner and always has
   * full access. An id iManage does not know comes back as an `INVALID_VALUE` user error from iManage.
   */
  userTrustees?: InputMaybe<Array<TrusteeInput>>;
};

/**
 * What `createSubfolder` did: the new folder, or why there is none. Exactly one of the two is set:
 * `folder` is null exactly when `userErrors` is not empty.
 */
export type CreateSubfolderPayload = {
  __typename?: 'CreateSubfolderPayload';
  /**
   * The folder as iManage created it, with every field readable as on any other folder; its parent's
   * `subfolders` include it from this operation on. Null when `userErrors` says why nothing was created.
   */
  folder: Maybe<Folder>;
  /**
   * True when this answer repeats the result of an earlier call with the same `idempotencyKey` (nothing
   * was sent to iManage this time); false for a call that did the work.
   */
  replayed: Scalars['Boolean']['output'];
  /** Why nothing was created: one entry per problem, each naming the input field. Empty on success. */
  userErrors: Array<UserError>;
};

/** An iManage customer: one firm's tenant. Its id is iManage's integer customer id, as a string. */
export type Customer = {
  __typename?: 'Customer';
  /** iManage's customer id, e.g. `"5948"`. */
  id: Scalars['ID']['output'];
  /** The libraries (iManage databases) this user can use, in iManage's order, without those iManage marks hidden (`is_hidden`), which `library(id)` still reads. Null, with its error, when iManage could not be asked or refused: one call lists them all, so it fails whole. */
  libraries: Maybe<Array<Library>>;
  /** The library iManage marks as the user's preferred one, when it names one the user can use. */
  preferredLibrary: Maybe<Library>;
};

/** Who may see an object when they are not named as a trustee. */
export type DefaultSecurity =
  /** Take the parent's default security. */
  | 'INHERIT'
  /** Only its trustees may see it at all. */
  | 'PRIVATE'
  /** Every user of the library may read and change it. */
  | 'PUBLIC'
  /** Every user of the library may read it; only trustees may change it. */
  | 'VIEW';

/**
 * One version of an iManage document: its profile (name, type, people, dates, class and custom fields),
 * where it is filed, and its other versions. Fields that call iManage (`author`, `locations`, `versions`,
 * `latest`, …) are nullable: when one fails it is null with its error, and the rest arrives.
 */
export type Document = {
  __typename?: 'Document';
  /** Who created the document (iManage's `author`). Its `id` costs nothing; `fullName` and `email` are read for a whole page at once, one iManage call per library. */
  author: Maybe<User>;
  /** Who has the document checked out; null when it is not checked out. Read like `author`. */
  checkedOutBy: Maybe<User>;
  /** When the document was checked out; null when it is not, or iManage does not say. */
  checkoutDate: Maybe<Scalars['DateTime']['output']>;
  /** The profile's free-text comment, if it has one. */
  comment: Maybe<Scalars['String']['output']>;
  /** When the document was created, as iManage records it. */
  createDate: Maybe<Scalars['DateTime']['output']>;
  /** Who may see the document when they are not named as a trustee. Null when iManage does not say. */
  defaultSecurity: Maybe<DefaultSecurity>;
  /** The document number, shared by all versions of the document, e.g. `453`. */
  documentNumber: Scalars['Int']['output'];
  /**
   * A link to this service (`GET /documents/{id}/download?link=…`) that streams this version's bytes from
   * iManage, recorded there as an export. A browser can follow it without an Authorization header: it is
   * signed, bound to the calling app user, their iManage connection and this document, valid for
   * `DOWNLOAD_LINK_TTL_SECONDS` (default 60) and usable for one download. Ask for it when the user clicks,
   * not when a list is shown. Making it calls no iManage.
   */
  downloadUrl: Scalars['String']['output'];
  /** When this version was last changed, as iManage records it. */
  editDate: Maybe<Scalars['DateTime']['output']>;
  /** The calling user's own rights on this document, as iManage computes them. Null when iManage does not say. */
  effectiveSecurity: Maybe<AccessLevel>;
  /** The file extension, without the dot, e.g. `docx`, `pdf`. Null when iManage does not say. */
  extension: Maybe<Scalars['String']['output']>;
  /** iManage's id of this version: `LIBRARY!number.version`, e.g. `ACTIVE_US!453.1`. */
  id: Scalars['ID']['output'];
  /** Whether the document is checked out (someone took it to edit outside iManage). Null when iManage does not say. */
  isCheckedOut: Maybe<Scalars['Boolean']['output']>;
  /** Whether this is the latest version of the document. Null, with its error, when iManage does not say and asking it failed. */
  isLatest: Maybe<Scalars['Boolean']['output']>;
  /** The latest version of this document: this one when it is the latest. Null, with its error, when iManage could not be asked. */
  latest: Maybe<Document>;
  /** The library the document lives in. */
  library: Library;
  /**
   * The folders the document is filed in that the user can see (a document may be filed in several);
   * each has its `path` as any folder. For a page of documents, one iManage call per library gives the
   * locations of all of them. Null, with its error, when iManage could not be asked.
   */
  locations: Maybe<Array<Folder>>;
  /** The document's name as users see it in iManage, without the extension. */
  name: Scalars['String']['output'];
  /** Who last changed this version (iManage's `operator`). Read like `author`. */
  operator: Maybe<User>;
  /** The document's class, subclass and firm-defined custom fields, as set in iManage. */
  profile: Maybe<DocumentProfile>;
  /** The file's size in bytes (a Float: documents may pass 2 GiB). Null when iManage does not say. */
  size: Maybe<Scalars['Float']['output']>;
  /** iManage's document type, e.g. `WORD`, `PDF`, `EXCEL`, `MIME`. Null when iManage does not say. */
  type: Maybe<Scalars['String']['output']>;
  /** This version's number, from 1. */
  version: Scalars['Int']['output'];
  /** Every version of the document the user may read, oldest first (by version number, whatever order iManage lists them in). One iManage call per document. Null, with its error, when iManage could not be asked. */
  versions: Maybe<Array<Document>>;
  /** The workspace the document is filed in. Null when iManage does not say, or (with its error) when reading it from iManage failed. */
  workspace: Maybe<Workspace>;
};

/** A page of documents. A page comes whole from one iManage call: when that call fails, the field that holds the page is null (with its error), never single edges. */
export type DocumentConnection = {
  __typename?: 'DocumentConnection';
  /** The documents of this page, each with its cursor. */
  edges: Array<DocumentEdge>;
  /** Whether more documents follow this page, and the cursors to ask for them. */
  pageInfo: PageInfo;
  /**
   * How many documents the list holds in all, across every page: known when this page reaches the end
   * of the list (`hasNextPage` false), null while more follow. iManage does not count (its cursor paging
   * and its search say only whether more follow), and the count is not fetched separately.
   */
  totalCount: Maybe<Scalars['Int']['output']>;
};

/** One document in a page, with the cursor to continue after it. */
export type DocumentEdge = {
  __typename?: 'DocumentEdge';
  /** Pass as `after` to get the documents that follow this one. */
  cursor: Scalars['String']['output'];
  /** The document at this position of the page. */
  node: Document;
};

/**
 * What `Library.documents` looks for: documents matching every filter given (an empty filter lists the
 * library's documents). Text is matched ignoring case. Each text filter is at most 254 characters and may
 * not hold control characters.
 */
export type DocumentFilter = {
  /** Only documents created by this iManage user id, e.g. `JSMITH`: exact, ignoring case. No `,`. */
  author?: InputMaybe<Scalars['String']['input']>;
  /** Only documents of this class, e.g. `DOC`: exact, ignoring case. No `,`. */
  class?: InputMaybe<Scalars['String']['input']>;
  /**
   * Only documents filed in this folder or workspace, by its iManage id (`LIBRARY!number`, in the
   * library searched): directly in it, or anywhere below it with `includeSubtree`.
   */
  container?: InputMaybe<Scalars['ID']['input']>;
  /** Only documents whose custom field 1 is exactly this value, ignoring case, as iManage stores it (e.g. a client number). At most 254 characters, no `,`. */
  custom1?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 2 is exactly this value, ignoring case, as iManage stores it (e.g. a matter number). At most 254 characters, no `,`. */
  custom2?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 3 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom3?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 4 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom4?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 5 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom5?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 6 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom6?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 7 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom7?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 8 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom8?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 9 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom9?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 10 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom10?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 11 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom11?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 12 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom12?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 13 (longer text) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom13?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 14 (longer text) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom14?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 15 (longer text) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom15?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 16 (longer text) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom16?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 17 (a number) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom17?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 18 (a number) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom18?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 19 (a number) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom19?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 20 (a number) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom20?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 21 (a date) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom21?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 22 (a date) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom22?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 23 (a date) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom23?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 24 (a date) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom24?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 25 (a yes/no flag) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom25?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 26 (a yes/no flag) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom26?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 27 (a yes/no flag) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom27?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 28 (a yes/no flag) is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom28?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 29 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom29?: InputMaybe<Scalars['String']['input']>;
  /** Only documents whose custom field 30 is exactly this value, ignoring case, as iManage stores it. At most 254 characters, no `,`. */
  custom30?: InputMaybe<Scalars['String']['input']>;
  /** Only documents last changed at or after this instant. */
  editedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only documents last changed at or before this instant. Not before `editedAfter`. */
  editedBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only documents with this file extension, without the dot, e.g. `docx`: exact, ignoring case. No `,`. */
  extension?: InputMaybe<Scalars['String']['input']>;
  /**
   * Only documents holding these words anywhere iManage's full-text `anywhere` search looks (the name,
   * the profile, the text of the document itself, as iManage indexes them). It matches whole words
   * (`indemnif` does not find "indemnification") and needs iManage's full-text index.
   */
  fullText?: InputMaybe<Scalars['String']['input']>;
  /** With `container`: also documents filed anywhere below it (its subfolders, at any depth). Default false. */
  includeSubtree?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * Only documents whose name contains this text anywhere, ignoring case: `greem` finds "Employment
   * Agreement". `*` and `,` are plain characters here, not wildcards or separators. Outer white space is
   * ignored; blank means no filter. (iManage matches whole names, so the service sends it `*text*`, or for
   * a text holding `*` or `,` its longest part without them, and checks each name itself, reading further
   * iManage pages to fill the page, a bounded number per request: the same as `Library.folders(query)`.)
   */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Only documents of this subclass: exact, ignoring case. No `,`. */
  subclass?: InputMaybe<Scalars['String']['input']>;
  /** Only documents of this iManage type, e.g. `WORD`, `PDF`, `EXCEL`: exact, ignoring case. No `,`. */
  type?: InputMaybe<Scalars['String']['input']>;
};

/**
 * How to order a list of documents, asked of iManage (its `sort_by`, which not every iManage server may
 * apply). A page by date, number or size that comes back in another order is refused with
 * `BAD_USER_INPUT` (`extensions.unsupported: true`) rather than shown in the wrong one.
 */
export type DocumentOrder = {
  /** Ascending (A to Z, oldest first, smallest first) or descending. `ASC` when omitted. */
  direction?: InputMaybe<OrderDirection>;
  /** What to sort by. */
  field: DocumentOrderField;
};

/** What a list of documents can be sorted by. */
export type DocumentOrderField =
  /** When the document was created. */
  | 'CREATE_DATE'
  /** iManage's number of the document, which grows as documents are added: ascending lists the oldest first. */
  | 'DOCUMENT_NUMBER'
  /** When the document was last changed. */
  | 'EDIT_DATE'
  /** The document's name, then its number. */
  | 'NAME'
  /** The file's size in bytes. */
  | 'SIZE'
  /** iManage's document type, e.g. `PDF`, `WORD`. */
  | 'TYPE';

/**
 * A document's profile in iManage: its class and subclass and the firm-defined custom fields. Custom
 * fields 1 to 12 are short codes (e.g. client and matter numbers), 13 to 16 longer text, 17 to 20
 * numbers, 21 to 24 dates, 25 to 28 booleans, 29 and 30 short codes. Where iManage resolves a code to a
 * description, it is given in the matching `…Description` field.
 */
export type DocumentProfile = {
  __typename?: 'DocumentProfile';
  /** The document class, e.g. `DOC`. */
  class: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for the class, e.g. `Document`. */
  classDescription: Maybe<Scalars['String']['output']>;
  /** Custom field 1, often the client number. */
  custom1: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom1`'s value, often the client name. */
  custom1Description: Maybe<Scalars['String']['output']>;
  /** Custom field 2, often the matter number. */
  custom2: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom2`'s value, often the matter name. */
  custom2Description: Maybe<Scalars['String']['output']>;
  /** Custom field 3. */
  custom3: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom3`'s value. */
  custom3Description: Maybe<Scalars['String']['output']>;
  /** Custom field 4. */
  custom4: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom4`'s value. */
  custom4Description: Maybe<Scalars['String']['output']>;
  /** Custom field 5. */
  custom5: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom5`'s value. */
  custom5Description: Maybe<Scalars['String']['output']>;
  /** Custom field 6. */
  custom6: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom6`'s value. */
  custom6Description: Maybe<Scalars['String']['output']>;
  /** Custom field 7. */
  custom7: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom7`'s value. */
  custom7Description: Maybe<Scalars['String']['output']>;
  /** Custom field 8. */
  custom8: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom8`'s value. */
  custom8Description: Maybe<Scalars['String']['output']>;
  /** Custom field 9. */
  custom9: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom9`'s value. */
  custom9Description: Maybe<Scalars['String']['output']>;
  /** Custom field 10. */
  custom10: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom10`'s value. */
  custom10Description: Maybe<Scalars['String']['output']>;
  /** Custom field 11. */
  custom11: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom11`'s value. */
  custom11Description: Maybe<Scalars['String']['output']>;
  /** Custom field 12. */
  custom12: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom12`'s value. */
  custom12Description: Maybe<Scalars['String']['output']>;
  /** Custom field 13 (longer text). */
  custom13: Maybe<Scalars['String']['output']>;
  /** Custom field 14 (longer text). */
  custom14: Maybe<Scalars['String']['output']>;
  /** Custom field 15 (longer text). */
  custom15: Maybe<Scalars['String']['output']>;
  /** Custom field 16 (longer text). */
  custom16: Maybe<Scalars['String']['output']>;
  /** Custom field 17 (a number). */
  custom17: Maybe<Scalars['Float']['output']>;
  /** Custom field 18 (a number). */
  custom18: Maybe<Scalars['Float']['output']>;
  /** Custom field 19 (a number). */
  custom19: Maybe<Scalars['Float']['output']>;
  /** Custom field 20 (a number). */
  custom20: Maybe<Scalars['Float']['output']>;
  /** Custom field 21 (a date). */
  custom21: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 22 (a date). */
  custom22: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 23 (a date). */
  custom23: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 24 (a date). */
  custom24: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 25 (a yes/no flag). */
  custom25: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 26 (a yes/no flag). */
  custom26: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 27 (a yes/no flag). */
  custom27: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 28 (a yes/no flag). */
  custom28: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 29. */
  custom29: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom29`'s value. */
  custom29Description: Maybe<Scalars['String']['output']>;
  /** Custom field 30. */
  custom30: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom30`'s value. */
  custom30Description: Maybe<Scalars['String']['output']>;
  /** The document subclass. */
  subclass: Maybe<Scalars['String']['output']>;
};

/** An iManage folder inside a workspace. Folders nest: a folder's `subfolders` are folders too. */
export type Folder = {
  __typename?: 'Folder';
  /** Who may see the folder when they are not named as a trustee. `INHERIT` takes the parent's setting. */
  defaultSecurity: DefaultSecurity;
  /** The folder's description, if it has one. */
  description: Maybe<Scalars['String']['output']>;
  /**
   * The documents filed in this folder (latest versions), in iManage's order or `orderBy`; for a saved
   * search shown as a folder (`folderType` `SEARCH`), the documents its search finds, paged by offset as
   * `Library.documents`. Null, with its error, when iManage could not be asked or refused; the rest of
   * the answer still arrives.
   */
  documents: Maybe<DocumentConnection>;
  /** When the folder was last changed, as iManage records it. */
  editDate: Maybe<Scalars['DateTime']['output']>;
  /** The calling user's own rights on this folder, as iManage computes them. Null when iManage does not say. */
  effectiveSecurity: Maybe<AccessLevel>;
  /** The kind of folder, e.g. a regular folder or a tab. Null when iManage does not say. */
  folderType: Maybe<FolderType>;
  /** Whether the folder holds documents. */
  hasDocuments: Scalars['Boolean']['output'];
  /** Whether the folder has subfolders this user can see. */
  hasSubfolders: Scalars['Boolean']['output'];
  /** iManage's id, e.g. `ACTIVE_US!52811`. */
  id: Scalars['ID']['output'];
  /** The library the folder lives in. */
  library: Library;
  /** The folder's name as users see it in iManage. */
  name: Scalars['String']['output'];
  /** The iManage user id of the folder's owner, e.g. `JSMITH`. */
  owner: Maybe<Scalars['String']['output']>;
  /** The folder this one sits in. Null when the folder sits directly under its workspace, or (with its error) when reading it from iManage failed. */
  parent: Maybe<Folder>;
  /** The folders from the topmost one under the workspace down to this folder, this folder included. The workspace itself is `workspace`. Ancestors the user cannot read are left out, as iManage leaves them out. Null, with its error, when iManage could not be asked or refused. */
  path: Maybe<Array<Folder>>;
  /** The folder's profile: its class and custom fields, as set in iManage. Null when it has none. */
  profile: Maybe<FolderProfile>;
  /** The folders directly inside this one, in iManage's order. Null, with its error, when iManage could not be asked or refused; the rest of the answer (this folder's other fields, its siblings) still arrives. */
  subfolders: Maybe<FolderConnection>;
  /** The workspace the folder belongs to. Null when iManage does not say, or (with its error) when reading it from iManage failed. */
  workspace: Maybe<Workspace>;
};


/** An iManage folder inside a workspace. Folders nest: a folder's `subfolders` are folders too. */
export type FolderdocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<DocumentOrder>;
};


/** An iManage folder inside a workspace. Folders nest: a folder's `subfolders` are folders too. */
export type FoldersubfoldersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of folders. A page comes whole from one iManage call: when that call fails, the field that holds the page is null (with its error), never single edges. */
export type FolderConnection = {
  __typename?: 'FolderConnection';
  /** The folders of this page, each with its cursor. */
  edges: Array<FolderEdge>;
  /** Whether more folders follow this page, and the cursors to ask for them. */
  pageInfo: PageInfo;
  /**
   * How many folders the list holds in all, across every page: known when this page reaches the end of
   * the list (`hasNextPage` false), null while more follow. iManage pages by cursor and does not count,
   * and the count is not fetched separately, so it costs no call: a list that fits in one page carries
   * its size, and a longer one says only that more follow.
   */
  totalCount: Maybe<Scalars['Int']['output']>;
};

/** One folder in a page, with the cursor to continue after it. */
export type FolderEdge = {
  __typename?: 'FolderEdge';
  /** Pass as `after` to get the folders that follow this one. */
  cursor: Scalars['String']['output'];
  /** The folder at this position of the page. */
  node: Folder;
};

/**
 * A folder's profile in iManage: its class and the firm-defined custom fields. Custom fields 1 to 12
 * are short codes (e.g. client and matter numbers), 13 to 16 longer text, 17 to 20 numbers, 21 to 24
 * dates, 25 to 28 booleans, 29 and 30 short codes. Where iManage resolves a code to a description, it is
 * given in the matching `…Description` field.
 */
export type FolderProfile = {
  __typename?: 'FolderProfile';
  /** The iManage user id of the author. */
  author: Maybe<Scalars['String']['output']>;
  /** The document class, e.g. `DOC`. */
  class: Maybe<Scalars['String']['output']>;
  /** Custom field 1, often the client number. */
  custom1: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom1`'s value, often the client name. */
  custom1Description: Maybe<Scalars['String']['output']>;
  /** Custom field 2, often the matter number. */
  custom2: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom2`'s value, often the matter name. */
  custom2Description: Maybe<Scalars['String']['output']>;
  /** Custom field 3. */
  custom3: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom3`'s value. */
  custom3Description: Maybe<Scalars['String']['output']>;
  /** Custom field 4. */
  custom4: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom4`'s value. */
  custom4Description: Maybe<Scalars['String']['output']>;
  /** Custom field 5. */
  custom5: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom5`'s value. */
  custom5Description: Maybe<Scalars['String']['output']>;
  /** Custom field 6. */
  custom6: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom6`'s value. */
  custom6Description: Maybe<Scalars['String']['output']>;
  /** Custom field 7. */
  custom7: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom7`'s value. */
  custom7Description: Maybe<Scalars['String']['output']>;
  /** Custom field 8. */
  custom8: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom8`'s value. */
  custom8Description: Maybe<Scalars['String']['output']>;
  /** Custom field 9. */
  custom9: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom9`'s value. */
  custom9Description: Maybe<Scalars['String']['output']>;
  /** Custom field 10. */
  custom10: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom10`'s value. */
  custom10Description: Maybe<Scalars['String']['output']>;
  /** Custom field 11. */
  custom11: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom11`'s value. */
  custom11Description: Maybe<Scalars['String']['output']>;
  /** Custom field 12. */
  custom12: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom12`'s value. */
  custom12Description: Maybe<Scalars['String']['output']>;
  /** Custom field 13 (longer text). */
  custom13: Maybe<Scalars['String']['output']>;
  /** Custom field 14 (longer text). */
  custom14: Maybe<Scalars['String']['output']>;
  /** Custom field 15 (longer text). */
  custom15: Maybe<Scalars['String']['output']>;
  /** Custom field 16 (longer text). */
  custom16: Maybe<Scalars['String']['output']>;
  /** Custom field 17 (a number). */
  custom17: Maybe<Scalars['Float']['output']>;
  /** Custom field 18 (a number). */
  custom18: Maybe<Scalars['Float']['output']>;
  /** Custom field 19 (a number). */
  custom19: Maybe<Scalars['Float']['output']>;
  /** Custom field 20 (a number). */
  custom20: Maybe<Scalars['Float']['output']>;
  /** Custom field 21 (a date). */
  custom21: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 22 (a date). */
  custom22: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 23 (a date). */
  custom23: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 24 (a date). */
  custom24: Maybe<Scalars['DateTime']['output']>;
  /** Custom field 25 (a yes/no flag). */
  custom25: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 26 (a yes/no flag). */
  custom26: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 27 (a yes/no flag). */
  custom27: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 28 (a yes/no flag). */
  custom28: Maybe<Scalars['Boolean']['output']>;
  /** Custom field 29. */
  custom29: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom29`'s value. */
  custom29Description: Maybe<Scalars['String']['output']>;
  /** Custom field 30. */
  custom30: Maybe<Scalars['String']['output']>;
  /** The description iManage gives for `custom30`'s value. */
  custom30Description: Maybe<Scalars['String']['output']>;
  /** The document subclass. */
  subclass: Maybe<Scalars['String']['output']>;
};

/**
 * Profile fields for a new folder, as iManage defines them: custom fields 1 to 12, 29 and 30 are short
 * codes (at most 32 characters), 13 to 16 longer text (at most 96), 17 to 20 numbers, 21 to 24 dates,
 * 25 to 28 yes/no flags. The `…Description` fields (at most 254 characters) give a code's description;
 * when left out, iManage may look it up. A field left out or null is not sent. Text fields may not hold
 * control, separator or format characters (`INVALID_CHARACTERS`). Whether a field is used at all, and which codes are valid, is
 * the firm's iManage configuration: iManage's own refusals come back as user errors on the field.
 */
export type FolderProfileInput = {
  /** The document class, e.g. `DOC`. At most 32 characters. */
  class?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 1, often the client number. At most 32 characters. */
  custom1?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom1`'s value, often the client name. At most 254 characters. */
  custom1Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 2, often the matter number. At most 32 characters. */
  custom2?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom2`'s value, often the matter name. At most 254 characters. */
  custom2Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 3. At most 32 characters. */
  custom3?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom3`'s value. At most 254 characters. */
  custom3Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 4. At most 32 characters. */
  custom4?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom4`'s value. At most 254 characters. */
  custom4Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 5. At most 32 characters. */
  custom5?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom5`'s value. At most 254 characters. */
  custom5Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 6. At most 32 characters. */
  custom6?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom6`'s value. At most 254 characters. */
  custom6Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 7. At most 32 characters. */
  custom7?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom7`'s value. At most 254 characters. */
  custom7Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 8. At most 32 characters. */
  custom8?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom8`'s value. At most 254 characters. */
  custom8Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 9. At most 32 characters. */
  custom9?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom9`'s value. At most 254 characters. */
  custom9Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 10. At most 32 characters. */
  custom10?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom10`'s value. At most 254 characters. */
  custom10Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 11. At most 32 characters. */
  custom11?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom11`'s value. At most 254 characters. */
  custom11Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 12. At most 32 characters. */
  custom12?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom12`'s value. At most 254 characters. */
  custom12Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 13 (longer text). At most 96 characters. */
  custom13?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 14 (longer text). At most 96 characters. */
  custom14?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 15 (longer text). At most 96 characters. */
  custom15?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 16 (longer text). At most 96 characters. */
  custom16?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 17 (a number). */
  custom17?: InputMaybe<Scalars['Float']['input']>;
  /** Custom field 18 (a number). */
  custom18?: InputMaybe<Scalars['Float']['input']>;
  /** Custom field 19 (a number). */
  custom19?: InputMaybe<Scalars['Float']['input']>;
  /** Custom field 20 (a number). */
  custom20?: InputMaybe<Scalars['Float']['input']>;
  /** Custom field 21 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`): the range of the date type iManage stores. */
  custom21?: InputMaybe<Scalars['DateTime']['input']>;
  /** Custom field 22 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`). */
  custom22?: InputMaybe<Scalars['DateTime']['input']>;
  /** Custom field 23 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`). */
  custom23?: InputMaybe<Scalars['DateTime']['input']>;
  /** Custom field 24 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`). */
  custom24?: InputMaybe<Scalars['DateTime']['input']>;
  /** Custom field 25 (a yes/no flag). */
  custom25?: InputMaybe<Scalars['Boolean']['input']>;
  /** Custom field 26 (a yes/no flag). */
  custom26?: InputMaybe<Scalars['Boolean']['input']>;
  /** Custom field 27 (a yes/no flag). */
  custom27?: InputMaybe<Scalars['Boolean']['input']>;
  /** Custom field 28 (a yes/no flag). */
  custom28?: InputMaybe<Scalars['Boolean']['input']>;
  /** Custom field 29. At most 32 characters. */
  custom29?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom29`'s value. At most 254 characters. */
  custom29Description?: InputMaybe<Scalars['String']['input']>;
  /** Custom field 30. At most 32 characters. */
  custom30?: InputMaybe<Scalars['String']['input']>;
  /** The description of `custom30`'s value. At most 254 characters. */
  custom30Description?: InputMaybe<Scalars['String']['input']>;
  /** The document subclass. At most 32 characters. */
  subclass?: InputMaybe<Scalars['String']['input']>;
};

/** The kinds of iManage folder. */
export type FolderType =
  /** A category folder. */
  | 'CATEGORY'
  /** The user's My Favorites folder. */
  | 'MY_FAVORITES'
  /** The user's My Matters folder. */
  | 'MY_MATTERS'
  /** An ordinary folder. */
  | 'REGULAR'
  /** A saved search shown as a folder. */
  | 'SEARCH'
  /** A tab: a top-level folder shown as a tab of the workspace. */
  | 'TAB';

/** One app user's link to their own iManage account. Every iManage call this service makes for the user runs with that account's rights. */
export type IManageConnection = {
  __typename?: 'IManageConnection';
  /** The iManage customer id of the connected account, e.g. `"5948"`. Null when not connected. */
  customerId: Maybe<Scalars['ID']['output']>;
  /** The OAuth scopes iManage granted, e.g. `["user"]`. Null when not connected. */
  scopes: Maybe<Array<Scalars['String']['output']>>;
  /** Whether iManage calls can be made for this user right now. */
  status: ConnectionStatus;
  /** The iManage user id of the connected account, e.g. `JSMITH`. Null when not connected. */
  userId: Maybe<Scalars['String']['output']>;
};

/** Where to send the user's browser to connect their iManage account: the answer of `startIManageConnection`. */
export type IManageConnectionStart = {
  __typename?: 'IManageConnectionStart';
  /** When `url` stops working if unused, a few minutes from now: ask again after that. */
  expiresAt: Scalars['DateTime']['output'];
  /** Send the browser here (a top-level navigation, not a fetch): `<PUBLIC_URL>/connect/imanage?ticket=…`, which goes on to iManage's sign-in page. Single-use, bound to the app user who asked and to `returnTo`; it carries no app token. */
  url: Scalars['String']['output'];
};

/**
 * An iManage library (also called a database): the top-level store of workspaces, folders and documents.
 * Its id is its name, e.g. `ACTIVE_US`, and prefixes the id of every object in it (`ACTIVE_US!52811`).
 */
export type Library = {
  __typename?: 'Library';
  /**
   * iManage's document search in this library: the latest version of every document the user can see
   * that matches `filter`, in the order iManage returns them. Paged by offset: a cursor says where the
   * next page starts and which document it follows; a page that no longer follows it (the results
   * changed since, or iManage ignored the offset) is refused with UPSTREAM_UNAVAILABLE: search again
   * without `after`. Null, with its error, when iManage could not be asked or refused.
   */
  documents: Maybe<DocumentConnection>;
  /** Folders anywhere in this library that the user can see, in iManage's order, optionally filtered by name: iManage's folder search. Null, with its error, when iManage could not be asked or refused; the rest of the answer still arrives. */
  folders: Maybe<FolderConnection>;
  /** The library id, e.g. `ACTIVE_US`. */
  id: Scalars['ID']['output'];
  /** The kind of library. Null when iManage does not say. */
  type: Maybe<LibraryType>;
  /** Workspaces (matters) in this library that the user can see, in iManage's order, optionally filtered by name. Null, with its error, when iManage could not be asked or refused; the rest of the answer still arrives. */
  workspaces: Maybe<WorkspaceConnection>;
};


/**
 * An iManage library (also called a database): the top-level store of workspaces, folders and documents.
 * Its id is its name, e.g. `ACTIVE_US`, and prefixes the id of every object in it (`ACTIVE_US!52811`).
 */
export type LibrarydocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DocumentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * An iManage library (also called a database): the top-level store of workspaces, folders and documents.
 * Its id is its name, e.g. `ACTIVE_US`, and prefixes the id of every object in it (`ACTIVE_US!52811`).
 */
export type LibraryfoldersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query?: InputMaybe<Scalars['String']['input']>;
};


/**
 * An iManage library (also called a database): the top-level store of workspaces, folders and documents.
 * Its id is its name, e.g. `ACTIVE_US`, and prefixes the id of every object in it (`ACTIVE_US!52811`).
 */
export type LibraryworkspacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query?: InputMaybe<Scalars['String']['input']>;
};

/** The kind of an iManage library. */
export type LibraryType =
  /** A LinkSite library that points at content held elsewhere. */
  | 'LINKSITE'
  /** A regular WorkSite library holding content. */
  | 'WORKSITE';

/** Changes made on the calling user's behalf. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Adds a new version to a document (`POST …/documents/{id}/versions`, multipart, streamed as
   * `uploadDocument`): the new version becomes the latest and keeps the document's profile. A document
   * checked out by someone else, or one the user may only read, is refused by iManage, in `userErrors`.
   * The same rules of checks, keys and lost answers as `uploadDocument` (a lost answer is looked for among
   * the document's versions).
   */
  addDocumentVersion: Maybe<UploadDocumentPayload>;
  /**
   * Finishes connecting (step 4 of 4): the iManage account the browser signed in to becomes the caller's
   * connection, and the viewer comes back `CONNECTED`. Only the app user who called
   * `startIManageConnection` may confirm: anyone else gets `FORBIDDEN`, and the link is discarded (its
   * iManage tokens revoked). An unknown, used or expired link (links live a few minutes) is
   * `BAD_USER_INPUT`. Calls no iManage.
   */
  confirmIManageConnection: Viewer;
  /**
   * Creates a folder on the caller's behalf, with iManage's own rights: under a folder, or at the root of
   * a workspace (`parentId` may be either; the service finds out which). Needs `READ_WRITE` on the parent.
   *
   * Input is checked first, against iManage's limits: every problem comes back as one `userErrors` entry
   * with its `field` path and `code`, and nothing is sent to iManage. When iManage itself refuses (its own
   * validation, no write right, a parent that is gone), that also comes back in `userErrors`.
   *
   * With an `idempotencyKey`, a repeated call (a retry, a double click, two tabs) creates one folder at
   * most and answers with the first call's folder. A create whose answer is lost (iManage fails with a
   * 5xx, does not answer in time, or its reply cannot be read) is never sent again blindly: the parent's
   * folders are checked for the new folder, and when it is there, it is the answer. When it is not, the
   * field raises `UPSTREAM_UNAVAILABLE` with `extensions.parentChecked`: `true` when the parent was
   * listed and the folder is not in it after iManage failed with a 5xx or an unreadable reply (nothing
   * was created, as far as iManage shows), `false` when whether the folder exists is not known: the
   * parent could not be listed, or iManage did not answer in time (or the connection broke after the
   * create was sent) and may still create the folder.
   *
   * When the field raises, it is null with its error, and the other fields of the operation (say an
   * earlier aliased `createSubfolder` that succeeded) keep their answers.
   */
  createSubfolder: Maybe<CreateSubfolderPayload>;
  /**
   * Disconnects the caller's iManage account: deletes the stored tokens here and revokes the refresh and
   * access tokens at iManage (a revocation iManage fails is retried in the background). Returns the
   * viewer, now `NOT_CONNECTED`. Calling it without a connection is not an error.
   */
  disconnectIManage: Viewer;
  /**
   * Starts connecting the caller's iManage account (step 1 of 4). Send the browser to the answer's `url`;
   * the user signs in at iManage, and the browser comes back to `returnTo` with `imanage=pending&link=<id>`
   * added to its query (or `imanage=error&reason=<why>`). Then call `confirmIManageConnection(link: <id>)`
   * with this same user's token. Calls no iManage. A `returnTo` outside `ALLOWED_RETURN_URLS` is `BAD_USER_INPUT`.
   */
  startIManageConnection: IManageConnectionStart;
  /**
   * Files a new document into a folder, on the caller's behalf and with iManage's own rights: the file's
   * bytes and its profile go to iManage in one request (`POST …/folders/{id}/documents`, multipart), as
   * they arrive. Needs `READ_WRITE` on the folder.
   *
   * Input is checked first (names, profile fields, trustees, key, and the file's size when the request's
   * length tells it): every problem comes back in `userErrors` and nothing is sent. iManage's own
   * refusals (a required profile field, no right to add documents, a class it does not know) also come
   * back in `userErrors`, with `imanageCode`. A file larger than `UPLOAD_MAX_BYTES` is `FILE_TOO_LARGE`:
   * refused before any byte is sent when the request's length shows it, otherwise when the count passes
   * the limit, which cancels the request to iManage (no document is made).
   *
   * The upload is sent once. When its answer is lost (iManage fails with a 5xx after the bytes went, does
   * not answer in time, or the connection breaks after the file was sent) it is never sent again blindly:
   * the folder's documents are checked for it (its name, its size, and the reference this service writes
   * in its `comment`), and when it is there, it is the answer.
   * When it is not, the field raises `UPSTREAM_UNAVAILABLE` with `extensions.folderChecked`: `true` when
   * the folder was listed and the document is not there after iManage failed with a 5xx or an unreadable
   * reply (nothing was filed, as far as iManage shows), `false` when whether it was filed is not known:
   * the folder could not be listed, or iManage did not answer in time (or the connection broke after the
   * file went) and may still file it. Asking again with the same `idempotencyKey` looks again before
   * sending; until twice `IMANAGE_TIMEOUT_MS` after a file that iManage may still be filing went, it only
   * looks and sends nothing. A client that goes away mid-upload cancels the request to iManage: no
   * partial document is made. One that goes away once the whole file went is not answered, but the
   * document is still looked for, and a retry with the key gets what became of it.
   */
  uploadDocument: Maybe<UploadDocumentPayload>;
};


/** Changes made on the calling user's behalf. */
export type MutationaddDocumentVersionArgs = {
  input: AddDocumentVersionInput;
};


/** Changes made on the calling user's behalf. */
export type MutationconfirmIManageConnectionArgs = {
  link: Scalars['String']['input'];
};


/** Changes made on the calling user's behalf. */
export type MutationcreateSubfolderArgs = {
  input: CreateSubfolderInput;
};


/** Changes made on the calling user's behalf. */
export type MutationstartIManageConnectionArgs = {
  returnTo: Scalars['String']['input'];
};


/** Changes made on the calling user's behalf. */
export type MutationuploadDocumentArgs = {
  input: UploadDocumentInput;
};

/** The direction of a sort. */
export type OrderDirection =
  /** Ascending: A to Z, oldest first, smallest first. */
  | 'ASC'
  /** Descending: Z to A, newest first, largest first. */
  | 'DESC';

/** Where a page of a connection stands, per the Relay cursor connection specification. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /**
   * Pass it as `after` for the next page. The cursor of the last edge of this page, or null when the page
   * is empty; except when a text search stopped reading iManage before the page was full (it reads a
   * bounded number of iManage pages per request): then it marks where the reading stopped, which may be
   * past the last edge, even on an empty page, and `hasNextPage` is true.
   */
  endCursor: Maybe<Scalars['String']['output']>;
  /**
   * True when more items follow the last edge of this page: ask again with `after: endCursor`. For a
   * text search it means more may match: the next page can turn out empty.
   */
  hasNextPage: Scalars['Boolean']['output'];
  /** True when items precede the first edge of this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first edge of this page, or null when the page is empty. */
  startCursor: Maybe<Scalars['String']['output']>;
};

/**
 * The root of every read. Each field answers as the calling app user, through that user's own iManage
 * connection: a user only ever sees what iManage lets them see.
 */
export type Query = {
  __typename?: 'Query';
  /** The iManage customer (firm) of the connected user. Null only when the caller has no usable connection, which also raises an error. */
  customer: Maybe<Customer>;
  /**
   * A document by its iManage id: `LIBRARY!number.version` for one version (e.g. `ACTIVE_US!453.1`), or
   * `LIBRARY!number` for its latest version. Null with `NOT_FOUND` when it does not exist or the user
   * cannot see it; an id of another form is `BAD_USER_INPUT`.
   */
  document: Maybe<Document>;
  /**
   * Several documents by id at once, in the order asked (the same id twice gives the same document
   * twice). The ids of one library cost one iManage call together (a search by document number), plus
   * one per id naming a version older than the latest. An entry is null, with a `NOT_FOUND` error at its
   * position, when that document does not exist or the user cannot see it. Null as a whole, with its
   * error, when iManage could not be asked.
   */
  documents: Maybe<Array<Maybe<Document>>>;
  /** A folder by its iManage id, e.g. `ACTIVE_US!52811`. Raises `NOT_FOUND` when it does not exist or the user cannot see it. */
  folder: Maybe<Folder>;
  /** A library (iManage database) by its id, e.g. `ACTIVE_US`. Raises `NOT_FOUND` when the user has no such library. */
  library: Maybe<Library>;
  /** Who is calling, and the state of their iManage connection. Never calls iManage. */
  viewer: Viewer;
  /** A workspace by its iManage id, e.g. `ACTIVE_US!52790`. Raises `NOT_FOUND` when it does not exist or the user cannot see it. */
  workspace: Maybe<Workspace>;
};


/**
 * The root of every read. Each field answers as the calling app user, through that user's own iManage
 * connection: a user only ever sees what iManage lets them see.
 */
export type QuerydocumentArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The root of every read. Each field answers as the calling app user, through that user's own iManage
 * connection: a user only ever sees what iManage lets them see.
 */
export type QuerydocumentsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/**
 * The root of every read. Each field answers as the calling app user, through that user's own iManage
 * connection: a user only ever sees what iManage lets them see.
 */
export type QueryfolderArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The root of every read. Each field answers as the calling app user, through that user's own iManage
 * connection: a user only ever sees what iManage lets them see.
 */
export type QuerylibraryArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The root of every read. Each field answers as the calling app user, through that user's own iManage
 * connection: a user only ever sees what iManage lets them see.
 */
export type QueryworkspaceArgs = {
  id: Scalars['ID']['input'];
};

/** A user or group to name on a new folder's access list. */
export type TrusteeInput = {
  /** The rights this user or group gets on the new folder. `NO_ACCESS` hides the folder from them even when its default security would show it. */
  accessLevel: AccessLevel;
  /**
   * The iManage user id (e.g. `JSMITH`) or group id (e.g. `LITIGATION`), matched ignoring case. Leading
   * and trailing white space is removed; required (`REQUIRED`), at most 64 characters (`TOO_LONG`), no
   * control, separator or format characters (`INVALID_CHARACTERS`).
   */
  id: Scalars['String']['input'];
};

/**
 * A document to file. Validation `code`s (see `UserError.code`): those of `CreateSubfolderInput`, and
 * `FILE_TOO_LARGE`, `FILE_INCOMPLETE` (the file part did not arrive whole, or is missing).
 */
export type UploadDocumentInput = {
  /** Who may see the document besides its trustees. `INHERIT` (the folder's setting) when omitted. */
  defaultSecurity?: InputMaybe<DefaultSecurity>;
  /**
   * The file type iManage records, e.g. `docx`, `pdf`: when omitted, the file name's extension. 1 to 16
   * letters or digits (`INVALID_FORMAT`); a leading dot is dropped.
   */
  extension?: InputMaybe<Scalars['String']['input']>;
  /** The file, by the multipart request spec (its variable is `null` in `operations`). */
  file: Scalars['Upload']['input'];
  /**
   * The folder to file it in, e.g. `ACTIVE_US!52811` (`INVALID_ID` otherwise). A folder that does not exist
   * or that the user cannot see is a `NOT_FOUND` user error; one the user may only read, `FORBIDDEN`.
   */
  folderId: Scalars['ID']['input'];
  /** Groups to name on the document's access list, each with a level. Same rules as `userTrustees`. */
  groupTrustees?: InputMaybe<Array<TrusteeInput>>;
  /**
   * Makes the upload safe to repeat: the same key from the same app user within 24 hours files one
   * document at most and answers with the first call's document (`replayed: true`): the repeated file is
   * read through to compare its size and SHA-256 with the first, and is not sent. The same key with another
   * folder, name, profile, trustees or file is refused (`IDEMPOTENCY_KEY_REUSED`); a call still running
   * with the key makes another wait, until its own operation deadline at most, then answer
   * `IDEMPOTENCY_KEY_IN_PROGRESS`. After `UPSTREAM_UNAVAILABLE`, the
   * same key first looks for the earlier call's document (by the reference it wrote, derived from the key)
   * and sends the file only if it is not there. Format and lifetime as `CreateSubfolderInput.idempotencyKey`.
   */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /**
   * The document's name in iManage. When omitted, the file's name without its extension. Leading and
   * trailing white space is removed; at most 254 characters (`TOO_LONG`), no control, separator or
   * format characters (`INVALID_CHARACTERS`); required in effect (`REQUIRED` when neither gives one).
   */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Profile fields of the document: class, subclass and custom fields, with the same rules as a folder's. */
  profile?: InputMaybe<FolderProfileInput>;
  /** Users to name on the document's access list, each with a level. Same rules as `CreateSubfolderInput.userTrustees`. */
  userTrustees?: InputMaybe<Array<TrusteeInput>>;
};

/** What `uploadDocument` and `addDocumentVersion` answer: the document filed, or why nothing was. */
export type UploadDocumentPayload = {
  __typename?: 'UploadDocumentPayload';
  /**
   * The document (the new version, for `addDocumentVersion`) as iManage filed it; null when `userErrors`
   * says why nothing was filed.
   */
  document: Maybe<Document>;
  /** True when this answer repeats the result of an earlier call with the same `idempotencyKey` (nothing was sent to iManage this time). */
  replayed: Scalars['Boolean']['output'];
  /** Why nothing was filed: one entry per problem, each naming the input field. Empty on success. */
  userErrors: Array<UserError>;
};

/** An iManage user, e.g. a document's author. */
export type User = {
  __typename?: 'User';
  /** The user's e-mail address. Null when iManage does not know the user or does not say, or (with its error) when iManage could not be asked. */
  email: Maybe<Scalars['String']['output']>;
  /** The user's full name, e.g. `Jane Smith`. Null when iManage does not know the user or does not say, or (with its error) when iManage could not be asked. */
  fullName: Maybe<Scalars['String']['output']>;
  /** iManage's user id, e.g. `JSMITH`. */
  id: Scalars['ID']['output'];
};

/**
 * One problem with a mutation's input, found by this service before anything was sent, or reported by
 * iManage. Nothing was written.
 */
export type UserError = {
  __typename?: 'UserError';
  /**
   * What is wrong, for code to act on:
   * `REQUIRED` (blank), `TOO_LONG` (over the limit the field's description states), `INVALID_CHARACTERS`
   * (control, separator or format characters; the message names the character and its position), `INVALID_ID` (not an iManage id of the form `LIBRARY!number`), `OUT_OF_RANGE`
   * (a value outside the field's range), `DUPLICATE` (an id already listed earlier in the same list),
   * `TOO_MANY` (a list over its maximum length), `INVALID_FORMAT` (characters the field does not allow),
   * `INVALID_VALUE` (iManage refused the value: see `imanageCode`), `NOT_FOUND` (the parent does not exist
   * or the user cannot see it), `FORBIDDEN` (the user may not add folders there), `IDEMPOTENCY_KEY_REUSED`
   * (the key was used in the last 24 hours with different input: use a new key),
   * `IDEMPOTENCY_KEY_IN_PROGRESS` (another call with this key is still running: ask again shortly, with
   * the same key). Uploads add `FILE_TOO_LARGE` (over `UPLOAD_MAX_BYTES`), `FILE_INCOMPLETE` (the file
   * part is missing or did not arrive whole) and `CHECKED_OUT` (the document is checked out by someone).
   */
  code: Scalars['String']['output'];
  /**
   * The path to the input field at fault, starting at the argument, e.g. `["input", "profile", "custom3"]`
   * or `["input", "userTrustees", "2", "id"]` (list positions as strings, from 0). Null only when no
   * single field is at fault.
   */
  field: Maybe<Array<Scalars['String']['output']>>;
  /** iManage's own code when iManage reported the problem, e.g. `too_long` or `NRC_ACCESS_DENIED`; null when this service found it. */
  imanageCode: Maybe<Scalars['String']['output']>;
  /** What is wrong, in a sentence for the frontend developer (and often fit to show the user). */
  message: Scalars['String']['output'];
};

/** The app user who sent this request, identified by the `sub` claim of their app user token. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The app's own user id: the `sub` claim of the bearer token. */
  id: Scalars['ID']['output'];
  /** The state of this user's iManage connection: whether queries can run, and as which iManage user. */
  imanage: IManageConnection;
};

/** An iManage workspace: usually one client matter, holding folders and documents. */
export type Workspace = {
  __typename?: 'Workspace';
  /** The workspace's description, if it has one. */
  description: Maybe<Scalars['String']['output']>;
  /**
   * The documents filed anywhere in this workspace (latest versions, each once), in iManage's order or
   * `orderBy`. Not every iManage server offers this list: where it does not, the field is null with a
   * `BAD_USER_INPUT` error saying so (`extensions.unsupported: true`); list each folder's `documents`
   * instead. Null, with its error, when iManage could not be asked or refused.
   */
  documents: Maybe<DocumentConnection>;
  /** The folders directly under the workspace (its root folders), in iManage's order. Null, with its error, when iManage could not be asked or refused; the rest of the answer still arrives. */
  folders: Maybe<FolderConnection>;
  /** iManage's id, e.g. `ACTIVE_US!52790`. */
  id: Scalars['ID']['output'];
  /** The library the workspace lives in. */
  library: Library;
  /** The workspace's name as users see it in iManage. */
  name: Scalars['String']['output'];
  /** The iManage user id of the workspace's owner, e.g. `JSMITH`. */
  owner: Maybe<Scalars['String']['output']>;
};


/** An iManage workspace: usually one client matter, holding folders and documents. */
export type WorkspacedocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<DocumentOrder>;
};


/** An iManage workspace: usually one client matter, holding folders and documents. */
export type WorkspacefoldersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of workspaces. A page comes whole from one iManage call: when that call fails, the field that holds the page is null (with its error), never single edges. */
export type WorkspaceConnection = {
  __typename?: 'WorkspaceConnection';
  /** The workspaces of this page, each with its cursor. */
  edges: Array<WorkspaceEdge>;
  /** Whether more workspaces follow this page, and the cursors to ask for them. */
  pageInfo: PageInfo;
  /**
   * How many workspaces match in all, across every page: known when this page reaches the end of the
   * list (`hasNextPage` false), null while more follow (iManage pages by cursor and does not count).
   */
  totalCount: Maybe<Scalars['Int']['output']>;
};

/** One workspace in a page, with the cursor to continue after it. */
export type WorkspaceEdge = {
  __typename?: 'WorkspaceEdge';
  /** Pass as `after` to get the workspaces that follow this one. */
  cursor: Scalars['String']['output'];
  /** The workspace at this position of the page. */
  node: Workspace;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AccessLevel: ResolverTypeWrapper<'NO_ACCESS' | 'READ' | 'READ_WRITE' | 'FULL_ACCESS'>;
  AddDocumentVersionInput: AddDocumentVersionInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ConnectionStatus: ResolverTypeWrapper<'CONNECTED' | 'NOT_CONNECTED' | 'REAUTH_REQUIRED'>;
  CreateSubfolderInput: CreateSubfolderInput;
  CreateSubfolderPayload: ResolverTypeWrapper<CreateSubfolderPayloadMapper>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Customer: ResolverTypeWrapper<CustomerMapper>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DefaultSecurity: ResolverTypeWrapper<'INHERIT' | 'PUBLIC' | 'VIEW' | 'PRIVATE'>;
  Document: ResolverTypeWrapper<DocumentMapper>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DocumentConnection: ResolverTypeWrapper<Omit<DocumentConnection, 'edges'> & { edges: Array<ResolversTypes['DocumentEdge']> }>;
  DocumentEdge: ResolverTypeWrapper<Omit<DocumentEdge, 'node'> & { node: ResolversTypes['Document'] }>;
  DocumentFilter: DocumentFilter;
  DocumentOrder: DocumentOrder;
  DocumentOrderField: ResolverTypeWrapper<'NAME' | 'EDIT_DATE' | 'CREATE_DATE' | 'DOCUMENT_NUMBER' | 'SIZE' | 'TYPE'>;
  DocumentProfile: ResolverTypeWrapper<DocumentProfileMapper>;
  Folder: ResolverTypeWrapper<FolderMapper>;
  FolderConnection: ResolverTypeWrapper<Omit<FolderConnection, 'edges'> & { edges: Array<ResolversTypes['FolderEdge']> }>;
  FolderEdge: ResolverTypeWrapper<Omit<FolderEdge, 'node'> & { node: ResolversTypes['Folder'] }>;
  FolderProfile: ResolverTypeWrapper<FolderProfileMapper>;
  FolderProfileInput: FolderProfileInput;
  FolderType: ResolverTypeWrapper<'REGULAR' | 'SEARCH' | 'TAB' | 'CATEGORY' | 'MY_MATTERS' | 'MY_FAVORITES'>;
  IManageConnection: ResolverTypeWrapper<IManageConnectionMapper>;
  IManageConnectionStart: ResolverTypeWrapper<IManageConnectionStart>;
  Library: ResolverTypeWrapper<LibraryMapper>;
  LibraryType: ResolverTypeWrapper<'WORKSITE' | 'LINKSITE'>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OrderDirection: ResolverTypeWrapper<'ASC' | 'DESC'>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TrusteeInput: TrusteeInput;
  Upload: ResolverTypeWrapper<Scalars['Upload']['output']>;
  UploadDocumentInput: UploadDocumentInput;
  UploadDocumentPayload: ResolverTypeWrapper<Omit<UploadDocumentPayload, 'document' | 'userErrors'> & { document?: Maybe<ResolversTypes['Document']>, userErrors: Array<ResolversTypes['UserError']> }>;
  User: ResolverTypeWrapper<UserMapper>;
  UserError: ResolverTypeWrapper<UserErrorMapper>;
  Viewer: ResolverTypeWrapper<ViewerMapper>;
  Workspace: ResolverTypeWrapper<WorkspaceMapper>;
  WorkspaceConnection: ResolverTypeWrapper<Omit<WorkspaceConnection, 'edges'> & { edges: Array<ResolversTypes['WorkspaceEdge']> }>;
  WorkspaceEdge: ResolverTypeWrapper<Omit<WorkspaceEdge, 'node'> & { node: ResolversTypes['Workspace'] }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AddDocumentVersionInput: AddDocumentVersionInput;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  CreateSubfolderInput: CreateSubfolderInput;
  CreateSubfolderPayload: CreateSubfolderPayloadMapper;
  Boolean: Scalars['Boolean']['output'];
  Customer: CustomerMapper;
  DateTime: Scalars['DateTime']['output'];
  Document: DocumentMapper;
  Int: Scalars['Int']['output'];
  Float: Scalars['Float']['output'];
  DocumentConnection: Omit<DocumentConnection, 'edges'> & { edges: Array<ResolversParentTypes['DocumentEdge']> };
  DocumentEdge: Omit<DocumentEdge, 'node'> & { node: ResolversParentTypes['Document'] };
  DocumentFilter: DocumentFilter;
  DocumentOrder: DocumentOrder;
  DocumentProfile: DocumentProfileMapper;
  Folder: FolderMapper;
  FolderConnection: Omit<FolderConnection, 'edges'> & { edges: Array<ResolversParentTypes['FolderEdge']> };
  FolderEdge: Omit<FolderEdge, 'node'> & { node: ResolversParentTypes['Folder'] };
  FolderProfile: FolderProfileMapper;
  FolderProfileInput: FolderProfileInput;
  IManageConnection: IManageConnectionMapper;
  IManageConnectionStart: IManageConnectionStart;
  Library: LibraryMapper;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  TrusteeInput: TrusteeInput;
  Upload: Scalars['Upload']['output'];
  UploadDocumentInput: UploadDocumentInput;
  UploadDocumentPayload: Omit<UploadDocumentPayload, 'document' | 'userErrors'> & { document?: Maybe<ResolversParentTypes['Document']>, userErrors: Array<ResolversParentTypes['UserError']> };
  User: UserMapper;
  UserError: UserErrorMapper;
  Viewer: ViewerMapper;
  Workspace: WorkspaceMapper;
  WorkspaceConnection: Omit<WorkspaceConnection, 'edges'> & { edges: Array<ResolversParentTypes['WorkspaceEdge']> };
  WorkspaceEdge: Omit<WorkspaceEdge, 'node'> & { node: ResolversParentTypes['Workspace'] };
};

export type AccessLevelResolvers = EnumResolverSignature<{ FULL_ACCESS?: any, NO_ACCESS?: any, READ?: any, READ_WRITE?: any }, ResolversTypes['AccessLevel']>;

export type ConnectionStatusResolvers = EnumResolverSignature<{ CONNECTED?: any, NOT_CONNECTED?: any, REAUTH_REQUIRED?: any }, ResolversTypes['ConnectionStatus']>;

export type CreateSubfolderPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CreateSubfolderPayload'] = ResolversParentTypes['CreateSubfolderPayload']> = {
  folder?: Resolver<Maybe<ResolversTypes['Folder']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
};

export type CustomerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  libraries?: Resolver<Maybe<Array<ResolversTypes['Library']>>, ParentType, ContextType>;
  preferredLibrary?: Resolver<Maybe<ResolversTypes['Library']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DefaultSecurityResolvers = EnumResolverSignature<{ INHERIT?: any, PRIVATE?: any, PUBLIC?: any, VIEW?: any }, ResolversTypes['DefaultSecurity']>;

export type DocumentResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Document'] = ResolversParentTypes['Document']> = {
  author?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  checkedOutBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  checkoutDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  comment?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  defaultSecurity?: Resolver<Maybe<ResolversTypes['DefaultSecurity']>, ParentType, ContextType>;
  documentNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  downloadUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  editDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  effectiveSecurity?: Resolver<Maybe<ResolversTypes['AccessLevel']>, ParentType, ContextType>;
  extension?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isCheckedOut?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  isLatest?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  latest?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType>;
  library?: Resolver<ResolversTypes['Library'], ParentType, ContextType>;
  locations?: Resolver<Maybe<Array<ResolversTypes['Folder']>>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operator?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['DocumentProfile']>, ParentType, ContextType>;
  size?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  versions?: Resolver<Maybe<Array<ResolversTypes['Document']>>, ParentType, ContextType>;
  workspace?: Resolver<Maybe<ResolversTypes['Workspace']>, ParentType, ContextType>;
};

export type DocumentConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DocumentConnection'] = ResolversParentTypes['DocumentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['DocumentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type DocumentEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DocumentEdge'] = ResolversParentTypes['DocumentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Document'], ParentType, ContextType>;
};

export type DocumentOrderFieldResolvers = EnumResolverSignature<{ CREATE_DATE?: any, DOCUMENT_NUMBER?: any, EDIT_DATE?: any, NAME?: any, SIZE?: any, TYPE?: any }, ResolversTypes['DocumentOrderField']>;

export type DocumentProfileResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DocumentProfile'] = ResolversParentTypes['DocumentProfile']> = {
  class?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  classDescription?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom1?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom1Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom2?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom2Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom3?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom3Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom4?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom4Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom5?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom5Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom6?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom6Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom7?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom7Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom8?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom8Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom9?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom9Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom10?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom10Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom11?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom11Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom12?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom12Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom13?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom14?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom15?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom16?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom17?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom18?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom19?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom20?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom21?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom22?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom23?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom24?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom25?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom26?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom27?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom28?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom29?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom29Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom30?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom30Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subclass?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type FolderResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Folder'] = ResolversParentTypes['Folder']> = {
  defaultSecurity?: Resolver<ResolversTypes['DefaultSecurity'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  documents?: Resolver<Maybe<ResolversTypes['DocumentConnection']>, ParentType, ContextType, Partial<FolderdocumentsArgs>>;
  editDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  effectiveSecurity?: Resolver<Maybe<ResolversTypes['AccessLevel']>, ParentType, ContextType>;
  folderType?: Resolver<Maybe<ResolversTypes['FolderType']>, ParentType, ContextType>;
  hasDocuments?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasSubfolders?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  library?: Resolver<ResolversTypes['Library'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Folder']>, ParentType, ContextType>;
  path?: Resolver<Maybe<Array<ResolversTypes['Folder']>>, ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['FolderProfile']>, ParentType, ContextType>;
  subfolders?: Resolver<Maybe<ResolversTypes['FolderConnection']>, ParentType, ContextType, Partial<FoldersubfoldersArgs>>;
  workspace?: Resolver<Maybe<ResolversTypes['Workspace']>, ParentType, ContextType>;
};

export type FolderConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FolderConnection'] = ResolversParentTypes['FolderConnection']> = {
  edges?: Resolver<Array<ResolversTypes['FolderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type FolderEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FolderEdge'] = ResolversParentTypes['FolderEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Folder'], ParentType, ContextType>;
};

export type FolderProfileResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FolderProfile'] = ResolversParentTypes['FolderProfile']> = {
  author?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  class?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom1?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom1Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom2?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom2Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom3?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom3Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom4?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom4Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom5?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom5Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom6?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom6Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom7?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom7Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom8?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom8Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom9?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom9Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom10?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom10Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom11?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom11Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom12?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom12Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom13?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom14?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom15?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom16?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom17?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom18?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom19?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom20?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  custom21?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom22?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom23?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom24?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  custom25?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom26?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom27?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom28?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  custom29?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom29Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom30?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom30Description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subclass?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type FolderTypeResolvers = EnumResolverSignature<{ CATEGORY?: any, MY_FAVORITES?: any, MY_MATTERS?: any, REGULAR?: any, SEARCH?: any, TAB?: any }, ResolversTypes['FolderType']>;

export type IManageConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['IManageConnection'] = ResolversParentTypes['IManageConnection']> = {
  customerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  scopes?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ConnectionStatus'], ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type IManageConnectionStartResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['IManageConnectionStart'] = ResolversParentTypes['IManageConnectionStart']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LibraryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Library'] = ResolversParentTypes['Library']> = {
  documents?: Resolver<Maybe<ResolversTypes['DocumentConnection']>, ParentType, ContextType, Partial<LibrarydocumentsArgs>>;
  folders?: Resolver<Maybe<ResolversTypes['FolderConnection']>, ParentType, ContextType, Partial<LibraryfoldersArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['LibraryType']>, ParentType, ContextType>;
  workspaces?: Resolver<Maybe<ResolversTypes['WorkspaceConnection']>, ParentType, ContextType, Partial<LibraryworkspacesArgs>>;
};

export type LibraryTypeResolvers = EnumResolverSignature<{ LINKSITE?: any, WORKSITE?: any }, ResolversTypes['LibraryType']>;

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addDocumentVersion?: Resolver<Maybe<ResolversTypes['UploadDocumentPayload']>, ParentType, ContextType, RequireFields<MutationaddDocumentVersionArgs, 'input'>>;
  confirmIManageConnection?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType, RequireFields<MutationconfirmIManageConnectionArgs, 'link'>>;
  createSubfolder?: Resolver<Maybe<ResolversTypes['CreateSubfolderPayload']>, ParentType, ContextType, RequireFields<MutationcreateSubfolderArgs, 'input'>>;
  disconnectIManage?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
  startIManageConnection?: Resolver<ResolversTypes['IManageConnectionStart'], ParentType, ContextType, RequireFields<MutationstartIManageConnectionArgs, 'returnTo'>>;
  uploadDocument?: Resolver<Maybe<ResolversTypes['UploadDocumentPayload']>, ParentType, ContextType, RequireFields<MutationuploadDocumentArgs, 'input'>>;
};

export type OrderDirectionResolvers = EnumResolverSignature<{ ASC?: any, DESC?: any }, ResolversTypes['OrderDirection']>;

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType, RequireFields<QuerydocumentArgs, 'id'>>;
  documents?: Resolver<Maybe<Array<Maybe<ResolversTypes['Document']>>>, ParentType, ContextType, RequireFields<QuerydocumentsArgs, 'ids'>>;
  folder?: Resolver<Maybe<ResolversTypes['Folder']>, ParentType, ContextType, RequireFields<QueryfolderArgs, 'id'>>;
  library?: Resolver<Maybe<ResolversTypes['Library']>, ParentType, ContextType, RequireFields<QuerylibraryArgs, 'id'>>;
  viewer?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
  workspace?: Resolver<Maybe<ResolversTypes['Workspace']>, ParentType, ContextType, RequireFields<QueryworkspaceArgs, 'id'>>;
};

export interface UploadScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Upload'], any> {
  name: 'Upload';
}

export type UploadDocumentPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UploadDocumentPayload'] = ResolversParentTypes['UploadDocumentPayload']> = {
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
};

export type UserResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fullName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type UserErrorResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  imanageCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imanage?: Resolver<ResolversTypes['IManageConnection'], ParentType, ContextType>;
};

export type WorkspaceResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Workspace'] = ResolversParentTypes['Workspace']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  documents?: Resolver<Maybe<ResolversTypes['DocumentConnection']>, ParentType, ContextType, Partial<WorkspacedocumentsArgs>>;
  folders?: Resolver<Maybe<ResolversTypes['FolderConnection']>, ParentType, ContextType, Partial<WorkspacefoldersArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  library?: Resolver<ResolversTypes['Library'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type WorkspaceConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WorkspaceConnection'] = ResolversParentTypes['WorkspaceConnection']> = {
  edges?: Resolver<Array<ResolversTypes['WorkspaceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type WorkspaceEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WorkspaceEdge'] = ResolversParentTypes['WorkspaceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  AccessLevel?: AccessLevelResolvers;
  ConnectionStatus?: ConnectionStatusResolvers;
  CreateSubfolderPayload?: CreateSubfolderPayloadResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DefaultSecurity?: DefaultSecurityResolvers;
  Document?: DocumentResolvers<ContextType>;
  DocumentConnection?: DocumentConnectionResolvers<ContextType>;
  DocumentEdge?: DocumentEdgeResolvers<ContextType>;
  DocumentOrderField?: DocumentOrderFieldResolvers;
  DocumentProfile?: DocumentProfileResolvers<ContextType>;
  Folder?: FolderResolvers<ContextType>;
  FolderConnection?: FolderConnectionResolvers<ContextType>;
  FolderEdge?: FolderEdgeResolvers<ContextType>;
  FolderProfile?: FolderProfileResolvers<ContextType>;
  FolderType?: FolderTypeResolvers;
  IManageConnection?: IManageConnectionResolvers<ContextType>;
  IManageConnectionStart?: IManageConnectionStartResolvers<ContextType>;
  Library?: LibraryResolvers<ContextType>;
  LibraryType?: LibraryTypeResolvers;
  Mutation?: MutationResolvers<ContextType>;
  OrderDirection?: OrderDirectionResolvers;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Upload?: GraphQLScalarType;
  UploadDocumentPayload?: UploadDocumentPayloadResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
  Workspace?: WorkspaceResolvers<ContextType>;
  WorkspaceConnection?: WorkspaceConnectionResolvers<ContextType>;
  WorkspaceEdge?: WorkspaceEdgeResolvers<ContextType>;
};

