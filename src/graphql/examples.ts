/** The operations GraphiQL opens with: a tour of the read path. */
export const exampleOperations = /* GraphQL */ `# Welcome to the iManage Work GraphQL API.
# Every query runs as the calling app user, with their own iManage rights.
# Pick an operation with the ▶ button's menu, or write your own (Ctrl-Space completes).

query WhoAmI {
  viewer {
    id
    imanage { status userId customerId scopes expiresAt connectUrl }
  }
}

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

query FindFolders($library: ID! = "ACTIVE_US", $name: String = "Correspondence") {
  library(id: $library) {
    folders(query: $name, first: 10) {
      totalCount
      edges { node { id name workspace { name } path { name } } }
    }
  }
}

query FolderPage($id: ID!, $after: String) {
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

# Creates a folder under "Notes" in the demo matter. Run it twice with the same key: one folder.
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
`;
