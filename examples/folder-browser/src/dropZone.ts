import { ApiError, describeError, type Api } from './api.js';
import { formatSize } from './format.js';
import type { AccessLevel, DocumentRowFragment } from './gql/graphql.js';
import type { TreeNode } from './tree.js';

/**
 * The drop zone on the selected folder: drag files onto it, or press "Choose files" (a plain file
 * input, so keyboard and screen reader users have the same way in). Each file gets a row with its own
 * progress bar, and files are sent one after another, in the order they came: one upload at a time
 * keeps the user's iManage calls few and shows a clear order.
 *
 * Each file gets one `idempotencyKey` (a UUID) when it is dropped, and keeps it for every try: when
 * the connection fails before the answer comes, the document may or may not be filed, and "Retry"
 * sends the same key, which the service answers with the first try's document (`replayed`) if it was
 * filed, and files it otherwise. So a retry never files a document twice.
 *
 * `userErrors` (no right to file here, a file over `UPLOAD_MAX_BYTES`, a name iManage cannot take) are
 * shown in words on the row; nothing was filed and trying the same file again would fail the same way.
 * A folder the user may only read gets no drop zone at all: its `effectiveSecurity` says so before
 * any byte is sent.
 */

interface DropZoneOptions {
  /** A document was filed (or found filed by an earlier try) in `folderId`. */
  onUploaded(folderId: string, document: DocumentRowFragment): void;
  onNeedsConnect(error: ApiError): void;
}

type UploadState = 'waiting' | 'sending' | 'filing' | 'done' | 'failed';

/** One file on its way to a folder, and its row. */
interface Upload {
  readonly file: File;
  readonly folder: TreeNode;
  /** The same for every try of this file. */
  readonly idempotencyKey: string;
  readonly row: HTMLLIElement;
  readonly progress: HTMLProgressElement;
  readonly bytes: HTMLSpanElement;
  readonly status: HTMLSpanElement;
  readonly retry: HTMLButtonElement;
}

/** Errors after which the file may be filed or may work on a second try: "Retry" is offered. */
const RETRYABLE: ReadonlySet<string> = new Set(['NETWORK', 'UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL']);
const RETRYABLE_USER_ERRORS: ReadonlySet<string> = new Set(['FILE_INCOMPLETE', 'IDEMPOTENCY_KEY_IN_PROGRESS']);

export class DropZone {
  readonly element: HTMLElement;
  private readonly zone: HTMLElement;
  private readonly readOnly: HTMLElement;
  private readonly target: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private folder: TreeNode | null = null;
  private readonly queue: Upload[] = [];
  private sending = false;

