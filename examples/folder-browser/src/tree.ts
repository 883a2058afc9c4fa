import { ApiError, describeError, type Api } from './api.js';
import { LibrariesDocument, LibraryWorkspacesDocument, SubfoldersDocument, WorkspaceFoldersDocument, type TreeFolderFragment } from './gql/graphql.js';

/**
 * The folder tree: libraries → workspaces → folders → subfolders. Nothing below a node is fetched
 * until the user opens it, and then one page at a time: "Load more" asks for the page after the last
 * cursor it has. Each node is a `<li role="treeitem">` built here; there is no framework.
 */

export type NodeKind = 'library' | 'workspace' | 'folder';

export interface TreeNode {
  readonly kind: NodeKind;
  readonly id: string;
  readonly name: string;
}

interface Page {
  items: Array<TreeNode & { expandable: boolean }>;
  totalCount: number | null;
  hasNextPage: boolean;
  endCursor: string | null;
}

const PAGE_SIZE = 25;

/** One page of a node's children, by the node's kind: each a typed document from ./gql. */
async function loadChildren(api: Api, node: TreeNode, after: string | null): Promise<Page> {
  const folderItems = (nodes: TreeFolderFragment[]) =>
    nodes.map((folder) => ({ kind: 'folder' as const, id: folder.id, name: folder.name, expandable: folder.hasSubfolders }));
  if (node.kind === 'library') {
    const data = await api.query(LibraryWorkspacesDocument, { library: node.id, first: PAGE_SIZE, after });
    const page = data.library?.workspaces;
    if (!page) throw new ApiError('NOT_FOUND', 'Library not found.');
    const items = page.edges.map(({ node: ws }) => ({ kind: 'workspace' as const, id: ws.id, name: ws.name, expandable: true }));
    return { items, totalCount: page.totalCount, ...page.pageInfo };
  }
  if (node.kind === 'workspace') {
    const data = await api.query(WorkspaceFoldersDocument, { workspace: node.id, first: PAGE_SIZE, after });
    const page = data.workspace?.folders;
    if (!page) throw new ApiError('NOT_FOUND', 'Workspace not found.');
    return { items: folderItems(page.edges.map((e) => e.node)), totalCount: page.totalCount, ...page.pageInfo };
  }
  const data = await api.query(SubfoldersDocument, { folder: node.id, first: PAGE_SIZE, after });
  const page = data.folder?.subfolders;
  if (!page) throw new ApiError('NOT_FOUND', 'Folder not found.');
  return { items: folderItems(page.edges.map((e) => e.node)), totalCount: page.totalCount, ...page.pageInfo };
}

interface TreeOptions {
  /** A workspace or folder was picked: the parent for "New folder". */
  onSelect(node: TreeNode, path: string[]): void;
  /** iManage must be (re)connected before anything else can load. */
  onNeedsConnect(error: ApiError): void;
}

/** The state of one rendered node. */
interface NodeView {
  readonly node: TreeNode;
  readonly li: HTMLLIElement;
  readonly toggle: HTMLButtonElement;
  /** "72 folders" once the first page says how many there are. */
  readonly count: HTMLSpanElement;
  readonly children: HTMLUListElement;
  readonly more: HTMLButtonElement;
  readonly error: HTMLParagraphElement;
  readonly path: string[];
  loaded: number;
  endCursor: string | null;
  expanded: boolean;
}

export class FolderTree {
  readonly element: HTMLUListElement;
  private readonly views = new Map<string, NodeView>();
  private selected: NodeView | null = null;

  constructor(
    private readonly api: Api,
    private readonly options: TreeOptions,
  ) {
    this.element = document.createElement('ul');
    this.element.className = 'tree';
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Matters and folders');
  }

  /** Shows the user's libraries and opens the preferred one. */
  async start(): Promise<void> {
    const data = await this.api.query(LibrariesDocument, {});
    const customer = data.customer;
    if (!customer) return;
    // Fields that call iManage are null when that call failed (and `query` then throws): checked anyway.
    for (const library of customer.libraries ?? []) {
      this.element.append(this.render({ kind: 'library', id: library.id, name: library.id }, true, []).li);
    }
    const preferred = customer.preferredLibrary ? this.views.get(customer.preferredLibrary.id) : undefined;
    if (preferred) await this.expand(preferred);
  }

