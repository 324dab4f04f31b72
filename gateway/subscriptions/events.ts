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
  /** An argument that keeps only the events of one entity, e.g. `featureId`. */
  entityFilter?: string;
  /**
   * The Query connection that finds several by id (`filter: { ids }`): a burst of events is
   * answered from one page of it (see answerEvents).
   */
  listField?: string;
}

export const SUBSCRIPTION_EVENTS: SubscriptionEvent[] = [
  {
    field: 'featureReleased', eventType: 'feature_release', entity: 'Feature', queryField: 'feature', listField: 'features',
    description: 'A feature was released (its status became released), from whichever product tool.',
  },
  {
    field: 'feedbackReceived', eventType: 'user_feedback', entity: 'Feature', queryField: 'feature', listField: 'features', entityFilter: 'featureId',
    description: 'Feedback (NPS, CSAT or a comment) on a feature arrived; the answer is in the event\'s `extensions.payload` (feedbackId, kind, score).',
  },
  {
    field: 'usageMetricsUpdated', eventType: 'usage_metrics', entity: 'Feature', queryField: 'feature', listField: 'features', entityFilter: 'featureId',
    description: 'Usage of a feature was added to its daily rollups (at most one event a feature a minute).',
  },
  {
    field: 'dealClosed', eventType: 'deal_closed', entity: 'Deal', queryField: 'deal',
    description: 'A deal closed, won or lost (`extensions.payload.won`).',
  },
  {
    field: 'churnRiskChanged', eventType: 'churn_risk', entity: 'Company', queryField: 'company', listField: 'companies',
    description: "A company's health moved to another band (red, yellow, green), so its churn risk changed (`extensions.payload.from`, `.to`).",
  },
  {
    field: 'connectionStatusChanged', eventType: 'connection_status', entity: 'Connection', queryField: 'connection',
    description: 'A vendor connection changed status (active, error, needs_reauth, paused, disconnected).',
  },
];

/** The schema text that adds them to the graph's API schema. */
export function subscriptionSdl(): string {
  const fields = SUBSCRIPTION_EVENTS.map((e) => `  """${e.description} \`after\`: the cursor of the last event received (in each event's \`extensions.cursor\`); the events since are replayed first, in order."""
  ${e.field}(${e.entityFilter ? `${e.entityFilter}: ID, ` : ''}after: String): ${e.entity}!`).join('\n');
  return `type Subscription {\n${fields}\n}\nextend schema { subscription: Subscription }`;
}
