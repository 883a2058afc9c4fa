import { Api, ApiError, describeError } from './api.js';
import { DisconnectIManageDocument, ViewerDocument, type ViewerQuery } from './gql/graphql.js';
import { NewFolderForm } from './newFolderForm.js';
import { FolderTree } from './tree.js';

/**
 * The page: who is signed in, then either the "Connect iManage" panel or the tree and the form.
 * The connect flow is three steps (README "Use it from your frontend"): send the browser to
 * `viewer.imanage.connectUrl` with the app token and a `return_to`, the user signs in at iManage, and
 * the browser comes back here with `?imanage=connected` (or `?imanage=error&reason=…`).
 */

const app = document.querySelector<HTMLElement>('#app')!;
const account = document.querySelector<HTMLElement>('#account')!;
const notice = document.querySelector<HTMLElement>('#notice')!;

function showNotice(text: string, kind: 'info' | 'error' = 'info'): void {
  notice.textContent = text;
  notice.className = kind === 'error' ? 'error' : '';
  notice.hidden = false;
}

/** `?imanage=…` is the connect flow's answer: say what happened, then drop it from the address. */
function readConnectResult(): void {
  const url = new URL(location.href);
  const result = url.searchParams.get('imanage');
  if (!result) return;
  if (result === 'connected') showNotice('Your iManage account is connected.');
  else showNotice(`iManage was not connected (${url.searchParams.get('reason') ?? 'unknown reason'}). Try again.`, 'error');
  url.searchParams.delete('imanage');
  url.searchParams.delete('reason');
  history.replaceState(null, '', url);
}

function showConnect(api: Api, imanage: Pick<ViewerQuery['viewer']['imanage'], 'status' | 'connectUrl'>, reason?: ApiError): void {
  app.className = 'single';
  const again = imanage.status === 'REAUTH_REQUIRED' || reason?.code === 'IMANAGE_REAUTH_REQUIRED';
  app.innerHTML = `
    <section>
      <h2>${again ? 'Reconnect iManage' : 'Connect iManage'}</h2>
      <p>${again ? 'iManage no longer accepts your connection: sign in to iManage again to go on.' : 'This app shows your iManage matters and folders, with your own iManage rights. Connect your account once to start.'}</p>
      <p class="hint muted" hidden></p>
      <button type="button" class="primary">${again ? 'Reconnect iManage' : 'Connect iManage'}</button>
    </section>`;
  const hint = app.querySelector<HTMLElement>('.hint')!;
  if (api.loginHint) {
    hint.textContent = api.loginHint;
    hint.hidden = false;
  }
  app.querySelector('button')!.addEventListener('click', () => location.assign(api.connectHref(imanage.connectUrl)));
}

async function showBrowser(api: Api, imanage: ViewerQuery['viewer']['imanage']): Promise<void> {
  app.className = '';
  app.replaceChildren();
  const needsConnect = (error: ApiError) => void reconnect(api, error);
  const tree = new FolderTree(api, {
    onSelect: (node, path) => form.setParent(node, path),
    onNeedsConnect: needsConnect,
  });
  const form = new NewFolderForm(api, {
    onCreated: (parentId, folder) => tree.showCreated(parentId, folder),
    onNeedsConnect: needsConnect,
  });
  const treeSection = document.createElement('section');
  treeSection.className = 'tree-section';
  treeSection.innerHTML = '<h2>Matters</h2>';
  treeSection.append(tree.element);
  app.append(treeSection, form.element);
  showAccount(api, imanage.userId);
  try {
    await tree.start();
  } catch (error) {
    if (error instanceof ApiError && error.needsConnect) needsConnect(error);
    else throw error;
  }
}

/** Any call that says iManage must be connected again brings back the connect panel. */
async function reconnect(api: Api, error: ApiError): Promise<void> {
  const { viewer } = await api.query(ViewerDocument, {});
  showNotice(describeError(error), 'error');
  showConnect(api, viewer.imanage, error);
  showAccount(api, null);
}

function showAccount(api: Api, imanageUser: string | null): void {
  account.replaceChildren();
  const who = document.createElement('span');
  who.textContent = imanageUser ? `${api.user} · iManage: ${imanageUser}` : `${api.user} · iManage not connected`;
  account.append(who);
  if (!imanageUser) return;
  const disconnect = document.createElement('button');
  disconnect.type = 'button';
  disconnect.textContent = 'Disconnect';
  disconnect.addEventListener('click', async () => {
    const { disconnectIManage } = await api.mutate(DisconnectIManageDocument, {});
    showNotice('Your iManage account is disconnected.');
    showConnect(api, disconnectIManage.imanage);
    showAccount(api, null);
  });
  account.append(disconnect);
}

async function main(): Promise<void> {
  readConnectResult();
  const api = await Api.start();
  const { viewer } = await api.query(ViewerDocument, {});
  if (viewer.imanage.status === 'CONNECTED') await showBrowser(api, viewer.imanage);
  else {
    showConnect(api, viewer.imanage);
    showAccount(api, null);
  }
}

main().catch((error: unknown) => {
  app.className = 'single';
  app.innerHTML = '<section><h2>Something went wrong</h2><p class="message"></p></section>';
  app.querySelector('.message')!.textContent = describeError(error);
  console.error(error);
});
