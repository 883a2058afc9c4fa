/**
 * JSON shapes as iManage sends them (reference §4), always seen through one caller's
 * Perspective: effective_security, has_subfolders and has_documents depend on who asks.
 */
import { DOCUMENT_CLASSES } from './classes.js';
import type { ContainerRecord, DocumentRecord, FolderRecord, Perspective, Profile, UserRecord, WorkspaceRecord } from './store.js';
import { accessRank } from './store.js';

/** Host name used in iwl links and filing e-mail addresses. */
export const DMS_HOST = 'sandbox.imanage.test';
const MAIL_DOMAIN = `mail.${DMS_HOST}`;

const iso = (ms: number): string => new Date(ms).toISOString();

function iwl(library: string, number: number, version?: number): string {
  const ver = version === undefined ? '' : `&&ver=${version}`;
  return `iwl:dms=${DMS_HOST}&&lib=${library}&&num=${number}${ver}&&latest=1`;
}

function fullName(p: Perspective, userId: string): string {
  return p.store.users.get(userId)?.fullName ?? userId;
}

function filingEmail(c: ContainerRecord): string {
  return `${c.emailPrefix}.${c.library.toLowerCase()}@${MAIL_DOMAIN}`;
}

/** Top-level custom fields of a workspace or document: custom1..31 and their descriptions. */
function customFields(profile: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile)) if (/^custom\d+(_description)?$/.test(k)) out[k] = v;
  return out;
}

export function folderJson(p: Perspective, f: FolderRecord): Record<string, unknown> {
  const workspace = p.store.workspace(f.workspaceId);
  const out: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    description: f.description,
    database: f.library,
    default_security: f.defaultSecurity,
  };
  if (f.defaultSecurity === 'inherit') out.inherited_default_security = p.resolvedDefault(f);
  Object.assign(out, {
    effective_security: p.access(f),
    email: filingEmail(f),
    folder_type: f.folderType,
    view_type: 'document',
    wstype: 'folder',
    has_documents: p.hasVisibleDocument(f),
    has_subfolders: p.hasVisibleSubfolder(f),
    has_security: f.defaultSecurity !== 'inherit' || f.acl.length > 0,
    parent_id: f.parentId,
    workspace_id: f.workspaceId,
    workspace_name: workspace?.name ?? '',
    owner: f.owner,
    owner_description: fullName(p, f.owner),
    owner_info: { allow_logon: true, is_external: false },
    create_date: iso(f.createDate),
    edit_date: iso(f.editDate),
    activity_date: iso(f.activityDate),
    location: '',
    is_external: false,
    is_external_as_normal: f.isExternalAsNormal,
    is_container_saved_search: false,
    is_content_saved_search: false,
    project_custom1: f.projectCustom[0],
    project_custom2: f.projectCustom[1],
    project_custom3: f.projectCustom[2],
    profile: { ...f.profile },
    iwl: iwl(f.library, f.number),
  });
  return out;
}

export function workspaceJson(p: Perspective, w: WorkspaceRecord): Record<string, unknown> {
  const profile = w.profile;
  const author = typeof profile.author === 'string' ? profile.author : w.owner;
  const operator = typeof profile.operator === 'string' ? profile.operator : w.owner;
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    database: w.library,
    default_security: w.defaultSecurity,
    effective_security: p.access(w),
    owner: w.owner,
    owner_description: fullName(p, w.owner),
    author,
    author_description: fullName(p, author),
    operator,
    operator_description: fullName(p, operator),
    class: profile.class ?? 'WORKSPACE',
    subclass: profile.subclass ?? '',
    subtype: 'work',
    create_date: iso(w.createDate),
    edit_date: iso(w.editDate),
    edit_profile_date: iso(w.editDate),
    activity_date: iso(w.activityDate),
    document_number: w.number,
    version: 1,
    email: filingEmail(w),
    iwl: iwl(w.library, w.number),
    is_external: false,
    is_external_as_normal: w.isExternalAsNormal,
    is_hipaa: false,
    has_subfolders: p.hasVisibleSubfolder(w),
    has_documents: p.hasVisibleDocument(w),
    last_user: w.owner,
    project_custom1: w.projectCustom[0],
    project_custom2: w.projectCustom[1],
    project_custom3: w.projectCustom[2],
    ...customFields(profile),
    retain_days: 365,
    wstype: 'workspace',
  };
}

