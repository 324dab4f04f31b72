import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { ApolloServer } from '@apollo/server';
import type { Principal } from '../../core/auth.js';
import type { Logger } from '../../core/logger.js';
import type { GatewayContext } from '../context.js';
import { entityVariables, usedVariables, type EntityQuery } from './entity-query.js';
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

/**
 * An event's answer to a selection: the selection run as a query for the event's entity, under
 * the subscription's field name, with the event's cursor, type and payload in `extensions`.
 */
export async function answerEvent(run: RunOperation, { principal, event, query, variables }: Selection, outboxEvent: OutboxEvent): Promise<ExecutionResult> {
  const extensions = { cursor: outboxEvent.position, eventType: outboxEvent.eventType, ...(Object.keys(outboxEvent.payload ?? {}).length ? { payload: outboxEvent.payload } : {}) };
  let result: ExecutionResult;
  try {
    result = await run(principal, query.query, entityVariables(query, variables, outboxEvent.entityId));
  } catch (error) {
    return { errors: [error instanceof GraphQLError ? error : new GraphQLError('The event could not be resolved.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })], extensions };
  }
  const entity = (result.data as Record<string, unknown> | null | undefined)?.[event.queryField];
  if (!result.errors?.length && (entity === null || entity === undefined)) {
    return { ...failure(`The ${event.entity} ${outboxEvent.entityId} of this event no longer exists.`, 'NOT_FOUND'), extensions };
  }
  return { data: entity === undefined ? null : { [query.responseKey]: entity }, ...(result.errors ? { errors: result.errors } : {}), extensions };
}
