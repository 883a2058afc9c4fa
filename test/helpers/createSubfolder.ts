import { randomUUID } from 'node:crypto';
import type { Stack } from './stack.js';
import { call, libBase, libOf, login } from '../sandbox/helpers.js';

/** What the createSubfolder tests share: the mutation, and a look at what the sandbox holds. */

export const PAYLOAD_FIELDS = /* GraphQL */ `
  replayed
  userErrors { field code message imanageCode }
  folder {
    id name description defaultSecurity effectiveSecurity folderType owner editDate hasSubfolders hasDocuments
    library { id } workspace { id } parent { id }
    profile { class custom1 custom3 custom3Description custom13 custom17 custom21 custom25 custom29 }
  }
`;

export const CREATE = /* GraphQL */ `
  mutation Create($input: CreateSubfolderInput!) {
    createSubfolder(input: $input) { ${PAYLOAD_FIELDS} }
  }
`;

/** A name no other test uses, so that counts of folders by name are exact. */
export const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

/** The parent's folders as the sandbox has them for JSMITH, straight from its REST API (no facade). */
export async function childrenInSandbox(stack: Stack, parentId: string, kind: 'folder' | 'workspace' = 'folder'): Promise<Array<Record<string, any>>> {
  const { access_token } = await login(stack.sandbox, 'demo');
  const path = `${libBase(stack.sandbox, libOf(parentId))}/${kind === 'folder' ? 'folders' : 'workspaces'}/${parentId}/children`;
  const res = await call(stack.sandbox, access_token, 'GET', path, { query: { exclude_docs: true, limit: 9999 } });
  if (res.status !== 200) throw new Error(`children of ${parentId}: ${res.status}`);
  return res.body.data;
}

/** GET a folder (or its security) from the sandbox as a sandbox user. */
export async function sandboxGet(stack: Stack, folderId: string, suffix = '', user = 'demo'): Promise<{ status: number; body: any }> {
  const { access_token } = await login(stack.sandbox, user);
  return call(stack.sandbox, access_token, 'GET', `${libBase(stack.sandbox, libOf(folderId))}/folders/${folderId}${suffix}`);
}

/** Creates a folder through the facade and returns its id (fails the test on any problem). */
export async function createFolder(stack: Stack, input: Record<string, unknown>, user = 'demo'): Promise<string> {
  const res = await stack.gql(CREATE, { input }, { user });
  const payload = res.body.data?.createSubfolder;
  if (!payload?.folder) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
  return payload.folder.id;
}

/** The mutation with a payload that reads no further, so that call counts are the create's own. */
export const CREATE_BARE = /* GraphQL */ `
  mutation CreateBare($input: CreateSubfolderInput!) {
    createSubfolder(input: $input) { replayed userErrors { field code message imanageCode } folder { id name owner description } }
  }
`;
