import {
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AuditOutcome, AuditRecorder } from '../../audit/trail.js';
import type { GraphQLContext } from '../../context.js';
import { maskError } from '../errors.js';

/**
 * The audit trail's GraphQL side: every mutation field that called iManage is recorded, whatever
 * its resolver, so a new mutation is audited without a line of audit code of its own.
 *
 * Each root field of `Mutation` is wrapped once, when the schema is set. graphql-js runs a mutation's
 * root fields one after the other, so the iManage calls a field made are those the request's client
 * counted while its resolver ran. A field that made none (bad input answered in `userErrors` before
 * anything was sent, not connected, or a field that never calls iManage through the request's client,
 * such as `startIManageConnection`) changed nothing in iManage and is not recorded, nor is a replay
 * answered from its idempotency record (a payload with `replayed: true`), which may have read but sent
 * nothing; connecting and disconnecting are recorded by the connect flow and
 * the connections themselves, which call iManage on their own.
 *
 * A row says: `mutation <OperationName> { <field> }`; the ids the field's `ID` arguments name, then
 * the id of each object its payload returns (e.g. the parent and the folder created); the outcome
 * (`ok`, `user_error` with the first userError's code, or the error's code); and iManage's status for
 * the last write the field sent, null when it sent none or none came back. Only ids: no argument of
 * any other type (names, descriptions) and nothing of the answer beyond ids.
 *
 * Only `Mutation`'s fields are wrapped (envelop's on-resolve would put a hook on every resolver of
 * every query, which reads never need).
 */
export function useAuditTrail(audit: AuditRecorder): Plugin<GraphQLContext> {
  const wrapped = new WeakSet<object>();
  return {
    onSchemaChange({ schema }) {
      const mutation = (schema as GraphQLSchema).getMutationType();
      if (!mutation) return;
      for (const field of Object.values(mutation.getFields()) as Array<GraphQLField<unknown, GraphQLContext>>) {
        if (wrapped.has(field)) continue;
        wrapped.add(field);
        field.resolve = audited(field, field.resolve ?? defaultFieldResolver, audit);
      }
    },
  };
}

/** The API's codes that are the caller's doing rather than a failure: their rows are `user_error`. */
const CALLER_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'IMANAGE_NOT_CONNECTED', 'IMANAGE_REAUTH_REQUIRED']);

function audited(
  field: GraphQLField<unknown, GraphQLContext>,
  resolve: GraphQLFieldResolver<unknown, GraphQLContext>,
  audit: AuditRecorder,
): GraphQLFieldResolver<unknown, GraphQLContext> {
  return async (source, args: Record<string, unknown>, context, info) => {
    const callsBefore = context.upstreamCalls();
    const writesBefore = context.imanageWrites().length;
    const record = (outcome: AuditOutcome, errorCode: string | null, result: unknown) => {
      if (context.upstreamCalls() === callsBefore) return; // nothing reached iManage
      const writes = context.imanageWrites();
      const lastWrite = writes.length > writesBefore ? writes[writes.length - 1]! : null;
      const targetIds: string[] = [];
      for (const argument of field.args) idsIn(args[argument.name], argument.type, targetIds);
      idsOut(result, field.type, targetIds);
      audit.record({
        appUserId: context.viewer.id,
        customerId: context.connection?.customerId ?? null,
        imanageUserId: context.connection?.imanageUserId ?? null,
        kind: 'graphql',
        operation: operationOf(info),
        targetIds,
        outcome,
        imanageStatus: lastWrite?.status ?? null,
        errorCode,
        requestId: context.requestId,
      });
    };
    let result: unknown;
    try {
      result = await resolve(source, args, context, info);
    } catch (error) {
      const code = String((maskError(error) as { extensions?: { code?: unknown } }).extensions?.code ?? 'INTERNAL');
      record(CALLER_CODES.has(code) ? 'user_error' : 'error', code, null);
      throw error;
    }
    // A replay answered from its idempotency record sent nothing, whatever it read first (an upload
    // looks its folder or document up before its key is claimed): the first call has the row.
    if (isRecord(result) && result.replayed === true) return result;
    const firstUserError = userErrorsOf(result)[0];
    record(firstUserError ? 'user_error' : 'ok', firstUserError ? codeOf(firstUserError) : null, result);
    return result;
  };
}

/** `mutation CreateFolder { createSubfolder }`; `mutation { createSubfolder }` for an anonymous operation. */
function operationOf(info: GraphQLResolveInfo): string {
  const name = info.operation.name?.value;
  return `mutation ${name ? `${name} ` : ''}{ ${info.fieldName} }`;
}

/** The values of every `ID` in an argument, through lists and input objects. */
function idsIn(value: unknown, type: GraphQLInputType, out: string[]): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return idsIn(value, type.ofType, out);
  if (isListType(type)) {
    if (Array.isArray(value)) for (const item of value) idsIn(item, type.ofType, out);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object') return;
    for (const inner of Object.values(type.getFields())) idsIn((value as Record<string, unknown>)[inner.name], inner.type, out);
    return;
  }
  if (isScalarType(type) && type.name === 'ID' && (typeof value === 'string' || typeof value === 'number')) out.push(String(value));
}

/** The payload's own `id`, and the `id` of each object it holds in a field (not lists: `userErrors` and the like). */
function idsOut(result: unknown, type: GraphQLOutputType, out: string[]): void {
  const named = getNamedType(type);
  if (!isObjectType(named) || !isRecord(result)) return;
  const fields = named.getFields();
  if ('id' in fields && typeof result.id === 'string') out.push(result.id);
  for (const inner of Object.values(fields)) {
    const innerType = isNonNullType(inner.type) ? inner.type.ofType : inner.type;
    const innerNamed = getNamedType(innerType);
    if (isListType(innerType) || !isObjectType(innerNamed) || !('id' in innerNamed.getFields())) continue;
    const value = result[inner.name];
    if (isRecord(value) && typeof value.id === 'string') out.push(value.id);
  }
}

function userErrorsOf(result: unknown): unknown[] {
  return isRecord(result) && Array.isArray(result.userErrors) ? result.userErrors : [];
}

function codeOf(userError: unknown): string | null {
  return isRecord(userError) && typeof userError.code === 'string' ? userError.code : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
