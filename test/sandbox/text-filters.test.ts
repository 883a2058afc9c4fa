import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { matchesWholeField } from '../../src/sandbox/text-filters.js';
import { call, get, libBase, login } from './helpers.js';

/** The text filters of the library lists, matched as reference §4.6 documents them, over HTTP. */

let sb: Sandbox;
let demo: string;

beforeAll(async () => {
  sb = await startSandbox();
  demo = (await login(sb)).access_token;
  // Folders whose names only this file uses, in the demo user's empty folder.
  for (const name of ['Qx Ledger', 'qx ledger archive', 'Old Qx Ledger', 'Qx*Ledger', 'Qx,Ledger']) {
    const res = await call(sb, demo, 'POST', `${libBase(sb)}/folders/${sb.ids.emptyFolder}/subfolders`, { json: { name, description: `About ${name}` } });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await sb.close();
});

const folderNames = async (query: Record<string, string>) => {
  const res = await get(sb, demo, `${libBase(sb)}/folders`, { limit: 9999, ...query });
  expect(res.status).toBe(200);
  return (res.body.data.results as Array<{ name: string }>).map((f) => f.name).sort();
};
const workspaceNames = async (query: Record<string, string>) => {
  const res = await get(sb, demo, `${libBase(sb)}/workspaces`, { limit: 9999, ...query });
  expect(res.status).toBe(200);
  return (res.body.data.results as Array<{ name: string }>).map((w) => w.name).sort();
};

describe('folders: name, description, owner, name_or_description (whole field, `*`)', () => {
  it('matches the whole name, ignoring case, and never a part of it without `*`', async () => {
    expect(await folderNames({ name: 'qx ledger' })).toEqual(['Qx Ledger']);
    expect(await folderNames({ name: 'QX LEDGER' })).toEqual(['Qx Ledger']);
    expect(await folderNames({ name: 'Ledger' })).toEqual([]);
    expect(await folderNames({ name: 'Correspondence' })).not.toContain('Correspondence by month');
    expect(await folderNames({ name: 'Corr' })).toEqual([]);
  });

  it('takes `*` before, after or on both sides for a partial match', async () => {
    expect(await folderNames({ name: 'qx ledger*' })).toEqual(['Qx Ledger', 'qx ledger archive']);
    expect(await folderNames({ name: '*qx ledger' })).toEqual(['Old Qx Ledger', 'Qx Ledger']);
    expect(await folderNames({ name: '*qx ledger*' })).toEqual(['Old Qx Ledger', 'Qx Ledger', 'qx ledger archive']);
    expect(await folderNames({ name: '*orresp*' })).toContain('Correspondence by month');
  });

  it('takes a comma-separated list of alternatives for name', async () => {
    expect(await folderNames({ name: 'Old Qx Ledger,qx ledger archive' })).toEqual(['Old Qx Ledger', 'qx ledger archive']);
    expect(await folderNames({ name: 'nothing like it, Qx Ledger' })).toEqual(['Qx Ledger']);
    // A comma always separates: the folder named "Qx,Ledger" cannot be asked for by its name.
    expect(await folderNames({ name: 'Qx,Ledger' })).toEqual([]);
  });

  it('reads `*` as a wildcard only: a name holding one is found by a pattern, like any other', async () => {
    expect(await folderNames({ name: 'Qx*Ledger' })).toEqual(['Qx Ledger', 'Qx*Ledger', 'Qx,Ledger']);
  });

  it('matches description, owner and name_or_description against the whole field', async () => {
    expect(await folderNames({ description: 'about qx ledger' })).toEqual(['Qx Ledger']);
    expect(await folderNames({ description: 'qx ledger' })).toEqual([]);
    expect(await folderNames({ name_or_description: 'about old qx*' })).toEqual(['Old Qx Ledger']);
    expect(await folderNames({ name_or_description: 'old qx ledger' })).toEqual(['Old Qx Ledger']);
    expect(await folderNames({ name_or_description: 'qx' })).toEqual([]);
    const owned = await folderNames({ owner: 'jsmith', name: '*qx*' });
    expect(owned).toHaveLength(5);
    expect(await folderNames({ owner: 'jsmi', name: '*qx*' })).toEqual([]);
    expect(await folderNames({ owner: 'jsmi*', name: '*qx*' })).toHaveLength(5);
  });
});

describe('workspaces: name by whole words, no `*`', () => {
  it('matches whole words of the name, ignoring case', async () => {
    expect(await workspaceNames({ name: 'PATENT' })).toEqual(['Acme Corp – Patent Portfolio (1001-0012)']);
    expect(await workspaceNames({ name: 'pat' })).toEqual([]);
    expect(await workspaceNames({ name: 'café' })).toEqual(['Café Légal SARL – Lease Review (1177-0002)']);
  });

  it('takes either of several words, separated by commas or spaces, and a quoted phrase', async () => {
    const either = ['Acme Corp – Patent Portfolio (1001-0012)', 'Initech LLC – Wrongful Termination Litigation (1108-0001)'];
    expect(await workspaceNames({ name: 'litigation,patent' })).toEqual(either);
    expect(await workspaceNames({ name: 'litigation patent' })).toEqual(either);
    expect(await workspaceNames({ name: '"merger review"' })).toEqual([]); // that workspace is invisible to JSMITH
    expect(await workspaceNames({ name: '"wrongful termination"' })).toEqual(['Initech LLC – Wrongful Termination Litigation (1108-0001)']);
    expect(await workspaceNames({ name: '"termination wrongful"' })).toEqual([]);
  });

  it('does not take `*` as a wildcard', async () => {
    expect(await workspaceNames({ name: 'litiga*' })).toEqual([]);
    expect(await workspaceNames({ name: '*atent*' })).toEqual([]);
  });

  it('matches name_or_description and owner against the whole field, with `*`', async () => {
    expect(await workspaceNames({ name_or_description: '*montréal café*' })).toEqual(['Café Légal SARL – Lease Review (1177-0002)']);
    expect(await workspaceNames({ name_or_description: 'montréal café' })).toEqual([]);
    expect(await workspaceNames({ name_or_description: 'acme corp – patent portfolio (1001-0012)' })).toEqual(['Acme Corp – Patent Portfolio (1001-0012)']);
    const akumar = await workspaceNames({ owner: 'akumar' });
    expect(akumar.length).toBeGreaterThan(0);
    expect(await workspaceNames({ owner: 'akum' })).toEqual([]);
    expect(await workspaceNames({ owner: 'aku*' })).toEqual(akumar);
  });

  it('matches anywhere by whole words, `_` as a space, no `*`', async () => {
    expect(await workspaceNames({ anywhere: 'montréal' })).toEqual(['Café Légal SARL – Lease Review (1177-0002)']);
    expect(await workspaceNames({ anywhere: 'montr' })).toEqual([]);
    expect(await workspaceNames({ anywhere: 'montréal_lease' })).toEqual(['Café Légal SARL – Lease Review (1177-0002)']);
    expect(await workspaceNames({ anywhere: 'montr*' })).toEqual([]);
  });
});

describe('whole-field patterns (pure)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'B', 'c', ' ', '-', 'é'), maxLength: 8 });
  it('`*text*` is "contains", `text*` "starts with", `*text` "ends with", any case', () => {
    fc.assert(
      fc.property(text, text, (field, part) => {
        const f = field.toLowerCase();
        const p = part.toLowerCase();
        expect(matchesWholeField(field, `*${part}*`)).toBe(f.includes(p));
        expect(matchesWholeField(field, `${part}*`)).toBe(f.startsWith(p));
        expect(matchesWholeField(field, `*${part}`)).toBe(f.endsWith(p));
        expect(matchesWholeField(field, part)).toBe(f === p);
      }),
    );
  });

  it('matches `a*b` as a regular expression would, without overlapping the ends', () => {
    fc.assert(
      fc.property(text, text, text, (field, a, b) => {
        // The units hold no regular-expression syntax: the parts go in as they are.
        const re = new RegExp(`^${a.toLowerCase()}.*${b.toLowerCase()}$`, 's');
        expect(matchesWholeField(field, `${a}*${b}`)).toBe(re.test(field.toLowerCase()));
      }),
    );
  });
});
