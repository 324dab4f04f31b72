import { sql } from 'kysely';
import type { WrittenPage } from '../../../../sync/connector.js';
import type { Trx } from '../../../../sync/table-writer.js';

/**
 * Adds a page's newly stored events to the daily rollups and moves their users' first and last
 * active days, in the page's transaction: the same definitions as the full rebuild (UTC days,
 * feature rows only for events naming a feature), but incremental. Events read again are not
 * newly stored, so they are never counted twice.
 */
export async function addToRollups(trx: Trx, { tenantId, rows }: WrittenPage): Promise<void> {
  const occurred = rows.map((r) => r.occurred_at as Date);
  const users = rows.map((r) => r.end_user_id as string);
  const features = rows.map((r) => (r.feature_id as string | null) ?? null);
  await sql`
    with e as (
      select (occurred_at at time zone 'UTC')::date as day, end_user_id, feature_id
      from unnest(${occurred}::timestamptz[], ${users}::uuid[], ${features}::uuid[]) as x(occurred_at, end_user_id, feature_id)),
    activity as (
      insert into analytics.user_activity_daily as t (tenant_id, day, end_user_id, event_count)
      select ${tenantId}, day, end_user_id, count(*) from e group by 2, 3 order by 2, 3
      on conflict (tenant_id, day, end_user_id) do update set event_count = t.event_count + excluded.event_count),
    usage as (
      insert into analytics.feature_usage_daily as t (tenant_id, feature_id, day, end_user_id, event_count)
      select ${tenantId}, feature_id, day, end_user_id, count(*) from e where feature_id is not null group by 2, 3, 4 order by 2, 3, 4
      on conflict (tenant_id, feature_id, day, end_user_id) do update set event_count = t.event_count + excluded.event_count)
    update analytics.end_users u set first_seen_at = least(u.first_seen_at, s.first_day), last_seen_at = greatest(u.last_seen_at, s.last_day)
    from (select end_user_id, min(day)::timestamp at time zone 'UTC' as first_day, max(day)::timestamp at time zone 'UTC' as last_day
          from e group by 1) s
    where u.tenant_id = ${tenantId} and u.id = s.end_user_id
      and (u.first_seen_at is null or u.last_seen_at is null or s.first_day < u.first_seen_at or s.last_day > u.last_seen_at)`.execute(trx);
}
