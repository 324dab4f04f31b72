import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { AdoptionSnapshots } from '../../core/adoption-snapshots.js';
import { featureCompanies } from '../../core/adopting-companies.js';
import { count } from '../../core/sql.js';
import { productActivity, type ProductActivity } from './user-activity.repository.js';

/** Per feature with an adopting company: how many companies (end_users.company_id) had a user on it on or after `fromDay`. */
async function adoptingCompanyCounts(db: Db, tenantId: string, fromDay: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ feature_id: string; companies: string }>`
    select fc.feature_id, count(*) as companies from (${featureCompanies(tenantId, fromDay)}) fc group by fc.feature_id`.execute(db);
  return new Map(rows.map((r) => [r.feature_id, count(r.companies)]));
}

const snapshots = new AdoptionSnapshots(adoptingCompanyCounts);

/**
 * adoptingCompanyCounts of every feature of the tenant, kept until its usage, users or deals change: market fit's
 * numerator for a page of features reads one kept answer instead of the page's rollup rows.
 */
export function tenantAdoptingCompanyCounts(db: Db, tenantId: string, fromDay: string): Promise<Map<string, number>> {
  return snapshots.get(db, tenantId, fromDay);
}

const productSnapshots = new AdoptionSnapshots(async (db, tenantId, fromDay) =>
  new Map<string, ProductActivity>([[fromDay, await productActivity(db, tenantId, fromDay)]]));

/** The product's active users and companies since `fromDay`, kept until the tenant's end users change (every insert, update or delete). */
export async function keptProductActivity(db: Db, tenantId: string, fromDay: string): Promise<ProductActivity> {
  return (await productSnapshots.get(db, tenantId, fromDay)).get(fromDay)!;
}
