import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import { anyId } from '../../core/sql.js';
import type { Deal } from './deal.type.js';

const COLUMNS = [
  'd.id', 'd.name', 'd.stage', 'd.amount as amountValue', 'd.currency', 'd.close_date as closeDate', 'd.is_closed as isClosed', 'd.is_won as isWon',
  'd.company_id as companyId', 'd.created_at as createdAt', 'd.updated_at as updatedAt', 'd.vendor', 'd.external_id', 'd.url', 'd.synced_at',
] as const;

export type DealOrderField = 'close_date' | 'amount' | 'updated_at';

const ORDER_KEYS: Record<DealOrderField, string> = {
  close_date: "coalesce(d.close_date, '-infinity'::date)",
  amount: 'd.amount',
  updated_at: 'd.updated_at',
};

export function dealOrdering(field: DealOrderField, direction: 'asc' | 'desc'): Ordering {
  return { name: `deals:${field}:${direction}`, keys: [ORDER_KEYS[field], 'd.id'], direction };
}

export interface DealFilterValues {
  companyId?: string | null;
  stage?: string | null;
  isWon?: boolean | null;
  isClosed?: boolean | null;
  closeFrom?: string | null;
  closeTo?: string | null;
}

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('sales.deals as d').where('d.tenant_id', '=', tenantId);
}

export async function dealsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Deal[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('d.id', ids)).execute()) as Deal[];
}

export async function dealPage(db: Db, tenantId: string, filter: DealFilterValues, ordering: Ordering, page: PageArgs) {
  let query = scoped(db, tenantId).select(COLUMNS);
  if (filter.companyId) query = query.where('d.company_id', '=', filter.companyId);
  if (filter.stage) query = query.where('d.stage', '=', filter.stage);
  if (filter.isWon != null) query = query.where('d.is_won', '=', filter.isWon);
  if (filter.isClosed != null) query = query.where('d.is_closed', '=', filter.isClosed);
  if (filter.closeFrom) query = query.where('d.close_date', '>=', filter.closeFrom);
  if (filter.closeTo) query = query.where('d.close_date', '<', filter.closeTo);
  return keysetPage<Deal>(db, query, ordering, page);
}

/** The deals of many companies, newest close date first, one page each, in one statement. */
export async function dealPagesByCompany(db: Db, tenantId: string, companyIds: readonly string[], page: PageArgs) {
  const query = scoped(db, tenantId).select(COLUMNS).where(anyId('d.company_id', companyIds));
  return keysetPagesByParent<Deal>(db, query, 'd.company_id', companyIds, dealOrdering('close_date', 'desc'), page);
}

export interface CompanyDealTotal {
  amount: string;
  currency: string;
}

export interface WonDealTotal {
  /** Companies counted: a feature's adopting ones, or all of the tenant's. */
  companies: number;
  /** Of those, companies with at least one won deal. */
  companiesWithWonDeals: number;
  wonDeals: number;
  /** Exact decimal text. */
  amount: string;
  /** The won deals' currency (the smallest code if they had several); null without won deals. */
  currency: string | null;
}

/** Per company of the tenant: its won deals, counted and summed (0 without any). Columns id, won_deals, amount, currency. */
export function companyWonDeals(db: Db, tenantId: string) {
  return db.selectFrom('sales.companies as c')
    .leftJoin('sales.deals as d', (join) => join.onRef('d.tenant_id', '=', 'c.tenant_id').onRef('d.company_id', '=', 'c.id').on('d.is_won', '=', true))
    .where('c.tenant_id', '=', tenantId)
    .select(['c.id', sql<string>`count(d.id)`.as('won_deals'), sql<string>`coalesce(sum(d.amount), 0)`.as('amount'), sql<string | null>`min(d.currency)`.as('currency')])
    .groupBy('c.id');
}

/** All of the tenant's companies and their won deals, all time, in one row. */
export async function tenantWonDealTotal(db: Db, tenantId: string): Promise<WonDealTotal> {
  const r = await db.selectFrom(companyWonDeals(db, tenantId).as('w'))
    .select([
      sql<string>`count(*)`.as('companies'),
      sql<string>`count(*) filter (where w.won_deals > 0)`.as('with_won'),
      sql<string>`coalesce(sum(w.won_deals), 0)`.as('won_deals'),
      sql<string>`coalesce(sum(w.amount), 0)`.as('amount'),
      sql<string | null>`min(w.currency)`.as('currency'),
    ])
    .executeTakeFirstOrThrow();
  return { companies: Number(r.companies), companiesWithWonDeals: Number(r.with_won), wonDeals: Number(r.won_deals), amount: r.amount, currency: r.currency };
}
