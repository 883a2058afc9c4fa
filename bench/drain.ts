/**
 * The concurrent downloads of bench/downloads.ts, in a process of their own so that reading them does
 * not slow the bench's own `viewer` queries: the slowdown measured is the facade's, not the client's.
 * Started with `fork()`, the requests (`[{ url, headers }]`) as one JSON argument; reads each to its end at once and sends the byte counts
 * over IPC.
 */
import { request } from 'undici';
import { answerParent } from './transfers.js';

/** Reads one response to its end, counting bytes, never keeping them; fails on any status but 200. */
export async function drain({ url, headers }: { url: string; headers?: Record<string, string> }): Promise<number> {
  const res = await request(url, headers ? { headers } : {});
  if (res.statusCode !== 200) throw new Error(`download ${res.statusCode}: ${(await res.body.text()).slice(0, 200)}`);
  let bytes = 0;
  for await (const chunk of res.body) bytes += (chunk as Buffer).length;
  return bytes;
}

if (process.send && process.argv[2])
  answerParent(Promise.all((JSON.parse(process.argv[2]) as Array<{ url: string; headers?: Record<string, string> }>).map(drain)));
