import { ApiError, describeError, type Api } from './api.js';
import { DropZone } from './dropZone.js';
import { formatSize } from './format.js';
import { DocumentDownloadDocument, FolderDocumentsDocument, type DocumentRowFragment } from './gql/graphql.js';
import type { TreeNode } from './tree.js';

/**
 * "Documents": what is filed in the folder selected in the tree, 25 at a time with "Load more", and a
 * drop zone (dropZone.ts) to file more. An uploaded document is put at the top of the list from the
 * upload's own answer, with no new query. "Download" asks for the document's `downloadUrl` only when
 * clicked (the link is short-lived and serves one download) and sends the browser to it: the service
 * streams the file with its name, and no token travels in the link's request.
 */

const PAGE_SIZE = 25;

interface ListOptions {
  onNeedsConnect(error: ApiError): void;
}

export class DocumentList {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly dropZone: DropZone;
  private folder: TreeNode | null = null;
  private after: string | null = null;
  /** How many documents the folder holds, once a page has said so. */
  private total: number | null = null;

  constructor(
    private readonly api: Api,
    private readonly options: ListOptions,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'documents-section';
    this.element.setAttribute('aria-labelledby', 'documents-title');
    this.element.innerHTML = `
      <h2 id="documents-title">Documents</h2>
      <p class="documents-status muted">Select a folder in the tree.</p>
      <table class="documents" hidden>
        <thead><tr><th>Name</th><th>Type</th><th>Size</th><th>Author</th><th>Edited</th><th></th></tr></thead>
        <tbody></tbody>
      </table>
      <button type="button" class="more" hidden>Load more</button>`;
    this.body = this.element.querySelector('tbody')!;
    this.status = this.element.querySelector('.documents-status')!;
    this.more = this.element.querySelector('.more')!;
    this.more.addEventListener('click', () => void this.load());
    this.dropZone = new DropZone(api, { onUploaded: (folderId, doc) => this.showUploaded(folderId, doc), onNeedsConnect: options.onNeedsConnect });
    this.status.after(this.dropZone.element);
  }

  /** Shows the documents of a folder; a workspace has none of its own here. */
  async show(node: TreeNode): Promise<void> {
    this.folder = node.kind === 'folder' ? node : null;
    this.after = null;
    this.total = null;
    // Shown once the folder's first page says what the user may do in it.
    this.dropZone.setFolder(null);
    this.body.replaceChildren();
    this.element.querySelector('table')!.hidden = true;
    this.more.hidden = true;
    if (!this.folder) {
      this.status.textContent = 'Select a folder to see its documents.';
      return;
    }
    this.status.textContent = 'Loading…';
    await this.load();
  }

  private async load(): Promise<void> {
    const folder = this.folder;
    if (!folder) return;
    this.more.disabled = true;
    try {
      const data = await this.api.query(FolderDocumentsDocument, { folder: folder.id, first: PAGE_SIZE, after: this.after });
      if (this.folder !== folder) return; // another folder was selected meanwhile
      const page = data.folder?.documents;
      if (!page) throw new ApiError('NOT_FOUND', 'The folder is gone.');
      if (this.after === null) this.dropZone.setFolder(folder, data.folder?.effectiveSecurity ?? null);
      // A document uploaded while this page loaded may be on it too: keep the row already shown.
      for (const edge of page.edges) if (!this.rowOf(edge.node.id)) this.body.append(this.row(edge.node));
      this.after = page.pageInfo.endCursor ?? null;
      this.more.hidden = !page.pageInfo.hasNextPage;
      this.total = page.totalCount ?? null;
      this.showCount(folder);
    } catch (error) {
      if (error instanceof ApiError && error.needsConnect) return this.options.onNeedsConnect(error);
      this.status.textContent = describeError(error);
    } finally {
      this.more.disabled = false;
    }
  }

  /** A document filed by the drop zone: at the top of the list, marked new, if its folder is still shown. */
  private showUploaded(folderId: string, doc: DocumentRowFragment): void {
    const folder = this.folder;
    if (folder?.id !== folderId) return;
    // Already listed when a retry's answer is the earlier try's document, or a page brought it.
    let tr = this.rowOf(doc.id);
    if (!tr) {
      tr = this.row(doc);
      this.body.prepend(tr);
      if (this.total !== null) this.total += 1;
    }
    tr.classList.add('fresh');
    this.showCount(folder);
  }

  private showCount(folder: TreeNode): void {
    const shown = this.body.childElementCount;
    this.element.querySelector('table')!.hidden = shown === 0;
    this.status.textContent = shown === 0 ? `No documents in “${folder.name}”.` : `${shown} of ${this.total ?? 'more'} document(s) in “${folder.name}”.`;
  }

  private rowOf(documentId: string): HTMLTableRowElement | null {
    for (const tr of this.body.rows) if (tr.dataset.documentId === documentId) return tr;
    return null;
  }

  private row(doc: DocumentRowFragment): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.documentId = doc.id;
    const cells = [
      doc.extension ? `${doc.name}.${doc.extension}` : doc.name,
      doc.type ?? '',
      doc.size === null ? '' : formatSize(doc.size),
      doc.author?.fullName ?? doc.author?.id ?? '',
      doc.editDate ? new Date(doc.editDate).toLocaleDateString() : '',
    ];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Download';
    button.setAttribute('aria-label', `Download ${cells[0]}`);
    button.addEventListener('click', () => void this.download(doc.id, button));
    const td = document.createElement('td');
    td.append(button);
    tr.append(td);
    return tr;
  }

  private async download(id: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const { document: doc } = await this.api.query(DocumentDownloadDocument, { id });
      if (!doc) throw new ApiError('NOT_FOUND', 'The document is gone.');
      location.assign(doc.downloadUrl);
    } catch (error) {
      if (error instanceof ApiError && error.needsConnect) return this.options.onNeedsConnect(error);
      this.status.textContent = describeError(error);
    } finally {
      button.disabled = false;
    }
  }
}
