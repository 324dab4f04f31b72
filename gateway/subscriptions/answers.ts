import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { ApolloServer } from '@apollo/server';
import type { Principal } from '../../core/auth.js';
import type { Logger } from '../../core/logger.js';
import type { GatewayContext } from '../context.js';
import {
  batchAlias, batchedEntityQuery, batchedEntityVariables, entityVariables, LIST_ENTITY_ID, LIST_KEY, listEntityQuery, listEntityVariables, usedVariables, type EntityQuery,
} from './entity-query.js';
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
 * the subscription's field name (errors too: their paths start there, as the data does), with the
 * event's cursor, type and payload in `extensions`.
 */
async function answerEvent(run: RunOperation, selection: Selection, outboxEvent: OutboxEvent): Promise<ExecutionResult> {
  let result: ExecutionResult;
  try {
    result = await run(selection.principal, selection.query.query, entityVariables(selection.query, selection.variables, outboxEvent.entityId));
  } catch (error) {
    return failedAnswers(error, [outboxEvent])[0];
  }
  const { queryField } = selection.event;
  const entity = (result.data as Record<string, unknown> | null | undefined)?.[queryField];
  const errors = new ErrorsByEntity(selection.query.responseKey);
  for (const error of result.errors ?? []) errors.add(error.path?.[0] === queryField ? outboxEvent.entityId : null, error, error.path?.slice(1) ?? []);
  return eventAnswer(selection, outboxEvent, entity, errors.of(outboxEvent.entityId));
}

/**
 * The answers of several events to one selection, each as answerEvent gives it, from one operation,
 * so that a burst of events costs one plan and one request per subgraph, not one per event. An
 * operation refused as a whole (its size past a limit a single one is within) is answered event by
 * event instead.
 */
export async function answerEvents(run: RunOperation, selection: Selection, outboxEvents: readonly OutboxEvent[]): Promise<ExecutionResult[]> {
  if (outboxEvents.length === 1) return [await answerEvent(run, selection, outboxEvents[0])];
  const answers = selection.event.listField ? await answersFromList(run, selection, outboxEvents) : await answersFromAliases(run, selection, outboxEvents);
  return answers ?? Promise.all(outboxEvents.map((e) => answerEvent(run, selection, e)));
}

/** The errors of an operation by the event entity each belongs to, re-rooted under the subscription's field; the rest are every event's. */
class ErrorsByEntity {
  private readonly byKey = new Map<string, GraphQLError[]>();
  private readonly shared: GraphQLError[] = [];

  constructor(private readonly responseKey: string) {}

  add(key: string | null, error: GraphQLError, rest: readonly (string | number)[]): void {
    if (key === null) {
      this.shared.push(error);
      return;
    }
    const rewritten = new GraphQLError(error.message, { path: [this.responseKey, ...rest], extensions: error.extensions });
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), rewritten]);
  }

  of(key: string): GraphQLError[] {
    return [...(this.byKey.get(key) ?? []), ...this.shared];
  }
}

/**
 * Events of an entity with a list field: its connection filtered by their ids, one page (see
 * listEntityQuery), each node matched to its events by id. Null when the list itself failed.
 */
async function answersFromList(run: RunOperation, selection: Selection, outboxEvents: readonly OutboxEvent[]): Promise<ExecutionResult[] | null> {
  const { principal, query, variables, event } = selection;
  let result: ExecutionResult;
  try {
    result = await run(principal, listEntityQuery(query, event.listField!), listEntityVariables(query, variables, outboxEvents.map((e) => e.entityId)));
  } catch (error) {
    return failedAnswers(error, outboxEvents);
  }
  const edges = (result.data as { [LIST_KEY]?: { edges?: ({ node: Record<string, unknown> | null } | null)[] } | null } | null | undefined)?.[LIST_KEY]?.edges;
  if (!edges) return null;
  const nodes = new Map<string, Record<string, unknown>>();
  for (const edge of edges) {
    if (!edge?.node) continue;
    const { [LIST_ENTITY_ID]: id, ...fields } = edge.node;
    nodes.set(String(id), fields);
  }
  const errors = new ErrorsByEntity(query.responseKey);
  for (const error of result.errors ?? []) {
    const path = error.path ?? [];
    const onNode = path[0] === LIST_KEY && path[1] === 'edges' && typeof path[2] === 'number' && path[3] === 'node';
    const id = onNode ? edges[path[2] as number]?.node?.[LIST_ENTITY_ID] : undefined;
    errors.add(id === undefined ? null : String(id), error, path.slice(4));
  }
  // An entity not in the page is one that no longer exists (or is not the tenant's): null, as the single query gives.
  return outboxEvents.map((e) => eventAnswer(selection, e, nodes.get(e.entityId) ?? null, errors.of(e.entityId)));
}

/**
 * Entities an operation of aliases asks for, for `count` events: the next power of two, the last
 * id repeated to fill it. The gateway plans each operation text once, so a few sizes keep every
 * burst on plans it has made, where each count of its own would be planned anew (about 100 ms).
 */
function operationSize(count: number): number {
  return 2 ** Math.ceil(Math.log2(count));
}

/**
 * Events of an entity without a list field: each entity under an alias of its own, so the gateway
 * fetches them from the entity's subgraph together (other subgraphs' fields take a request per
 * alias). Null when the operation answered no data.
 */
async function answersFromAliases(run: RunOperation, selection: Selection, outboxEvents: readonly OutboxEvent[]): Promise<ExecutionResult[] | null> {
  const { principal, query, variables } = selection;
  const size = operationSize(outboxEvents.length);
  const ids = Array.from({ length: size }, (_, i) => outboxEvents[Math.min(i, outboxEvents.length - 1)].entityId);
  let result: ExecutionResult;
  try {
    result = await run(principal, batchedEntityQuery(query, size), batchedEntityVariables(query, variables, ids));
  } catch (error) {
    return failedAnswers(error, outboxEvents);
  }
  const data = result.data as Record<string, unknown> | null | undefined;
  if (!data) return null;
  const aliases = new Set(outboxEvents.map((_, i) => batchAlias(i)));
  const filling = new Set(ids.slice(outboxEvents.length).map((_, i) => batchAlias(outboxEvents.length + i)));
  const errors = new ErrorsByEntity(query.responseKey);
  for (const error of result.errors ?? []) {
    const alias = String(error.path?.[0] ?? '');
    // The filling repeats the last event's entity: its errors are that event's, already kept.
    if (filling.has(alias)) continue;
    errors.add(aliases.has(alias) ? alias : null, error, error.path?.slice(1) ?? []);
  }
  return outboxEvents.map((e, i) => eventAnswer(selection, e, data[batchAlias(i)], errors.of(batchAlias(i))));
}
