import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import { anyId } from '../../core/sql.js';
import type { BillingSubscription, SubscriptionStatus } from './subscription.type.js';

/** A yearly price per month, rounded to cents in SQL (numeric): never through a float. */
const MONTHLY = sql<string>`case when s.billing_interval = 'year' then round(s.amount / 12, 2) else s.amount end`;

const COLUMNS = [
  's.id', 's.status', 's.plan', 's.billing_interval as billingInterval', 's.started_at as startedAt', 's.current_period_end as currentPeriodEnd',
  's.canceled_at as canceledAt', 's.company_id as companyId', 's.amount as amountValue', 's.currency', 's.vendor', 's.external_id', 's.url', 's.synced_at',
] as const;

export const SUBSCRIPTION_ORDERING: Ordering = { name: 'subscriptions:started_at:desc', keys: ['s.started_at', 's.id'], direction: 'desc' };

function selected(db: Db, tenantId: string) {
  return db.selectFrom('finance.subscriptions as s').where('s.tenant_id', '=', tenantId).select(COLUMNS).select(MONTHLY.as('monthlyValue'));
}

export async function subscriptionsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<BillingSubscription[]> {
  return (await selected(db, tenantId).where(anyId('s.id', ids)).execute()) as BillingSubscription[];
}

export async function subscriptionPage(db: Db, tenantId: string, filter: { companyId?: string | null; status?: SubscriptionStatus[] | null }, page: PageArgs) {
  let query = selected(db, tenantId);
  if (filter.companyId) query = query.where('s.company_id', '=', filter.companyId);
  if (filter.status?.length) query = query.where('s.status', 'in', filter.status);
  return keysetPage<BillingSubscription>(db, query, SUBSCRIPTION_ORDERING, page);
}

export async function subscriptionPagesByCompany(db: Db, tenantId: string, companyIds: readonly string[], page: PageArgs) {
  return keysetPagesByParent<BillingSubscription>(db, selected(db, tenantId).where(anyId('s.company_id', companyIds)), 's.company_id', companyIds, SUBSCRIPTION_ORDERING, page);
}

/** Per company: the monthly amounts of its active and past-due subscriptions, summed exactly. */
export async function monthlyRecurringRevenue(db: Db, tenantId: string, companyIds: readonly string[]): Promise<Map<string, { amount: string; currency: string }>> {
  const rows = await db.selectFrom('finance.subscriptions as s')
    .select(['s.company_id', sql<string>`sum(${MONTHLY})`.as('amount'), sql<string>`min(s.currency)`.as('currency')])
    .where('s.tenant_id', '=', tenantId).where(anyId('s.company_id', companyIds)).where('s.status', 'in', ['active', 'past_due'])
    .groupBy('s.company_id').execute();
  return new Map(rows.map((r) => [r.company_id!, { amount: r.amount, currency: r.currency }]));
}
