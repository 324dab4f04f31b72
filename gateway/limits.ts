import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../core/config.js';
import type { GatewayContext } from './context.js';
import { maxPageSize } from '../core/page-sizes.js';
import { assertCost } from './query-cost.js';

/**
 * What an operation may ask for, checked before the gateway plans it (so before any
 * subgraph or SQL runs): tokens (while parsing), depth, aliases and directives
 * (graphql-armor), and a cost that grows with page sizes. Batched HTTP requests are refused.
 */
export function operationLimits(cfg: Config) {
  const armor = new ApolloArmor({
    maxDepth: { n: cfg.MAX_QUERY_DEPTH },
    maxAliases: { n: cfg.MAX_QUERY_ALIASES },
    maxDirectives: { n: cfg.MAX_QUERY_DIRECTIVES },
    // graphql's own parser counts tokens (parseOptions below) and stops at the limit.
    maxTokens: { enabled: false },
    // The cost is computed by `first` below; armor's own cost model does not know page sizes.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !cfg.GRAPHQL_FIELD_SUGGESTIONS },
  }).protect();
  const cost: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          assertCost(
            { schema, document, operationName, variables: request.variables },
            { maximum: cfg.MAX_QUERY_COST, defaultPageSize: cfg.DEFAULT_PAGE_SIZE, maxPageSize: (coordinate) => maxPageSize(coordinate, cfg) },
          );
        },
      };
    },
  };
  return {
    plugins: [...(armor.plugins as ApolloServerPlugin<GatewayContext>[]), cost],
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: false as const,
    parseOptions: { maxTokens: cfg.MAX_QUERY_TOKENS },
  };
}
