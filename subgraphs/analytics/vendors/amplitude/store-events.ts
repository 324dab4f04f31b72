import { sql } from 'kysely';
import type { MappedRecord } from '../../../../sync/mapping.js';
import { letIoRun, SLICE } from '../../../../sync/slices.js';
import type { Rejection, Trx, WriteResult, WriteTarget } from '../../../../sync/table-writer.js';

/** A page's events as the statement that stores them takes them: built ahead of the page's transaction. */
export interface EventRows {
  /** One JSON array of tuples: time (epoch milliseconds), insert id, user's vendor id, feature id, type. */
  document: string;
  /** The users' vendor ids, each once. */
  users: string[];
}

/** Serialises a page's events (their features already resolved) in slices, letting I/O run between them. */
export async function eventRows(events: MappedRecord[]): Promise<EventRows> {
  const parts: string[] = [];
  for (let i = 0; i < events.length; i += SLICE) {
    if (i) await letIoRun();
    parts.push(JSON.stringify(events.slice(i, i + SLICE).map((e) => [
      (e.columns.occurred_at as Date).getTime(), e.columns.insert_id, e.refs.end_user_id ?? null, e.columns.feature_id ?? null, e.columns.event_type,
    ])).slice(1, -1));
  }
  return { document: `[${parts.join(',')}]`, users: [...new Set(events.map((e) => e.refs.end_user_id!))] };
}

/**
 * Stores a page of events and adds the newly stored ones to the daily rollups, in one statement:
 * the events go over as one JSON document of tuples, their users (each looked up once) are joined by vendor
 * id in the database, and nothing comes back but a count and the events whose user is unknown. The rollups follow the
 * full rebuild's definitions (UTC days and their active quarter hours, feature rows only for events naming a feature), and also
 * move each user's first and last active day (the product's per-day counts, analytics.user_activity_gaps, follow by
 * trigger). Events read again are not newly stored, so they
 * are never counted twice. At millions of events this is most of a sync's time, hence one
 * round trip a page, its document built ahead (`eventRows`) unless `prepared` is left out.
 */
export async function storeEvents(trx: Trx, target: WriteTarget, events: MappedRecord[], prepared?: EventRows): Promise<WriteResult> {
  const rows = prepared ?? await eventRows(events);
  const { tenantId, vendor } = target;
  const { rows: [result] } = await sql<{ inserted: number; unknown_users: string[] }>`
    with page_users as materialized (
      -- Materialized: inlined, the planner looks each event's user up on its own instead of hashing the page's few.
      select external_id, id from analytics.end_users
      where tenant_id = ${tenantId} and vendor = ${vendor} and external_id = any(${rows.users}::text[])),
    x as (
      select x.*, u.id as end_user_id
      from (select to_timestamp(0) + (e->>0)::bigint * interval '1 millisecond' as occurred_at, e->>1 as insert_id, e->>2 as user_external_id,
              (e->>3)::uuid as feature_id, e->>4 as event_type
            from jsonb_array_elements(${rows.document}::jsonb) as e) x
      left join page_users u on u.external_id = x.user_external_id),
    stored as (
      insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor, synced_at)
      select ${tenantId}, occurred_at, insert_id, end_user_id, feature_id, event_type, ${vendor}, ${target.syncedAt}::timestamptz
      from x where end_user_id is not null
      on conflict do nothing
      returning (occurred_at at time zone 'UTC')::date as day, end_user_id, feature_id,
        analytics.active_quarter(occurred_at) as quarter),
    activity as (
      insert into analytics.user_activity_daily as t (tenant_id, day, end_user_id, event_count, active_quarters)
      select ${tenantId}, day, end_user_id, count(*), bit_or(quarter) from stored group by 2, 3 order by 2, 3
      on conflict (tenant_id, day, end_user_id) do update set event_count = t.event_count + excluded.event_count,
        active_quarters = t.active_quarters | excluded.active_quarters),
    usage as (
      insert into analytics.feature_usage_daily as t (tenant_id, feature_id, day, end_user_id, event_count, active_quarters)
      select ${tenantId}, feature_id, day, end_user_id, count(*), bit_or(quarter) from stored where feature_id is not null group by 2, 3, 4 order by 2, 3, 4
      on conflict (tenant_id, feature_id, day, end_user_id) do update set event_count = t.event_count + excluded.event_count,
        active_quarters = t.active_quarters | excluded.active_quarters),
    seen as (
      update analytics.end_users u set first_seen_at = least(u.first_seen_at, s.first_day), last_seen_at = greatest(u.last_seen_at, s.last_day)
      from (select end_user_id, min(day)::timestamp at time zone 'UTC' as first_day, max(day)::timestamp at time zone 'UTC' as last_day
            from stored group by 1) s
      where u.tenant_id = ${tenantId} and u.id = s.end_user_id
        and (u.first_seen_at is null or u.last_seen_at is null or s.first_day < u.first_seen_at or s.last_day > u.last_seen_at))
    select (select count(*)::int from stored) as inserted,
      coalesce((select array_agg(insert_id) from x where end_user_id is null), '{}') as unknown_users`.execute(trx);

  const unknown = new Set(result.unknown_users);
  const rejected: Rejection[] = events.filter((e) => unknown.has(e.columns.insert_id as string)).map((e) => ({
    externalId: e.externalId, reason: `the analytics.end_users row ${e.refs.end_user_id} is not synced (yet)`, payload: e.raw,
  }));
  return { changed: [], changedCount: result.inserted, unchanged: events.length - rejected.length - result.inserted, rejected };
}
