/**
 * Issue 17's call count, in `npm run bench`: one page of 100 documents with each one's author,
 * operator and filing locations (with their paths), through the facade, counted in iManage calls
 * (the facade's own count of what it sent). The target: at most 4 besides the `folder(id)` lookup
 * the query starts from (the list, the users, the parents, the paths), whatever the page size.
 */
import { request } from 'undici';

export interface DocumentPageFigures {
  documents: number;
  /** iManage calls for the page, the folder lookup left out. */
  calls: number;
}

const PAGE = `query BenchDocuments($id: ID!) { folder(id: $id) { documents(first: 100) { edges { node {
  id name author { fullName email } operator { fullName } locations { id name path { id name } } } } } } }`;

export async function benchDocumentPage(deps: {
  facadeUrl: string;
  appToken: string;
  folderId: string;
  upstreamCalls(): Promise<number>;
}): Promise<DocumentPageFigures> {
  const run = async () => {
    const res = await request(`${deps.facadeUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.appToken}` },
      body: JSON.stringify({ query: PAGE, variables: { id: deps.folderId } }),
    });
    const body = (await res.body.json()) as { data?: { folder?: { documents: { edges: unknown[] } } }; errors?: unknown[] };
    if (body.errors || !body.data?.folder) throw new Error(`bench documents page: ${JSON.stringify(body.errors).slice(0, 300)}`);
    return body.data.folder.documents.edges.length;
  };
  await run(); // warm
  const before = await deps.upstreamCalls();
  const documents = await run();
  return { documents, calls: (await deps.upstreamCalls()) - before - 1 };
}

export function documentPageTargets(f: DocumentPageFigures): Array<{ target: string; met: boolean; detail: string }> {
  return [
    {
      target: 'a page of 100 documents with author, operator and locations { path }: ≤ 4 iManage calls besides the folder lookup',
      met: f.documents === 100 && f.calls <= 4,
      detail: `${f.calls} calls for ${f.documents} documents`,
    },
  ];
}
