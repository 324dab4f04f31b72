import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { anyId, count } from '../../core/sql.js';

// Reads the daily rollup analytics.user_activity_daily (one row a UTC day and user) and end_users.last_seen_at, which
// the rollup keeps; never raw events.

/** The product's side of adoption and market validation over a window: its active users and companies. */
export interface ProductActivity {
  activeUsers: number;
  activeCompanies: number;
}

/**
 * The product's active users and companies on or after `fromDay`, in one index range: end_users.last_seen_at is the
 * user's last day in user_activity_daily (kept by the rollup), so a user was active in the window exactly when that day
 * falls in it; a company was when one of its users (end_users.company_id) was.
 */
export async function productActivity(db: Db, tenantId: string, fromDay: string): Promise<ProductActivity> {
  const row = await db
    .selectFrom('analytics.end_users as u')
    .where('u.tenant_id', '=', tenantId)
    .where('u.last_seen_at', '>=', sql<Date>`${fromDay}::date`)
    .select([sql<string>`count(*)`.as('users'), sql<string>`count(distinct u.company_id)`.as('companies')])
    .executeTakeFirstOrThrow();
  return { activeUsers: count(row.users), activeCompanies: count(row.companies) };
}

/** Per company: its distinct end users active in the product on or after `fromDay`. */
export async function companyActiveUsers(db: Db, tenantId: string, companyIds: readonly string[], fromDay: string) {
  const rows = await db
    .selectFrom('analytics.end_users as u')
    .innerJoin('analytics.user_activity_daily as a', (join) => join.onRef('a.tenant_id', '=', 'u.tenant_id').onRef('a.end_user_id', '=', 'u.id'))
    .where('u.tenant_id', '=', tenantId)
    .where(anyId('u.company_id', companyIds))
    .where('a.day', '>=', fromDay)
    .select(['u.company_id', sql<string>`count(distinct a.end_user_id)`.as('active_users')])
    .groupBy('u.company_id')
    .execute();
  return new Map(rows.map((r) => [r.company_id!, count(r.active_users)]));
}
