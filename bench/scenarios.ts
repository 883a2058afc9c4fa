/**
 * The benchmark's scenarios (a)–(g) of issue 6, their data and their lower bounds. Shared by the full
 * run (`bench/run.ts`) and the CI smoke test (`test/bench.smoke.test.ts`), so that the counts the smoke
 * test asserts are those of the operations the bench times.
 *
 * The lower bound of a scenario is the fewest iManage calls any facade could answer it with, given
 * what the API offers, worked out from the data rather than from this facade's code (BENCHMARKS.md
 * explains each). `waves` lists the calls of each sequential round trip in the best plan: calls in one
 * wave can all be in flight together, a wave needs the answers of the one before.
 */

export type ScenarioKey = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g';

/** What the bench adds to the sandbox's demo firm (`seedBenchData`), and ids read from it. */
export interface BenchData {
  library: string;
  /** The workspace the bench's folders live in (Stark Industries – Export Compliance). */
  workspace: string;
  /** A folder four levels down, for (b). */
  deepFolder: string;
  /** A folder with 120 subfolders, for (d). */
  pageFolder: string;
  /** The name filter of (e): matches exactly the 50 "Docket" folders, four levels down under 10 parents. */
  searchTerm: string;
  /**
   * For (e): how many distinct ancestors of the search results sit 1, 2, 3… levels above them (results
   * themselves left out), from iManage's own paths.
   */
  searchAncestorLevels: number[];
  /** For (f): 20 folders spread over the library's workspaces. */
  byIdFolders: string[];
  /** For (g): where `createSubfolder` adds its folders. */
  writeParent: string;
}

export interface LowerBound {
  /** Fewest iManage calls. */
  calls: number;
  /** Calls per sequential wave of the plan that makes the fewest calls. */
  waves: number[];
}

export interface Scenario {
  key: ScenarioKey;
  title: string;
  query: string;
  variables(data: BenchData): Record<string, unknown>;
  /** The lower bound, from the bench data and (for the tree) the answer itself. */
  lowerBound(data: BenchData, answer: Record<string, any>): LowerBound;
  /** Whether two systems' answers must be equal (not for writes: each creates its own folder). */
  comparable: boolean;
  /** Creates data: left out of the pre-warm, which would otherwise grow the library every later cell reads. */
  writes?: true;
}

