import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import { anyId } from '../../core/sql.js';
import { AdoptionSnapshots } from '../../core/adoption-snapshots.js';
import type { CostCategory, CostEntry } from './cost-entry.type.js';
import type { Invoice, InvoiceStatus } from './invoice.type.js';
import type { Budget } from './budget.type.js';

const COST_COLUMNS = [
  'c.id', 'c.category', 'c.incurred_on as incurredOn', 'c.description', 'c.feature_id as featureId', 'c.amount as amountValue', 'c.currency',
  'c.vendor', 'c.external_id', 'c.url', 'c.synced_at',
] as const;
const COST_ORDERING: Ordering = { name: 'cost_entries:incurred_on:desc', keys: ['c.incurred_on', 'c.id'], direction: 'desc' };

export interface CostFilterValues { featureId?: string | null; category?: CostCategory[] | null; from?: string | null; to?: string | null }

export async function costEntriesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<CostEntry[]> {
  return (await db.selectFrom('finance.cost_entries as c').select(COST_COLUMNS).where('c.tenant_id', '=', tenantId).where(anyId('c.id', ids)).execute()) as CostEntry[];
}

export async function costEntryPage(db: Db, tenantId: string, filter: CostFilterValues, page: PageArgs) {
  let query = db.selectFrom('finance.cost_entries as c').select(COST_COLUMNS).where('c.tenant_id', '=', tenantId);
  if (filter.featureId) query = query.where('c.feature_id', '=', filter.featureId);
  if (filter.category?.length) query = query.where('c.category', 'in', filter.category);
  if (filter.from) query = query.where('c.incurred_on', '>=', filter.from);
  if (filter.to) query = query.where('c.incurred_on', '<', filter.to);
  return keysetPage<CostEntry>(db, query, COST_ORDERING, page);
}

/** Per feature with cost entries: the sum of its entries, all time. One statement for every feature of the tenant. */
async function costOfEveryFeature(db: Db, tenantId: string): Promise<Map<string, { amount: string; currency: string }>> {
  const rows = await db.selectFrom('finance.cost_entries as c')
    .select(['c.feature_id', sql<string>`sum(c.amount)`.as('amount'), sql<string>`min(c.currency)`.as('currency')])
    .where('c.tenant_id', '=', tenantId).where('c.feature_id', 'is not', null).groupBy('c.feature_id').execute();
  return new Map(rows.map((r) => [r.feature_id!, { amount: r.amount, currency: r.currency }]));
}

/** All time, so one kept answer whatever the window. */
const ALL_TIME = 'all time';
const costSnapshots = new AdoptionSnapshots(costOfEveryFeature);

/**
 * Per feature: the sum of its cost entries, all time (absent without entries). Kept until the tenant's data version
 * changes, which any statement writing cost entries does (migration 0014): a page of thousands of features reads one
 * kept answer instead of probing the ledger per feature.
 */
export function costByFeature(db: Db, tenantId: string): Promise<Map<string, { amount: string; currency: string }>> {
  return costSnapshots.get(db, tenantId, ALL_TIME);
}

const INVOICE_COLUMNS = [
  'i.id', 'i.number', 'i.status', 'i.issued_at as issuedAt', 'i.paid_at as paidAt', 'i.company_id as companyId', 'i.amount_due as amountDueValue',
  'i.amount_paid as amountPaidValue', 'i.currency', 'i.vendor', 'i.external_id', 'i.url', 'i.synced_at',
] as const;
const INVOICE_ORDERING: Ordering = { name: 'invoices:issued_at:desc', keys: ['i.issued_at', 'i.id'], direction: 'desc' };

export interface InvoiceFilterValues { companyId?: string | null; status?: InvoiceStatus[] | null; issuedFrom?: Date | null; issuedTo?: Date | null }

export async function invoicesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Invoice[]> {
  return (await db.selectFrom('finance.invoices as i').select(INVOICE_COLUMNS).where('i.tenant_id', '=', tenantId).where(anyId('i.id', ids)).execute()) as Invoice[];
}

export async function invoicePage(db: Db, tenantId: string, filter: InvoiceFilterValues, page: PageArgs) {
  let query = db.selectFrom('finance.invoices as i').select(INVOICE_COLUMNS).where('i.tenant_id', '=', tenantId);
  if (filter.companyId) query = query.where('i.company_id', '=', filter.companyId);
  if (filter.status?.length) query = query.where('i.status', 'in', filter.status);
  if (filter.issuedFrom) query = query.where('i.issued_at', '>=', filter.issuedFrom);
  if (filter.issuedTo) query = query.where('i.issued_at', '<', filter.issuedTo);
  return keysetPage<Invoice>(db, query, INVOICE_ORDERING, page);
}

const BUDGET_ORDERING: Ordering = { name: 'budgets:period_start:desc', keys: ['b.period_start', 'b.id'], direction: 'desc' };

export async function budgetPage(db: Db, tenantId: string, page: PageArgs) {
  const query = db.selectFrom('finance.budgets as b')
    .select(['b.id', 'b.team', 'b.period_start as periodStart', 'b.period_end as periodEnd', 'b.amount as amountValue', 'b.currency'])
    .where('b.tenant_id', '=', tenantId);
  return keysetPage<Budget>(db, query, BUDGET_ORDERING, page);
}
