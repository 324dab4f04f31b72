/**
 * The subscriptions the graph offers. An event carries only its entity's type and id (from the
 * outbox); the subscriber's selection is resolved as a query for that entity (`queryField`),
 * through the gateway, so fields of every subgraph are available.
 */
export interface SubscriptionEvent {
  /** The Subscription field. */
  field: string;
  /** The outbox event type it follows. */
  eventType: string;
  /** The entity's GraphQL type and the Query field that finds one by id. */
  entity: string;
  queryField: string;
  description: string;
}

export const SUBSCRIPTION_EVENTS: SubscriptionEvent[] = [
  {
    field: 'featureReleased', eventType: 'feature_release', entity: 'Feature', queryField: 'feature',
    description: 'A feature was released (its status became released), from whichever product tool.',
  },
  {
    field: 'connectionStatusChanged', eventType: 'connection_status', entity: 'Connection', queryField: 'connection',
    description: 'A vendor connection changed status (active, error, needs_reauth, paused, disconnected).',
  },
];

/** The schema text that adds them to the graph's API schema. */
export function subscriptionSdl(): string {
  const fields = SUBSCRIPTION_EVENTS.map((e) => `  """${e.description} \`after\`: the cursor of the last event received (in each event's \`extensions.cursor\`); the events since are replayed first, in order."""
  ${e.field}(after: String): ${e.entity}!`).join('\n');
  return `type Subscription {\n${fields}\n}\nextend schema { subscription: Subscription }`;
}
