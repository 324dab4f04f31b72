import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { POWER_USER_MIN_DAYS } from './metrics.js';
import { anyId, count } from '../../core/sql.js';
import { AdoptionSnapshots } from '../../core/adoption-snapshots.js';

// Reads the daily rollup analytics.feature_usage_daily (one row a feature, UTC day and user), never raw events.
// Every function takes many features and answers them in one statement; `fromDay` is a window's first UTC date.

export interface FeatureAdoptionCounts {
  activeUsers: number;
  powerUsers: number;
}

export interface FeatureUsageTotals {
  events: number;
  activeUsers: number;
}

export interface FeatureUsageDayRow {
  day: string;
  activeUsers: number;
  events: number;
}

/** The rollup rows of `featureIds` (null: every feature) in the window. */
function rollup(db: Db, tenantId: string, featureIds: readonly string[] | null, fromDay: string) {
  const rows = db
    .selectFrom('analytics.feature_usage_daily as d')
    .where('d.tenant_id', '=', tenantId)
    .where('d.day', '>=', fromDay);
  return featureIds ? rows.where(anyId('d.feature_id', featureIds)) : rows;
}

/** Per feature (of `featureIds`, or every feature): distinct users in the window, and those of them active on >= POWER_USER_MIN_DAYS distinct days. */
export async function featureAdoptionCounts(db: Db, tenantId: string, featureIds: readonly string[] | null, fromDay: string) {
  const perUser = rollup(db, tenantId, featureIds, fromDay)
    .select(['d.feature_id', sql<number>`count(*)`.as('active_days')])
    .groupBy(['d.feature_id', 'd.end_user_id']);
  const rows = await db
    .selectFrom(perUser.as('pu'))
    .select([
      'pu.feature_id',
      sql<string>`count(*)`.as('active_users'),
      sql<string>`count(*) filter (where pu.active_days >= ${POWER_USER_MIN_DAYS})`.as('power_users'),
    ])
    .groupBy('pu.feature_id')
    .execute();
  return new Map<string, FeatureAdoptionCounts>(
    rows.map((r) => [r.feature_id, { activeUsers: count(r.active_users), powerUsers: count(r.power_users) }]),
  );
}

const adoptionSnapshots = new AdoptionSnapshots((db, tenantId, fromDay) => featureAdoptionCounts(db, tenantId, null, fromDay));

/**
 * featureAdoptionCounts of every feature of the tenant, computed in one statement and kept until the tenant's usage,
 * users or deals change (AdoptionSnapshots): the pages of a report, and the reports after it, read the same answer.
 */
export function tenantFeatureAdoption(db: Db, tenantId: string, fromDay: string): Promise<Map<string, FeatureAdoptionCounts>> {
  return adoptionSnapshots.get(db, tenantId, fromDay);
}

/** Per feature: the sum of event_count and the distinct users in the window. */
export async function featureUsageTotals(db: Db, tenantId: string, featureIds: readonly string[], fromDay: string) {
  const rows = await rollup(db, tenantId, featureIds, fromDay)
    .select([
      'd.feature_id',
      sql<string>`sum(d.event_count)`.as('events'),
      sql<string>`count(distinct d.end_user_id)`.as('active_users'),
    ])
    .groupBy('d.feature_id')
    .execute();
  return new Map<string, FeatureUsageTotals>(
    rows.map((r) => [r.feature_id, { events: count(r.events), activeUsers: count(r.active_users) }]),
  );
}

/** Per feature: each UTC day with activity in the window, ascending, with its users and events. */
export async function featureUsageDays(db: Db, tenantId: string, featureIds: readonly string[], fromDay: string) {
  const rows = await rollup(db, tenantId, featureIds, fromDay)
    .select([
      'd.feature_id',
      'd.day',
      // One rollup row per feature, day and user: count(*) is the day's distinct users.
      sql<string>`count(*)`.as('active_users'),
      sql<string>`sum(d.event_count)`.as('events'),
    ])
    .groupBy(['d.feature_id', 'd.day'])
    .orderBy('d.feature_id')
    .orderBy('d.day')
    .execute();
  const days = new Map<string, FeatureUsageDayRow[]>();
  for (const r of rows) {
    let list = days.get(r.feature_id);
    if (!list) days.set(r.feature_id, (list = []));
    list.push({ day: r.day, activeUsers: count(r.active_users), events: count(r.events) });
  }
  return days;
}

/** Per feature: the ids of the companies (end_users.company_id) with a user active on it in the window, ascending. */
export async function adoptingCompanyIds(db: Db, tenantId: string, featureIds: readonly string[], fromDay: string) {
  const users = rollup(db, tenantId, featureIds, fromDay).select(['d.feature_id', 'd.end_user_id']).distinct();
  const rows = await db
    .selectFrom(users.as('fu'))
    .innerJoin('analytics.end_users as u', 'u.id', 'fu.end_user_id')
    .where('u.tenant_id', '=', tenantId)
    .where('u.company_id', 'is not', null)
    .select(['fu.feature_id', 'u.company_id'])
    .distinct()
    .orderBy('fu.feature_id')
    .orderBy('u.company_id')
    .execute();
  const companies = new Map<string, string[]>();
  for (const r of rows) {
    let list = companies.get(r.feature_id);
    if (!list) companies.set(r.feature_id, (list = []));
    list.push(r.company_id!);
  }
  return companies;
}
