import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { AdoptionSnapshots } from '../../core/adoption-snapshots.js';
import { featureCompanies } from '../../core/adopting-companies.js';
import { count } from '../../core/sql.js';
import { companyWonDeals, tenantWonDealTotal, type WonDealTotal } from './deal.repository.js';

/**
 * Per feature with adopting companies: those of them that are companies of the tenant (sales.companies), whose users
 * used it on or after `fromDay` (as Feature.adoptingCompanies), and their won deals. One statement for every feature.
 */
async function adoptingWonDeals(db: Db, tenantId: string, fromDay: string): Promise<Map<string, WonDealTotal>> {
  const { rows } = await sql<{ feature_id: string; companies: string; with_won: string; won_deals: string; amount: string; currency: string | null }>`
    with feature_companies as (${featureCompanies(tenantId, fromDay)})
    select fc.feature_id, count(*) as companies, count(*) filter (where w.won_deals > 0) as with_won,
      sum(w.won_deals) as won_deals, sum(w.amount)::text as amount, min(w.currency) as currency
    from feature_companies fc join (${companyWonDeals(db, tenantId)}) w on w.id = fc.company_id
    group by fc.feature_id`.execute(db);
  return new Map(rows.map((r) => [r.feature_id, {
    companies: count(r.companies), companiesWithWonDeals: count(r.with_won), wonDeals: count(r.won_deals), amount: r.amount, currency: r.currency,
  }]));
}

const snapshots = new AdoptionSnapshots(adoptingWonDeals);

/**
 * adoptingWonDeals, kept until the tenant's usage, users, companies or deals change: a page of features reads one kept
 * answer, and no list of companies travels between subgraphs.
 */
export function adoptingWonDealsByFeature(db: Db, tenantId: string, fromDay: string): Promise<Map<string, WonDealTotal>> {
  return snapshots.get(db, tenantId, fromDay);
}

/** Every company of the tenant and its won deals: all time, so one kept answer whatever the window. */
const ALL_TIME = 'all time';
const tenantTotals = new AdoptionSnapshots(async (db, tenantId) => new Map([[ALL_TIME, await tenantWonDealTotal(db, tenantId)]]));

/** tenantWonDealTotal, kept until the tenant's companies or deals change: the other side is this less the adopting one. */
export async function keptTenantWonDealTotal(db: Db, tenantId: string): Promise<WonDealTotal> {
  return (await tenantTotals.get(db, tenantId, ALL_TIME)).get(ALL_TIME)!;
}
