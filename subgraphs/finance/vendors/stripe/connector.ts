import type { Connector } from '../../../../sync/connector.js';
import { resolveIdentities } from '../../../../sync/identity.js';
import { customerMapping, invoiceMapping, subscriptionMapping } from './mapping.js';
import { stripeStream } from './stream.js';

/**
 * Stripe (finance). Confirmed against Stripe's API reference:
 * - auth: the secret key as a bearer token; 401 for a bad or rolled key;
 * - lists: `limit` (1..100) and `starting_after=<id>`, newest first, `{ object: "list", data, has_more, url }`;
 *   subscriptions include canceled ones only with `status=all`;
 * - no modification filter and no `updated` field: incremental sync reads `GET /v1/events`
 *   (`types[]`, `created[gte]`, kept 30 days); deletions only appear as events;
 * - retries: a 429 (or any status) is retried only when `Stripe-Should-Retry: true`, never when
 *   `false`, as the official SDK does; errors are `{ error: { type, code, message } }`.
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
      return undefined;
    },
  },
  streams: [
    stripeStream({
      name: 'customers',
      path: '/v1/customers',
      eventTypes: ['customer.created', 'customer.updated'],
      mapping: customerMapping,
      reconcilable: false,
      async store(trx, target, records) {
        const resolved = await resolveIdentities(trx, target.tenantId, target.vendor, records.map((r) => ({
          externalId: r.externalId,
          domain: r.columns.domain as string | null,
          explicit: r.columns.explicit_vendor && r.columns.explicit_id ? { vendor: r.columns.explicit_vendor as string, externalId: r.columns.explicit_id as string } : null,
        })));
        const rejected = records.filter((r) => !resolved.get(r.externalId)).map((r) => ({
          externalId: r.externalId, reason: 'no company matches this customer (no CRM account id in metadata, no known domain)', payload: r.raw,
        }));
        return { changed: [], unchanged: records.length - rejected.length, rejected };
      },
    }),
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
  ],
};