  constructor(
    private readonly api: Api,
    private readonly options: DropZoneOptions,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'drop-zone-area';
    this.element.innerHTML = `
      <div class="drop-zone" role="group" aria-labelledby="drop-zone-text" hidden>
        <p id="drop-zone-text">Drop files here to file them in <strong class="drop-target"></strong>, or</p>
        <label class="choose">Choose files<input type="file" multiple class="file-input"></label>
      </div>
      <p class="read-only muted" hidden></p>
      <ul class="uploads" aria-label="Uploads"></ul>`;
    this.zone = this.element.querySelector('.drop-zone')!;
    this.readOnly = this.element.querySelector('.read-only')!;
    this.target = this.element.querySelector('.drop-target')!;
    this.input = this.element.querySelector('.file-input')!;
    this.list = this.element.querySelector('.uploads')!;

    this.input.addEventListener('change', () => {
      this.add([...(this.input.files ?? [])]);
      this.input.value = ''; // choosing the same file again is a new upload
    });
    // dragover must be cancelled for the element to accept a drop.
    this.zone.addEventListener('dragover', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer!.dropEffect = 'copy';
      this.zone.classList.add('dragging');
    });
    this.zone.addEventListener('dragleave', () => this.zone.classList.remove('dragging'));
    this.zone.addEventListener('drop', (event) => {
      event.preventDefault();
      this.zone.classList.remove('dragging');
      this.add([...(event.dataTransfer?.files ?? [])]);
    });
    // A file dropped beside the zone would make the browser open it, leaving the page (and any upload).
    for (const type of ['dragover', 'drop'] as const) {
      window.addEventListener(type, (event) => {
        if (carriesFiles(event) && !this.zone.contains(event.target as Node)) event.preventDefault();
      });
    }
  }

  /**
   * New files go to this folder, given the user's rights on it (null: iManage did not say, so offer the
   * zone and let the service answer). A workspace, or nothing, has no drop zone. Rows already there
   * keep their folder and go on.
   */
  setFolder(node: TreeNode | null, access: AccessLevel | null = null): void {
    const folder = node?.kind === 'folder' ? node : null;
    const readOnly = access === 'READ' || access === 'NO_ACCESS';
    this.folder = folder && !readOnly ? folder : null;
    this.zone.hidden = this.folder === null;
    this.readOnly.hidden = !(folder && readOnly);
    if (folder) {
      this.target.textContent = `“${folder.name}”`;
      this.readOnly.textContent = `You may only read “${folder.name}”: iManage would not file documents in it.`;
    }
  }

  private add(files: File[]): void {
    const folder = this.folder;
    if (!folder) return;
    for (const file of files) this.queue.push(this.newUpload(file, folder));
    void this.sendQueued();
  }

  /** Sends the queued uploads one at a time, until the queue is empty. */
  private async sendQueued(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.send(next);
    } finally {
      this.sending = false;
    }
  }

  private async send(upload: Upload): Promise<void> {
    const { file, folder } = upload;
    this.show(upload, 'sending', 'Sending…');
    upload.progress.value = 0;
    const onProgress = (sent: number, total: number) => {
      upload.progress.value = total === 0 ? 1 : sent / total;
      upload.bytes.textContent = `${formatSize(Math.round(file.size * upload.progress.value))} of ${formatSize(file.size)}`;
      // All bytes sent: iManage has the file and is filing it; its answer comes next.
      if (sent === total && upload.row.dataset.state === 'sending') this.show(upload, 'filing', 'Sent. iManage is filing it…');
    };
    try {
      const result = await this.api.uploadDocument({ folderId: folder.id, idempotencyKey: upload.idempotencyKey }, file, onProgress);
      // Null only with an error, which `uploadDocument` has thrown already; checked for the compiler.
      if (!result) throw new ApiError('INTERNAL', 'The answer had no result.');
      if (!result.document) {
        const words = result.userErrors.map((error) => `${userErrorInWords(error.code, error.message)} (${error.code})`).join(' ');
        const retryable = result.userErrors.some((error) => RETRYABLE_USER_ERRORS.has(error.code));
        this.show(upload, 'failed', `Not filed. ${words}`, retryable);
        return;
      }
      const doc = result.document;
      const name = doc.extension ? `${doc.name}.${doc.extension}` : doc.name;
      upload.progress.value = 1;
      upload.bytes.textContent = formatSize(file.size);
      this.show(upload, 'done', result.replayed ? `Filed as “${name}” (by the earlier try).` : `Filed as “${name}”.`);
      upload.row.dataset.documentId = doc.id;
      this.options.onUploaded(folder.id, doc);
    } catch (error) {
      if (error instanceof ApiError && error.needsConnect) {
        this.show(upload, 'failed', describeError(error), true);
        this.options.onNeedsConnect(error);
        return;
      }
      const retryable = error instanceof ApiError && RETRYABLE.has(error.code);
      const unsure = error instanceof ApiError && (error.code === 'NETWORK' || error.code === 'UPSTREAM_UNAVAILABLE');
      const advice = unsure ? ' It may have been filed: “Retry” sends it with the same key, so it is filed once.' : '';
      this.show(upload, 'failed', `Not sent. ${describeError(error)}${advice}`, retryable);
    }
  }

  private newUpload(file: File, folder: TreeNode): Upload {
    const row = document.createElement('li');
    row.className = 'upload';
    row.innerHTML = `
      <span class="upload-name"></span>
      <progress max="1" value="0"></progress>
      <span class="upload-bytes muted"></span>
      <span class="upload-status" role="status"></span>
      <button type="button" class="upload-retry" hidden>Retry</button>`;
    row.querySelector('.upload-name')!.textContent = `${file.name} → ${folder.name}`;
    const upload: Upload = {
      file,
      folder,
      idempotencyKey: crypto.randomUUID(),
      row,
      progress: row.querySelector('progress')!,
      bytes: row.querySelector('.upload-bytes')!,
      status: row.querySelector('.upload-status')!,
      retry: row.querySelector('.upload-retry')!,
    };
    upload.progress.setAttribute('aria-label', `Upload of ${file.name}`);
    upload.bytes.textContent = formatSize(file.size);
    upload.retry.setAttribute('aria-label', `Retry ${file.name}`);
    upload.retry.addEventListener('click', () => {
      this.show(upload, 'waiting', 'Waiting…');
      this.queue.push(upload);
      void this.sendQueued();
    });
    this.show(upload, 'waiting', 'Waiting…');
    this.list.append(row);
    return upload;
  }

  private show(upload: Upload, state: UploadState, text: string, retry = false): void {
    upload.row.dataset.state = state;
    upload.status.textContent = text;
    upload.retry.hidden = !retry;
  }
}

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** A sentence for the user per `userErrors` code; the service's own message for the rest. */
function userErrorInWords(code: string, message: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return 'iManage lets you read this folder, not file documents in it.';
    case 'NOT_FOUND':
      return 'This folder is gone, or you no longer have access to it.';
    case 'FILE_TOO_LARGE':
      return 'The file is larger than this server accepts (its UPLOAD_MAX_BYTES).';
    case 'FILE_INCOMPLETE':
      return 'The file did not arrive whole. Retry to send it again.';
    case 'REQUIRED':
      return 'The file has no name to file it under: rename it and drop it again.';
    case 'INVALID_FORMAT':
      return 'The end of the file name, after its last dot, is not a file type iManage takes (1 to 16 letters or digits): rename it and drop it again.';
    case 'IDEMPOTENCY_KEY_IN_PROGRESS':
      return 'An earlier try of this file is still being filed. Retry in a moment.';
    default:
      return message;
  }
}
