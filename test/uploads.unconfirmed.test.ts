import { randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ADD_VERSION, sendMultipart, UPLOAD_DOCUMENT } from './helpers/multipart.js';
import { useStack, type Stack } from './helpers/stack.js';

/**
 * Uploads whose answer is lost in a way that does not show iManage was done with them (no answer in
 * time, the caller gone after the file went): not finding the document proves nothing, so the error
 * does not say that nothing was filed, and a retry with the key only looks until iManage can have
 * finished. The sandbox's `commitLate` plays a server that files the upload after the facade gave up.
 */

type Payload = {
  document: { id: string; name: string; size: number | null; version: number } | null;
  userErrors: Array<{ field: string[] | null; code: string; message: string }>;
  replayed?: boolean;
};
type Answer = {
  data?: { uploadDocument?: Payload | null; addDocumentVersion?: Payload | null } | null;
  errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
};

async function send(
  stack: Stack,
  mutation: 'upload' | 'version',
  input: Record<string, unknown>,
  body: Buffer | (() => Readable),
  options: { signal?: AbortSignal; size?: number } = {},
): Promise<Answer> {
  const res = await sendMultipart({
    url: stack.url,
    token: await stack.token('demo'),
    operations: { query: mutation === 'upload' ? UPLOAD_DOCUMENT : ADD_VERSION, variables: { input: { file: null, ...input } } },
    map: { '0': ['variables.input.file'] },
    files: [{ part: '0', fileName: 'Late.docx', body, ...(options.size === undefined ? {} : { size: options.size }) }],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return (await res.body.json()) as Answer;
}

const uploadsTo = (stack: Stack, path: RegExp) => stack.sandbox.log.uploads().filter((e) => path.test(e.path));

describe('uploads that iManage files after the facade gave up', () => {
  // iManage files 1.8 s after the request arrived; the facade waits 1 s for its answer.
  const stack = useStack({ env: { IMANAGE_TIMEOUT_MS: '1000' } });
  const folderId = () => stack.sandbox.ids.emptyFolder;
  const documentsRoute = () => new RegExp(`/folders/${folderId()}/documents$`);
  const named = (name: string) => stack.sandbox.folderDocuments(folderId()).filter((d) => d.name === name);

  it('uploadDocument timed out: the outcome is unknown, a keyed retry meanwhile sends nothing, and one document is filed', async () => {
    const name = `Late ${randomUUID()}`;
    const bytes = Buffer.from(`filed late ${name}`);
    stack.sandbox.knobs.injectFault({ method: 'POST', path: documentsRoute(), kind: { type: 'commitLate', ms: 1800 } });
    const input = { folderId: folderId(), name, idempotencyKey: randomUUID() };

    const failed = await send(stack, 'upload', input, bytes);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', folderChecked: false });
    expect(failed.errors![0]!.message).toMatch(/did not answer in time.*may still be filing it/);
    expect(failed.errors![0]!.message).not.toMatch(/nothing was filed|Try again\./);

    // "Try again" at once: before iManage's late filing lands, the retry only looks.
    const early = await send(stack, 'upload', input, bytes);
    expect(early.data?.uploadDocument?.document?.name ?? early.errors?.[0]?.message).toMatch(new RegExp(`^${name}$|Nothing was sent again`));

    await expect.poll(() => stack.sandbox.log.inFlight(), { timeout: 10_000, interval: 50 }).toBe(0);
    expect(named(name)).toHaveLength(1);
    const found = await send(stack, 'upload', input, bytes);
    expect(found.data!.uploadDocument!.document).toMatchObject({ id: named(name)[0]!.id, name });
    expect(named(name)).toHaveLength(1);
    // The file went to iManage once.
    expect(uploadsTo(stack, documentsRoute())).toHaveLength(1);
  });

  it('addDocumentVersion timed out: the outcome is unknown, a keyed retry meanwhile sends nothing, and one version is added', async () => {
    const name = `Versioned ${randomUUID()}`;
    const first = await send(stack, 'upload', { folderId: folderId(), name }, Buffer.from('version 1'));
    const documentId = first.data!.uploadDocument!.document!.id;
    const versionsRoute = /\/documents\/[^/]+\/versions$/;
    stack.sandbox.knobs.injectFault({ method: 'POST', path: versionsRoute, kind: { type: 'commitLate', ms: 1800 } });
    const input = { documentId, comment: 'Signed', idempotencyKey: randomUUID() };
    const bytes = Buffer.from(`version 2 ${name}`);

    const failed = await send(stack, 'version', input, bytes);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', folderChecked: false });
    expect(failed.errors![0]!.message).toMatch(/may still be filing it/);
    expect(failed.errors![0]!.message).not.toMatch(/nothing was filed|Try again\./);
    await send(stack, 'version', input, bytes);

    await expect.poll(() => stack.sandbox.log.inFlight(), { timeout: 10_000, interval: 50 }).toBe(0);
    const found = await send(stack, 'version', input, bytes);
    expect(found.data!.addDocumentVersion!.document).toMatchObject({ version: 2 });
    expect(named(name)[0]).toMatchObject({ version: 2 });
    expect(named(name)[0]!.versions).toHaveLength(2);
    expect(stack.sandbox.log.uploads().filter((e) => versionsRoute.test(e.path))).toHaveLength(1);
  });

  it('an upload dropped unfiled: retries only look until iManage can have finished it, then one sends the file again', async () => {
    const name = `Dropped ${randomUUID()}`;
    const bytes = Buffer.from(`dropped ${name}`);
    stack.sandbox.knobs.injectFault({ method: 'POST', path: documentsRoute(), kind: { type: 'stall' } });
    const input = { folderId: folderId(), name, idempotencyKey: randomUUID() };
    const failed = await send(stack, 'upload', input, bytes);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', folderChecked: false });

    // Within twice the call timeout of the file's end, a retry looks and sends nothing.
    const sent = () => uploadsTo(stack, documentsRoute()).length;
    await expect.poll(sent, { timeout: 5000, interval: 20 }).toBe(1);
    const early = await send(stack, 'upload', input, bytes);
    expect(early.errors?.[0]?.message).toMatch(/Nothing was sent again/);
    expect(early.errors?.[0]?.extensions).toMatchObject({ folderChecked: false });
    expect(sent()).toBe(1);
    // Past it, a retry looks once more and sends.
    await expect
      .poll(async () => (await send(stack, 'upload', input, bytes)).data?.uploadDocument?.document?.name ?? null, { timeout: 10_000, interval: 250 })
      .toBe(name);
    expect(sent()).toBe(2);
    expect(named(name)).toHaveLength(1);
  });

  it('without a key, a timed-out upload is not said to be absent: the folder is to be checked before uploading again', async () => {
    const name = `Late unkeyed ${randomUUID()}`;
    stack.sandbox.knobs.injectFault({ method: 'POST', path: documentsRoute(), kind: { type: 'commitLate', ms: 1800 } });
    const failed = await send(stack, 'upload', { folderId: folderId(), name }, Buffer.from('unkeyed'));
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', folderChecked: false });
    expect(failed.errors![0]!.message).toMatch(/may still be filing it.*Check the folder in a few seconds before uploading again/);
    await expect.poll(() => stack.sandbox.log.inFlight(), { timeout: 10_000, interval: 50 }).toBe(0);
    expect(named(name)).toHaveLength(1);
  });

  it('a caller who leaves once the file has gone: a retry with the key only looks, and one document is filed', async () => {
    const name = `Left ${randomUUID()}`;
    const bytes = Buffer.from(`left ${name}`.repeat(100));
    stack.sandbox.knobs.injectFault({ method: 'POST', path: documentsRoute(), kind: { type: 'commitLate', ms: 2500 } });
    const input = { folderId: folderId(), name, idempotencyKey: randomUUID() };
    const leaving = new AbortController();
    const answer = send(stack, 'upload', input, bytes, { signal: leaving.signal }).catch((error: unknown) => error);
    // The whole file is at iManage (its part file is complete), not yet filed: the caller leaves.
    const arrived = () =>
      readdirSync(stack.sandbox.uploadDir)
        .filter((f) => f.endsWith('.part'))
        .some((f) => statSync(join(stack.sandbox.uploadDir, f)).size === bytes.length);
    await vi.waitFor(() => expect(arrived()).toBe(true), { timeout: 5000, interval: 10 });
    leaving.abort();
    await answer;
    expect(named(name)).toHaveLength(0);

    const early = await send(stack, 'upload', input, bytes);
    expect(early.data?.uploadDocument?.document?.name ?? early.errors?.[0]?.message).toMatch(new RegExp(`^${name}$|Nothing was sent again`));
    await expect.poll(() => stack.sandbox.log.inFlight(), { timeout: 10_000, interval: 50 }).toBe(0);
    const found = await send(stack, 'upload', input, bytes);
    expect(found.data!.uploadDocument!.document).toMatchObject({ name });
    expect(named(name)).toHaveLength(1);
    expect(uploadsTo(stack, documentsRoute()).filter((e) => e.upload!.completed)).toHaveLength(1);
  });

  it('a caller who leaves while iManage files the document: the look goes on, and a retry with the key answers that document', async () => {
    const name = `Left, filed ${randomUUID()}`;
    const bytes = Buffer.from(`filed ${name}`);
    // iManage files it, then never answers: the caller gives up first.
    stack.sandbox.knobs.injectFault({ method: 'POST', path: documentsRoute(), kind: { type: 'commitThenFail', then: 'stall' } });
    const input = { folderId: folderId(), name, idempotencyKey: randomUUID() };
    const leaving = new AbortController();
    const answer = send(stack, 'upload', input, bytes, { signal: leaving.signal }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(named(name)).toHaveLength(1), { timeout: 5000, interval: 10 });
    leaving.abort();
    await answer;
    const retry = await vi.waitFor(
      async () => {
        const again = await send(stack, 'upload', input, bytes);
        expect(again.data?.uploadDocument?.document).toBeTruthy();
        return again;
      },
      { timeout: 5000, interval: 100 },
    );
    expect(retry.data!.uploadDocument!.document).toMatchObject({ id: named(name)[0]!.id });
    expect(named(name)).toHaveLength(1);
  });
});
