/**
 * Sums up a V8 CPU profile (`--cpu-prof`, or BENCH_CPU_PROF with `npm run bench`): self time by
 * function and by package, heaviest first.
 *
 *   npx tsx bench/profile.ts bench/results/profiles/CPU.….cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/profile.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const packageOf = (url: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.includes('/src/')) return `src/${url.split('/src/')[1]!.split('/')[0]}`;
  if (url.startsWith('node:') || url === '') return url || '(native/gc/idle)';
  return url.split('/').slice(-2).join('/');
};
const sum = (key: (n: ProfileNode) => string) => {
  const totals = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    totals.set(key(node), (totals.get(key(node)) ?? 0) + micros);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
};
const show = (title: string, rows: Array<[string, number]>) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms)`);
  for (const [name, micros] of rows) console.log(`${((micros / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
};
show(
  'self time by package',
  sum((n) => packageOf(n.callFrame.url)),
);
show(
  'self time by function',
  sum(
    (n) =>
      `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '')}:${n.callFrame.lineNumber + 1}`,
  ),
);
