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

/** The result-set siblings of `data` on list replies. */
export const wireListMeta = z.looseObject({
  total_count: z.number().int().nonnegative().nullish(),
  cursor: optionalString,
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
