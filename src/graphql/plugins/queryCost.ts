import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from '../errors.js';

/**
 * A guard against absurd documents: an upper bound of the iManage calls an operation could make,
 * checked when the operation is about to execute (the document is valid and the variables are known)
 * and before any resolver runs. The bound is far above what a frontend sends (`QUERY_LIMITS.maxCost`):
 * what an operation really spends is counted as it runs, by the client, against
 * `MAX_UPSTREAM_CALLS_PER_OPERATION` (COST_LIMIT_EXCEEDED on the fields it could not fill).
 *
 * - A field that returns an object costs 1: a list of workspaces or folders is one iManage call, and a
 *   by-id lookup (`folder(id:)`, `parent`, `workspace`, `path`) at most one. Scalars, enums and
 *   `__typename` cost nothing: they come with the object. Introspection costs nothing.
 * - The plumbing of a connection (`edges`, `node`, `pageInfo`, `totalCount`) costs nothing itself.
 * - Whatever is selected below a list is multiplied by the list's length: `first` for a connection's
 *   `edges` (from the literal or the variables, `defaultPageSize` when absent, capped at
 *   `maxPageSize`), `unpagedListSize` for lists without paging (`Customer.libraries`, `Folder.path`).
 *
 * So `folders(first: 100) { edges { node { subfolders { totalCount } } } }` costs 1 + 100 × 1 = 101,
 * and the same one level deeper 1 + 100 × (1 + 100 × 1) = 10101. The estimate is an upper bound, often
 * far above the real count: the loaders batch by-id lookups and skip folders that iManage says have no
 * subfolders, which no estimate made before running can know.
 */

export interface CostModel {
  maxCost: number;
  unpagedListSize: number;
  maxPageSize: number;
  defaultPageSize: number;
}

export function useQueryCost(model: CostModel): Plugin {
  // Per document (Yoga's parser cache hands the same DocumentNode for the same text) and operation
  // name: the cost, when no `first` was read from the variables; otherwise it is worked out each time.
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const name = args.operationName ?? '';
      let cost = known.get(args.document)?.get(name);
      if (cost === undefined) {
        const raw = args.variableValues;
        const variables = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
        const estimate = estimateOperationCost(args.schema, args.document, args.operationName ?? undefined, variables, model);
        cost = estimate.cost;
        if (!estimate.readVariables) {
          let byName = known.get(args.document);
          if (!byName) known.set(args.document, (byName = new Map()));
          byName.set(name, cost);
        }
      }
      if (cost > model.maxCost) {
        setResultAndStopExecution({
          errors: [
            limitExceeded(
              'cost',
              `This operation could make up to about ${Math.round(cost)} iManage calls; documents over ${model.maxCost} are refused. Ask for smaller pages (first) or fewer nested lists, and fetch deeper levels when the user opens them.`,
            ),
          ],
        });
      }
    },
  };
}

/** The estimated iManage calls of the operation that would run, or 0 when there is none to run. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  model: Omit<CostModel, 'maxCost'>,
): number {
  return estimateOperationCost(schema, document, operationName, variables, model).cost;
}

/** The estimate, and whether it read a page size from the variables (so it holds for these variables only). */
function estimateOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  model: Omit<CostModel, 'maxCost'>,
): { cost: number; readVariables: boolean } {
  let readVariables = false;
  const operation = getOperationAST(document, operationName);
  if (!operation) return { cost: 0, readVariables };
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, readVariables };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A fragment's cost depends only on the page size it is spread under: memoized, so fragments that
  // spread fragments twice over cannot make this walk exponential.
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const pageSizeOf = (field: FieldNode): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    let value: unknown = undefined;
    if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
    else if (arg?.value.kind === Kind.VARIABLE) {
      readVariables = true;
      value = variableValue(operation, arg.value.name.value, variables);
    }
    if (value === undefined || value === null) return model.defaultPageSize;
    if (typeof value !== 'number' || !Number.isInteger(value)) return model.maxPageSize;
    return Math.min(Math.max(value, 1), model.maxPageSize);
  };

  const costOf = (set: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += costOf(selection.selectionSet, type, pageSize);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type || !isCompositeType(type)) continue;
        const key = `${fragment.name.value}|${pageSize}`;
        let cost = memo.get(key);
        if (cost === undefined) {
          if (inProgress.has(key)) continue; // a cycle: validation refuses it anyway
          inProgress.add(key);
          cost = costOf(fragment.selectionSet, type, pageSize);
          inProgress.delete(key);
          memo.set(key, cost);
        }
        total += cost;
      } else {
        total += fieldCost(selection, parent, pageSize);
      }
    }
    return total;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType, pageSize: number): number => {
    if (field.name.value.startsWith('__') || !field.selectionSet) return 0;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const definition = parent.getFields()[field.name.value];
    if (!definition) return 0;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return 0;
    const plumbing = isConnectionPlumbing(parent);
    const own = plumbing ? 0 : 1;
    const items = isListType(getNullableType(definition.type)) ? (plumbing ? pageSize : model.unpagedListSize) : 1;
    const childPageSize = definition.args.some((a) => a.name === 'first') ? pageSizeOf(field) : pageSize;
    return own + items * costOf(field.selectionSet, type, childPageSize);
  };

  return { cost: costOf(operation.selectionSet, root, model.defaultPageSize), readVariables };
}

/** A Relay connection (edges and pageInfo) or edge (cursor and node): the shape of one page, not a call of its own. */
function isConnectionPlumbing(type: GraphQLObjectType | GraphQLInterfaceType): boolean {
  const fields = type.getFields();
  return ('edges' in fields && 'pageInfo' in fields) || ('node' in fields && 'cursor' in fields);
}

function variableValue(operation: OperationDefinitionNode, name: string, variables: Record<string, unknown>): unknown {
  if (Object.prototype.hasOwnProperty.call(variables, name)) return variables[name];
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  const fallback = definition?.defaultValue;
  if (fallback?.kind === Kind.INT) return Number(fallback.value);
  if (fallback?.kind === Kind.NULL) return null;
  return undefined;
}
