import { describe, expect, it } from 'vitest';
import { codes, useStack } from './helpers/stack.js';

/**
 * Library names beyond letters, digits, `_`, `.` and `-`: iManage allows any name without `!`
 * (reference §1.4, §3). The sandbox seeds its US library under such a name; every id of it goes
 * into URL paths (escaped), `include_ids` lists and cache keys.
 */

const LIBRARY = 'R&D #2 – Ünits, 100%?';

const stack = useStack({ sandbox: { libraries: [LIBRARY, 'ACTIVE_UK'] } });

describe('a library named with spaces, punctuation, a comma and non-ASCII letters', () => {
  it('is listed, and its workspaces and folders are read by id through escaped paths', async () => {
    const library = stack.sandbox.ids.libraries[0]!;
    expect(library).toBe(LIBRARY.toUpperCase());
    const [top, second] = stack.sandbox.ids.deepFolderPath;
    const res = await stack.gql(
      `query($lib: ID!, $folder: ID!, $workspace: ID!) {
        customer { libraries { id } preferredLibrary { id } }
        library(id: $lib) { id workspaces(first: 2) { edges { node { id library { id } } } } }
        workspace(id: $workspace) { id name }
        folder(id: $folder) { id name library { id } parent { id } path { id } }
      }`,
      { lib: library, folder: second, workspace: stack.sandbox.ids.workspaceWithDeepTree },
    );
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data!;
    expect(data.customer.libraries.map((l: { id: string }) => l.id)).toContain(library);
    expect(data.customer.preferredLibrary).toEqual({ id: library });
    expect(data.library.workspaces.edges.length).toBe(2);
    for (const edge of data.library.workspaces.edges) expect(edge.node.library.id).toBe(library);
    expect(data.workspace.id).toBe(stack.sandbox.ids.workspaceWithDeepTree);
    expect(data.folder).toMatchObject({ id: second, library: { id: library }, parent: { id: top }, path: [{ id: top }, { id: second }] });
    // Every call reached its route: the sandbox saw the library's name whole in each path.
    expect(
      stack.sandbox.log
        .entries()
        .filter((e) => e.path.startsWith('/work/api/'))
        .every((e) => e.status === 200),
    ).toBe(true);
  });

  it("looks several folders up by id, one call each: a comma in the name would split iManage's include_ids list", async () => {
    const ids = stack.sandbox.ids.deepFolderPath;
    const query = `{ ${ids.map((id, i) => `f${i}: folder(id: ${JSON.stringify(id)}) { id }`).join(' ')} }`;
    const res = await stack.gql(query);
    expect(res.body.errors).toBeUndefined();
    expect(Object.values(res.body.data!)).toEqual(ids.map((id) => ({ id })));
    expect(stack.apiCalls({ path: /\/folders$/ })).toBe(0);
    expect(stack.apiCalls()).toBe(ids.length);
  });

  it('is matched whatever the case of the id, and an unknown number is NOT_FOUND', async () => {
    const [top] = stack.sandbox.ids.deepFolderPath;
    const lower = top!.toLowerCase();
    const res = await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id: lower });
    expect(res.body.errors).toBeUndefined();
    const missing = await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id: `${LIBRARY}!999999999` });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
  });

  it('refuses ids with control characters or dot segments before calling iManage', async () => {
    for (const id of [`${LIBRARY}\n!1`, '..!1', `${'L'.repeat(200)}!1`]) {
      const res = await stack.gql(`query($id: ID!) { folder(id: $id) { name } }`, { id });
      expect(codes(res), JSON.stringify(id)).toEqual(['BAD_USER_INPUT']);
    }
    for (const id of ['..', 'A\u0000B']) {
      const res = await stack.gql(`query($id: ID!) { library(id: $id) { id } }`, { id });
      expect(codes(res), JSON.stringify(id)).toEqual(['BAD_USER_INPUT']);
    }
    expect(stack.apiCalls()).toBe(0);
  });
});

describe('a library iManage lists as hidden (reference §1.4 `is_hidden`)', () => {
  it('is left out of customer.libraries, as iManage leaves it out, and still read by id', async () => {
    const [shown, hidden] = stack.sandbox.ids.libraries;
    stack.sandbox.knobs.setLibraryHidden(hidden!, true);
    try {
      const res = await stack.gql(`query($hidden: ID!) { customer { libraries { id } } library(id: $hidden) { id type } }`, { hidden });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.customer.libraries).toEqual([{ id: shown }]);
      expect(res.body.data!.library).toEqual({ id: hidden, type: 'WORKSITE' });
    } finally {
      stack.sandbox.knobs.setLibraryHidden(hidden!, false);
    }
  });
});
