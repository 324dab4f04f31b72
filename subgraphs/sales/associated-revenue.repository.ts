import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { AdoptionSnapshots } from '../../core/adoption-snapshots.js';
import { featureCompanies } from '../../core/adopting-companies.js';
import type { CompanyDealTotal } from './deal.repository.js';

/**
 * Per feature with adopting companies: the positive deal amounts of the companies (end_users.company_id) whose users
 * used it on or after `fromDay` (the rollup analytics.feature_usage_daily, as Feature.adoptingCompanies), each
 * company's deals once; the smallest currency code among them. One statement for every feature of the tenant.
 */
async function revenueOfAdoptingCompanies(db: Db, tenantId: string, fromDay: string): Promise<Map<string, CompanyDealTotal>> {
  const { rows } = await sql<{ feature_id: string; amount: string; currency: string }>`
    with feature_companies as (${featureCompanies(tenantId, fromDay)}),
    company_totals as (
      select company_id, sum(amount) as amount, min(currency) as currency from sales.deals
      where tenant_id = ${tenantId} and amount > 0 group by company_id)
    select fc.feature_id, sum(t.amount)::text as amount, min(t.currency) as currency
    from feature_companies fc join company_totals t on t.company_id = fc.company_id
    group by fc.feature_id`.execute(db);
  return new Map(rows.map((r) => [r.feature_id, { amount: r.amount, currency: r.currency }]));
}

const snapshots = new AdoptionSnapshots(revenueOfAdoptingCompanies);

/** revenueOfAdoptingCompanies, kept until the tenant's usage, users or deals change. */
export function associatedRevenueByFeature(db: Db, tenantId: string, fromDay: string): Promise<Map<string, CompanyDealTotal>> {
  return snapshots.get(db, tenantId, fromDay);
}
