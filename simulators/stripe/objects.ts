import type { World, WorldRow } from '../shared/world.js';

/** Stripe objects as the API returns them, rendered from the world's rows (amounts in cents, times in epoch seconds). */

export type StripeObject = Record<string, any> & { id: string; object: string; created: number };

const seconds = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : null);
const cents = (amount: string) => Math.round(Number(amount) * 100);

export function customers(world: World): StripeObject[] {
  return world.rows('sales.company_identities').filter((i) => i.vendor === 'stripe').map((identity) => {
    const company = world.byId('sales.companies', identity.company_id)!;
    const crm = world.rows('sales.company_identities').find((i) => i.company_id === identity.company_id && i.matched_by === 'created');
    // Explicitly mapped customers name their CRM account in metadata; the others only share its domain.
    const metadata = identity.matched_by === 'explicit' && crm ? { crm: crm.vendor, crm_account_id: crm.external_id } : {};
    return {
      id: identity.external_id, object: 'customer', created: seconds(identity.matched_at)!, name: company.name,
      email: `billing@${company.domain}`, description: null, currency: 'usd', delinquent: false, livemode: false, metadata,
    };
  });
}

export function subscription(row: WorldRow): StripeObject {
  const raw = row.raw as Record<string, any>;
  const price = raw.items.data[0].price;
  return {
    id: row.external_id, object: 'subscription', customer: raw.customer, status: row.status, created: seconds(row.started_at)!,
    start_date: seconds(row.started_at), current_period_end: seconds(row.current_period_end), canceled_at: seconds(row.canceled_at),
    cancel_at_period_end: false, collection_method: raw.collection_method, currency: 'usd', livemode: false, metadata: {},
    items: {
      object: 'list', has_more: false, url: `/v1/subscription_items?subscription=${row.external_id}`,
      data: [{ id: `si_${row.external_id.slice(4)}`, object: 'subscription_item', quantity: 1,
        price: { id: `price_${price.nickname}_${price.recurring.interval}`, object: 'price', currency: 'usd', nickname: price.nickname, unit_amount: price.unit_amount, recurring: { interval: price.recurring.interval, interval_count: 1 } } }],
    },
  };
}

export function invoice(row: WorldRow): StripeObject {
  const raw = row.raw as Record<string, any>;
  return {
    id: row.external_id, object: 'invoice', customer: raw.customer, subscription: raw.subscription, number: row.number, status: row.status,
    amount_due: cents(row.amount_due), amount_paid: cents(row.amount_paid), currency: 'usd', created: seconds(row.issued_at)!,
    status_transitions: { finalized_at: seconds(row.issued_at), paid_at: seconds(row.paid_at) }, livemode: false, metadata: {},
  };
}

/** Newest first, as Stripe lists: by creation time, then id. */
export function newestFirst(a: StripeObject, b: StripeObject): number {
  return b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
