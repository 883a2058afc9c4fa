import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, imanageError, libBase, login } from './helpers.js';

let sb: Sandbox;
let demo: string;
let second: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
  second = (await login(sb, 'second')).access_token;
});
afterAll(async () => {
  await sb.close();
});

describe('libraries', () => {
  it('lists the customer libraries', async () => {
    const res = await get(sb, demo, `/work/api/v2/customers/${sb.customerId}/libraries`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: sb.ids.libraries.map((id) => ({ id, type: 'worksite', is_hidden: false })) });
  });

  it('answers 404 for another customer id and 400 for a non-integer one', async () => {
    const other = await get(sb, demo, `/work/api/v2/customers/${sb.customerId + 1}/libraries`);
    expect(other.status).toBe(404);
    expect(imanageError(other.body).code).toBe('NRC_NO_RECORD');
    const junk = await get(sb, demo, '/work/api/v2/customers/abc/libraries');
    expect(junk.status).toBe(400);
    expect(imanageError(junk.body).code).toBe('NRC_INVALID_PARAM');
  });

  it('answers 404 for an unknown library, and matches library ids case-insensitively', async () => {
    expect((await get(sb, demo, `${libBase(sb, 'NOPE')}/workspaces`)).status).toBe(404);
    const lower = await get(sb, demo, `${libBase(sb, 'active_us')}/workspaces/${sb.ids.workspaceWithDeepTree}`);
    expect(lower.status).toBe(200);
    expect(lower.body.data.database).toBe('ACTIVE_US');
  });
});

describe('workspace list', () => {
  it('returns the result-set envelope with the caller-visible workspaces', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/workspaces`);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.data.results)).toBe(true);
    expect(res.body.total_count).toBeUndefined();
    expect(res.body.cursor).toBeUndefined();
    const ids = res.body.data.results.map((w: { id: string }) => w.id);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    expect(ids).not.toContain(sb.ids.privateWorkspaceOfOther);
    const visibleToSecond = await get(sb, second, `${libBase(sb)}/workspaces`);
    expect(visibleToSecond.body.data.results.map((w: { id: string }) => w.id)).toContain(sb.ids.privateWorkspaceOfOther);
    const w = res.body.data.results[0];
    expect(w).toMatchObject({ wstype: 'workspace', database: 'ACTIVE_US', custom1: expect.any(String), custom2: expect.any(String) });
    expect(w.id).toMatch(/^ACTIVE_US!\d+$/);
    expect(Number(w.id.split('!')[1])).toBeGreaterThan(50_000);
  });

  it('filters by name: whole words, any case, either of several (reference §4.6)', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/workspaces`, { name: 'acme corp', total: true });
    const names = res.body.data.results.map((w: { name: string }) => w.name);
    expect(names.length).toBe(2);
    for (const n of names) expect(n).toContain('Acme Corp');
    expect(res.body.total_count).toBe(2);
    const unicode = await get(sb, demo, `${libBase(sb)}/workspaces`, { name: 'café' });
    expect(unicode.body.data.results).toHaveLength(1);
  });

  it('fetches several by include_ids, silently dropping invisible ones', async () => {
    const [a, b] = sb.ids.workspaces.ACTIVE_US!;
    const res = await get(sb, demo, `${libBase(sb)}/workspaces`, { include_ids: `${a},${b},${sb.ids.privateWorkspaceOfOther}`, total: true });
    expect(res.body.data.results.map((w: { id: string }) => w.id).sort()).toEqual([a, b].sort());
    expect(res.body.total_count).toBe(2);
    const malformed = await get(sb, demo, `${libBase(sb)}/workspaces`, { include_ids: 'not-an-id' });
    expect(malformed.status).toBe(400);
  });

  it('pages by offset with total_count, and an offset past the end is an empty page', async () => {
    const all = (await get(sb, demo, `${libBase(sb)}/workspaces`, { total: true })).body;
    const total = all.total_count as number;
    const page1 = await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 4, offset: 0, total: true });
    const page2 = await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 4, offset: 4, total: true });
    expect(page1.body.total_count).toBe(total);
    const ids = [...page1.body.data.results, ...page2.body.data.results].map((w: { id: string }) => w.id);
    expect(ids).toEqual(all.data.results.map((w: { id: string }) => w.id));
    const beyond = await get(sb, demo, `${libBase(sb)}/workspaces`, { offset: 500 });
    expect(beyond.status).toBe(200);
    expect(beyond.body.data.results).toEqual([]);
  });

  it('pages by cursor in standard_cursor mode, without total_count', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string | number | boolean> = { limit: 2, paging_mode: 'standard_cursor', total: true };
      if (cursor) query.cursor = cursor;
      const res = await get(sb, demo, `${libBase(sb)}/workspaces`, query);
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBeUndefined();
      seen.push(...res.body.data.results.map((w: { id: string }) => w.id));
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 20);
    const all = (await get(sb, demo, `${libBase(sb)}/workspaces`)).body.data.results.map((w: { id: string }) => w.id);
    expect(seen).toEqual(all);
  });

  it('refuses a tampered cursor and out-of-range limits', async () => {
    const first = await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 1, paging_mode: 'standard_cursor' });
    const cursor = first.body.cursor as string;
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    const res = await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 1, paging_mode: 'standard_cursor', cursor: tampered });
    expect(res.status).toBe(400);
    expect(imanageError(res.body).code).toBe('NRC_INVALID_PARAM');
    const foreign = await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 1, paging_mode: 'standard_cursor', cursor, name: 'acme' });
    expect(foreign.status).toBe(400);
    for (const limit of ['0', '10000', '-1', 'abc']) {
      expect((await get(sb, demo, `${libBase(sb)}/workspaces`, { limit })).status).toBe(400);
    }
    expect((await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 9999 })).status).toBe(200);
  });
});

