import type { Connector } from '../../../../sync/connector.js';
import { customers } from './customers.js';
import { invoiceMapping, subscriptionMapping } from './mapping.js';
import { stripeStream } from './stream.js';
import { stripeWebhooks } from './webhooks.js';

/** Customers first: subscriptions and invoices refer to the companies they resolve to. */
const streams = [
  customers,
  stripeStream({
    name: 'subscriptions',
    path: '/v1/subscriptions',
    listQuery: { status: 'all' },
    eventTypes: ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'customer.subscription.paused', 'customer.subscription.resumed'],
    mapping: subscriptionMapping,
  }),
  stripeStream({
    name: 'invoices',
    path: '/v1/invoices',
    eventTypes: ['invoice.created', 'invoice.updated', 'invoice.finalized', 'invoice.paid', 'invoice.payment_failed', 'invoice.voided', 'invoice.marked_uncollectible'],
    deletedTypes: ['invoice.deleted'],
    mapping: invoiceMapping,
  }),
];

/**
 * Stripe (finance). Confirmed against Stripe's API reference:
 * - auth: the secret key as a bearer token; 401 for a bad or rolled key;
 * - lists: `limit` (1..100) and `starting_after=<id>`, newest first, `{ object: "list", data, has_more, url }`;
 *   subscriptions include canceled ones only with `status=all`;
 * - no modification filter and no `updated` field: incremental sync reads `GET /v1/events`
 *   (`types[]`, `created[gte]`, kept 30 days); deletions only appear as events
 *   (`customer.deleted`, `invoice.deleted`); a canceled subscription stays listed with `status=all`;
 * - retries as stripe-node's `_shouldRetry`: `Stripe-Should-Retry: true|false` decides when
 *   present; otherwise 409 and 5xx are retried and a 429 is not; errors are
 *   `{ error: { type, code, message } }`.
 */
export const stripe: Connector = {
  vendor: 'stripe',
  domain: 'finance',
  title: 'Stripe',
  defaultBaseUrl: 'https://api.stripe.com',
  auth: { type: 'bearer' },
  requestsPerSecond: 25,
  signals: {
    classify({ status, headers }) {
      const should = headers.get('stripe-should-retry');
      if (should === 'false') return { retry: false, reason: 'Stripe says not to retry' };
      if (should === 'true') return undefined;
      if (status === 429) return { retry: false, reason: 'Stripe rate limit without Stripe-Should-Retry' };
      // A lock conflict on the object: the official SDK retries it.
      if (status === 409) return { retry: true };
      return undefined;
    },
  },
  streams,
  webhooks: stripeWebhooks(streams),
};
