import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { ApolloServer } from '@apollo/server';
import type { Principal } from '../../core/auth.js';
import type { Logger } from '../../core/logger.js';
import type { GatewayContext } from '../context.js';
import { batchAlias, batchedEntityQuery, batchedEntityVariables, entityVariables, usedVariables, type EntityQuery } from './entity-query.js';
import type { SubscriptionEvent } from './events.js';
import type { OutboxEvent } from './outbox-feed.js';

/** One subscription's selection: who asks (tenant and scopes) and what, for which kind of event. */
export interface Selection {
  principal: Principal;
  event: SubscriptionEvent;
  query: EntityQuery;
  variables: Record<string, unknown>;
  /** Equal for the subscriptions that get the same answer to every event. */
  key: string;
}

export function selection(principal: Principal, event: SubscriptionEvent, query: EntityQuery, variables: Record<string, unknown>): Selection {
  const key = JSON.stringify([principal.tenantId, [...principal.scopes].sort(), query.query, query.responseKey, usedVariables(query, variables)]);
  return { principal, event, query, variables, key };
}

export function failure(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/** Runs an operation through the gateway as the principal: every subgraph, fresh loaders, the same plugins as HTTP. */
export type RunOperation = (principal: Principal, query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

export function operationRunner(apollo: ApolloServer<GatewayContext>, log: Logger): RunOperation {
  return async (principal, query, variables) => {
    const response = await apollo.executeOperation({ query, variables }, {
      contextValue: { principal, requestId: randomUUID(), log: log.child({ tenantId: principal.tenantId }) },
    });
    if (response.body.kind !== 'single') return failure('Incremental delivery is not offered over subscriptions.', 'BAD_REQUEST');
    return response.body.singleResult as ExecutionResult;
  };
}

/** The event's cursor, type and payload: the `extensions` of each of its answers. */
function eventExtensions(outboxEvent: OutboxEvent): Record<string, unknown> {
  return { cursor: outboxEvent.position, eventType: outboxEvent.eventType, ...(Object.keys(outboxEvent.payload ?? {}).length ? { payload: outboxEvent.payload } : {}) };
}

/** The answer to one event from its entity as the query returned it (undefined: the operation failed) and its errors. */
function eventAnswer({ event, query }: Selection, outboxEvent: OutboxEvent, entity: unknown, errors: ExecutionResult['errors']): ExecutionResult {
  const extensions = eventExtensions(outboxEvent);
  if (!errors?.length && (entity === null || entity === undefined)) {
    return { ...failure(`The ${event.entity} ${outboxEvent.entityId} of this event no longer exists.`, 'NOT_FOUND'), extensions };
  }
  return { data: entity === undefined ? null : { [query.responseKey]: entity }, ...(errors?.length ? { errors } : {}), extensions };
}

/** An answer for each event when the operation itself failed: its error. */
function failedAnswers(error: unknown, outboxEvents: readonly OutboxEvent[]): ExecutionResult[] {
  const graphQLError = error instanceof GraphQLError ? error : new GraphQLError('The event could not be resolved.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  return outboxEvents.map((e) => ({ errors: [graphQLError], extensions: eventExtensions(e) }));
}

/**
 * An event's answer to a selection: the selection run as a query for the event's entity, under
 * the subscription's field name, with the event's cursor, type and payload in `extensions`.
 */
async function answerEvent(run: RunOperation, selection: Selection, outboxEvent: OutboxEvent): Promise<ExecutionResult> {
  let result: ExecutionResult;
  try {
    result = await run(selection.principal, selection.query.query, entityVariables(selection.query, selection.variables, outboxEvent.entityId));
  } catch (error) {
    return failedAnswers(error, [outboxEvent])[0];
  }
  const entity = (result.data as Record<string, unknown> | null | undefined)?.[selection.event.queryField];
  return eventAnswer(selection, outboxEvent, entity, result.errors);
}

/**
 * The answers of several events to one selection, each as answerEvent gives it, from one operation:
 * each entity under an alias of its own, so the gateway fetches them together from each subgraph
 * (a burst of events costs one plan and one request per subgraph, not one per event). Each error
 * goes to the entity its path starts at, with the path the single query would have given it. An
 * operation refused as a whole (its size past a limit a single one is within) is answered event by
 * event instead.
 */
export async function answerEvents(run: RunOperation, selection: Selection, outboxEvents: readonly OutboxEvent[]): Promise<ExecutionResult[]> {
  if (outboxEvents.length === 1) return [await answerEvent(run, selection, outboxEvents[0])];
  const { principal, query, variables, event } = selection;
  let result: ExecutionResult;
  try {
    result = await run(principal, batchedEntityQuery(query, outboxEvents.length), batchedEntityVariables(query, variables, outboxEvents.map((e) => e.entityId)));
  } catch (error) {
    return failedAnswers(error, outboxEvents);
  }
  const data = result.data as Record<string, unknown> | null | undefined;
  if (!data) return Promise.all(outboxEvents.map((e) => answerEvent(run, selection, e)));
  const aliases = new Set(outboxEvents.map((_, i) => batchAlias(i)));
  const byAlias = new Map<string, GraphQLError[]>();
  // An error of no one entity (no path into one) is every event's.
  const shared: GraphQLError[] = [];
  for (const error of result.errors ?? []) {
    const alias = String(error.path?.[0] ?? '');
    if (!aliases.has(alias)) {
      shared.push(error);
      continue;
    }
    const rewritten = new GraphQLError(error.message, { path: [event.queryField, ...error.path!.slice(1)], extensions: error.extensions });
    byAlias.set(alias, [...(byAlias.get(alias) ?? []), rewritten]);
  }
  return outboxEvents.map((e, i) => eventAnswer(selection, e, data[batchAlias(i)], [...(byAlias.get(batchAlias(i)) ?? []), ...shared]));
}
