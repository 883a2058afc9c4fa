/**
 * The upload part of `npm run bench` (issue 18's targets), run after the downloads on the same sandbox
 * and facade process, each figure a ratio measured side by side:
 *
 *   throughput  one large file (BENCH_UPLOAD_MB, default 1024) filed through the facade's
 *               `uploadDocument` (the GraphQL multipart request) against the same file posted as
 *               iManage's own multipart upload straight to the sandbox's `…/folders/{id}/documents`,
 *               and (when the ceiling runs) that same post through its bare Node hop, taking turns
 *               (BENCH_UPLOAD_ROUNDS, default 2, each round starting with another path); the best of
 *               each is compared, and each round's ratio printed. Before each upload the machine's dirty
 *               pages are written back (`sync`): the sandbox writes every upload to disk, and an upload
 *               must not pay for the one before. The CPU time per GiB of the facade, the sandbox and the
 *               sender is printed for each. All of it twice: with the cores shared, and with the facade
 *               and the hop on a core of their own (bench/cores.ts), on which the target is judged. The
 *               facade's RSS growth while it streams is reported too.
 *   concurrency twenty uploads of 20 MB (BENCH_CONCURRENT_UPLOAD_MB) at once through the facade, sent by
 *               another process (bench/send.ts) so that sending does not slow the bench's own queries:
 *               all must be filed, and `viewer`'s p50 meanwhile is compared with its p50 alone.
 *
 * The file's bytes are one 256 KiB block repeated, made as they are sent: the sender costs little, and
 * nothing is held whole.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Arrangement, Cores } from './cores.js';
import { post, type MultipartSpec } from './send.js';
import { cpuSince, envNumber, inChild, MB, median, perGiB, throughputCheck, timed, viewerLatencies, type Throughput } from './transfers.js';

export interface UploadFigures {
  sizeBytes: number;
  /** By arrangement (bench/cores.ts): `shared` always, `separate` where the cores could be assigned. */
  throughput: Partial<Record<Arrangement, Throughput>>;
  rssGrowthMb: number;
  concurrentUploads: number;
  concurrentSizeBytes: number;
  /** How many of the concurrent uploads were filed (all, when the facade kept up). */
  concurrentFiled: number;
  viewerAloneP50Ms: number;
  viewerDuringUploadsP50Ms: number;
  viewerSlowdown: number;
}

export interface UploadBenchDeps {
  facadeUrl: string;
  appToken: string;
  /** The folder both paths file into. */
  folderId: string;
  /** URL and headers of a straight sandbox request as the same iManage user. */
  direct(path: string): { url: string; headers: Record<string, string> };
  /** Assigns the processes' cores (bench/cores.ts); null where that cannot be done. */
  cores: Cores | null;
  /** The same upload through the ceiling's bare hop, when the ceiling runs. */
  hop?(spec: MultipartSpec): MultipartSpec;
  /** The sandbox process's CPU time so far (NaN where it cannot be read). */
  sandboxCpuMicros(): number;
  stats(): Promise<{ rssBytes: number; peakRssBytes: number; cpuMicros: number }>;
  resetPeak(): Promise<void>;
  /** With BENCH_CPU_PROF: starts the facade's CPU profile, written to `file`, or writes it (null). */
  profile?(file: string | null): Promise<void>;
  log(line: string): void;
}

const UPLOAD = `mutation BenchUpload($input: UploadDocumentInput!) {
  uploadDocument(input: $input) { document { id size } userErrors { code message } }
}`;

/** The GraphQL multipart request of one `uploadDocument`. */
export function facadeUpload(facadeUrl: string, appToken: string, folderId: string, size: number, name: string): MultipartSpec {
  return {
    url: `${facadeUrl}/graphql`,
    headers: { authorization: `Bearer ${appToken}`, 'x-graphql-yoga-csrf': '1' },
    fields: [
      ['operations', JSON.stringify({ query: UPLOAD, variables: { input: { folderId, name, extension: 'bin', file: null } } })],
      ['map', JSON.stringify({ '0': ['variables.input.file'] })],
    ],
    file: { part: '0', fileName: `${name}.bin`, size },
  };
}

