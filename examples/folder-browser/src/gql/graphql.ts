/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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
  defaultSecurity?: DefaultSecurity | null | undefined;
  /**
   * A description shown beside the name in iManage. At most 254 characters (`TOO_LONG`), the length
   * iManage stores; line breaks and tabs are allowed, other control, separator and format characters are
   * not (`INVALID_CHARACTERS`).
   */
  description?: string | null | undefined;
  /** Groups to name on the folder's access list, each with a level. Same rules as `userTrustees`. */
  groupTrustees?: Array<TrusteeInput> | null | undefined;
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
  idempotencyKey?: string | null | undefined;
  /**
   * The folder's name. Leading and trailing white space is removed; the rest is kept exactly as given,
   * Unicode included. Required (`REQUIRED` when blank), at most 254 characters (`TOO_LONG`), no control
   * characters such as line breaks or tabs, no line or paragraph separators and no invisible format
   * characters such as bidirectional overrides, which make a name display as another (`INVALID_CHARACTERS`;
   * the zero-width joiner and non-joiner are allowed). iManage allows several folders of one name under
   * one parent.
   */
  name: string;
  /**
   * Where to create the folder: a folder id (the new folder becomes its subfolder) or a workspace id
   * (the new folder sits at the workspace's root), e.g. `ACTIVE_US!52811`. The form is `LIBRARY!number`;
   * anything else is an `INVALID_ID` user error. A parent that does not exist, or that the user cannot see,
   * is a `NOT_FOUND` user error; one the user may only read is a `FORBIDDEN` user error.
   */
  parentId: string | number;
  /** Profile fields of the new folder. iManage copies the parent's client and matter fields (`custom1` to `custom3`) unless given here. */
  profile?: FolderProfileInput | null | undefined;
  /**
   * Users to name on the folder's access list, each with a level. At most 100 entries (`TOO_MANY`); an id
   * may appear once (`DUPLICATE`, compared ignoring case). The caller is the folder's owner and always has
   * full access. An id iManage does not know comes back as an `INVALID_VALUE` user error from iManage.
   */
  userTrustees?: Array<TrusteeInput> | null | undefined;
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
 * Profile fields for a new folder, as iManage defines them: custom fields 1 to 12, 29 and 30 are short
 * codes (at most 32 characters), 13 to 16 longer text (at most 96), 17 to 20 numbers, 21 to 24 dates,
 * 25 to 28 yes/no flags. The `…Description` fields (at most 254 characters) give a code's description;
 * when left out, iManage may look it up. A field left out or null is not sent. Text fields may not hold
 * control, separator or format characters (`INVALID_CHARACTERS`). Whether a field is used at all, and which codes are valid, is
 * the firm's iManage configuration: iManage's own refusals come back as user errors on the field.
 */
export type FolderProfileInput = {
  /** The document class, e.g. `DOC`. At most 32 characters. */
  class?: string | null | undefined;
  /** Custom field 1, often the client number. At most 32 characters. */
  custom1?: string | null | undefined;
  /** The description of `custom1`'s value, often the client name. At most 254 characters. */
  custom1Description?: string | null | undefined;
  /** Custom field 2, often the matter number. At most 32 characters. */
  custom2?: string | null | undefined;
  /** The description of `custom2`'s value, often the matter name. At most 254 characters. */
  custom2Description?: string | null | undefined;
  /** Custom field 3. At most 32 characters. */
  custom3?: string | null | undefined;
  /** The description of `custom3`'s value. At most 254 characters. */
  custom3Description?: string | null | undefined;
  /** Custom field 4. At most 32 characters. */
  custom4?: string | null | undefined;
  /** The description of `custom4`'s value. At most 254 characters. */
  custom4Description?: string | null | undefined;
  /** Custom field 5. At most 32 characters. */
  custom5?: string | null | undefined;
  /** The description of `custom5`'s value. At most 254 characters. */
  custom5Description?: string | null | undefined;
  /** Custom field 6. At most 32 characters. */
  custom6?: string | null | undefined;
  /** The description of `custom6`'s value. At most 254 characters. */
  custom6Description?: string | null | undefined;
  /** Custom field 7. At most 32 characters. */
  custom7?: string | null | undefined;
  /** The description of `custom7`'s value. At most 254 characters. */
  custom7Description?: string | null | undefined;
  /** Custom field 8. At most 32 characters. */
  custom8?: string | null | undefined;
  /** The description of `custom8`'s value. At most 254 characters. */
  custom8Description?: string | null | undefined;
  /** Custom field 9. At most 32 characters. */
  custom9?: string | null | undefined;
  /** The description of `custom9`'s value. At most 254 characters. */
  custom9Description?: string | null | undefined;
  /** Custom field 10. At most 32 characters. */
  custom10?: string | null | undefined;
  /** The description of `custom10`'s value. At most 254 characters. */
  custom10Description?: string | null | undefined;
  /** Custom field 11. At most 32 characters. */
  custom11?: string | null | undefined;
  /** The description of `custom11`'s value. At most 254 characters. */
  custom11Description?: string | null | undefined;
  /** Custom field 12. At most 32 characters. */
  custom12?: string | null | undefined;
  /** The description of `custom12`'s value. At most 254 characters. */
  custom12Description?: string | null | undefined;
  /** Custom field 13 (longer text). At most 96 characters. */
  custom13?: string | null | undefined;
  /** Custom field 14 (longer text). At most 96 characters. */
  custom14?: string | null | undefined;
  /** Custom field 15 (longer text). At most 96 characters. */
  custom15?: string | null | undefined;
  /** Custom field 16 (longer text). At most 96 characters. */
  custom16?: string | null | undefined;
  /** Custom field 17 (a number). */
  custom17?: number | null | undefined;
  /** Custom field 18 (a number). */
  custom18?: number | null | undefined;
  /** Custom field 19 (a number). */
  custom19?: number | null | undefined;
  /** Custom field 20 (a number). */
  custom20?: number | null | undefined;
  /** Custom field 21 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`): the range of the date type iManage stores. */
  custom21?: string | null | undefined;
  /** Custom field 22 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`). */
  custom22?: string | null | undefined;
  /** Custom field 23 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`). */
  custom23?: string | null | undefined;
  /** Custom field 24 (a date), from year 1753 to 9999 (`OUT_OF_RANGE`). */
  custom24?: string | null | undefined;
  /** Custom field 25 (a yes/no flag). */
  custom25?: boolean | null | undefined;
  /** Custom field 26 (a yes/no flag). */
  custom26?: boolean | null | undefined;
  /** Custom field 27 (a yes/no flag). */
  custom27?: boolean | null | undefined;
  /** Custom field 28 (a yes/no flag). */
  custom28?: boolean | null | undefined;
  /** Custom field 29. At most 32 characters. */
  custom29?: string | null | undefined;
  /** The description of `custom29`'s value. At most 254 characters. */
  custom29Description?: string | null | undefined;
  /** Custom field 30. At most 32 characters. */
  custom30?: string | null | undefined;
  /** The description of `custom30`'s value. At most 254 characters. */
  custom30Description?: string | null | undefined;
  /** The document subclass. At most 32 characters. */
  subclass?: string | null | undefined;
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
  id: string;
};

