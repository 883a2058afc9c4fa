/* This file was automatically generated. DO NOT UPDATE MANUALLY. */
    import type   { Resolvers } from './types.generated.js';
    import    { customer as Query_customer } from './resolvers/Query/customer.js';
import    { document as Query_document } from './resolvers/Query/document.js';
import    { documents as Query_documents } from './resolvers/Query/documents.js';
import    { folder as Query_folder } from './resolvers/Query/folder.js';
import    { library as Query_library } from './resolvers/Query/library.js';
import    { viewer as Query_viewer } from './resolvers/Query/viewer.js';
import    { workspace as Query_workspace } from './resolvers/Query/workspace.js';
import    { addDocumentVersion as Mutation_addDocumentVersion } from './resolvers/Mutation/addDocumentVersion.js';
import    { confirmIManageConnection as Mutation_confirmIManageConnection } from './resolvers/Mutation/confirmIManageConnection.js';
import    { createSubfolder as Mutation_createSubfolder } from './resolvers/Mutation/createSubfolder.js';
import    { disconnectIManage as Mutation_disconnectIManage } from './resolvers/Mutation/disconnectIManage.js';
import    { startIManageConnection as Mutation_startIManageConnection } from './resolvers/Mutation/startIManageConnection.js';
import    { uploadDocument as Mutation_uploadDocument } from './resolvers/Mutation/uploadDocument.js';
import    { CreateSubfolderPayload } from './resolvers/CreateSubfolderPayload.js';
import    { Customer } from './resolvers/Customer.js';
import    { Document } from './resolvers/Document.js';
import    { DocumentConnection } from './resolvers/DocumentConnection.js';
import    { DocumentEdge } from './resolvers/DocumentEdge.js';
import    { DocumentProfile } from './resolvers/DocumentProfile.js';
import    { Folder } from './resolvers/Folder.js';
import    { FolderConnection } from './resolvers/FolderConnection.js';
import    { FolderEdge } from './resolvers/FolderEdge.js';
import    { FolderProfile } from './resolvers/FolderProfile.js';
import    { IManageConnection } from './resolvers/IManageConnection.js';
import    { IManageConnectionStart } from './resolvers/IManageConnectionStart.js';
import    { Library } from './resolvers/Library.js';
import    { PageInfo } from './resolvers/PageInfo.js';
import    { UploadDocumentPayload } from './resolvers/UploadDocumentPayload.js';
import    { User } from './resolvers/User.js';
import    { UserError } from './resolvers/UserError.js';
import    { Viewer } from './resolvers/Viewer.js';
import    { Workspace } from './resolvers/Workspace.js';
import    { WorkspaceConnection } from './resolvers/WorkspaceConnection.js';
import    { WorkspaceEdge } from './resolvers/WorkspaceEdge.js';
import    { Upload } from './resolvers/Upload.js';
import    { DateTimeResolver } from 'graphql-scalars';
    export const resolvers: Resolvers = {
      Query: { customer: Query_customer,document: Query_document,documents: Query_documents,folder: Query_folder,library: Query_library,viewer: Query_viewer,workspace: Query_workspace },
      Mutation: { addDocumentVersion: Mutation_addDocumentVersion,confirmIManageConnection: Mutation_confirmIManageConnection,createSubfolder: Mutation_createSubfolder,disconnectIManage: Mutation_disconnectIManage,startIManageConnection: Mutation_startIManageConnection,uploadDocument: Mutation_uploadDocument },
      
      CreateSubfolderPayload: CreateSubfolderPayload,
Customer: Customer,
Document: Document,
DocumentConnection: DocumentConnection,
DocumentEdge: DocumentEdge,
DocumentProfile: DocumentProfile,
Folder: Folder,
FolderConnection: FolderConnection,
FolderEdge: FolderEdge,
FolderProfile: FolderProfile,
IManageConnection: IManageConnection,
IManageConnectionStart: IManageConnectionStart,
Library: Library,
PageInfo: PageInfo,
UploadDocumentPayload: UploadDocumentPayload,
User: User,
UserError: UserError,
Viewer: Viewer,
Workspace: Workspace,
WorkspaceConnection: WorkspaceConnection,
WorkspaceEdge: WorkspaceEdge,
Upload: Upload,
DateTime: DateTimeResolver
    }