import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { emptyPage } from '../core/connection.js';
import { subscriptionPagesByCompany, subscriptionsByIds } from '../subgraphs/finance/subscription.repository.js';
import { monthlyRecurringRevenue } from '../core/recurring-revenue.js';
import { costByFeature, costEntriesByIds, invoicesByIds } from '../subgraphs/finance/ledger.repository.js';
import type { BillingSubscription } from '../subgraphs/finance/subscription.type.js';
import { byId, byKept, byKey, perArgs } from './loader-kit.js';

type Amount = { amount: string; currency: string } | null;

export function createFinanceLoaders(db: Db, tenantId: string) {
  return {
    subscriptionById: byId((ids) => subscriptionsByIds(db, tenantId, ids), (s) => s.id),
    invoiceById: byId((ids) => invoicesByIds(db, tenantId, ids), (i) => i.id),
    costEntryById: byId((ids) => costEntriesByIds(db, tenantId, ids), (c) => c.id),
    subscriptionsOfCompany: perArgs((page: PageArgs) => byKey((ids) => subscriptionPagesByCompany(db, tenantId, ids, page), emptyPage<BillingSubscription>())),
    mrrOfCompany: byKey<Amount>((ids) => monthlyRecurringRevenue(db, tenantId, ids), null),
    /** Per feature, its cost entries' sum, from the tenant's kept answer (null: none). */
    costOfFeature: byKept<Amount>(() => costByFeature(db, tenantId), null),
  };
}
