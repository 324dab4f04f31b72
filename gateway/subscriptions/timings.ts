import diagnostics_channel from 'node:diagnostics_channel';

/** When one event's answer to one selection went through the fan-out's stages (epoch milliseconds). */
export interface EventTimings {
  position: string;
  entityId: string;
  /** The outbox feed handed the event over: published and read after its notification. */
  read: number;
  /** Its answer was resolved and encoded. */
  answered: number;
  /** Its first and last frames were staged for the turn's write. */
  firstFrame: number;
  lastFrame: number;
}

/**
 * Per-event stage times of the subscription fan-out, for whoever subscribes (the subscriptions
 * benchmark, an operator's probe). With no subscriber nothing is published and the cost is a
 * few timestamps per shared answer.
 */
export const eventTimings = diagnostics_channel.channel('product-graph:subscription-event-timings');