type Node = Record<string, any>;
const nodes = (connection: { edges: Array<{ node: Node }> } | null | undefined): Node[] => connection?.edges.map((e) => e.node) ?? [];
const count = (items: Node[], pick: (n: Node) => boolean) => items.filter(pick).length;
const wavesOf = (...calls: number[]): LowerBound => {
  const waves = calls.filter((c) => c > 0);
  return { calls: waves.reduce((a, b) => a + b, 0), waves };
};

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'a',
    title: 'viewer (no iManage call)',
    query: 'query Viewer { viewer { id imanage { status userId customerId } } }',
    variables: () => ({}),
    lowerBound: () => wavesOf(),
    comparable: true,
  },
  {
    key: 'b',
    title: 'one folder by id',
    query: `query Folder($id: ID!) { folder(id: $id) { id name description defaultSecurity effectiveSecurity folderType owner editDate hasSubfolders hasDocuments } }`,
    variables: (d) => ({ id: d.deepFolder }),
    lowerBound: () => wavesOf(1),
    comparable: true,
  },
  {
    key: 'c',
    title: "tree: a library's workspaces → folders → subfolders → subfolders",
    query: `query Tree($lib: ID!) { library(id: $lib) { id workspaces(first: 3) { edges { node { id name
      folders(first: 15) { edges { node { id name hasSubfolders
        subfolders(first: 10) { edges { node { id name hasSubfolders
          subfolders(first: 10) { edges { node { id name } } } } } } } } } } } } } }`,
    variables: (d) => ({ lib: d.library }),
    // The library list (library(id) must say NOT_FOUND for a library the user lacks), the workspace
    // page, one page per workspace, and one per folder whose listing says it has subfolders.
    lowerBound: (_d, answer) => {
      const workspaces = nodes(answer.library?.workspaces);
      const level1 = workspaces.flatMap((w) => nodes(w.folders));
      const level2 = level1.flatMap((f) => nodes(f.subfolders));
      return wavesOf(
        1,
        1,
        workspaces.length,
        count(level1, (f) => f.hasSubfolders),
        count(level2, (f) => f.hasSubfolders),
      );
    },
    comparable: true,
  },
  {
    key: 'd',
    title: 'a page of 100 subfolders',
    query: `query Page($id: ID!) { folder(id: $id) { id name subfolders(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name hasSubfolders } } } } }`,
    variables: (d) => ({ id: d.pageFolder }),
    // folder(id) must say NOT_FOUND itself, so it is read; then one page.
    lowerBound: () => wavesOf(1, 1),
    comparable: true,
  },
  {
    key: 'e',
    title: 'search: 50 folders with parent, workspace and path',
    query: `query Search($lib: ID!, $q: String) { library(id: $lib) { folders(query: $q, first: 50) { totalCount edges { node { id name
      parent { name } workspace { name } path { name } } } } } }`,
    variables: (d) => ({ lib: d.library, q: d.searchTerm }),
    // The library list, the search, then the ancestors: an ancestor's id is known only from its
    // child (`parent_id`), so finding them goes up level by level, each level one include_ids call
    // (per library), except that one `GET …/path` brings a whole chain. The cheapest plan walks k
    // levels and then fetches the chains left one by one: min over k of k + (ancestors at level k+1).
    // `workspace { name }` costs nothing: every folder carries `workspace_name`.
    lowerBound: (d) => wavesOf(1, 1, ...ancestorWaves(d.searchAncestorLevels)),
    comparable: true,
  },
  {
    key: 'f',
    title: '20 folders by id (aliases), each with its workspace',
    query: '', // built from the ids: see `queryFor`
    variables: () => ({}),
    // One include_ids call per library; the workspace names come with the folders.
    lowerBound: (d) => wavesOf(new Set(d.byIdFolders.map((id) => id.split('!')[0])).size),
    comparable: true,
  },
  {
    key: 'g',
    title: 'createSubfolder',
    query: `mutation Create($parentId: ID!) { createSubfolder(input: { parentId: $parentId, name: "Bench write" }) { folder { id name } userErrors { code } } }`,
    variables: (d) => ({ parentId: d.writeParent }),
    // The POST, plus one read to learn whether parentId is a folder or a workspace: the two have
    // different create routes, and the reference does not say what the wrong one does.
    lowerBound: () => wavesOf(1, 1),
    comparable: false,
    writes: true,
  },
];

/** The scenario's document; (f) spells its 20 aliases out. */
export function queryFor(scenario: Scenario, data: BenchData): string {
  if (scenario.key !== 'f') return scenario.query;
  const fields = data.byIdFolders.map((id, i) => `f${i}: folder(id: "${id}") { id name workspace { name } }`);
  return `query ById { ${fields.join(' ')} }`;
}

/** The cheapest way to find ancestors `levels` (distinct ones per level, nearest first): calls per wave. */
export function ancestorWaves(levels: readonly number[]): number[] {
  let best: number[] | null = null;
  for (let k = 0; k <= levels.length; k++) {
    const left = levels[k] ?? 0;
    const plan = [...levels.slice(0, k).map(() => 1), ...(left > 0 ? [left] : [])];
    const total = (p: number[]) => p.reduce((a, b) => a + b, 0);
    if (!best || total(plan) < total(best) || (total(plan) === total(best) && plan.length < best.length)) best = plan;
  }
  return best!;
}

/** Sequential round trips when one user may have `cap` calls in flight (IMANAGE_CONCURRENCY_PER_USER). */
export function roundTrips(bound: LowerBound, cap: number): number {
  return bound.waves.reduce((sum, calls) => sum + Math.ceil(calls / cap), 0);
}

// ---- the bench's data ----------------------------------------------------------------------

export interface SandboxUser {
  id: string;
  password: string;
}

export interface SandboxApp {
  clientId: string;
  clientSecret: string;
}

