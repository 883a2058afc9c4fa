/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment TreeFolder on Folder {\n  id\n  name\n  hasSubfolders\n}\n\nfragment TreePageInfo on PageInfo {\n  hasNextPage\n  endCursor\n}\n\nquery Viewer {\n  viewer {\n    id\n    imanage {\n      status\n      userId\n      connectUrl\n    }\n  }\n}\n\nquery Libraries {\n  customer {\n    id\n    libraries {\n      id\n    }\n    preferredLibrary {\n      id\n    }\n  }\n}\n\nquery LibraryWorkspaces($library: ID!, $first: Int!, $after: String) {\n  library(id: $library) {\n    id\n    workspaces(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery WorkspaceFolders($workspace: ID!, $first: Int!, $after: String) {\n  workspace(id: $workspace) {\n    id\n    folders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nquery Subfolders($folder: ID!, $first: Int!, $after: String) {\n  folder(id: $folder) {\n    id\n    subfolders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nmutation CreateFolder($input: CreateSubfolderInput!) {\n  createSubfolder(input: $input) {\n    replayed\n    userErrors {\n      field\n      code\n      message\n    }\n    folder {\n      ...TreeFolder\n    }\n  }\n}\n\nmutation DisconnectIManage {\n  disconnectIManage {\n    id\n    imanage {\n      status\n      connectUrl\n    }\n  }\n}": typeof types.TreeFolderFragmentDoc,
};
const documents: Documents = {
    "fragment TreeFolder on Folder {\n  id\n  name\n  hasSubfolders\n}\n\nfragment TreePageInfo on PageInfo {\n  hasNextPage\n  endCursor\n}\n\nquery Viewer {\n  viewer {\n    id\n    imanage {\n      status\n      userId\n      connectUrl\n    }\n  }\n}\n\nquery Libraries {\n  customer {\n    id\n    libraries {\n      id\n    }\n    preferredLibrary {\n      id\n    }\n  }\n}\n\nquery LibraryWorkspaces($library: ID!, $first: Int!, $after: String) {\n  library(id: $library) {\n    id\n    workspaces(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery WorkspaceFolders($workspace: ID!, $first: Int!, $after: String) {\n  workspace(id: $workspace) {\n    id\n    folders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nquery Subfolders($folder: ID!, $first: Int!, $after: String) {\n  folder(id: $folder) {\n    id\n    subfolders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nmutation CreateFolder($input: CreateSubfolderInput!) {\n  createSubfolder(input: $input) {\n    replayed\n    userErrors {\n      field\n      code\n      message\n    }\n    folder {\n      ...TreeFolder\n    }\n  }\n}\n\nmutation DisconnectIManage {\n  disconnectIManage {\n    id\n    imanage {\n      status\n      connectUrl\n    }\n  }\n}": types.TreeFolderFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TreeFolder on Folder {\n  id\n  name\n  hasSubfolders\n}\n\nfragment TreePageInfo on PageInfo {\n  hasNextPage\n  endCursor\n}\n\nquery Viewer {\n  viewer {\n    id\n    imanage {\n      status\n      userId\n      connectUrl\n    }\n  }\n}\n\nquery Libraries {\n  customer {\n    id\n    libraries {\n      id\n    }\n    preferredLibrary {\n      id\n    }\n  }\n}\n\nquery LibraryWorkspaces($library: ID!, $first: Int!, $after: String) {\n  library(id: $library) {\n    id\n    workspaces(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery WorkspaceFolders($workspace: ID!, $first: Int!, $after: String) {\n  workspace(id: $workspace) {\n    id\n    folders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nquery Subfolders($folder: ID!, $first: Int!, $after: String) {\n  folder(id: $folder) {\n    id\n    subfolders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nmutation CreateFolder($input: CreateSubfolderInput!) {\n  createSubfolder(input: $input) {\n    replayed\n    userErrors {\n      field\n      code\n      message\n    }\n    folder {\n      ...TreeFolder\n    }\n  }\n}\n\nmutation DisconnectIManage {\n  disconnectIManage {\n    id\n    imanage {\n      status\n      connectUrl\n    }\n  }\n}"): (typeof documents)["fragment TreeFolder on Folder {\n  id\n  name\n  hasSubfolders\n}\n\nfragment TreePageInfo on PageInfo {\n  hasNextPage\n  endCursor\n}\n\nquery Viewer {\n  viewer {\n    id\n    imanage {\n      status\n      userId\n      connectUrl\n    }\n  }\n}\n\nquery Libraries {\n  customer {\n    id\n    libraries {\n      id\n    }\n    preferredLibrary {\n      id\n    }\n  }\n}\n\nquery LibraryWorkspaces($library: ID!, $first: Int!, $after: String) {\n  library(id: $library) {\n    id\n    workspaces(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery WorkspaceFolders($workspace: ID!, $first: Int!, $after: String) {\n  workspace(id: $workspace) {\n    id\n    folders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nquery Subfolders($folder: ID!, $first: Int!, $after: String) {\n  folder(id: $folder) {\n    id\n    subfolders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...TreePageInfo\n      }\n      edges {\n        node {\n          ...TreeFolder\n        }\n      }\n    }\n  }\n}\n\nmutation CreateFolder($input: CreateSubfolderInput!) {\n  createSubfolder(input: $input) {\n    replayed\n    userErrors {\n      field\n      code\n      message\n    }\n    folder {\n      ...TreeFolder\n    }\n  }\n}\n\nmutation DisconnectIManage {\n  disconnectIManage {\n    id\n    imanage {\n      status\n      connectUrl\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;