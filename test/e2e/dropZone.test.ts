import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFolderBrowser, type FolderBrowser } from '../../examples/folder-browser/server.js';
import { chromiumSkipReason, openBrowser, type BrowserSession } from '../helpers/chromium.js';
import { freePort, startStack, TEST_JWT_SECRET, type Stack } from '../helpers/stack.js';

/**
 * The example app's drop zone (examples/folder-browser/src/dropZone.ts) in headless Chromium, against
 * the facade and the sandbox over loopback: real files with random bytes are chosen with the file input
 * or dropped (a DragEvent carrying a DataTransfer of Files), filed in iManage through the multipart
 * request, listed, and downloaded again through the app's Download button; the bytes are compared by
 * SHA-256 with the file's, and with what the sandbox holds.
 *
 * The page reaches /graphql through a small proxy on loopback that this file starts, which records each
 * upload request and can hold back its body or its answer, or cut its answer off: so the test can look
 * at the page mid-upload, and lose an answer the way a network does, without changing the service.
 * The tests run in order, one browser page throughout. Screenshots: test-artifacts/folder-browser-upload-*.png.
 */

const APP_USER = 'ada';
const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const title = chromiumSkipReason ? `the folder browser's drop zone in Chromium (${chromiumSkipReason})` : "the folder browser's drop zone in Chromium";

/** What the proxy does with the next upload request. */
interface UploadPlan {
  /** Pass on this many bytes of the body, then no more until `until` resolves. */
  pauseAfter?: { bytes: number; until: Promise<void> };
  /** Hold the service's answer until this resolves. */
  holdAnswer?: Promise<void>;
  /** Send the answer's status, headers and half its body, then cut the connection: a lost answer. */
  cutAnswer?: boolean;
}

/** An upload request as the proxy saw it. */
interface SeenUpload {
  headers: IncomingHttpHeaders;
  /** The first bytes of the body: the `operations` and `map` parts come first. */
  head: string;
  idempotencyKey: string | null;
  /** The service's status; null until it answers. */
  status: number | null;
}

