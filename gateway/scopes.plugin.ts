import type { ApolloServerPlugin } from '@apollo/server';
import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { forbiddenFields, satisfies, scopeRules, type ScopeRule } from '../core/scopes.js';
import type { GatewayContext } from './context.js';

/**
 * The gateway's wall for field scopes: before any subgraph is called, every field the operation
 * selects (through fragments too) is checked against the supergraph's `@requiresScopes`; one
 * field the token may not see refuses the whole operation, naming each such field.
 */
export function scopesPlugin(supergraphSdl: string): ApolloServerPlugin<GatewayContext> {
  const rules = scopeRules(supergraphSdl);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          const error = refusedFields(rules, schema, document, contextValue.principal.scopes);
          if (error) {
            (error.extensions as Record<string, unknown>).http = { status: 403 };
            throw error;
          }
        },
      };
    },
  };
}

/** FORBIDDEN naming every field of the operation the scopes do not cover, or null when they cover all. */
export function refusedFields(rules: Map<string, ScopeRule>, schema: GraphQLSchema, document: DocumentNode, scopes: readonly string[]): GraphQLError | null {
  const held = new Set(scopes);
  const denied = new Map<string, ScopeRule>();
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Field() {
      const parent = typeInfo.getParentType();
      const field = typeInfo.getFieldDef();
      if (!parent || !field) return;
      const coordinate = `${parent.name}.${field.name}`;
      const rule = rules.get(coordinate);
      if (rule && !satisfies(rule, held)) denied.set(coordinate, rule);
    },
  }));
  return denied.size ? forbiddenFields([...denied].map(([coordinate, rule]) => ({ coordinate, rule }))) : null;
}
