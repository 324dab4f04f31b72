import { fromCents } from '../../../../core/decimal.js';
import { cents, computed, MappingError, oneOf, text, timestamp, type TableMapping } from '../../../../sync/mapping.js';
import { OBSERVED_AT } from './stream.js';

/** Stripe has no updated time: the version of a state is when we observed it (listing start or event). */
const observedAt = computed((o: Record<symbol, unknown>) => (typeof o[OBSERVED_AT] === 'number' ? new Date((o[OBSERVED_AT] as number) * 1000) : null));
const upperCurrency = computed((o: { currency?: unknown }) => (typeof o.currency === 'string' ? o.currency.toUpperCase() : 'USD'));
const company = { from: text('customer'), table: 'sales.companies', via: 'company' } as const;

/** A subscription's price per period: every item's `price.unit_amount` times its quantity, summed in integer cents. */
const subscriptionAmount = computed((o: { items?: { data?: unknown[] } }) => {
  const items = o.items?.data;
  if (!Array.isArray(items) || !items.length) throw new MappingError('items.data', 'no subscription items');
  let total = 0n;
  items.forEach((item, i) => {
    const unit = (item as { price?: { unit_amount?: unknown } }).price?.unit_amount;
    const quantity = (item as { quantity?: unknown }).quantity ?? 1;
    // A tiered or metered price has no unit amount: there is no fixed price to store.
    if (typeof unit !== 'number' || !Number.isInteger(unit)) throw new MappingError(`items.data.${i}.price.unit_amount`, `expected integer cents, got ${JSON.stringify(unit ?? null).slice(0, 60)}`);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity)) throw new MappingError(`items.data.${i}.quantity`, `expected an integer, got ${JSON.stringify(quantity).slice(0, 60)}`);
    total += BigInt(unit) * BigInt(quantity);
  });
  return fromCents(total);
});

export const subscriptionMapping: TableMapping = {
  table: 'finance.subscriptions',
  entity: 'BillingSubscription',
  externalId: text('id') as TableMapping['externalId'],
  url: computed((o: { id: string }) => `https://dashboard.stripe.com/subscriptions/${o.id}`),
  updatedAt: observedAt,
  createdAt: timestamp('created', { unit: 's' }),
  columns: {
    status: oneOf('status', { trialing: 'trialing', active: 'active', past_due: 'past_due', canceled: 'canceled', unpaid: 'unpaid', incomplete: 'incomplete', incomplete_expired: 'canceled', paused: 'paused' }),
    plan: text('items.data.0.price.nickname', { optional: true }),
    amount: subscriptionAmount,
    currency: upperCurrency,
    billing_interval: oneOf('items.data.0.price.recurring.interval', { month: 'month', year: 'year' }),
    started_at: timestamp('start_date', { unit: 's' }),
    current_period_end: timestamp('current_period_end', { unit: 's', optional: true }),
    canceled_at: timestamp('canceled_at', { unit: 's', optional: true }),
  },
  refs: { company_id: company },
};

export const invoiceMapping: TableMapping = {
  table: 'finance.invoices',
  entity: 'Invoice',
  externalId: text('id') as TableMapping['externalId'],
  url: computed((o: { id: string }) => `https://dashboard.stripe.com/invoices/${o.id}`),
  updatedAt: observedAt,
  createdAt: timestamp('created', { unit: 's' }),
  columns: {
    number: text('number', { optional: true }),
    status: oneOf('status', { draft: 'draft', open: 'open', paid: 'paid', void: 'void', uncollectible: 'uncollectible' }),
    amount_due: cents('amount_due'),
    amount_paid: cents('amount_paid', { default: '0.00' }),
    currency: upperCurrency,
    issued_at: timestamp('created', { unit: 's' }),
    paid_at: timestamp('status_transitions.paid_at', { unit: 's', optional: true }),
  },
  refs: { company_id: company, subscription_id: { from: text('subscription', { optional: true }), table: 'finance.subscriptions' } },
};

/** A customer is not a row of its own: it is the company's identity in Stripe (explicit CRM id in metadata, else its domain). */
export const customerMapping: TableMapping = {
  table: 'sales.company_identities',
  externalId: text('id') as TableMapping['externalId'],
  columns: {
    domain: computed((o: { email?: string | null; metadata?: Record<string, string> }) => o.metadata?.domain ?? o.email ?? null),
    explicit_vendor: text('metadata.crm', { optional: true }),
    explicit_id: text('metadata.crm_account_id', { optional: true }),
  },
};
