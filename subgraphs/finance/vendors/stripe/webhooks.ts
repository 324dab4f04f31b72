import { verifyStripeSignature } from '../../../../sync/webhooks/signatures.js';
import type { WebhookSpec } from '../../../../sync/webhooks/webhook.js';
import type { StripeEvent, StripeStream } from './stream.js';

/**
 * Stripe webhooks, as Stripe documents them: the body is an Event (`{ id: "evt_…", type, created,
 * data: { object } }`), signed in `Stripe-Signature` (`t=<unix>,v1=<hex>`) over `t.body`, refused
 * beyond a 300 s tolerance. Delivery is at least once and unordered: the event id is the dedupe
 * key, and each object lands stamped with its event's time, so an older event never overwrites
 * a newer state. The streams say what each event type changes, as they do for `/v1/events`.
 */
export function stripeWebhooks(streams: StripeStream[]): WebhookSpec {
  const changeOf = (event: StripeEvent) => streams.map((s) => s.eventChange(event)).find((c) => c !== null) ?? null;
  return {
    verify: verifyStripeSignature(300),
    deliveries(body) {
      const event = body as Partial<StripeEvent>;
      if (typeof event?.id !== 'string' || typeof event.type !== 'string' || typeof event.created !== 'number' || typeof event.data?.object !== 'object') {
        throw new Error('the body is not a Stripe event (id, type, created, data.object)');
      }
      return [{ id: event.id, type: event.type, payload: event }];
    },
    handles: (type) => streams.some((s) => s.handles(type)),
    async changes(delivery) {
      const change = changeOf(delivery.payload as StripeEvent);
      return change ? [change] : [];
    },
  };
}