/**
 * A document to file. Validation `code`s (see `UserError.code`): those of `CreateSubfolderInput`, and
 * `FILE_TOO_LARGE`, `FILE_INCOMPLETE` (the file part did not arrive whole, or is missing).
 */
export type UploadDocumentInput = {
  /** Who may see the document besides its trustees. `INHERIT` (the folder's setting) when omitted. */
  defaultSecurity?: DefaultSecurity | null | undefined;
  /**
   * The file type iManage records, e.g. `docx`, `pdf`: when omitted, the file name's extension. 1 to 16
   * letters or digits (`INVALID_FORMAT`); a leading dot is dropped.
   */
  extension?: string | null | undefined;
  /** The file, by the multipart request spec (its variable is `null` in `operations`). */
  file: unknown;
  /**
   * The folder to file it in, e.g. `ACTIVE_US!52811` (`INVALID_ID` otherwise). A folder that does not exist
   * or that the user cannot see is a `NOT_FOUND` user error; one the user may only read, `FORBIDDEN`.
   */
  folderId: string | number;
  /** Groups to name on the document's access list, each with a level. Same rules as `userTrustees`. */
  groupTrustees?: Array<TrusteeInput> | null | undefined;
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
  idempotencyKey?: string | null | undefined;
  /**
   * The document's name in iManage. When omitted, the file's name without its extension. Leading and
   * trailing white space is removed; at most 254 characters (`TOO_LONG`), no control, separator or
   * format characters (`INVALID_CHARACTERS`); required in effect (`REQUIRED` when neither gives one).
   */
  name?: string | null | undefined;
  /** Profile fields of the document: class, subclass and custom fields, with the same rules as a folder's. */
  profile?: FolderProfileInput | null | undefined;
  /** Users to name on the document's access list, each with a level. Same rules as `CreateSubfolderInput.userTrustees`. */
  userTrustees?: Array<TrusteeInput> | null | undefined;
};

export type TreeFolderFragment = { id: string, name: string, hasSubfolders: boolean };

export type TreePageInfoFragment = { hasNextPage: boolean, endCursor: string | null };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, imanage: { status: ConnectionStatus, userId: string | null } } };

export type StartIManageConnectionMutationVariables = Exact<{
  returnTo: string;
}>;


export type StartIManageConnectionMutation = { startIManageConnection: { url: string, expiresAt: string } };

export type ConfirmIManageConnectionMutationVariables = Exact<{
  link: string;
}>;


export type ConfirmIManageConnectionMutation = { confirmIManageConnection: { id: string, imanage: { status: ConnectionStatus, userId: string | null } } };

export type LibrariesQueryVariables = Exact<{ [key: string]: never; }>;


export type LibrariesQuery = { customer: { id: string, libraries: Array<{ id: string }> | null, preferredLibrary: { id: string } | null } | null };

export type LibraryWorkspacesQueryVariables = Exact<{
  library: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type LibraryWorkspacesQuery = { library: { id: string, workspaces: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string } }> } | null } | null };

