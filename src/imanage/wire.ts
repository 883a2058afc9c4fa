import { z } from 'zod';

/**
 * The shapes iManage sends, validated only as far as we read them: fields the reference marks as
 * sometimes absent are optional, and unknown fields pass through, except on containers (below). A
 * reply that breaks these shapes is a protocol error, never a half-read object.
 */

const optionalString = z.string().nullish();
const optionalBool = z.boolean().nullish();

/**
 * A folder or workspace. iManage sends some 40 fields per container and nothing here reads the ones
 * not listed, so they are dropped while parsing rather than copied: half of the validation's cost on a
 * page of folders.
 */
export const wireContainer = z.object({
  id: z.string().min(1),
  name: z.string(),
  wstype: optionalString,
  description: optionalString,
  database: optionalString,
  default_security: optionalString,
  inherited_default_security: optionalString,
  effective_security: optionalString,
  folder_type: optionalString,
  owner: optionalString,
  edit_date: optionalString,
  has_subfolders: optionalBool,
  has_documents: optionalBool,
  parent_id: optionalString,
  workspace_id: optionalString,
  workspace_name: optionalString,
  profile: z.record(z.string(), z.unknown()).nullish(),
});
export type WireContainer = z.infer<typeof wireContainer>;

export const wireLibrary = z.looseObject({
  id: z.string().min(1),
  type: optionalString,
  is_hidden: optionalBool,
});
export type WireLibrary = z.infer<typeof wireLibrary>;

export const wireDiscovery = z.looseObject({
  data: z.looseObject({
    user: z.looseObject({
      id: z.string().min(1),
      customer_id: z.union([z.number().int(), z.string().regex(/^[0-9]+$/)]),
      name: optionalString,
      email: optionalString,
    }),
    versions: z.array(z.looseObject({ name: z.string(), url: z.string() })).nullish(),
    work: z.looseObject({ preferred_library: optionalString }).nullish(),
  }),
});

/** iManage's access levels as the API spells them, in `access_level` of trustees. */
export type WireAccessLevel = 'no_access' | 'read' | 'read_write' | 'full_access';
export type WireDefaultSecurity = 'inherit' | 'public' | 'view' | 'private';

/** One entry of `user_trustees` or `group_trustees` on create: the kind is implied by the array. */
export interface WireTrustee {
  id: string;
  access_level: WireAccessLevel;
}

/**
 * A folder profile as iManage takes it on create: `class`, `subclass`, `custom1`…`custom30` (strings,
 * numbers for 17–20, ISO 8601 strings for 21–24, booleans for 25–28) and `customN_description`.
 */
export type WireFolderProfile = Partial<Record<string, string | number | boolean>>;

/**
 * The body of `POST …/folders/{id}/subfolders` and `POST …/workspaces/{id}/folders` (reference §4.1),
 * as far as this service sends it. Absent keys are not sent.
 */
export interface WireFolderCreate {
  name: string;
  description?: string;
  default_security: WireDefaultSecurity;
  profile?: WireFolderProfile;
  user_trustees?: WireTrustee[];
  group_trustees?: WireTrustee[];
}

/** A count or number iManage sends as a JSON number, or (some servers) as a string of digits. */
const wireInteger = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^[0-9]{1,15}$/)
    .transform(Number),
]);

/**
 * The result-set siblings of `data` on list replies, each read on its own (reference §5.1, §5.2): the
 * `cursor` of the next page, and `total_count` (with `total=true`, outside cursor mode) as a number or
 * a string of digits. A sibling that breaks its shape must never cost the other: a cursor dropped
 * would end the list short without a word.
 */
export const wireListCursor = z.looseObject({ cursor: optionalString });
export const wireListTotal = z.looseObject({ total_count: wireInteger.nullish() });

/** `custom1`…`custom30` and the code fields' `customN_description` (reference §4.3): typed by number range, read by the graph. */
const customFields = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => i + 1).flatMap((n) => [
    [`custom${n}`, z.unknown().optional()],
    [`custom${n}_description`, optionalString],
  ]),
) as Record<`custom${number}` | `custom${number}_description`, z.ZodType<unknown>>;

/**
 * A document profile (reference §4.3 "Key fields"), as far as this service reads it. Unknown fields are
 * dropped while parsing, as on containers. Its keys are also the `profile_fields` a search asks for
 * (`DOCUMENT_FIELDS`): without them iManage's search answers only `id`, `wstype` and `iwl`.
 */
export const wireDocument = z.object({
  id: z.string().min(1),
  document_number: wireInteger.nullish(),
  version: wireInteger.nullish(),
  name: z.string(),
  extension: optionalString,
  type: optionalString,
  size: z
    .union([
      z.number().nonnegative(),
      z
        .string()
        .regex(/^[0-9]{1,18}$/)
        .transform(Number),
    ])
    .nullish(),
  wstype: optionalString,
  database: optionalString,
  author: optionalString,
  operator: optionalString,
  class: optionalString,
  class_description: optionalString,
  subclass: optionalString,
  comment: optionalString,
  create_date: optionalString,
  edit_date: optionalString,
  default_security: optionalString,
  effective_security: optionalString,
  is_checked_out: optionalBool,
  in_use_by: optionalString,
  checkout_date: optionalString,
  is_latest: optionalBool,
  workspace_id: optionalString,
  workspace_name: optionalString,
  ...customFields,
});
export type WireDocument = z.infer<typeof wireDocument>;

/** Every profile field a document search asks iManage for: the fields `wireDocument` reads. */
export const DOCUMENT_FIELDS: readonly string[] = Object.keys(wireDocument.shape);

/** The siblings of `data` on a document search's reply. */
export const wireSearchMeta = z.looseObject({ overflow: optionalBool });

/**
 * One filing of a document (`POST …/documents/parents`, reference §4.3): the document and a folder it is
 * filed in, each as an object or (some servers) as a bare id.
 */
export const wireDocumentParent = z.object({
  document: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1), document_number: wireInteger.nullish() })]),
  folder: z.union([z.string().min(1), wireContainer]),
});
export type WireDocumentParent = z.infer<typeof wireDocumentParent>;

/** An iManage user (reference §4.4), as far as this service reads it. */
export const wireUser = z.object({
  id: z.string().min(1),
  full_name: optionalString,
  email: optionalString,
});
export type WireUser = z.infer<typeof wireUser>;

/**
 * The `profile` part of an upload or a new version (reference §4.3: `{warnings_for_required_and_disabled_fields,
 * doc_profile{name, extension, …}, user_trustees[], group_trustees[]}`).
 */
export interface WireDocumentUpload {
  warnings_for_required_and_disabled_fields: boolean;
  doc_profile: Partial<Record<string, string | number | boolean>>;
  user_trustees?: WireTrustee[];
  group_trustees?: WireTrustee[];
}

/** The filters of `POST …/documents/search` (reference §4.3, §4.6), as this service sends them. Absent keys are not sent. */
export interface WireDocumentFilters {
  name?: string;
  anywhere?: string;
  type?: string;
  extension?: string;
  author?: string;
  class?: string;
  subclass?: string;
  edit_date_from?: string;
  edit_date_to?: string;
  container_id?: string;
  include_subtree?: boolean;
  document_number?: string;
  [custom: `custom${number}`]: string;
}
