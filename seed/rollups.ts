import { sql } from 'kysely';
import type { Db } from '../core/db.js';

export interface RollupCounts {
  /** Rows of analytics.feature_usage_daily written (inserted or updated). */
  featureUsageDaily: number;
  /** Rows of analytics.user_activity_daily written (inserted or updated). */
  userActivityDaily: number;
}

/**
 * Rebuilds the daily usage rollups of a tenant (rows a UTC day, with their active quarter hours) from its raw events (from `from`'s UTC day on,
 * or all), idempotently, so it can rerun after more events arrive: reports read these, never
 * the raw events. Also refreshes each end user's first and last active day; the product's per-day counts
 * (analytics.user_activity_gaps) follow user_activity_daily by trigger. Rows go in key order,
 * so the primary-key indexes grow at their ends instead of splitting pages all over.
 */
export async function rebuildUsageRollups(db: Db, tenantId: string, from?: Date): Promise<RollupCounts> {
  const since = from ? sql`and occurred_at >= (date_trunc('day', ${from}::timestamptz at time zone 'UTC') at time zone 'UTC')` : sql``;
  const features = await sql`
    insert into analytics.feature_usage_daily (tenant_id, feature_id, day, end_user_id, event_count, active_quarters)
    select tenant_id, feature_id, (occurred_at at time zone 'UTC')::date, end_user_id, count(*), bit_or(analytics.active_quarter(occurred_at))
    from analytics.usage_events
    where tenant_id = ${tenantId} and feature_id is not null ${since}
    group by 1, 2, 3, 4
    order by 2, 3, 4
    on conflict (tenant_id, feature_id, day, end_user_id) do update set event_count = excluded.event_count, active_quarters = excluded.active_quarters
    where (analytics.feature_usage_daily.event_count, analytics.feature_usage_daily.active_quarters) is distinct from (excluded.event_count, excluded.active_quarters)`.execute(db);
  const users = await sql`
    insert into analytics.user_activity_daily (tenant_id, day, end_user_id, event_count, active_quarters)
    select tenant_id, (occurred_at at time zone 'UTC')::date, end_user_id, count(*), bit_or(analytics.active_quarter(occurred_at))
    from analytics.usage_events
    where tenant_id = ${tenantId} ${since}
    group by 1, 2, 3
    order by 2, 3
    on conflict (tenant_id, day, end_user_id) do update set event_count = excluded.event_count, active_quarters = excluded.active_quarters
    where (analytics.user_activity_daily.event_count, analytics.user_activity_daily.active_quarters) is distinct from (excluded.event_count, excluded.active_quarters)`.execute(db);
  await sql`
    update analytics.end_users u set first_seen_at = a.first_day, last_seen_at = a.last_day
    from (select end_user_id, (min(day)::timestamp at time zone 'UTC') as first_day, (max(day)::timestamp at time zone 'UTC') as last_day
          from analytics.user_activity_daily where tenant_id = ${tenantId} group by 1) a
    where u.tenant_id = ${tenantId} and u.id = a.end_user_id
      and (u.first_seen_at is distinct from a.first_day or u.last_seen_at is distinct from a.last_day)`.execute(db);
  return { featureUsageDaily: Number(features.numAffectedRows ?? 0), userActivityDaily: Number(users.numAffectedRows ?? 0) };
}