describe('single workspace', () => {
  it('gets a workspace with its matter fields', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/workspaces/${sb.ids.workspaceWithDeepTree}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: sb.ids.workspaceWithDeepTree,
      name: 'Acme Corp – Employment Matters (1001-0007)',
      custom1: '1001',
      custom1_description: 'Acme Corp',
      custom2: '0007',
      custom2_description: 'Employment Matters',
      wstype: 'workspace',
      has_subfolders: true,
      owner: 'JSMITH',
      effective_security: 'full_access',
    });
    expect(Number.isNaN(Date.parse(res.body.data.edit_date))).toBe(false);
  });

  it('hides a workspace the caller cannot read (404), and 404s a folder id on the workspace route', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/workspaces/${sb.ids.privateWorkspaceOfOther}`);
    expect(res.status).toBe(404);
    expect(imanageError(res.body).code).toBe('NRC_NO_RECORD');
    expect((await get(sb, second, `${libBase(sb)}/workspaces/${sb.ids.privateWorkspaceOfOther}`)).status).toBe(200);
    expect((await get(sb, demo, `${libBase(sb)}/workspaces/${sb.ids.emptyFolder}`)).status).toBe(404);
  });

  it('lists its top-level folders as children, with paging and total', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/workspaces/${sb.ids.workspaceWithDeepTree}/children`, { total: true });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.data)).toBe(true);
    expect(res.body.total_count).toBe(res.body.data.length);
    const ids = res.body.data.map((f: { id: string }) => f.id);
    expect(ids).toContain(sb.ids.deepFolderPath[0]);
    expect(ids).toContain(sb.ids.bigFolder);
    for (const f of res.body.data) {
      expect(f.parent_id).toBe(sb.ids.workspaceWithDeepTree);
      expect(f.workspace_id).toBe(sb.ids.workspaceWithDeepTree);
    }
    expect(res.body.data.some((f: { folder_type: string }) => f.folder_type === 'tab')).toBe(true);
    const limited = await get(sb, demo, `${libBase(sb)}/workspaces/${sb.ids.workspaceWithDeepTree}/children`, { limit: 3, offset: 1 });
    expect(limited.body.data.map((f: { id: string }) => f.id)).toEqual(ids.slice(1, 4));
    const secondSees = await get(sb, second, `${libBase(sb)}/workspaces/${sb.ids.workspaceWithDeepTree}/children`, { total: true });
    expect(secondSees.body.data.map((f: { id: string }) => f.id)).not.toContain(sb.ids.privateFolder);
    expect(ids).toContain(sb.ids.privateFolder);
    expect(secondSees.body.total_count).toBeLessThan(res.body.total_count);
  });

  it('returns its security with default_security beside data', async () => {
    const res = await get(sb, demo, `${libBase(sb)}/workspaces/${sb.ids.workspaceWithDeepTree}/security`);
    expect(res.status).toBe(200);
    expect(res.body.default_security).toBe('private');
    expect(res.body.data.some((t: { type: string; id: string }) => t.type === 'group' && t.id === 'EMPLOYMENT')).toBe(true);
  });
});
