import { z } from 'zod';

/**
 * The shapes iManage sends, validated only as far as we read them: unknown fields pass through, and
 * fields the reference marks as sometimes absent are optional. A reply that breaks these shapes is a
 * protocol error, never a half-read object.
 */

const optionalString = z.string().nullish();
const optionalBool = z.boolean().nullish();

export const wireContainer = z.looseObject({
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
