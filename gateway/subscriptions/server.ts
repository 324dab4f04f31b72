import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApolloServer } from '@apollo/server';
import { verifyToken, type Principal } from '../../core/auth.js';
import type { Db } from '../../core/db.js';
import type { Logger } from '../../core/logger.js';
import type { GatewayContext } from '../context.js';
import { refusedFields } from '../scopes.plugin.js';
import { scopeRules } from '../../core/scopes.js';
import { answerEvents, failure, operationRunner, selection } from './answers.js';
import { entityQuery } from './entity-query.js';
import { SUBSCRIPTION_EVENTS } from './events.js';
import { Fanout } from './fanout.js';
import { oldestRetained, OutboxFeed } from './outbox-feed.js';

export interface SubscriptionsOptions {
  httpServer: http.Server;
  apollo: ApolloServer<GatewayContext>;
  /** The graph's API schema with its Subscription root. */
  schema: GraphQLSchema;
  supergraphSdl: string;
  db: Db;
  databaseUrl: string;
  log: Logger;
  bufferSize: number;
  retentionHours: number;
}

export interface Subscriptions {
  feed: OutboxFeed;
  close(): Promise<void>;
}

/** graphql-ws makes this once per operation: the socket's principal and the operation's id. */
interface OperationContext { principal: Principal; socket: WebSocket; connection: Duplex; id: string }

const principals = new WeakMap<object, Principal>();

async function* single(result: ExecutionResult): AsyncGenerator<ExecutionResult> {
  yield result;
}

/**
 * graphql-ws on the gateway's /graphql path. `@apollo/gateway` plans no subscriptions, so each
 * event (an entity's type and id from the outbox) is answered by running the subscriber's
 * selection as a query for that entity through the gateway itself: fresh loaders per event,
 * every subgraph's fields, the same scope checks as any query. The connection is authenticated
 * once, at connection_init, with the same bearer token as queries, and sees its tenant's
 * events only. The fan-out (fanout.ts) sends each shared answer to every subscription.
 */
export async function startSubscriptions(options: SubscriptionsOptions): Promise<Subscriptions> {
  const { db, log, schema } = options;
  const byField = new Map(SUBSCRIPTION_EVENTS.map((e) => [e.field, e]));
  const rules = scopeRules(options.supergraphSdl);
  const run = operationRunner(options.apollo, log);
  const feed = new OutboxFeed(db, options.databaseUrl, log.child({ component: 'outbox-feed' }), options.retentionHours);
  await feed.start();
  const fanout = new Fanout({ db, feed, bufferSize: options.bufferSize, render: (s, events) => answerEvents(run, s, events) });

  async function subscribe(args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
    const context = args.contextValue as OperationContext;
    const operation = getOperationAST(args.document, args.operationName)!;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const fieldName = (operation.selectionSet.selections[0] as { name: { value: string } }).name.value;
    const event = byField.get(fieldName);
    if (!event) return failure(`No subscription "${fieldName}".`, 'BAD_USER_INPUT');
    // Refused before the first event, as a query would be.
    const refused = refusedFields(rules, schema, args.document, context.principal.scopes);
    if (refused) return { errors: [refused] };
    const query = entityQuery(args.document, operation, event.queryField, variables, event.entityFilter);
    if (query.after !== null) {
      if (!/^\d+$/.test(query.after)) {
        return single(failure(`"${query.after.slice(0, 40)}" is not a cursor: pass the extensions.cursor of an event received.`, 'BAD_USER_INPUT'));
      }
      const oldest = await oldestRetained(db);
      if (oldest !== null && BigInt(query.after) < BigInt(oldest) - 1n) {
        return single(failure(`The cursor ${query.after} is older than the events kept (${options.retentionHours} hours): subscribe without "after" and reload what you show.`, 'CURSOR_EXPIRED'));
      }
    }
    return fanout.add({ id: context.id, socket: context.socket, connection: context.connection, selection: selection(context.principal, event, query, variables), only: query.only, after: query.after });
  }

  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql', perMessageDeflate: false });
  const cleanup = useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: http.IncomingMessage }>({
    schema,
    onConnect: async (ctx) => {
      const params = ctx.connectionParams ?? {};
      const header = params.authorization ?? params.Authorization;
      try {
        principals.set(ctx.extra.socket, await verifyToken(typeof header === 'string' ? header : undefined));
        return true;
      } catch {
        return false;
      }
    },
    context: (ctx, id) => ({ principal: principals.get(ctx.extra.socket)!, socket: ctx.extra.socket, connection: ctx.extra.request.socket, id }) satisfies OperationContext,
    execute: (args: ExecutionArgs) => run((args.contextValue as OperationContext).principal, print(args.document), (args.variableValues ?? {}) as Record<string, unknown>),
    subscribe,
    // Results of the gateway carry errors already formatted: sent as they are.
    onNext: (_ctx, _id, _payload, _args, result) => result as ExecutionResult & { errors?: never },
  }, wsServer);

  return {
    feed,
    close: async () => {
      await cleanup.dispose();
      fanout.close();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await feed.close();
    },
  };
}
