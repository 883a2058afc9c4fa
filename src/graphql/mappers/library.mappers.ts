/** A library is known by id; its type comes from the libraries list, fetched only when asked for. */
export interface LibraryMapper {
  id: string;
  /** iManage's `type` when the list it came from carried it. */
  type?: string | null;
}
