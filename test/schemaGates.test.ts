import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compareSchemas, formatReport, loadSchemaDir, loadSchemaFile, printBaseline } from '../scripts/schema-check.js';

/**
 * The schema's CI gates, run against temporary copies (the real schema/ and baseline are only read):
 * the breaking-change check (`scripts/schema-check.ts`) and the schema linter (`eslint.config.js`).
 */

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const baseline = join(repo, 'schema.baseline.graphql');
const names = { schema: 'schema/', baseline: 'schema.baseline.graphql' };
const temps: string[] = [];

/** A copy of schema/ (and, for the linter, the example's operations) with one edit to folder.graphql. */
function copyRepoSchema(edit: (folderSdl: string) => string = (sdl) => sdl): string {
  const dir = mkdtempSync(join(tmpdir(), 'schema-gate-'));
  temps.push(dir);
  cpSync(join(repo, 'schema'), join(dir, 'schema'), { recursive: true });
  mkdirSync(join(dir, 'examples/folder-browser/src'), { recursive: true });
  cpSync(join(repo, 'examples/folder-browser/src/operations.graphql'), join(dir, 'examples/folder-browser/src/operations.graphql'));
  const folder = join(dir, 'schema/folder.graphql');
  writeFileSync(folder, edit(readFileSync(folder, 'utf8')));
  return dir;
}

const changeFolderNameType = (sdl: string) => {
  expect(sdl).toContain('\n  name: String!\n  "The folder\'s description');
  return sdl.replace('\n  name: String!\n  "The folder\'s description', '\n  name: Int!\n  "The folder\'s description');
};
const addFolderField = (sdl: string) => sdl.replace('type Folder {\n', 'type Folder {\n  "How many documents the folder holds."\n  documentCount: Int\n');

function run(command: string[], cwd = repo) {
  const result = spawnSync(process.execPath, command, { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the breaking-change check', () => {
  it("fails CI with a readable report when a field's type changes in schema/", () => {
    const dir = copyRepoSchema(changeFolderNameType);
    const { status, output } = run(['--import', 'tsx', 'scripts/schema-check.ts', '--schema', join(dir, 'schema'), '--baseline', baseline]);
    expect(status, output).toBe(1);
    expect(output).toContain('BREAKING: 1 change(s)');
    expect(output).toContain("✖ Field 'Folder.name' changed type from 'String!' to 'Int!'  (Folder.name)");
    expect(output).toContain('npm run schema:accept');
  });

  it('passes the unchanged schema, and lists an addition as safe', async () => {
    const unchanged = await compareSchemas(loadSchemaFile(baseline), loadSchemaDir(join(copyRepoSchema(), 'schema')));
    expect(unchanged).toEqual({ breaking: [], dangerous: [], safe: [] });

    const added = await compareSchemas(loadSchemaFile(baseline), loadSchemaDir(join(copyRepoSchema(addFolderField), 'schema')));
    expect(added.breaking).toEqual([]);
    const report = formatReport(added, names);
    expect(report).toContain('No breaking changes');
    expect(report).toContain("+ Field 'documentCount' was added to object type 'Folder'");
  });

  it('records safe changes in the baseline (so removing them later is caught) and breaking ones only when accepted', async () => {
    const dir = copyRepoSchema(addFolderField);
    const tempBaseline = join(dir, 'schema.baseline.graphql');
    cpSync(baseline, tempBaseline);

    // `npm run codegen` runs --accept-safe: the addition becomes part of the reviewed baseline.
    expect(run(['--import', 'tsx', 'scripts/schema-check.ts', '--schema', join(dir, 'schema'), '--baseline', tempBaseline, '--accept-safe']).status).toBe(0);
    expect(readFileSync(tempBaseline, 'utf8')).toContain('documentCount: Int');

    // Removing it again is now a breaking change, and --accept-safe leaves the baseline alone.
    writeFileSync(join(dir, 'schema/folder.graphql'), changeFolderNameType(readFileSync(join(repo, 'schema/folder.graphql'), 'utf8')));
    const removed = await compareSchemas(loadSchemaFile(tempBaseline), loadSchemaDir(join(dir, 'schema')));
    expect(removed.breaking.map((change) => change.message).sort()).toEqual([
      "Field 'Folder.name' changed type from 'String!' to 'Int!'",
      "Field 'documentCount' was removed from object type 'Folder'",
    ]);
    const safeOnly = run(['--import', 'tsx', 'scripts/schema-check.ts', '--schema', join(dir, 'schema'), '--baseline', tempBaseline, '--accept-safe']);
    expect(safeOnly.status).toBe(0);
    expect(safeOnly.output).toContain('The baseline was left as it is');
    expect(readFileSync(tempBaseline, 'utf8')).toContain('documentCount: Int');

    // An intended break is accepted deliberately: the baseline's diff is what reviewers see.
    writeFileSync(tempBaseline, printBaseline(loadSchemaDir(join(dir, 'schema'))));
    expect(await compareSchemas(loadSchemaFile(tempBaseline), loadSchemaDir(join(dir, 'schema')))).toEqual({ breaking: [], dangerous: [], safe: [] });
    expect(readFileSync(tempBaseline, 'utf8')).toMatch(/type Folder \{[^}]*\n {2}name: Int!\n/);
  });
});

describe('the schema linter', () => {
  it('refuses a field without a description, and one that only repeats its name', () => {
    const dir = copyRepoSchema((sdl) =>
      sdl
        .replace('\n  "The folder\'s name as users see it in iManage."\n  name: String!', '\n  name: String!')
        .replace('"Pass as `after` to get the folders that follow this one."', '"The cursor."'),
    );
    const eslint = join(repo, 'node_modules/eslint/bin/eslint.js');
    const { status, output } = run([eslint, '--config', join(repo, 'eslint.config.js'), 'schema/**/*.graphql'], dir);
    expect(status, output).toBe(1);
    expect(output).toMatch(/Description is required for field "name" in type "Folder" +@graphql-eslint\/require-description/);
    expect(output).toContain('The description of "cursor" only repeats its name');
    expect(output).toContain('2 problems (2 errors');
  });
});
