import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { anyId, count } from '../../core/sql.js';

// Reads the daily rollup analytics.user_activity_daily (one row a UTC day and user) and end_users.last_seen_at, which
// the rollup keeps; never raw events.

/**
 * Distinct users active in the product on or after each of `fromDays`, in one index range:
 * end_users.last_seen_at is the user's last day in user_activity_daily (kept by the rollup),
 * so a user was active in a window exactly when that day falls in it.
 */
export async function productActiveUsers(db: Db, tenantId: string, fromDays: readonly string[]) {
  const earliest = fromDays.reduce((a, b) => (b < a ? b : a));
  const row = (await db
    .selectFrom('analytics.end_users as u')
    .where('u.tenant_id', '=', tenantId)
    .where('u.last_seen_at', '>=', sql<Date>`${earliest}::date`)
    .select(fromDays.map((day, i) => sql<string>`count(*) filter (where u.last_seen_at >= ${day}::date)`.as(`w${i}`)))
    .executeTakeFirstOrThrow()) as Record<string, string>;
  return new Map(fromDays.map((day, i) => [day, count(row[`w${i}`])]));
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

/** Distinct companies (end_users.company_id) with a user active in the product on or after each of `fromDays`. */
export async function activeCompanies(db: Db, tenantId: string, fromDays: readonly string[]) {
  const earliest = fromDays.reduce((a, b) => (b < a ? b : a));
  const row = (await db
    .selectFrom('analytics.end_users as u')
    .where('u.tenant_id', '=', tenantId)
    .where('u.company_id', 'is not', null)
    .where('u.last_seen_at', '>=', sql<Date>`${earliest}::date`)
    .select(fromDays.map((day, i) => sql<string>`count(distinct u.company_id) filter (where u.last_seen_at >= ${day}::date)`.as(`w${i}`)))
    .executeTakeFirstOrThrow()) as Record<string, string>;
  return new Map(fromDays.map((day, i) => [day, count(row[`w${i}`])]));
}
