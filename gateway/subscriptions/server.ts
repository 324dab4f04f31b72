import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { extendSchema, getOperationAST, GraphQLError, parse, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApolloServer } from '@apollo/server';
import { verifyToken, type Principal } from '../../core/auth.js';
import type { Db } from '../../core/db.js';
import type { Logger } from '../../core/logger.js';
import type { GatewayContext } from '../context.js';
import { refusedFields } from '../scopes.plugin.js';
import { scopeRules } from '../../core/scopes.js';
import { entityQuery, entityVariables, type EntityQuery } from './entity-query.js';
import { SUBSCRIPTION_EVENTS, subscriptionSdl, type SubscriptionEvent } from './events.js';
import { oldestRetained, OutboxFeed, readEvents, type OutboxEvent } from './outbox-feed.js';

/** Close code when a subscriber reads slower than its events come, past its buffer. */
export const SLOW_CONSUMER_CLOSE = 4_100;
/** How long an event's answer is kept for other subscribers with the same selection. */
const SHARED_ANSWER_MS = 2_000;

export interface SubscriptionsOptions {
  httpServer: http.Server;
  apollo: ApolloServer<GatewayContext>;
  apiSchema: GraphQLSchema;
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

interface SocketContext { principal: Principal; socket: WebSocket }

const principals = new WeakMap<object, Principal>();

function failure(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/**
 * graphql-ws on the gateway's /graphql path. `@apollo/gateway` plans no subscriptions, so each
 * event (an entity's type and id from the outbox) is answered by running the subscriber's
 * selection as a query for that entity through the gateway itself: fresh loaders per event,
 * every subgraph's fields, the same scope checks as any query. The connection is authenticated
 * once, at connection_init, with the same bearer token as queries, and sees its tenant's
 * events only.
 */
export async function startSubscriptions(options: SubscriptionsOptions): Promise<Subscriptions> {
  const { apollo, db, log } = options;
  const schema = extendSchema(options.apiSchema, parse(subscriptionSdl()));
  const byField = new Map(SUBSCRIPTION_EVENTS.map((e) => [e.field, e]));
  const rules = scopeRules(options.supergraphSdl);
  const feed = new OutboxFeed(db, options.databaseUrl, log.child({ component: 'outbox-feed' }), options.retentionHours);
  await feed.start();

  async function run(context: SocketContext, query: string, variables: Record<string, unknown>): Promise<ExecutionResult> {
    const response = await apollo.executeOperation({ query, variables }, {
      contextValue: { principal: context.principal, requestId: randomUUID(), log: log.child({ tenantId: context.principal.tenantId }) },
    });
    if (response.body.kind !== 'single') return failure('Incremental delivery is not offered over subscriptions.', 'BAD_REQUEST');
    return response.body.singleResult as ExecutionResult;
  }

  // Subscribers of one tenant with the same selection and scopes share each event's answer.
  const rendered = new Map<string, Promise<ExecutionResult>>();
  function render(context: SocketContext, event: SubscriptionEvent, query: EntityQuery, variables: Record<string, unknown>, outboxEvent: OutboxEvent): Promise<ExecutionResult> {
    const { tenantId, scopes } = context.principal;
    const key = JSON.stringify([outboxEvent.position, tenantId, [...scopes].sort(), query.query, query.responseKey, entityVariables(query, variables, outboxEvent.entityId)]);
    let answer = rendered.get(key);
    if (!answer) {
      answer = renderOnce(context, event, query, variables, outboxEvent);
      rendered.set(key, answer);
      void answer.finally(() => setTimeout(() => rendered.delete(key), SHARED_ANSWER_MS).unref());
    }
    return answer;
  }

  async function renderOnce(context: SocketContext, event: SubscriptionEvent, query: EntityQuery, variables: Record<string, unknown>, outboxEvent: OutboxEvent): Promise<ExecutionResult> {
    const extensions = { cursor: outboxEvent.position, eventType: outboxEvent.eventType, ...(Object.keys(outboxEvent.payload ?? {}).length ? { payload: outboxEvent.payload } : {}) };
    let result: ExecutionResult;
    try {
      result = await run(context, query.query, entityVariables(query, variables, outboxEvent.entityId));
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError('The event could not be resolved.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })], extensions };
    }
    const entity = (result.data as Record<string, unknown> | null | undefined)?.[event.queryField];
    if (!result.errors?.length && (entity === null || entity === undefined)) {
      return { ...failure(`The ${event.entity} ${outboxEvent.entityId} of this event no longer exists.`, 'NOT_FOUND'), extensions };
    }
    return { data: entity === undefined ? null : { [query.responseKey]: entity }, ...(result.errors ? { errors: result.errors } : {}), extensions };
  }

  async function* events(context: SocketContext, event: SubscriptionEvent, query: EntityQuery, variables: Record<string, unknown>): AsyncGenerator<ExecutionResult> {
    const tenantId = context.principal.tenantId;
    // Each event's answer starts as the event arrives: a burst is resolved concurrently, sent in order.
    const queue: { event: OutboxEvent; answer: Promise<ExecutionResult> }[] = [];
    let overflow = false;
    let wake: (() => void) | null = null;
    let last = feed.position;
    const stop = feed.subscribe((e) => {
      if (e.tenantId !== tenantId || e.eventType !== event.eventType || (query.only !== null && e.entityId !== query.only)) return;
      if (queue.length >= options.bufferSize) overflow = true;
      else queue.push({ event: e, answer: render(context, event, query, variables, e) });
      wake?.();
    });
    try {
      if (query.after !== null) {
        if (!/^\d+$/.test(query.after)) {
          yield failure(`"${query.after.slice(0, 40)}" is not a cursor: pass the extensions.cursor of an event received.`, 'BAD_USER_INPUT');
          return;
        }
        const oldest = await oldestRetained(db);
        if (oldest !== null && BigInt(query.after) < BigInt(oldest) - 1n) {
          yield failure(`The cursor ${query.after} is older than the events kept (${options.retentionHours} hours): subscribe without "after" and reload what you show.`, 'CURSOR_EXPIRED');
          return;
        }
        last = query.after;
        for (;;) {
          const missed = await readEvents(db, { after: last, tenantId, eventType: event.eventType });
          for (const e of missed) {
            last = e.position;
            if (query.only !== null && e.entityId !== query.only) continue;
            yield await render(context, event, query, variables, e);
          }
          if (!missed.length) break;
        }
      }
      for (;;) {
        while (queue.length) {
          const { event: e, answer } = queue.shift()!;
          if (BigInt(e.position) <= BigInt(last)) continue;
          last = e.position;
          yield await answer;
        }
        if (overflow) {
          context.socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: more events waited than the buffer holds; resubscribe with "after"');
          return;
        }
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = null;
      }
    } finally {
      stop();
    }
  }

  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
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
    context: (ctx) => ({ principal: principals.get(ctx.extra.socket)!, socket: ctx.extra.socket }) satisfies SocketContext,
    execute: (args: ExecutionArgs) => run(args.contextValue as SocketContext, print(args.document), (args.variableValues ?? {}) as Record<string, unknown>),
    subscribe: (args: ExecutionArgs) => {
      const operation = getOperationAST(args.document, args.operationName)!;
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const fieldName = (operation.selectionSet.selections[0] as { name: { value: string } }).name.value;
      const event = byField.get(fieldName);
      if (!event) return failure(`No subscription "${fieldName}".`, 'BAD_USER_INPUT');
      // Refused before the first event, as a query would be.
      const refused = refusedFields(rules, schema, args.document, (args.contextValue as SocketContext).principal.scopes);
      if (refused) return { errors: [refused] };
      return events(args.contextValue as SocketContext, event, entityQuery(args.document, operation, event.queryField, variables, event.entityFilter), variables);
    },
  }, wsServer);

  return {
    feed,
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await feed.close();
    },
  };
}
