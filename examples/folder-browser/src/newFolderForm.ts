import { ApiError, describeError, type Api } from './api.js';
import { CreateFolderDocument, type AccessLevel, type CreateSubfolderInput, type DefaultSecurity } from './gql/graphql.js';
import type { TreeNode } from './tree.js';

/**
 * "New folder": `createSubfolder` under the workspace or folder selected in the tree.
 *
 * - One idempotency key per submit: a new UUID when the user submits, the same one when they retry a
 *   submit whose answer never came (network error, `UPSTREAM_UNAVAILABLE`), so a retry cannot create
 *   a second folder. Changing the form starts a new submit.
 * - `userErrors` are shown beside the field their `field` path names (`["input", "name"]` → Name);
 *   those naming no field of the form go above the button.
 * - `IMANAGE_NOT_CONNECTED` / `IMANAGE_REAUTH_REQUIRED` go back to the connect button.
 */

interface FormOptions {
  onCreated(parentId: string, folder: TreeNode): Promise<void>;
  onNeedsConnect(error: ApiError): void;
}

/** The form's fields, by the `userErrors.field` path they answer to. */
const FIELDS = {
  'input.name': 'name',
  'input.description': 'description',
  'input.defaultSecurity': 'defaultSecurity',
  'input.groupTrustees.0.id': 'group',
  'input.groupTrustees.0.accessLevel': 'groupAccess',
} as const;

export class NewFolderForm {
  readonly element: HTMLElement;
  private readonly form: HTMLFormElement;
  private parent: TreeNode | null = null;
  /** The key of the submit being sent or retried; null once it has a definite answer. */
  private pendingKey: string | null = null;

  constructor(
    private readonly api: Api,
    private readonly options: FormOptions,
  ) {
    this.element = document.createElement('section');
    this.element.setAttribute('aria-labelledby', 'new-folder-title');
    this.element.innerHTML = `
      <h2 id="new-folder-title">New folder</h2>
      <p class="parent muted">Select a workspace or folder in the tree.</p>
      <form novalidate hidden>
        <label for="name">Name</label>
        <input id="name" name="name" autocomplete="off">
        <p class="field-error" data-for="name"></p>
        <label for="description">Description <span class="muted">(optional)</span></label>
        <input id="description" name="description" autocomplete="off">
        <p class="field-error" data-for="description"></p>
        <label for="defaultSecurity">Who else may see it</label>
        <select id="defaultSecurity" name="defaultSecurity">
          <option value="INHERIT">As its parent (inherit)</option>
          <option value="PUBLIC">Everyone may read and change</option>
          <option value="VIEW">Everyone may read</option>
          <option value="PRIVATE">Only people given access</option>
        </select>
        <p class="field-error" data-for="defaultSecurity"></p>
        <label for="group">Give a group access <span class="muted">(optional, e.g. LITIGATION)</span></label>
        <div class="pair">
          <input id="group" name="group" autocomplete="off">
          <select id="groupAccess" name="groupAccess" aria-label="Access level">
            <option value="READ">Read</option>
            <option value="READ_WRITE">Read and write</option>
            <option value="FULL_ACCESS">Full access</option>
          </select>
        </div>
        <p class="field-error" data-for="group"></p>
        <p class="field-error" data-for="groupAccess"></p>
        <p class="field-error" data-for="form"></p>
        <button type="submit" class="primary">Create folder</button>
        <p class="form-status" role="status"></p>
      </form>`;
    this.form = this.element.querySelector('form')!;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    // An edited form is a new submit: it gets a new key.
    this.form.addEventListener('input', () => (this.pendingKey = null));
  }

  /** The selected tree node becomes the parent of the next folder. */
  setParent(node: TreeNode, path: string[]): void {
    this.parent = node;
    this.pendingKey = null;
    this.element.querySelector('.parent')!.textContent = `In: ${path.join(' › ')}`;
    this.form.hidden = false;
    this.clearErrors();
  }

  private async submit(): Promise<void> {
    if (!this.parent) return;
    const parent = this.parent;
    const button = this.form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    const status = this.form.querySelector('.form-status')!;
    this.clearErrors();
    this.pendingKey ??= crypto.randomUUID();
    button.disabled = true;
    status.textContent = 'Creating…';
    try {
      const data = await this.api.mutate(CreateFolderDocument, { input: this.input(parent.id, this.pendingKey) });
      // Null only with an error, which `mutate` has thrown already; checked for the compiler.
      if (!data.createSubfolder) throw new ApiError('INTERNAL', 'The answer had no result.');
      const { folder, userErrors } = data.createSubfolder;
      this.pendingKey = null; // A definite answer: the next submit is a new one.
      if (!folder) {
        for (const error of userErrors) this.showError(error.field, `${error.message} (${error.code})`);
        status.textContent = 'Nothing was created.';
        return;
      }
      status.textContent = `Created “${folder.name}”.`;
      this.form.reset();
      await this.options.onCreated(parent.id, { kind: 'folder', id: folder.id, name: folder.name });
    } catch (error) {
      if (error instanceof ApiError && error.needsConnect) {
        status.textContent = '';
        this.options.onNeedsConnect(error);
        return;
      }
      const unsure = error instanceof ApiError && (error.code === 'NETWORK' || error.code === 'UPSTREAM_UNAVAILABLE');
      // Keep the key only when the folder may exist: pressing the button again then cannot duplicate it.
      if (!unsure) this.pendingKey = null;
      status.textContent = unsure ? `${describeError(error)} Pressing “Create folder” again is safe.` : describeError(error);
    } finally {
      button.disabled = false;
    }
  }

  private input(parentId: string, idempotencyKey: string): CreateSubfolderInput {
    const value = (name: string) => (this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const group = value('group').trim();
    return {
      parentId,
      name: value('name'),
      description: value('description') || null,
      defaultSecurity: value('defaultSecurity') as DefaultSecurity,
      groupTrustees: group ? [{ id: group, accessLevel: value('groupAccess') as AccessLevel }] : null,
      idempotencyKey,
    };
  }

  private showError(field: string[] | null, message: string): void {
    const key = field?.join('.') ?? '';
    const name = key in FIELDS ? FIELDS[key as keyof typeof FIELDS] : 'form';
    const slot = this.form.querySelector(`.field-error[data-for="${name}"]`)!;
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    this.form.querySelector(`#${name}`)?.setAttribute('aria-invalid', 'true');
  }

  private clearErrors(): void {
    for (const slot of this.form.querySelectorAll('.field-error')) slot.textContent = '';
    for (const field of this.form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  }
}