interface Proxy {
  readonly url: string;
  readonly uploads: SeenUpload[];
  /** The most upload requests under way at once. */
  readonly peakUploads: number;
  plan(next: UploadPlan): void;
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const plans: UploadPlan[] = [];
  const uploads: SeenUpload[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    const isUpload = req.method === 'POST' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    const plan: UploadPlan = isUpload ? (plans.shift() ?? {}) : {};
    const seen: SeenUpload = { headers: req.headers, head: '', idempotencyKey: null, status: null };
    if (isUpload) {
      uploads.push(seen);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      res.once('close', () => (inFlight -= 1));
    }
    let passed = 0;
    const gate = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (seen.head.length < 16_384) {
          seen.head += chunk.subarray(0, 16_384).toString('latin1');
          seen.idempotencyKey ??= /"idempotencyKey":"([^"]+)"/.exec(seen.head)?.[1] ?? null;
        }
        const before = passed;
        passed += chunk.length;
        const pause = plan.pauseAfter;
        if (!pause || passed <= pause.bytes) return done(null, chunk);
        // Up to the limit now, the rest once released.
        const cut = Math.max(0, pause.bytes - before);
        this.push(chunk.subarray(0, cut));
        void pause.until.then(() => done(null, chunk.subarray(cut)));
      },
    });
    const upstream = httpRequest(new URL(req.url!, target), { method: req.method!, headers: req.headers }, (answer) => {
      void (async () => {
        if (plan.holdAnswer) await plan.holdAnswer;
        seen.status = answer.statusCode!;
        if (!plan.cutAnswer) {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
          return;
        }
        const body = Buffer.concat(await answer.toArray());
        res.writeHead(answer.statusCode!, answer.headers);
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      })();
    });
    upstream.on('error', () => res.destroy());
    req.pipe(gate).pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploads,
    get peakUploads() {
      return peak;
    },
    plan: (next) => plans.push(next),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe.skipIf(chromiumSkipReason !== null)(title, () => {
  let stack: Stack;
  let proxy: Proxy;
  let app: FolderBrowser;
  let session: BrowserSession;
  let dir: string;
  /** The folder the uploads go to ("Notes", empty at the start) and one the user may only read. */
  let notes: string;
  let readOnly: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'folder-browser-upload-'));
    const appPort = await freePort();
    const appOrigin = `http://127.0.0.1:${appPort}`;
    // Connected through the store: the connect flow in the browser is folderBrowser.test.ts's.
    stack = await startStack({ env: { CORS_ORIGINS: appOrigin }, connect: [{ appUser: APP_USER, sandboxUser: 'demo' }] });
    proxy = await startProxy(stack.url);
    app = await startFolderBrowser({ port: appPort, graphqlUrl: `${proxy.url}/graphql`, jwtSecret: TEST_JWT_SECRET, appUser: APP_USER });
    session = await openBrowser();
    notes = stack.sandbox.ids.emptyFolder;
    readOnly = stack.sandbox.ids.readOnlyFolder;

    const { page } = session;
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'Open Acme Corp – Employment Matters (1001-0007)' }).click();
    await selectFolder(notes);
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await app?.close();
    await proxy?.close();
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const selectFolder = async (id: string) => {
    await session.page.locator(`li[data-node-id="${id}"] > .row > .label`).click();
    await session.page.locator('.documents-status').filter({ hasNotText: 'Loading…' }).waitFor();
  };
  const uploadRow = (fileName: string) => session.page.locator('li.upload').filter({ hasText: `${fileName} →` });
  const documentRow = (fileName: string) => session.page.locator('table.documents tbody tr').filter({ hasText: fileName });
  const chooseFiles = () => session.page.getByLabel('Choose files');

  async function writeRandomFile(name: string, size: number): Promise<{ path: string; bytes: Buffer }> {
    const bytes = randomBytes(size);
    const path = join(dir, name);
    await writeFile(path, bytes);
    return { path, bytes };
  }

  it('files a chosen file: progress to the end, listed at once, and the download is the same bytes', async () => {
    const { page } = session;
    const file = await writeRandomFile('Disclosure bundle.pdf', 3 * MiB);
    const answer = gate();
    proxy.plan({ holdAnswer: answer.promise });

    await chooseFiles().setInputFiles(file.path);
    const row = uploadRow('Disclosure bundle.pdf');
    // Every byte is sent (the service has filed it, and its answer is held back): the bar is full.
    await expect.poll(() => row.getAttribute('data-state')).toBe('filing');
    await expect(row.locator('progress').evaluate((bar: HTMLProgressElement) => bar.value)).resolves.toBe(1);
    await expect(row.locator('.upload-status').innerText()).resolves.toBe('Sent. iManage is filing it…');
    await expect(row.locator('.upload-bytes').innerText()).resolves.toBe('3.0 MB of 3.0 MB');
    answer.open();

    await expect.poll(() => row.getAttribute('data-state')).toBe('done');
    await expect(row.locator('.upload-status').innerText()).resolves.toBe('Filed as “Disclosure bundle.pdf”.');
    const listed = documentRow('Disclosure bundle.pdf');
    await expect(listed.getAttribute('class')).resolves.toBe('fresh');
    await expect(page.locator('.documents-status').innerText()).resolves.toBe('1 of 1 document(s) in “Notes”.');
    const documentId = (await listed.getAttribute('data-document-id'))!;
    expect(await row.getAttribute('data-document-id')).toBe(documentId);
    await session.screenshot('folder-browser-uploaded');

    // iManage has the file's bytes, once.
    expect(stack.sandbox.documentSha256(documentId)).toBe(sha256(file.bytes));
    expect(stack.sandbox.folderDocuments(notes).map((d) => `${d.name}.${d.extension}`)).toEqual(['Disclosure bundle.pdf']);

    // The request as the page sent it: the multipart request spec, the CSRF prevention header, the app token.
    expect(proxy.uploads).toHaveLength(1);
    const [sent] = proxy.uploads as [SeenUpload];
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.headers['x-graphql-yoga-csrf']).toBe('1');
    expect(sent.headers.authorization).toMatch(/^Bearer ey/);
    expect(Number(sent.headers['content-length'])).toBeGreaterThan(file.bytes.length);
    const parts = [...sent.head.matchAll(/Content-Disposition: form-data; name="([^"]+)"/g)].map((m) => m[1]);
    expect(parts).toEqual(['operations', 'map', '0']);
    expect(sent.head).toContain('{"0":["variables.input.file"]}');
    expect(sent.head).toContain(`"folderId":"${notes}"`);
    expect(sent.head).toContain('"file":null');
    expect(sent.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // Download through the app: the bytes saved are the file's.
    const [download] = await Promise.all([page.waitForEvent('download'), listed.getByRole('button', { name: 'Download Disclosure bundle.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('Disclosure bundle.pdf');
    const saved = await readFile((await download.path())!);
    expect(saved.length).toBe(file.bytes.length);
    expect(sha256(saved)).toBe(sha256(file.bytes));
  }, 30_000);

  it('shows the bytes sent while the upload is under way', async () => {
    const file = await writeRandomFile('Trial bundle.zip', 24 * MiB);
    const body = gate();
    // The proxy passes on 1 MiB and then holds the rest: the browser can send no more than what the
    // sockets between hold, far less than 24 MiB, until it is released.
    proxy.plan({ pauseAfter: { bytes: MiB, until: body.promise } });

    await chooseFiles().setInputFiles(file.path);
    const row = uploadRow('Trial bundle.zip');
    const bar = row.locator('progress');
    await expect.poll(() => bar.evaluate((progress: HTMLProgressElement) => progress.value)).toBeGreaterThan(0);
    await expect(bar.evaluate((progress: HTMLProgressElement) => progress.value)).resolves.toBeLessThan(1);
    await expect(row.getAttribute('data-state')).resolves.toBe('sending');
    await expect(row.locator('.upload-bytes').innerText()).resolves.toMatch(/^[\d.]+ (KB|MB) of 24\.0 MB$/);
    await session.screenshot('folder-browser-upload-progress');
    body.open();

    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    await documentRow('Trial bundle.zip').waitFor();
    const documentId = (await row.getAttribute('data-document-id'))!;
    expect(stack.sandbox.documentSha256(documentId)).toBe(sha256(file.bytes));
  }, 30_000);

  it('uploads several dropped files one after another, each with its own row', async () => {
    const { page } = session;
    const files = ['Letter 1.txt', 'Letter 2.txt', 'Letter 3.txt'].map((name) => ({ name, bytes: randomBytes(200 * 1024 + name.length) }));
    const uploadsBefore = proxy.uploads.length;

    // A drop as the browser makes one: dragover (which the zone must cancel to accept the drop), then drop.
    const accepted = await page.locator('.drop-zone').evaluate(
      (zone, dropped) => {
        const transfer = new DataTransfer();
        for (const { name, base64 } of dropped) {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          transfer.items.add(new File([bytes], name, { type: 'text/plain' }));
        }
        const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true });
        zone.dispatchEvent(over);
        const highlighted = zone.classList.contains('dragging');
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        return { cancelled: over.defaultPrevented, highlighted };
      },
      files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') })),
    );
    expect(accepted).toEqual({ cancelled: true, highlighted: true });
    await expect(page.locator('.drop-zone').getAttribute('class')).resolves.toBe('drop-zone');

    for (const f of files) await expect.poll(() => uploadRow(f.name).getAttribute('data-state')).toBe('done');
    // One at a time, in the order dropped, each with its own key.
    const sent = proxy.uploads.slice(uploadsBefore);
    expect(sent.map((s) => /filename="([^"]+)"/.exec(s.head)?.[1])).toEqual(files.map((f) => f.name));
    expect(new Set(sent.map((s) => s.idempotencyKey)).size).toBe(3);
    expect(proxy.peakUploads).toBe(1);

    for (const f of files) {
      const id = (await uploadRow(f.name).getAttribute('data-document-id'))!;
      await expect(documentRow(f.name).getAttribute('data-document-id')).resolves.toBe(id);
      expect(stack.sandbox.documentSha256(id)).toBe(sha256(f.bytes));
    }
    await expect(page.locator('.documents-status').innerText()).resolves.toBe('5 of 5 document(s) in “Notes”.');
  }, 30_000);

  it('a lost answer: "Retry" sends the same key, and the document is filed once', async () => {
    const { page } = session;
    const file = await writeRandomFile('Witness statement.docx', 512 * 1024);
    proxy.plan({ cutAnswer: true });

    await chooseFiles().setInputFiles(file.path);
    const row = uploadRow('Witness statement.docx');
    await expect.poll(() => row.getAttribute('data-state')).toBe('failed');
    await expect(row.locator('.upload-status').innerText()).resolves.toBe(
      'Not sent. The server could not be reached. Check your connection and try again. It may have been filed: “Retry” sends it with the same key, so it is filed once.',
    );
    // It was filed: only the answer was lost. Nothing new is listed yet.
    const filed = () => stack.sandbox.folderDocuments(notes).filter((d) => d.name === 'Witness statement');
    expect(filed()).toHaveLength(1);
    await expect(documentRow('Witness statement.docx').count()).resolves.toBe(0);
    await session.screenshot('folder-browser-upload-lost-answer', { fullPage: true });

    await row.getByRole('button', { name: 'Retry Witness statement.docx' }).click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('done');
    await expect(row.locator('.upload-status').innerText()).resolves.toBe('Filed as “Witness statement.docx” (by the earlier try).');
    const [first, retry] = proxy.uploads.slice(-2) as [SeenUpload, SeenUpload];
    expect(retry.idempotencyKey).toBe(first.idempotencyKey);
    expect(filed()).toHaveLength(1);
    expect(await row.getAttribute('data-document-id')).toBe(filed()[0]!.id);
    // iManage got the file once; the retry was answered from the key.
    expect(stack.sandbox.log.uploads().filter((entry) => entry.upload?.documentId === filed()[0]!.id)).toHaveLength(1);
    await expect(documentRow('Witness statement.docx').count()).resolves.toBe(1);
    expect(stack.sandbox.documentSha256(filed()[0]!.id)).toBe(sha256(file.bytes));
    expect(page.url()).toBe(`${app.url}/`);
  }, 30_000);

  it('shows userErrors in words, files nothing, and offers no Retry', async () => {
    const before = stack.sandbox.folderDocuments(notes).length;
    // The service takes the type from the end of the file name, and iManage's types are letters and digits.
    const file = await writeRandomFile('Minutes.2024-05-01', 64 * 1024);

    await chooseFiles().setInputFiles(file.path);
    const row = uploadRow('Minutes.2024-05-01');
    await expect.poll(() => row.getAttribute('data-state')).toBe('failed');
    await expect(row.locator('.upload-status').innerText()).resolves.toBe(
      'Not filed. The end of the file name, after its last dot, is not a file type iManage takes (1 to 16 letters or digits): rename it and drop it again. (INVALID_FORMAT)',
    );
    await expect(row.getByRole('button', { name: 'Retry Minutes.2024-05-01' }).isVisible()).resolves.toBe(false);
    expect(stack.sandbox.folderDocuments(notes)).toHaveLength(before);
    await session.screenshot('folder-browser-upload-refused', { fullPage: true });
  }, 30_000);

  it('offers no drop zone on a folder the user may only read', async () => {
    const { page } = session;
    const uploadsBefore = proxy.uploads.length;
    await selectFolder(readOnly);
    await expect(page.locator('.read-only').innerText()).resolves.toBe('You may only read “Court Filings (Final)”: iManage would not file documents in it.');
    await expect(page.locator('.drop-zone').isVisible()).resolves.toBe(false);
    await expect(chooseFiles().isVisible()).resolves.toBe(false);
    // The rows of earlier uploads stay.
    await expect(uploadRow('Disclosure bundle.pdf').isVisible()).resolves.toBe(true);
    // A file dropped there anyway goes nowhere, and the page keeps the browser from opening it instead.
    const prevented = await page.locator('.read-only').evaluate((note) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'Stray.txt'));
      const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
      note.dispatchEvent(drop);
      return drop.defaultPrevented;
    });
    expect(prevented).toBe(true);
    await expect(uploadRow('Stray.txt').count()).resolves.toBe(0);
    expect(proxy.uploads.length).toBe(uploadsBefore);

    await selectFolder(notes);
    await expect(page.locator('.read-only').isVisible()).resolves.toBe(false);
    await expect(page.locator('.drop-zone').isVisible()).resolves.toBe(true);
  }, 30_000);

  it('works from the keyboard: the "Choose files" input takes focus and opens the file chooser', async () => {
    const { page } = session;
    const file = await writeRandomFile('Keyboard note.txt', 10 * 1024);
    // Listening before anything else: Playwright turns on Chromium's file chooser interception when the
    // first listener is added, without waiting for it. Added in the same breath as the key press, the
    // interception could come after the press, and the chooser then opened unseen (a CI run waited out
    // the test's 30 s for it).
    const chooserOpened = page.waitForEvent('filechooser', { timeout: 10_000 });
    await chooseFiles().focus();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('type'))).resolves.toBe('file');
    await page.keyboard.press('Space');
    const chooser = await chooserOpened;
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(file.path);
    await expect.poll(() => uploadRow('Keyboard note.txt').getAttribute('data-state')).toBe('done');
    await documentRow('Keyboard note.txt').waitFor();
  }, 30_000);

  // A refusal answered before the file is read (here INVALID_FORMAT of the name) must reach the browser
  // as its answer: the service reads the rest of the body through rather than close the connection on
  // it, which Chromium reported as net::ERR_CONNECTION_RESET for any file larger than what the sockets
  // hold. The page's own requests go through the proxy above, which reads every body through and so
  // would hide a reset; this one goes to the service directly.
  it('an early refusal of a 16 MiB file reaches the browser as its answer, not as a reset', async () => {
    const { page } = session;
    const token = await stack.token(APP_USER);
    const answer = await page.evaluate(
      ({ url, token, folderId }) =>
        new Promise<{ status: number; body: string } | 'network error'>((resolve) => {
          const form = new FormData();
          const query = 'mutation ($input: UploadDocumentInput!) { uploadDocument(input: $input) { userErrors { code } } }';
          form.append('operations', JSON.stringify({ query, variables: { input: { folderId, file: null } } }));
          form.append('map', JSON.stringify({ '0': ['variables.input.file'] }));
          form.append('0', new File([new Uint8Array(16 * 1024 * 1024)], 'Minutes.2024-05-01'));
          const xhr = new XMLHttpRequest();
          xhr.open('POST', url);
          xhr.setRequestHeader('authorization', `Bearer ${token}`);
          xhr.setRequestHeader('x-graphql-yoga-csrf', '1');
          xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
          xhr.onerror = () => resolve('network error');
          xhr.send(form);
        }),
      { url: `${stack.url}/graphql`, token, folderId: notes },
    );
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ data: { uploadDocument: { userErrors: [{ code: 'INVALID_FORMAT' }] } } }) });
  }, 30_000);

  it('the same request without the CSRF prevention header is refused and files nothing', async () => {
    const { page } = session;
    const token = await stack.token(APP_USER);
    const before = stack.sandbox.folderDocuments(notes).length;
    const answer = await page.evaluate(
      async ({ url, token, folderId }) => {
        const form = new FormData();
        const query = 'mutation ($input: UploadDocumentInput!) { uploadDocument(input: $input) { document { id } } }';
        form.append('operations', JSON.stringify({ query, variables: { input: { folderId, file: null } } }));
        form.append('map', JSON.stringify({ '0': ['variables.input.file'] }));
        form.append('0', new File(['forged'], 'Forged.txt'));
        const response = await fetch(url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
        return { status: response.status, body: await response.text() };
      },
      { url: `${proxy.url}/graphql`, token, folderId: notes },
    );
    // Yoga's CSRF prevention answers before the operation runs, before any byte of the file is read.
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: 'Required CSRF header(s) not present', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(stack.sandbox.folderDocuments(notes)).toHaveLength(before);

    // Nothing else failed in the page: the answer cut off on purpose and the refusal just made are its only problems (no reset).
    expect(session.problems).toEqual([
      expect.stringMatching(/^console: Failed to load resource: net::ERR_CONTENT_LENGTH_MISMATCH \(http:.*\/graphql\)$/),
      expect.stringMatching(/^HTTP 403 POST http:.*\/graphql$/),
      expect.stringMatching(/^console: .*status of 403 \(Forbidden\) \(http:.*\/graphql\)$/),
    ]);
  }, 30_000);
});
