import { GraphQLError, getNullableType, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** Lists without `first` (e.g. a feature's adopting companies) count as this many items. */
export const UNBOUNDED_LIST_ESTIMATE = 10;

/**
 * Every field costs 1 plus what it selects, times the items it returns: `first` for a
 * connection (its default page size when absent; above the connection's own maximum the
 * subgraph refuses it anyway), an estimate for other lists. A connection's `edges` are the
 * `first` items already.
 */
export function pageAwareEstimator(defaultPageSize: number, maxPageSize: (coordinate: string) => number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field.args.some((a) => a.name === 'first')) {
      const first = typeof args.first === 'number' ? args.first : defaultPageSize;
      return 1 + childComplexity * Math.min(Math.max(1, first), maxPageSize(`${type.name}.${field.name}`));
    }
    if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) return 1 + childComplexity * UNBOUNDED_LIST_ESTIMATE;
    return 1 + childComplexity;
  };
}

export interface CostLimit {
  maximum: number;
  defaultPageSize: number;
  /** The largest `first` of the connection at a coordinate ("Type.field"). */
  maxPageSize: (coordinate: string) => number;
}

/** The cost of an operation, or a 400 QUERY_TOO_COMPLEX before any subgraph (or SQL) runs. */
export function assertCost(
  operation: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> },
  limit: CostLimit,
): number | undefined {
  let cost: number;
  try {
    cost = getComplexity({
      schema: operation.schema,
      query: operation.document,
      operationName: operation.operationName ?? undefined,
      variables: operation.variables ?? {},
      estimators: [pageAwareEstimator(limit.defaultPageSize, limit.maxPageSize)],
    });
  } catch {
    // Variables that do not coerce: execution refuses them with BAD_USER_INPUT before anything runs.
    return undefined;
  }
  if (cost > limit.maximum) {
    throw new GraphQLError(
      `This query would cost ${cost} (limit ${limit.maximum}): ask for smaller pages (\`first\`), fewer nested lists or fewer fields.`,
      { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maximum: limit.maximum, http: { status: 400 } } },
    );
  }
  return cost;
}
