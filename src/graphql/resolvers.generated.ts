/* This file was automatically generated. DO NOT UPDATE MANUALLY. */
    import type   { Resolvers } from './types.generated.js';
    import    { customer as Query_customer } from './resolvers/Query/customer.js';
import    { folder as Query_folder } from './resolvers/Query/folder.js';
import    { library as Query_library } from './resolvers/Query/library.js';
import    { viewer as Query_viewer } from './resolvers/Query/viewer.js';
import    { workspace as Query_workspace } from './resolvers/Query/workspace.js';
import    { confirmIManageConnection as Mutation_confirmIManageConnection } from './resolvers/Mutation/confirmIManageConnection.js';
import    { createSubfolder as Mutation_createSubfolder } from './resolvers/Mutation/createSubfolder.js';
import    { disconnectIManage as Mutation_disconnectIManage } from './resolvers/Mutation/disconnectIManage.js';
import    { startIManageConnection as Mutation_startIManageConnection } from './resolvers/Mutation/startIManageConnection.js';
import    { CreateSubfolderPayload } from './resolvers/CreateSubfolderPayload.js';
import    { Customer } from './resolvers/Customer.js';
import    { Folder } from './resolvers/Folder.js';
import    { FolderConnection } from './resolvers/FolderConnection.js';
import    { FolderEdge } from './resolvers/FolderEdge.js';
import    { FolderProfile } from './resolvers/FolderProfile.js';
import    { IManageConnection } from './resolvers/IManageConnection.js';
import    { IManageConnectionStart } from './resolvers/IManageConnectionStart.js';
import    { Library } from './resolvers/Library.js';
import    { PageInfo } from './resolvers/PageInfo.js';
import    { UserError } from './resolvers/UserError.js';
import    { Viewer } from './resolvers/Viewer.js';
import    { Workspace } from './resolvers/Workspace.js';
import    { WorkspaceConnection } from './resolvers/WorkspaceConnection.js';
import    { WorkspaceEdge } from './resolvers/WorkspaceEdge.js';
import    { DateTimeResolver } from 'graphql-scalars';
    export const resolvers: Resolvers = {
      Query: { customer: Query_customer,folder: Query_folder,library: Query_library,viewer: Query_viewer,workspace: Query_workspace },
      Mutation: { confirmIManageConnection: Mutation_confirmIManageConnection,createSubfolder: Mutation_createSubfolder,disconnectIManage: Mutation_disconnectIManage,startIManageConnection: Mutation_startIManageConnection },
      
      CreateSubfolderPayload: CreateSubfolderPayload,
Customer: Customer,
Folder: Folder,
FolderConnection: FolderConnection,
FolderEdge: FolderEdge,
FolderProfile: FolderProfile,
IManageConnection: IManageConnection,
IManageConnectionStart: IManageConnectionStart,
Library: Library,
PageInfo: PageInfo,
UserError: UserError,
Viewer: Viewer,
Workspace: Workspace,
WorkspaceConnection: WorkspaceConnection,
WorkspaceEdge: WorkspaceEdge,
DateTime: DateTimeResolver
    }