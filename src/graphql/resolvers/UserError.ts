import type { UserErrorResolvers } from './../types.generated.js';

/** Built whole by the mutation that reports it: every field is read as it is. */
export const UserError: UserErrorResolvers = {};
