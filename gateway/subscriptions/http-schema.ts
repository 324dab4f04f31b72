import {
  execute, extendSchema, GraphQLError, Kind, OperationTypeNode, parse,
  type DefinitionNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayExecutor, GatewayInterface, GatewayLoadResult, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context.js';
import { subscriptionSdl } from './events.js';

const extended = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** The graph's API schema with the Subscription root that graphql-ws serves. */
export function withSubscriptions(apiSchema: GraphQLSchema): GraphQLSchema {
  let schema = extended.get(apiSchema);
  if (!schema) extended.set(apiSchema, (schema = extendSchema(apiSchema, parse(subscriptionSdl()))));
  return schema;
}

function introspectionFields(operation: OperationDefinitionNode): FieldNode[] {
  return operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type'));
}

/**
 * @apollo/gateway knows no Subscription type: it plans none, so the supergraph has none. Served
 * through this, Apollo Server validates and introspects the graph's API schema with the
 * Subscription root (what clients and code generators read), while the gateway executes queries
 * and mutations as before. `__schema` and `__type` are answered from that schema.
 */
export class SubscriptionSchemaGateway implements GatewayInterface {
  private current: GraphQLSchema | null = null;

  constructor(private readonly gateway: GatewayInterface) {}

  /** The schema served over HTTP and graphql-ws, once loaded. */
  get schema(): GraphQLSchema {
    if (!this.current) throw new Error('The gateway has not loaded its schema yet.');
    return this.current;
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    return this.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.current = withSubscriptions(apiSchema);
      callback({ apiSchema: this.current, coreSupergraphSdl });
    });
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.gateway.load(options);
    if (!executor) return { executor };
    const introspecting: GatewayExecutor = async (requestContext) => {
      const result = await executor(requestContext);
      const fields = introspectionFields(requestContext.operation);
      if (!fields.length) return result;
      const fragments: DefinitionNode[] = requestContext.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
      const operation = { ...requestContext.operation, selectionSet: { ...requestContext.operation.selectionSet, selections: fields } };
      const introspected = await execute({
        schema: this.schema, document: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, variableValues: requestContext.request.variables,
      });
      return { ...result, data: { ...result.data, ...introspected.data } };
    };
    return { executor: introspecting };
  }

  stop(): Promise<void> {
    return this.gateway.stop();
  }
}

/** A subscription sent over HTTP is answered with where to send it instead. */
export function subscriptionsOverHttpPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket on this same path with the graphql-ws protocol (graphql-transport-ws): connect to ws(s)://<this host>/graphql and pass connectionParams { authorization: "Bearer <token>" }.',
            { extensions: { code: 'USE_GRAPHQL_WS', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