/** iManage's own upload (reference §4.3: a `profile` part, then the `file` part), straight to the sandbox. */
function directUpload(deps: UploadBenchDeps, size: number, name: string): MultipartSpec {
  const [library, number] = deps.folderId.split('!') as [string, string];
  const target = deps.direct(`/libraries/${encodeURIComponent(library)}/folders/${encodeURIComponent(`${library}!${number}`)}/documents`);
  return {
    url: target.url,
    headers: target.headers,
    fields: [['profile', JSON.stringify({ warnings_for_required_and_disabled_fields: false, doc_profile: { name, extension: 'bin' } })]],
    file: { part: 'file', fileName: `${name}.bin`, size },
  };
}

/** Sends the uploads at once from a child process (bench/send.ts): each one's status and answer. */
const sendElsewhere = (specs: MultipartSpec[]) => inChild<Array<{ status: number; body: any }>>('send', specs, 'concurrent uploads');

export async function benchUploads(deps: UploadBenchDeps): Promise<UploadFigures> {
  const size = envNumber('BENCH_UPLOAD_MB', 1024) * MB;
  const rounds = envNumber('BENCH_UPLOAD_ROUNDS', 2);
  const concurrentSize = envNumber('BENCH_CONCURRENT_UPLOAD_MB', 20) * MB;
  const concurrent = 20;

  type Path = 'direct' | 'hop' | 'facade';
  const paths: Path[] = deps.hop ? ['direct', 'hop', 'facade'] : ['direct', 'facade'];
  let rssGrowth = 0;
  let profiled = false;
  /** The rounds in one arrangement: each path in turn, each round starting with another one. */
  const measure = async (arrangement: Arrangement): Promise<Throughput> => {
    deps.log(`uploads, ${deps.cores?.arrange(arrangement) ?? 'cores not assigned'}:`);
    const best = { direct: 0, hop: 0, facade: 0 };
    let cpuMsPerGiB = Infinity;
    const roundRatios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = [...paths.slice(round % paths.length), ...paths.slice(0, round % paths.length)];
      const speed: Partial<Record<Path, number>> = {};
      const parts: string[] = [];
      for (const path of order) {
        // The sandbox writes every upload to disk. Each upload starts with nothing left to write back,
        // so that none pays for the writeback of the one before (which slowed later ones 2×).
        flushDisks();
        const sandboxBefore = deps.sandboxCpuMicros();
        const senderBefore = process.cpuUsage();
        let seconds: number;
        let busy: string;
        let facadeCpu = '';
        if (path === 'facade') {
          const before = await deps.stats();
          await deps.resetPeak();
          const profiling = !profiled && deps.profile !== undefined;
          if (profiling) await deps.profile!('upload-1');
          const through = await timed(() => post(facadeUpload(deps.facadeUrl, deps.appToken, deps.folderId, size, `Bench upload ${randomUUID()}`)));
          if (profiling) await deps.profile!(null);
          profiled = true;
          const filed = through.value.body?.data?.uploadDocument;
          if (through.value.status !== 200 || filed?.document?.size !== size)
            throw new Error(`facade upload: ${JSON.stringify(through.value.body).slice(0, 300)}`);
          const after = await deps.stats();
          rssGrowth = Math.max(rssGrowth, (after.peakRssBytes - before.rssBytes) / MB);
          const cpuMs = perGiB(after.cpuMicros - before.cpuMicros, size);
          // A profiled round pays the profiler's cost: its CPU time is not the facade's own.
          if (!profiling) cpuMsPerGiB = Math.min(cpuMsPerGiB, cpuMs);
          facadeCpu = `facade ${cpuMs.toFixed(0)}, `;
          seconds = through.seconds;
          busy = through.cores;
        } else {
          const spec = directUpload(deps, size, `Bench ${path} upload ${randomUUID()}`);
          const sent = await timed(() => post(path === 'hop' ? deps.hop!(spec) : spec));
          if (sent.value.status !== 201 || sent.value.body?.data?.size !== size)
            throw new Error(`${path} upload: ${sent.value.status} ${JSON.stringify(sent.value.body).slice(0, 200)}`);
          seconds = sent.seconds;
          busy = sent.cores;
        }
        speed[path] = size / MB / seconds;
        best[path] = Math.max(best[path], speed[path]);
        parts.push(
          `${path} ${speed[path].toFixed(0)} MB/s (CPU ms per GiB: ${facadeCpu}sandbox ${perGiB(deps.sandboxCpuMicros() - sandboxBefore, size).toFixed(0)}, sender ${perGiB(cpuSince(senderBefore), size).toFixed(0)}${busy ? `; ${busy}` : ''})`,
        );
      }
      roundRatios.push(speed.facade! / speed.direct!);
      deps.log(`uploads: round ${round + 1}: ${parts.join(', ')}`);
    }
    return {
      facadeMBps: best.facade,
      directMBps: best.direct,
      hopMBps: deps.hop ? best.hop : null,
      ratio: best.facade / best.direct,
      roundRatios,
      facadeCpuMsPerGiB: Number.isFinite(cpuMsPerGiB) ? cpuMsPerGiB : NaN,
      hopCpuMsPerGiB: null,
    };
  };
  const throughput: UploadFigures['throughput'] = { shared: await measure('shared') };
  if (deps.cores) {
    throughput.separate = await measure('separate');
    deps.log(`uploads, ${deps.cores.arrange('shared')}`);
  }

  const facade = { url: deps.facadeUrl, appToken: deps.appToken };
  await viewerLatencies(facade, { count: 50 }); // warm
  const alone = median(await viewerLatencies(facade, { count: 200 }));
  const specs = Array.from({ length: concurrent }, (_, i) =>
    facadeUpload(deps.facadeUrl, deps.appToken, deps.folderId, concurrentSize, `Bench concurrent upload ${i} ${randomUUID()}`),
  );
  const sending = sendElsewhere(specs);
  const during = median(await viewerLatencies(facade, { until: sending }));
  const answers = await sending;
  const filedCount = answers.filter((a) => a.status === 200 && a.body?.data?.uploadDocument?.document?.size === concurrentSize).length;

  return {
    sizeBytes: size,
    throughput,
    rssGrowthMb: rssGrowth,
    concurrentUploads: concurrent,
    concurrentSizeBytes: concurrentSize,
    concurrentFiled: filedCount,
    viewerAloneP50Ms: alone,
    viewerDuringUploadsP50Ms: during,
    viewerSlowdown: during / alone,
  };
}

/** Writes back every dirty page of the machine (`sync`), where there is such a command. */
function flushDisks(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // no `sync` here: the uploads run without it
  }
}

/** Issue 18's targets, as the bench's checks print them. */
export function uploadTargets(f: UploadFigures): Array<{ target: string; met: boolean; detail: string }> {
  const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
  return [
    { target: `upload of ${mb(f.sizeBytes)}: ≥ 85 % of posting it straight to the sandbox`, ...throughputCheck(f.throughput, 0.85) },
    { target: 'upload: the facade grows by < 64 MB of RSS while streaming', met: f.rssGrowthMb < 64, detail: `${f.rssGrowthMb.toFixed(1)} MB` },
    {
      target: `${f.concurrentUploads} concurrent uploads of ${mb(f.concurrentSizeBytes)}: all filed, viewer p50 at most 2× slower`,
      met: f.concurrentFiled === f.concurrentUploads && f.viewerSlowdown <= 2,
      detail: `${f.concurrentFiled} of ${f.concurrentUploads} filed; ×${f.viewerSlowdown.toFixed(2)} (${f.viewerDuringUploadsP50Ms.toFixed(1)} vs ${f.viewerAloneP50Ms.toFixed(1)} ms)`,
    },
  ];
}
