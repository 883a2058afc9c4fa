import { toDate } from '../enums.js';
import type { FolderProfileResolvers } from './../types.generated.js';

/**
 * iManage's profile object uses snake_case (`custom1_description`) and loosely typed values; each
 * custom field is read as the type its number range has in iManage.
 */

const text = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
const number = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
};
const flag = (value: unknown): boolean | null => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return /^(true|y|yes|1)$/i.test(value) ? true : /^(false|n|no|0)$/i.test(value) ? false : null;
  return null;
};

function readerFor(field: number): (value: unknown) => unknown {
  if (field >= 17 && field <= 20) return number;
  if (field >= 21 && field <= 24) return toDate;
  if (field >= 25 && field <= 28) return flag;
  return text;
}

const resolvers: Record<string, (profile: Readonly<Record<string, unknown>>) => unknown> = {
  class: (p) => text(p.class),
  subclass: (p) => text(p.subclass),
  author: (p) => text(p.author),
};
/** Only the code-like fields (1–12, 29, 30) have descriptions that iManage resolves. */
const hasDescription = (field: number) => field <= 12 || field >= 29;
for (let n = 1; n <= 30; n++) {
  const read = readerFor(n);
  resolvers[`custom${n}`] = (p) => read(p[`custom${n}`]);
  if (hasDescription(n)) resolvers[`custom${n}Description`] = (p) => text(p[`custom${n}_description`]);
}

export const FolderProfile: FolderProfileResolvers = resolvers as FolderProfileResolvers;
