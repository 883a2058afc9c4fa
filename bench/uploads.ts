/**
 * The upload part of `npm run bench` (issue 18's targets), run after the downloads on the same sandbox
 * and facade process, each figure a ratio measured side by side:
 *
 *   throughput  one large file (BENCH_UPLOAD_MB, default 1024) filed through the facade's
 *               `uploadDocument` (the GraphQL multipart request) against the same file posted as
 *               iManage's own multipart upload straight to the sandbox's `…/folders/{id}/documents`,
 *               the two taking turns (BENCH_UPLOAD_ROUNDS, default 2); the best of each is compared.
 *               The facade's RSS growth while it streams, and its CPU per GiB, are reported too.
 *   concurrency twenty uploads of 20 MB (BENCH_CONCURRENT_UPLOAD_MB) at once through the facade, sent by
 *               another process (bench/send.ts) so that sending does not slow the bench's own queries:
 *               all must be filed, and `viewer`'s p50 meanwhile is compared with its p50 alone.
 *
 * The file's bytes are one 256 KiB block repeated, made as they are sent: the sender costs little, and
 * nothing is held whole.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { multipartRequest, type MultipartSpec } from './send.js';

export interface UploadFigures {
  sizeBytes: number;
  facadeMBps: number;
  directMBps: number;
  /** facade ÷ direct. */
  throughputRatio: number;
  rssGrowthMb: number;
  facadeCpuMsPerGiB: number;
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
  stats(): Promise<{ rssBytes: number; peakRssBytes: number; cpuMicros: number }>;
  resetPeak(): Promise<void>;
  /** With BENCH_CPU_PROF: starts the facade's CPU profile, written to `file`, or writes it (null). */
  profile?(file: string | null): Promise<void>;
  log(line: string): void;
}

const MB = 1024 * 1024;
const envNumber = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

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

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Sends one multipart request here; its status and JSON answer. */
async function post(spec: MultipartSpec): Promise<{ status: number; body: any }> {
  const { url, init } = multipartRequest(spec);
  const res = await request(url, init);
  return { status: res.statusCode, body: await res.body.json() };
}

/** Sends the uploads at once from a child process (bench/send.ts): each one's status and answer. */
function sendElsewhere(specs: MultipartSpec[]): Promise<Array<{ status: number; body: any }>> {
  const file = fileURLToPath(new URL(`./send${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const child = fork(file, [JSON.stringify(specs)], {
    execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { answers?: Array<{ status: number; body: any }>; error?: string }) =>
      message.answers ? resolve(message.answers) : reject(new Error(`concurrent uploads: ${message.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`concurrent uploads: the sender exited (${code})`)));
  });
}

async function viewerLatencies(deps: UploadBenchDeps, options: { count?: number; until?: Promise<unknown> }): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void options.until?.then(
    () => (done = true),
    () => (done = true),
  );
  while (options.until ? !done : latencies.length < (options.count ?? 0)) {
    const start = process.hrtime.bigint();
    const res = await request(`${deps.facadeUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.appToken}` },
      body: JSON.stringify({ query: '{ viewer { id imanage { status userId customerId } } }' }),
    });
    await res.body.dump();
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return latencies;
}