  /** Shows a folder just created under `parentId`, selected, without reloading what is open. */
  async showCreated(parentId: string, folder: TreeNode): Promise<void> {
    const parent = this.views.get(parentId);
    if (!parent) return;
    parent.toggle.disabled = false;
    parent.error.hidden = true;
    if (!parent.expanded) await this.expand(parent);
    // The parent's first page may already hold it (a small folder); if not, it goes at the end.
    const view = this.views.get(folder.id) ?? this.append(parent, { ...folder, expandable: false });
    view.li.classList.add('fresh');
    this.select(view);
    view.li.scrollIntoView({ block: 'nearest' });
  }

  private render(node: TreeNode, expandable: boolean, parentPath: string[]): NodeView {
    const li = document.createElement('li');
    li.setAttribute('role', 'treeitem');
    li.dataset.nodeId = node.id;
    li.dataset.kind = node.kind;
    const row = document.createElement('div');
    row.className = 'row';
    const toggle = button('toggle', '▸', `Open ${node.name}`);
    toggle.disabled = !expandable;
    const label = button('label', node.name);
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = node.kind === 'folder' ? '' : node.kind;
    const count = document.createElement('span');
    count.className = 'count muted';
    row.append(toggle, label, kind, count);
    const children = document.createElement('ul');
    children.setAttribute('role', 'group');
    children.hidden = true;
    const more = button('more', 'Load more');
    more.hidden = true;
    const error = document.createElement('p');
    error.className = 'node-error';
    error.hidden = true;
    li.append(row, children, more, error);
    li.setAttribute('aria-expanded', 'false');

    const view: NodeView = { node, li, toggle, count, children, more, error, path: [...parentPath, node.name], loaded: 0, endCursor: null, expanded: false };
    this.views.set(node.id, view);
    toggle.addEventListener('click', () => void (view.expanded ? this.collapse(view) : this.expand(view)));
    label.addEventListener('click', () => {
      if (node.kind === 'library') void (view.expanded ? this.collapse(view) : this.expand(view));
      else this.select(view);
    });
    more.addEventListener('click', () => void this.loadPage(view));
    return view;
  }

  private append(parent: NodeView, item: TreeNode & { expandable: boolean }): NodeView {
    const child = this.render(item, item.expandable, parent.path);
    parent.children.append(child.li);
    return child;
  }

  private select(view: NodeView): void {
    this.selected?.li.classList.remove('selected');
    this.selected = view;
    view.li.classList.add('selected');
    this.options.onSelect(view.node, view.path);
  }

  private async expand(view: NodeView): Promise<void> {
    view.expanded = true;
    view.li.setAttribute('aria-expanded', 'true');
    view.toggle.textContent = '▾';
    view.children.hidden = false;
    if (view.loaded === 0) await this.loadPage(view);
    else view.more.hidden = view.endCursor === null;
  }

  private collapse(view: NodeView): void {
    view.expanded = false;
    view.li.setAttribute('aria-expanded', 'false');
    view.toggle.textContent = '▸';
    view.children.hidden = true;
    view.more.hidden = true;
  }

  /** The next page of a node's children, after the last cursor loaded. */
  private async loadPage(view: NodeView): Promise<void> {
    view.more.disabled = true;
    view.error.hidden = true;
    try {
      const page = await loadChildren(this.api, view.node, view.endCursor);
      // A folder this page brings may be on screen already: one this app just created.
      for (const item of page.items) if (!this.views.has(item.id)) this.append(view, item);
      view.loaded += page.items.length;
      view.endCursor = page.hasNextPage ? page.endCursor : null;
      view.more.hidden = !page.hasNextPage;
      // iManage pages by cursor without counting: the total is known once the last page is in.
      view.more.textContent = page.totalCount === null ? `Load more (${view.loaded} so far)` : `Load more (${view.loaded} of ${page.totalCount})`;
      if (page.totalCount !== null) view.count.textContent = plural(page.totalCount, view.node.kind === 'library' ? 'workspace' : 'folder');
      if (view.loaded === 0) {
        view.error.textContent = 'Empty.';
        view.error.className = 'node-error muted';
        view.error.hidden = false;
      }
    } catch (error) {
      if (error instanceof ApiError && error.needsConnect) {
        this.options.onNeedsConnect(error);
        return;
      }
      view.error.textContent = describeError(error);
      view.error.className = 'node-error';
      view.error.hidden = false;
    } finally {
      view.more.disabled = false;
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function button(className: string, text: string, ariaLabel?: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  if (ariaLabel) element.setAttribute('aria-label', ariaLabel);
  return element;
}
