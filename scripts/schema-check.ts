import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/**
 * The breaking-change gate. `schema.baseline.graphql` is the schema clients rely on, as last
 * reviewed; the SDL built from `schema/` is compared with it by @graphql-inspector's `diff`.
 *
 *   tsx scripts/schema-check.ts                check: exit 1 with a report when anything breaks clients
 *   tsx scripts/schema-check.ts --accept-safe  update the baseline when nothing breaks (`npm run codegen` does this)
 *   tsx scripts/schema-check.ts --accept       update the baseline, breaking changes included: the deliberate step
 *
 * So an additive change flows into the baseline with `npm run codegen`, an accidental breaking change
 * fails CI with the report below, and an intended one needs `npm run schema:accept`, whose diff of
 * the baseline is what reviewers approve. `--schema DIR` and `--baseline FILE` default to the repo's.
 */

export interface SchemaComparison {
  readonly breaking: Change[];
  readonly dangerous: Change[];
  readonly safe: Change[];
}

const BASELINE_HEADER = `# The reviewed baseline of the public schema: what clients may rely on.
# Written by \`npm run codegen\` (changes that break nothing) and \`npm run schema:accept\` (any change,
# breaking ones included: say why in the commit). Never edit by hand; CI compares schema/ with it.

`;

/** Every `.graphql` file under `dir`, in path order, as one schema (`extend type` included). */
export function loadSchemaDir(dir: string): GraphQLSchema {
  const files = listGraphQLFiles(dir);
  if (files.length === 0) throw new Error(`no .graphql files under ${dir}`);
  return buildSchema(files.map((file) => readFileSync(file, 'utf8')).join('\n'));
}

export function loadSchemaFile(file: string): GraphQLSchema {
  return buildSchema(readFileSync(file, 'utf8'));
}

/** The baseline's text: sorted, so that moving SDL between files in `schema/` changes nothing. */
export function printBaseline(schema: GraphQLSchema): string {
  return `${BASELINE_HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}

export async function compareSchemas(baseline: GraphQLSchema, current: GraphQLSchema): Promise<SchemaComparison> {
  const changes = await diff(baseline, current);
  const of = (level: CriticalityLevel) => changes.filter((change) => change.criticality.level === level);
  return { breaking: of(CriticalityLevel.Breaking), dangerous: of(CriticalityLevel.Dangerous), safe: of(CriticalityLevel.NonBreaking) };
}

/** What a reviewer and the author need: each breaking change, where, and why it breaks clients. */
export function formatReport(result: SchemaComparison, names: { schema: string; baseline: string }): string {
  const lines: string[] = [];
  // One line per change: descriptions in messages can run to paragraphs.
  const oneLine = (text: string, max: number) => {
    const flat = text.replace(/\s*\n\s*/g, ' ');
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  const list = (mark: string, changes: Change[], detail: 'full' | 'short') => {
    const shown = detail === 'full' ? changes : changes.slice(0, 30);
    for (const change of shown) {
      lines.push(`  ${mark} ${oneLine(change.message, detail === 'full' ? 400 : 140)}${change.path ? `  (${change.path})` : ''}`);
      if (detail === 'full' && change.criticality.reason) lines.push(`      ${oneLine(change.criticality.reason, 400)}`);
    }
    if (shown.length < changes.length) lines.push(`  … and ${changes.length - shown.length} more`);
  };
  if (result.breaking.length > 0) {
    lines.push(`BREAKING: ${result.breaking.length} change(s) in ${names.schema} would break clients built against ${names.baseline}:`, '');
    list('✖', result.breaking, 'full');
    lines.push(
      '',
      `Not intended? Undo it in ${names.schema}. Intended? Run \`npm run schema:accept\` and commit the`,
      `updated ${names.baseline} with the change, saying in the commit why clients must change: its diff`,
      'is the reviewed record of the break. Prefer an addition plus `@deprecated` when there is a way.',
    );
  } else {
    lines.push(`No breaking changes: ${names.schema} is compatible with ${names.baseline}.`);
  }
  if (result.dangerous.length > 0) {
    lines.push('', `Dangerous (clients may behave differently): ${result.dangerous.length}`);
    list('⚠', result.dangerous, 'full');
  }
  if (result.safe.length > 0) {
    lines.push('', `Safe, not yet in ${names.baseline} (\`npm run codegen\` records them): ${result.safe.length}`);
    list('+', result.safe, 'short');
  }
  return lines.join('\n');
}

function listGraphQLFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.graphql'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string', default: 'schema' },
      baseline: { type: 'string', default: 'schema.baseline.graphql' },
      accept: { type: 'boolean', default: false },
      'accept-safe': { type: 'boolean', default: false },
    },
  });
  const names = { schema: `${relative(process.cwd(), values.schema) || '.'}/`, baseline: relative(process.cwd(), values.baseline) };
  const current = loadSchemaDir(values.schema);
  const result = await compareSchemas(loadSchemaFile(values.baseline), current);
  const report = formatReport(result, names);
  const changed = result.breaking.length + result.dangerous.length + result.safe.length > 0;

  if (values.accept) {
    if (changed) writeFileSync(values.baseline, printBaseline(current));
    process.stdout.write(`${report}\n\n${changed ? `Accepted: ${names.baseline} now matches ${names.schema}.` : 'Nothing to accept.'}\n`);
    return 0;
  }
  if (values['accept-safe']) {
    if (result.breaking.length > 0) {
      // Codegen itself succeeded; say loudly that CI will not pass until the break is accepted.
      process.stderr.write(`\n${report}\n\nThe baseline was left as it is; \`npm run schema:check\` (and CI) fail until then.\n`);
      return 0;
    }
    if (changed) {
      writeFileSync(values.baseline, printBaseline(current));
      process.stdout.write(`${names.baseline}: recorded ${result.safe.length + result.dangerous.length} change(s) that break no client.\n`);
    }
    return 0;
  }
  (result.breaking.length > 0 ? process.stderr : process.stdout).write(`${report}\n`);
  return result.breaking.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