export async function benchUploads(deps: UploadBenchDeps): Promise<UploadFigures> {
  const size = envNumber('BENCH_UPLOAD_MB', 1024) * MB;
  const rounds = envNumber('BENCH_UPLOAD_ROUNDS', 2);
  const concurrentSize = envNumber('BENCH_CONCURRENT_UPLOAD_MB', 20) * MB;
  const concurrent = 20;

  let facadeBest = 0;
  let directBest = 0;
  let rssGrowth = 0;
  let cpuMsPerGiB = Infinity;
  for (let round = 0; round < rounds; round++) {
    const straight = await timed(() => post(directUpload(deps, size, `Bench direct upload ${randomUUID()}`)));
    if (straight.value.status !== 201 || straight.value.body?.data?.size !== size)
      throw new Error(`direct upload: ${straight.value.status} ${JSON.stringify(straight.value.body).slice(0, 200)}`);
    directBest = Math.max(directBest, size / MB / straight.seconds);

    const before = await deps.stats();
    await deps.resetPeak();
    if (round === 0) await deps.profile?.('upload-1');
    const through = await timed(() => post(facadeUpload(deps.facadeUrl, deps.appToken, deps.folderId, size, `Bench upload ${randomUUID()}`)));
    if (round === 0) await deps.profile?.(null);
    const filed = through.value.body?.data?.uploadDocument;
    if (through.value.status !== 200 || filed?.document?.size !== size) throw new Error(`facade upload: ${JSON.stringify(through.value.body).slice(0, 300)}`);
    const after = await deps.stats();
    rssGrowth = Math.max(rssGrowth, (after.peakRssBytes - before.rssBytes) / MB);
    facadeBest = Math.max(facadeBest, size / MB / through.seconds);
    const cpuMs = (after.cpuMicros - before.cpuMicros) / 1000 / (size / (1024 * MB));
    // A profiled round pays the profiler's cost: its CPU time is not the facade's own.
    if (!(round === 0 && deps.profile)) cpuMsPerGiB = Math.min(cpuMsPerGiB, cpuMs);
    deps.log(
      `uploads: round ${round + 1}: direct ${(size / MB / straight.seconds).toFixed(0)} MB/s, facade ${(size / MB / through.seconds).toFixed(0)} MB/s, facade CPU ${cpuMs.toFixed(0)} ms per GiB`,
    );
  }

  await viewerLatencies(deps, { count: 50 }); // warm
  const alone = median(await viewerLatencies(deps, { count: 200 }));
  const specs = Array.from({ length: concurrent }, (_, i) =>
    facadeUpload(deps.facadeUrl, deps.appToken, deps.folderId, concurrentSize, `Bench concurrent upload ${i} ${randomUUID()}`),
  );
  const sending = sendElsewhere(specs);
  const during = median(await viewerLatencies(deps, { until: sending }));
  const answers = await sending;
  const filedCount = answers.filter((a) => a.status === 200 && a.body?.data?.uploadDocument?.document?.size === concurrentSize).length;

  return {
    sizeBytes: size,
    facadeMBps: facadeBest,
    directMBps: directBest,
    throughputRatio: facadeBest / directBest,
    rssGrowthMb: rssGrowth,
    facadeCpuMsPerGiB: Number.isFinite(cpuMsPerGiB) ? cpuMsPerGiB : NaN,
    concurrentUploads: concurrent,
    concurrentSizeBytes: concurrentSize,
    concurrentFiled: filedCount,
    viewerAloneP50Ms: alone,
    viewerDuringUploadsP50Ms: during,
    viewerSlowdown: during / alone,
  };
}

/** Issue 18's targets, as the bench's checks print them. */
export function uploadTargets(f: UploadFigures): Array<{ target: string; met: boolean; detail: string }> {
  const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
  return [
    {
      target: `upload of ${mb(f.sizeBytes)}: ≥ 85 % of posting it straight to the sandbox`,
      met: f.throughputRatio >= 0.85,
      detail: `${(f.throughputRatio * 100).toFixed(0)} % (${f.facadeMBps.toFixed(0)} vs ${f.directMBps.toFixed(0)} MB/s, best of each), facade CPU ${f.facadeCpuMsPerGiB.toFixed(0)} ms per GiB`,
    },
    { target: 'upload: the facade grows by < 64 MB of RSS while streaming', met: f.rssGrowthMb < 64, detail: `${f.rssGrowthMb.toFixed(1)} MB` },
    {
      target: `${f.concurrentUploads} concurrent uploads of ${mb(f.concurrentSizeBytes)}: all filed, viewer p50 at most 2× slower`,
      met: f.concurrentFiled === f.concurrentUploads && f.viewerSlowdown <= 2,
      detail: `${f.concurrentFiled} of ${f.concurrentUploads} filed; ×${f.viewerSlowdown.toFixed(2)} (${f.viewerDuringUploadsP50Ms.toFixed(1)} vs ${f.viewerAloneP50Ms.toFixed(1)} ms)`,
    },
  ];
}
