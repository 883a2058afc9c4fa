import { Api, ApiError, describeError } from './api.js';
import { DisconnectIManageDocument, ViewerDocument, type ViewerQuery } from './gql/graphql.js';
import { DocumentList } from './documentList.js';
import { NewFolderForm } from './newFolderForm.js';
import { FolderTree } from './tree.js';

/**
 * The page: who is signed in, then either the "Connect iManage" panel or the tree and the form.
 * Connecting (README "Use it from your frontend"): the button asks `startIManageConnection` for a
 * single-use URL and sends the browser there; the user signs in at iManage; the browser comes back
 * here with `?imanage=pending&link=…`, which this page confirms at once with
 * `confirmIManageConnection` (or `?imanage=error&reason=…`). One click on this side.
 */

const app = document.querySelector<HTMLElement>('#app')!;
const account = document.querySelector<HTMLElement>('#account')!;
const notice = document.querySelector<HTMLElement>('#notice')!;

function showNotice(text: string, kind: 'info' | 'error' = 'info'): void {
  notice.textContent = text;
  notice.className = kind === 'error' ? 'error' : '';
  notice.hidden = false;
}

/**
 * `?imanage=…` is the connect flow's answer. It is dropped from the address first (a reload must not
 * confirm again); a pending link is confirmed with this user's token. Only the user who pressed
 * "Connect" can confirm: a link someone else started (say, a link sent to trick this user into
 * connecting their iManage account to another account) is refused and discarded by the service.
 */
async function readConnectResult(api: Api): Promise<void> {
  const url = new URL(location.href);
  const result = url.searchParams.get('imanage');
  if (!result) return;
  const link = url.searchParams.get('link');
  const reason = url.searchParams.get('reason');
  for (const name of ['imanage', 'link', 'reason']) url.searchParams.delete(name);
  history.replaceState(null, '', url);
  if (result !== 'pending' || !link) {
    showNotice(`iManage was not connected (${reason ?? 'unknown reason'}). Try again.`, 'error');
    return;
  }
  try {
    await api.confirmConnection(link);
    showNotice('Your iManage account is connected.');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'FORBIDDEN')
      showNotice('This iManage connection was not started from your account, so it was discarded. Connect again if you meant to.', 'error');
    else if (error.code === 'BAD_USER_INPUT') showNotice('This iManage connection expired or was already used. Connect again.', 'error');
    else showNotice(describeError(error), 'error');
  }
}

function showConnect(api: Api, imanage: Pick<ViewerQuery['viewer']['imanage'], 'status'>, reason?: ApiError): void {
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
  const button = app.querySelector('button')!;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      location.assign(await api.connectUrl());
    } catch (error) {
      button.disabled = false;
      showNotice(describeError(error), 'error');
    }
  });
}

async function showBrowser(api: Api, imanage: ViewerQuery['viewer']['imanage']): Promise<void> {
  app.className = '';
  app.replaceChildren();
  const needsConnect = (error: ApiError) => void reconnect(api, error);
  const tree = new FolderTree(api, {
    onSelect: (node, path) => {
      form.setParent(node, path);
      void documents.show(node);
    },
    onNeedsConnect: needsConnect,
  });
  const form = new NewFolderForm(api, {
    onCreated: (parentId, folder) => tree.showCreated(parentId, folder),
    onNeedsConnect: needsConnect,
  });
  const documents = new DocumentList(api, { onNeedsConnect: needsConnect });
  const treeSection = document.createElement('section');
  treeSection.className = 'tree-section';
  treeSection.innerHTML = '<h2>Matters</h2>';
  treeSection.append(tree.element);
  app.append(treeSection, form.element, documents.element);
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
  const api = await Api.start();
  await readConnectResult(api);
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
