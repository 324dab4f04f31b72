import { sql } from 'kysely';
import type { Db } from '../core/db.js';

/**
 * Rebuilds the daily usage rollups of a tenant from its raw events (from `from`'s UTC day on,
 * or all), idempotently: reports read these, never the raw events. Also refreshes each end
 * user's first and last seen day.
 */
export async function rebuildUsageRollups(db: Db, tenantId: string, from?: Date): Promise<void> {
  const since = from ? sql`and occurred_at >= date_trunc('day', ${from}::timestamptz at time zone 'UTC') at time zone 'UTC'` : sql``;
  await sql`
    insert into analytics.feature_usage_daily (tenant_id, feature_id, day, end_user_id, event_count)
    select tenant_id, feature_id, (occurred_at at time zone 'UTC')::date, end_user_id, count(*)
    from analytics.usage_events
    where tenant_id = ${tenantId} and feature_id is not null ${since}
    group by 1, 2, 3, 4
    on conflict (tenant_id, feature_id, day, end_user_id) do update set event_count = excluded.event_count`.execute(db);
  await sql`
    insert into analytics.user_activity_daily (tenant_id, day, end_user_id, event_count)
    select tenant_id, (occurred_at at time zone 'UTC')::date, end_user_id, count(*)
    from analytics.usage_events
    where tenant_id = ${tenantId} ${since}
    group by 1, 2, 3
    on conflict (tenant_id, day, end_user_id) do update set event_count = excluded.event_count`.execute(db);
  await sql`
    update analytics.end_users u set first_seen_at = a.first_day, last_seen_at = a.last_day
    from (select end_user_id, min(day)::timestamptz as first_day, max(day)::timestamptz as last_day
          from analytics.user_activity_daily where tenant_id = ${tenantId} group by 1) a
    where u.tenant_id = ${tenantId} and u.id = a.end_user_id`.execute(db);
}