const classDescription = (docClass: string): string => (docClass === 'WORKSPACE' ? 'Workspace' : (DOCUMENT_CLASSES[docClass]?.description ?? docClass));

/** Document profile (reference §4.3 "Key fields"), as the caller sees it. */
export function documentJson(p: Perspective, d: DocumentRecord): Record<string, unknown> {
  const workspace = p.store.workspaceOf(d);
  const profile = d.profile;
  const docClass = typeof profile.class === 'string' ? profile.class : 'DOC';
  const out: Record<string, unknown> = {
    id: `${d.library}!${d.number}.${d.version}`,
    document_number: d.number,
    version: d.version,
    name: d.name,
    extension: d.extension,
    type: d.type,
    size: d.size,
    author: d.owner,
    author_description: fullName(p, d.owner),
    operator: d.operator,
    operator_description: fullName(p, d.operator),
    class: docClass,
    class_description: classDescription(docClass),
    subclass: profile.subclass ?? '',
    comment: d.comment,
    create_date: iso(d.createDate),
    edit_date: iso(d.editDate),
    edit_profile_date: iso(d.editDate),
    file_create_date: iso(d.createDate),
    file_edit_date: iso(d.editDate),
    default_security: d.defaultSecurity,
    effective_security: p.access(d),
    database: d.library,
    iwl: iwl(d.library, d.number, d.version),
    is_checked_out: d.checkedOut !== undefined,
    is_in_use: d.checkedOut !== undefined,
    in_use_by: d.checkedOut?.by ?? '',
  };
  if (d.checkedOut) out.checkout_date = iso(d.checkedOut.at);
  Object.assign(out, {
    is_declared: false,
    is_hipaa: false,
    is_latest: p.store.isLatest(d),
    workspace_id: workspace?.id ?? '',
    workspace_name: workspace?.name ?? '',
    ...customFields(profile),
    wstype: 'document',
  });
  return out;
}

/** A user (reference §4.4 get user). */
export function userJson(u: UserRecord): Record<string, unknown> {
  return {
    id: u.id,
    full_name: u.fullName,
    email: u.email,
    ssid: u.ssid,
    user_num: Number(u.ssid),
    user_nos: u.userType === 'virtual' ? 2 : 6,
    preferred_library: u.preferredLibrary,
    is_external: false,
    allow_logon: true,
    wstype: 'user',
  };
}

export function containerJson(p: Perspective, c: ContainerRecord): Record<string, unknown> {
  return c.kind === 'workspace' ? workspaceJson(p, c) : folderJson(p, c);
}

/** §4.5: the ACL goes in `data`, default_security (and inherited_default_security) beside it. */
export function securityJson(p: Perspective, c: ContainerRecord): Record<string, unknown> {
  const data = c.acl.map((t) => {
    const access = accessRank(t.access_level);
    if (t.type === 'user') {
      const user = p.store.users.get(t.id);
      return {
        id: t.id,
        name: user?.fullName ?? t.id,
        type: 'user',
        sid: user?.ssid ?? '',
        access,
        access_level: t.access_level,
        is_external: false,
        allow_logon: true,
      };
    }
    return {
      id: t.id,
      name: p.store.groups.get(t.id)?.fullName ?? t.id,
      type: 'group',
      access,
      access_level: t.access_level,
      enabled: true,
      has_restricted_member: false,
    };
  });
  const out: Record<string, unknown> = { data, default_security: c.defaultSecurity };
  if (c.defaultSecurity === 'inherit') out.inherited_default_security = p.resolvedDefault(c);
  return out;
}
