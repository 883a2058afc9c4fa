// The backend shapes GraphQL types are resolved from (read by codegen: the `Mapper` suffix names the type).
export type { FolderRecord as FolderMapper } from '../../imanage/records.js';

/** A folder's profile as iManage sends it: `{class, subclass, custom1, custom1_description, …}`. */
export type FolderProfileMapper = Readonly<Record<string, unknown>>;

/** `createSubfolder`'s outcome: the folder as a record, and the user errors as the mutation found them. */
export type { CreateSubfolderResult as CreateSubfolderPayloadMapper } from '../../folders/createSubfolder.js';
export type { UserErrorEntry as UserErrorMapper } from '../../folders/userErrors.js';
