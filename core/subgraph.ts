import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { unauthenticated } from './errors.js';
import { requestLogPlugin } from './request-log.plugin.js';
import { listen, type Listening } from './http.js';
import { logger } from './logger.js';
import type { TenantDatabases } from './db.js';
import { REQUEST_ID_HEADER, SCOPES_HEADER, TENANT_HEADER, type Context } from './context.js';
import { config } from './config.js';
import { SIGNATURE_HEADER, verifyRequest } from './gateway-signature.js';
import { createLoaders } from '../loaders/index.js';
import { enforceScopes } from './scopes.js';

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@requiresScopes"])`;

/** One domain's subgraph: its name (as in the supergraph) and how to build its schema. */
export interface SubgraphModule {
  name: string;
  /** Offset from SUBGRAPH_PORT_BASE: each subgraph has its own port. */
  portOffset: number;
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type this subgraph can resolve. */
  references?: GraphQLResolverMap<Context>;
}

export interface BuiltSubgraph {
  name: string;
  schema: GraphQLSchema;
  /** The SDL composition reads, with federation directives. */
  sdl: string;
}

export async function buildSubgraph(module: SubgraphModule): Promise<BuiltSubgraph> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: module.resolvers,
    orphanedTypes: module.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  const resolvers = createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<Context>;
  for (const [type, reference] of Object.entries(module.references ?? {})) {
    resolvers[type] = { ...(resolvers[type] as object), ...(reference as object) } as GraphQLResolverMap<Context>[string];
  }
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphQLSchema)}`);
  const schema = enforceScopes(buildSubgraphSchema([{ typeDefs, resolvers }]), (context) => (context as Context).scopes);
  return { name: module.name, schema, sdl: printSubgraphSchema(schema) };
}

export interface RunningSubgraph extends Listening { name: string }

type RawBodyRequest = http.IncomingMessage & { rawBody?: Buffer };

/**
 * Serves a subgraph over HTTP at /graphql, with /healthz. It answers only requests that
 * carry the gateway's tenant header.
 */
export async function serveSubgraph(built: BuiltSubgraph, options: { databases: TenantDatabases; port: number; host: string }): Promise<RunningSubgraph> {
  const log = logger().child({ subgraph: built.name });
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: built.schema,
    // No field carries cache hints; Apollo's cache-control plugin would otherwise wrap every field of every row.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), requestLogPlugin<Context>('debug')],
    includeStacktraceInErrorResponses: false,
    logger: log,
    // The process stops its servers itself, in order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok', subgraph: built.name }); });
  app.use(
    '/graphql',
    // Only the gateway calls a subgraph; @requires representations (e.g. every adopting company of
    // 100 features) make entity requests far larger than a client's.
    express.json({ limit: '64mb', verify: (req, _res, body) => { (req as RawBodyRequest).rawBody = body; } }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const fields = { tenantId: req.header(TENANT_HEADER) ?? '', scopes: req.header(SCOPES_HEADER) ?? '', requestId: req.header(REQUEST_ID_HEADER) ?? '' };
        const rawBody = (req as RawBodyRequest).rawBody ?? Buffer.alloc(0);
        if (!fields.tenantId || !verifyRequest(config().SUBGRAPH_SECRET, req.header(SIGNATURE_HEADER), fields, rawBody)) {
          throw unauthenticated(`The ${built.name} subgraph answers only requests signed by the gateway: query the gateway's /graphql instead.`);
        }
        const { tenantId } = fields;
        const requestId = fields.requestId || randomUUID();
        const db = options.databases.forTenant(tenantId);
        return {
          tenantId,
          scopes: new Set(fields.scopes.split(' ').filter(Boolean)),
          requestId,
          db,
          loaders: createLoaders(db, tenantId),
          log: log.child({ requestId, tenantId }),
        };
      },
    }),
  );
  const listening = await listen(httpServer, options.port, options.host, '/graphql', { what: `the ${built.name} subgraph`, variable: 'SUBGRAPH_PORT_BASE' });
  return {
    ...listening,
    name: built.name,
    close: async () => { await apollo.stop(); await listening.close(); },
  };
}
