import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler } from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { REQUEST_ID_HEADER } from '../core/context.js';
import { listen, type Listening } from '../core/http.js';
import { logger } from '../core/logger.js';
import { authenticate } from './auth.js';
import type { GatewayContext } from './context.js';
import { SubgraphSource } from './subgraph-source.js';
import { requestLogPlugin } from '../core/request-log.plugin.js';
import { checkSubgraphs } from './readiness.js';
import { operationLimits } from './limits.js';
import { scopesPlugin } from './scopes.plugin.js';
import { servedSupergraph } from './served-supergraph.js';
import { tenantRateLimiter } from './rate-limit.js';
import { config } from '../core/config.js';
import type { Db } from '../core/db.js';
import { startSubscriptions } from './subscriptions/server.js';
import { SubscriptionSchemaGateway, subscriptionsOverHttpPlugin } from './subscriptions/http-schema.js';
import { webhookRoutes } from './webhooks.js';
import { connectors } from '../sync/connectors.js';
import { parseKeyRing } from '../sync/credentials.js';
import { prepareQueue } from '../sync/queue.js';
import { exportRoutes } from './export/index.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** The real URL of each subgraph by name; names missing here use the supergraph's URL. */
  subgraphUrls: Record<string, string>;
  port: number;
  host: string;
  /** The owner's connection (all tenants): webhook intake and the subscription outbox. */
  db: Db;
  /** The database's URL, for connections of their own (LISTEN). */
  databaseUrl: string;
  /** Events a subscriber may fall behind before it is closed; SUBSCRIPTION_BUFFER unless given. */
  subscriptionBuffer?: number;
}

export type RunningGateway = Listening;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The GraphQL endpoint at /graphql over every subgraph (queries over HTTP, subscriptions over graphql-ws), flat exports at /export, plus /healthz and /readyz. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = logger().child({ component: 'gateway' });
  const gateway = new SubscriptionSchemaGateway(new ApolloGateway({
    supergraphSdl: servedSupergraph(options.supergraphSdl),
    buildService: ({ name, url }) => new SubgraphSource(name, options.subgraphUrls[name] ?? url!),
    logger: log,
  }));
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const cfg = config();
  const limits = operationLimits(cfg);
  const rateLimit = tenantRateLimiter(cfg.RATE_LIMIT_REQUESTS, cfg.RATE_LIMIT_WINDOW_SECONDS);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // No field carries cache hints; Apollo's cache-control plugin would otherwise wrap every field of every row.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), requestLogPlugin<GatewayContext>('info'), ...limits.plugins, subscriptionsOverHttpPlugin(), scopesPlugin(options.supergraphSdl)],
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    parseOptions: limits.parseOptions,
    introspection: cfg.GRAPHQL_INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    logger: log,
    // The process stops its servers itself, in order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const subscriptions = await startSubscriptions({
    httpServer, apollo, schema: gateway.schema, supergraphSdl: options.supergraphSdl, db: options.db, databaseUrl: options.databaseUrl, log,
    bufferSize: options.subscriptionBuffer ?? cfg.SUBSCRIPTION_BUFFER, retentionHours: cfg.OUTBOX_RETENTION_HOURS,
  });

  app.use((req, res, next) => {
    const incoming = req.header(REQUEST_ID_HEADER);
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    next();
  });
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const subgraphs = await checkSubgraphs(options.subgraphUrls);
    const down = Object.entries(subgraphs).filter(([, up]) => !up).map(([name]) => name);
    res.status(down.length ? 503 : 200).json({ status: down.length ? 'degraded' : 'ready', down });
  });
  await prepareQueue(options.databaseUrl);
  webhookRoutes(app, {
    db: options.db, ring: parseKeyRing(cfg.CREDENTIALS_KEYS), connectors, log,
    maxBytes: cfg.WEBHOOK_MAX_BYTES, publicUrl: cfg.WEBHOOK_PUBLIC_URL,
  });
  exportRoutes(app, { apollo, rateLimit, log });
  app.use(
    '/graphql',
    express.json({ limit: cfg.MAX_REQUEST_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        const principal = await authenticate(req.headers);
        await rateLimit(principal.tenantId);
        return { principal, requestId, log: log.child({ requestId, tenantId: principal.tenantId }) };
      },
    }),
  );
  app.use(jsonErrors);

  const listening = await listen(httpServer, options.port, options.host, '/graphql', { what: 'the gateway', variable: 'PORT' });
  return {
    ...listening,
    close: async () => { await subscriptions.close(); await apollo.stop(); await listening.close(); },
  };
}

/** Body parser failures (malformed JSON, oversize bodies) answer as GraphQL errors, not HTML. */
const jsonErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = typeof error?.status === 'number' ? error.status : 500;
  const message =
    status === 413 ? 'The request body is larger than the gateway accepts.'
    : status === 400 ? 'The request body is not valid JSON.'
    : 'Internal server error.';
  res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
};
