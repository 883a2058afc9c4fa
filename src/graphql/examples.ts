/**
 * The operations GraphiQL opens with, one tab each: a tour from the customer down to a folder, paging,
 * a folder's path, creating a folder, the caller's connection, searching folders, a folder's
 * documents and searching documents. The ids are the sandbox's demo firm
 * (`src/sandbox/README.md`), so in sandbox mode every tab runs as it is.
 */

export interface ExampleTab {
  /** The operation (one per tab), with comments that teach. */
  readonly query: string;
  /** The tab's variables, as GraphiQL shows them (JSON), when the operation has any worth changing. */
  readonly variables?: string;
}

export const exampleTabs: readonly ExampleTab[] = [
  {
    query: /* GraphQL */ `# Welcome to the iManage Work GraphQL API.
#
# Every query runs as the calling app user, with their
# own iManage rights. In sandbox mode the Headers tab
# below holds a dev token for the app user "demo".
#
# Run this tab with ▶ (or Ctrl-Enter); Ctrl-Space
# completes. The book icon on the left opens the docs:
# every type, field and argument is described there.
# The other tabs: paging, a folder's path, creating a
# folder, your iManage connection, searching folders,
# a folder's documents, searching documents.
# Filing a document (uploadDocument, addDocumentVersion)
# sends a file, which GraphiQL cannot: the docs show the
# mutations, README "Uploading a document" a curl.
#
# The tree: customer → libraries → workspaces (matters)
# → folders → subfolders. Lists are Relay connections:
# ask for \`first\` items, then pass \`pageInfo.endCursor\`
# as \`after\` for the next page.

query BrowseMatters {
  customer {
    id
    preferredLibrary { id }
    libraries {
      id
      type
      workspaces(first: 5) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id
            name
            folders(first: 10) {
              edges { node { id name hasSubfolders subfolders(first: 5) { totalCount edges { node { name } } } } }
            }
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: /* GraphQL */ `# Cursor paging through a folder with 72 subfolders,
# 20 at a time. Run it, copy \`pageInfo.endCursor\` into
# "after" in the Variables tab, and run it again, until
# \`hasNextPage\` is false. Any edge's cursor works as
# \`after\`, not only the last one. iManage pages by
# cursor without counting: \`totalCount\` is null until
# a page reaches the end of the list.

query FolderPage($id: ID! = "ACTIVE_US!52847", $after: String) {
  folder(id: $id) {
    name
    defaultSecurity
    effectiveSecurity
    subfolders(first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name } }
    }
  }
}
`,
    variables: JSON.stringify({ id: 'ACTIVE_US!52847', after: null }, null, 2),
  },
  {
    query: /* GraphQL */ `# A folder deep in a matter, with its breadcrumbs:
# \`path\` runs from the topmost folder under the
# workspace down to this one (included); the workspace
# itself is \`workspace\`.

query FolderPath($id: ID! = "ACTIVE_US!52736") {
  folder(id: $id) {
    id
    name
    workspace { id name }
    path { id name }
    parent { id name }
    subfolders(first: 10) { totalCount edges { node { id name hasSubfolders } } }
  }
}
`,
    variables: JSON.stringify({ id: 'ACTIVE_US!52736' }, null, 2),
  },
  {
    query: /* GraphQL */ `# Creates a folder under "Notes" in the demo matter,
# with a profile field and trustees. Bad input comes
# back in \`userErrors\` (each names its input field),
# and nothing is created.
#
# Run it twice with the same idempotency key: one
# folder, and the second answer says \`replayed: true\`.
# A form sends a new key (a UUID) per submit, and the
# same key when it retries that submit.

mutation CreateFolder($parentId: ID! = "ACTIVE_US!56298", $key: String = "example-key-1") {
  createSubfolder(input: {
    parentId: $parentId
    name: "Employee Agreements"
    description: "Signed and draft agreements"
    defaultSecurity: PRIVATE
    profile: { custom3: "EMP" }
    userTrustees: [{ id: "AKUMAR", accessLevel: READ }]
    groupTrustees: [{ id: "EMPLOYMENT", accessLevel: READ_WRITE }]
    idempotencyKey: $key
  }) {
    replayed
    userErrors { field code message imanageCode }
    folder { id name defaultSecurity owner parent { id name hasSubfolders } }
  }
}
`,
    variables: JSON.stringify({ parentId: 'ACTIVE_US!56298', key: 'example-key-1' }, null, 2),
  },
  {
    query: /* GraphQL */ `# Who is calling, and their iManage connection. It
# never calls iManage, so it always answers. When
# \`status\` is NOT_CONNECTED or REAUTH_REQUIRED, connect
# (README: "Use it from your frontend"):
#   mutation { startIManageConnection(returnTo: "<your
#     page>") { url expiresAt } }
# then send the browser to \`url\` (it carries no token);
# it comes back to your page with ?imanage=pending&link=…
# and your page calls, with the same user's token,
#   mutation { confirmIManageConnection(link: "…") {
#     imanage { status userId } } }

query WhoAmI {
  viewer {
    id
    imanage { status userId customerId scopes }
  }
}
`,
  },
  {
    query: /* GraphQL */ `# Folders anywhere in a library whose name contains
# some text: any part of the name, any case ("orresp"
# finds "Correspondence"). \`*\` and \`,\` are plain
# characters, not wildcards. iManage matches whole
# names, so the service narrows with iManage's filter
# and checks each name itself. \`totalCount\` is known
# once the last page is reached (null before).

query FindFolders($library: ID! = "ACTIVE_US", $name: String = "orresp") {
  library(id: $library) {
    folders(query: $name, first: 10) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name workspace { name } path { name } } }
    }
  }
}
`,
    variables: JSON.stringify({ library: 'ACTIVE_US', name: 'orresp' }, null, 2),
  },
  {
    query: /* GraphQL */ `# The documents filed in a folder (250 here), newest
# first, 10 a page: pass \`pageInfo.endCursor\` as
# "after" for the next. Each document's author, its
# versions' latest and where it is filed (a document
# may sit in several folders), with their paths: one
# iManage call each for the whole page, not one per
# document.

query FolderDocuments($id: ID! = "ACTIVE_US!58221", $after: String) {
  folder(id: $id) {
    name
    documents(first: 10, after: $after, orderBy: { field: EDIT_DATE, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          name
          extension
          size
          editDate
          author { id fullName }
          latest { version }
          locations { name path { name } }
        }
      }
    }
  }
}
`,
    variables: JSON.stringify({ id: 'ACTIVE_US!58221', after: null }, null, 2),
  },
  {
    query: /* GraphQL */ `# iManage's document search in a library. \`name\`
# finds any part of the name, any case ("statement"
# finds "Witness statement – R. Smith"), with \`*\` and
# \`,\` as plain characters; \`fullText\` finds whole
# words in the text itself (try "Delaware"). Other
# filters: type, extension, author, class, custom
# fields, editedAfter/editedBefore, and a container
# (folder or workspace) with includeSubtree.

query FindDocuments($library: ID! = "ACTIVE_US", $name: String = "statement", $text: String) {
  library(id: $library) {
    documents(filter: { name: $name, fullText: $text }, first: 10) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          name
          type
          editDate
          author { fullName }
          checkedOutBy { fullName }
          workspace { name }
          versions { id version }
        }
      }
    }
  }
}
`,
    variables: JSON.stringify({ library: 'ACTIVE_US', name: 'statement', text: null }, null, 2),
  },
];

/** Every example in one document (operation names are unique): what tests validate and price. */
export const exampleOperations: string = exampleTabs.map((tab) => tab.query).join('\n');
