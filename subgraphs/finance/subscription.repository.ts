import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import { anyId } from '../../core/sql.js';
import { MONTHLY_AMOUNT } from '../../core/recurring-revenue.js';
import type { BillingSubscription, SubscriptionStatus } from './subscription.type.js';

const COLUMNS = [
  's.id', 's.status', 's.plan', 's.billing_interval as billingInterval', 's.started_at as startedAt', 's.current_period_end as currentPeriodEnd',
  's.canceled_at as canceledAt', 's.company_id as companyId', 's.amount as amountValue', 's.currency', 's.vendor', 's.external_id', 's.url', 's.synced_at',
] as const;

export const SUBSCRIPTION_ORDERING: Ordering = { name: 'subscriptions:started_at:desc', keys: ['s.started_at', 's.id'], direction: 'desc' };

function selected(db: Db, tenantId: string) {
  return db.selectFrom('finance.subscriptions as s').where('s.tenant_id', '=', tenantId).select(COLUMNS).select(MONTHLY_AMOUNT.as('monthlyValue'));
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
