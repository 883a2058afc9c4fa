// The backend shapes the document types are resolved from (read by codegen: the `Mapper` suffix names the type).
export type { DocumentRecord as DocumentMapper } from '../../imanage/records.js';

/** A document's profile fields as iManage sends them: `{class, class_description, subclass, custom1, custom1_description, …}`. */
export type DocumentProfileMapper = Readonly<Record<string, unknown>>;

/** A user named by a document (author, operator, who checked it out): known by id; name and e-mail are read when asked for. */
export interface UserMapper {
  /** The library whose users list names them. */
  library: string;
  id: string;
}