export type WorkspaceFoldersQueryVariables = Exact<{
  workspace: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type WorkspaceFoldersQuery = { workspace: { id: string, folders: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, hasSubfolders: boolean } }> } | null } | null };

export type SubfoldersQueryVariables = Exact<{
  folder: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type SubfoldersQuery = { folder: { id: string, subfolders: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, hasSubfolders: boolean } }> } | null } | null };

export type CreateFolderMutationVariables = Exact<{
  input: CreateSubfolderInput;
}>;


export type CreateFolderMutation = { createSubfolder: { replayed: boolean, userErrors: Array<{ field: Array<string> | null, code: string, message: string }>, folder: { id: string, name: string, hasSubfolders: boolean } | null } | null };

export type DisconnectIManageMutationVariables = Exact<{ [key: string]: never; }>;


export type DisconnectIManageMutation = { disconnectIManage: { id: string, imanage: { status: ConnectionStatus } } };

export type FolderDocumentsQueryVariables = Exact<{
  folder: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type FolderDocumentsQuery = { folder: { id: string, effectiveSecurity: AccessLevel | null, documents: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, extension: string | null, type: string | null, size: number | null, editDate: string | null, author: { id: string, fullName: string | null } | null } }> } | null } | null };

export type DocumentRowFragment = { id: string, name: string, extension: string | null, type: string | null, size: number | null, editDate: string | null, author: { id: string, fullName: string | null } | null };

export type UploadDocumentMutationVariables = Exact<{
  input: UploadDocumentInput;
}>;


export type UploadDocumentMutation = { uploadDocument: { replayed: boolean, userErrors: Array<{ field: Array<string> | null, code: string, message: string }>, document: { id: string, name: string, extension: string | null, type: string | null, size: number | null, editDate: string | null, author: { id: string, fullName: string | null } | null } | null } | null };

export type DocumentDownloadQueryVariables = Exact<{
  id: string | number;
}>;


export type DocumentDownloadQuery = { document: { id: string, downloadUrl: string } | null };

export const TreeFolderFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreeFolder"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Folder"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hasSubfolders"}}]}}]} as unknown as DocumentNode<TreeFolderFragment, unknown>;
export const TreePageInfoFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreePageInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<TreePageInfoFragment, unknown>;
export const DocumentRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"extension"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"editDate"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}}]}}]} as unknown as DocumentNode<DocumentRowFragment, unknown>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"imanage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const StartIManageConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartIManageConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"returnTo"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startIManageConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"returnTo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"returnTo"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<StartIManageConnectionMutation, StartIManageConnectionMutationVariables>;
export const ConfirmIManageConnectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmIManageConnection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"link"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"confirmIManageConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"link"},"value":{"kind":"Variable","name":{"kind":"Name","value":"link"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"imanage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}}]}}]}}]}}]} as unknown as DocumentNode<ConfirmIManageConnectionMutation, ConfirmIManageConnectionMutationVariables>;
export const LibrariesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Libraries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"libraries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"preferredLibrary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<LibrariesQuery, LibrariesQueryVariables>;
export const LibraryWorkspacesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LibraryWorkspaces"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"library"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"library"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"library"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workspaces"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreePageInfo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreePageInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<LibraryWorkspacesQuery, LibraryWorkspacesQueryVariables>;
export const WorkspaceFoldersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceFolders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspace"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspace"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"folders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreePageInfo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreeFolder"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreePageInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreeFolder"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Folder"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hasSubfolders"}}]}}]} as unknown as DocumentNode<WorkspaceFoldersQuery, WorkspaceFoldersQueryVariables>;
export const SubfoldersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Subfolders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"folder"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"folder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"folder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"subfolders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreePageInfo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreeFolder"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreePageInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreeFolder"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Folder"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hasSubfolders"}}]}}]} as unknown as DocumentNode<SubfoldersQuery, SubfoldersQueryVariables>;
export const CreateFolderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateFolder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateSubfolderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSubfolder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"folder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreeFolder"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreeFolder"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Folder"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hasSubfolders"}}]}}]} as unknown as DocumentNode<CreateFolderMutation, CreateFolderMutationVariables>;
export const DisconnectIManageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DisconnectIManage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disconnectIManage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"imanage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<DisconnectIManageMutation, DisconnectIManageMutationVariables>;
export const FolderDocumentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FolderDocuments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"folder"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"folder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"folder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveSecurity"}},{"kind":"Field","name":{"kind":"Name","value":"documents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TreePageInfo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentRow"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TreePageInfo"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"extension"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"editDate"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}}]}}]} as unknown as DocumentNode<FolderDocumentsQuery, FolderDocumentsQueryVariables>;
export const UploadDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UploadDocumentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"document"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DocumentRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DocumentRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Document"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"extension"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"editDate"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}}]}}]} as unknown as DocumentNode<UploadDocumentMutation, UploadDocumentMutationVariables>;
export const DocumentDownloadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DocumentDownload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"document"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}}]} as unknown as DocumentNode<DocumentDownloadQuery, DocumentDownloadQueryVariables>;