/** A small REST client for the sandbox, as the demo user: the bench's set-up, never measured. */
export class SandboxRest {
  private constructor(
    private readonly api: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, user: SandboxUser, app: SandboxApp): Promise<SandboxRest> {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: user.id,
      password: user.password,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    const tokenRes = await fetch(`${baseUrl}/auth/oauth2/token`, { method: 'POST', body: form });
    if (!tokenRes.ok) throw new Error(`sandbox login failed: ${tokenRes.status}`);
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const discovery = (await (await fetch(`${baseUrl}/api`, { headers: { 'x-auth-token': token } })).json()) as {
      data: { user: { customer_id: number }; versions: Array<{ name: string; url: string }> };
    };
    const v2 = discovery.data.versions.find((v) => v.name === 'v2')!.url;
    return new SandboxRest(`${v2}/customers/${discovery.data.user.customer_id}`, token);
  }

  /** A request straight to the sandbox as the bench's iManage user: its URL and headers. */
  direct(path: string): { url: string; headers: Record<string, string> } {
    return { url: `${this.api}${path}`, headers: { 'x-auth-token': this.token } };
  }

  async get(path: string): Promise<any> {
    const res = await fetch(`${this.api}${path}`, { headers: { 'x-auth-token': this.token } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return res.json();
  }

  async post(path: string, body: unknown): Promise<any> {
    const res = await fetch(`${this.api}${path}`, {
      method: 'POST',
      headers: { 'x-auth-token': this.token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status}`);
    return res.json();
  }
}

const LIBRARY = 'ACTIVE_US';

/**
 * Adds the bench's folders to the demo firm, in the Stark Industries workspace (outside the three
 * workspaces the tree scenario reads), through the API like any client would:
 *
 *   Bench tree › Branch 1..5 › Section k.1..2 › Docket k.j.1..5   (50 dockets, 4 levels down)
 *   Bench page › Page item 001..120
 *   Bench writes                                                  (createSubfolder's parent)
 */
export async function seedBenchData(rest: SandboxRest): Promise<BenchData> {
  const lib = `/libraries/${LIBRARY}`;
  // iManage's workspace `name` matches whole words, any of them: the quotes ask for the phrase (reference §4.6).
  const stark = (await rest.get(`${lib}/workspaces?name=${encodeURIComponent('"Stark Industries"')}`)).data.results[0].id as string;
  // (f): 20 of the firm's own folders, evenly spread over its id order (so over its workspaces).
  const all = ((await rest.get(`${lib}/folders?limit=2000`)).data.results as Array<{ id: string }>).map((f) => f.id);
  all.sort((x, y) => Number(x.split('!')[1]) - Number(y.split('!')[1]));
  const step = Math.floor(all.length / 20);
  const byIdFolders = Array.from({ length: 20 }, (_, i) => all[i * step]!);

  const folderUnder = async (parent: string, name: string, root = false): Promise<string> =>
    (await rest.post(root ? `${lib}/workspaces/${parent}/folders` : `${lib}/folders/${parent}/subfolders`, { name, default_security: 'inherit' })).data
      .id as string;

  const tree = await folderUnder(stark, 'Bench tree', true);
  const dockets: string[] = [];
  for (let k = 1; k <= 5; k++) {
    const branch = await folderUnder(tree, `Branch ${k}`);
    for (let j = 1; j <= 2; j++) {
      const section = await folderUnder(branch, `Section ${k}.${j}`);
      for (let m = 1; m <= 5; m++) dockets.push(await folderUnder(section, `Docket ${k}.${j}.${m}`));
    }
  }
  const page = await folderUnder(stark, 'Bench page', true);
  for (let i = 1; i <= 120; i++) await folderUnder(page, `Page item ${String(i).padStart(3, '0')}`);
  const writeParent = await folderUnder(stark, 'Bench writes', true);

  // (e)'s ancestors by level, from iManage's own paths (workspace entries left out).
  const found = new Set(dockets);
  const levels: Array<Set<string>> = [];
  for (const id of dockets) {
    const chain = ((await rest.get(`${lib}/folders/${id}/path`)).data as Array<{ id: string; wstype: string }>).filter((e) => e.wstype !== 'workspace');
    chain
      .reverse()
      .slice(1)
      .forEach((entry, i) => {
        if (found.has(entry.id)) return;
        (levels[i] ??= new Set()).add(entry.id);
      });
  }

  return {
    library: LIBRARY,
    workspace: stark,
    deepFolder: dockets[0]!,
    pageFolder: page,
    searchTerm: 'Docket',
    searchAncestorLevels: levels.map((s) => s.size),
    byIdFolders,
    writeParent,
  };
}
