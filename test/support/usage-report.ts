import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { rebuildUsageRollups } from '../../seed/rollups.js';

/** One raw event: who, which feature (null: an event naming none) and when. */
export type RawEvent = [user: string, feature: string | null, occurredAt: string];

/**
 * A tenant's own analytics world, written as the connector writes it: end users, raw usage events, then the daily
 * rollups (and each user's first and last active day) rebuilt from the events by the same code the sync uses.
 */
export async function writeUsage(db: Db, tenant: string, users: Record<string, string>, events: RawEvent[], companies: Record<string, string | null> = {}) {
  const times = events.map((e) => e[2]).sort();
  await sql`select analytics.ensure_usage_partitions(${times[0]}::timestamptz, ${times.at(-1)}::timestamptz)`.execute(db);
  for (const [name, id] of Object.entries(users)) {
    await sql`insert into analytics.end_users (tenant_id, id, company_id, email, vendor, external_id)
      values (${tenant}, ${id}, ${companies[name] ?? null}, ${`${name}@example.com`}, 'amplitude', ${name})`.execute(db);
  }
  for (const [i, [user, feature, at]] of events.entries()) {
    await sql`insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor)
      values (${tenant}, ${at}::timestamptz, ${`ev-${i}-${randomUUID()}`}, ${users[user]}, ${feature}, 'feature_used', 'amplitude')`.execute(db);
  }
  await rebuildUsageRollups(db, tenant);
}

/** Deterministic pseudo-random events: `count` of them among `users`, on days of [from, from + days), some naming `feature`. */
export function scatteredEvents(users: string[], feature: string, from: string, days: number, count: number): RawEvent[] {
  let seed = 20250101;
  const next = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 1; return Math.floor(seed / 65536) % n; };
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, () => {
    const at = new Date(start + next(days) * 86_400_000 + next(86_400) * 1000).toISOString();
    return [users[next(users.length)], next(3) === 0 ? null : feature, at];
  });
}

/** Periods of [from, to) by day, week or month, as generate_series sees them: calendar periods clipped to the range. */
const periods = (from: string, to: string, unit: string) => sql`
  select row_number() over (order by g) as i, greatest(g::date, ${from}::date) as start,
         least((g + ('1 ' || ${unit})::interval)::date, ${to}::date) - 1 as last
  from generate_series(date_trunc(${unit}, ${from}::date::timestamp), (${to}::date - 1)::timestamp, ('1 ' || ${unit})::interval) g`;

/** The raw events of the product (any event) or of one feature, each on its local day in `timeZone`. */
const events = (tenant: string, feature: string | null, timeZone: string) => sql`
  select end_user_id, (occurred_at at time zone ${timeZone})::date as day from analytics.usage_events
  where tenant_id = ${tenant} ${feature ? sql`and feature_id = ${feature}` : sql``}`;

/** The usage report by hand over the raw events, days local to `timeZone`: per period, distinct users, user-days, and the trailing 7 and 28 days' users. */
export const usageReportSql = (tenant: string, feature: string | null, from: string, to: string, unit: string, timeZone = 'UTC') => sql<{
  start: string; last: string; days: number; active_users: number; user_days: number; wau: number; mau: number;
}>`
  with p as (${periods(from, to, unit)}), e as (${events(tenant, feature, timeZone)})
  select p.start::text, p.last::text, p.last - p.start + 1 as days,
    (select count(distinct end_user_id)::int from e where day between p.start and p.last) as active_users,
    (select count(*)::int from (select distinct end_user_id, day from e where day between p.start and p.last) d) as user_days,
    (select count(distinct end_user_id)::int from e where day between p.last - 6 and p.last) as wau,
    (select count(distinct end_user_id)::int from e where day between p.last - 27 and p.last) as mau
  from p order by p.start`;

/**
 * Retention by hand over the raw events: each user's first day of all time puts them in a cohort when it falls in a
 * period; a cohort member is retained in a later period when they have an event in it.
 */
export const retentionSql = (tenant: string, feature: string | null, from: string, to: string, unit: string, timeZone = 'UTC') => sql<{
  cohort_start: string; period: number; cohort_size: number; retained: number;
}>`
  with p as (${periods(from, to, unit)}), e as (${events(tenant, feature, timeZone)}),
  first as (select end_user_id, min(day) as day from e group by 1),
  cohort as (select f.end_user_id, p.i from first f join p on f.day between p.start and p.last),
  active as (select distinct e.end_user_id, p.i from e join p on e.day between p.start and p.last)
  select c.start::text as cohort_start, (o.i - c.i)::int as period,
    (select count(*)::int from cohort where cohort.i = c.i) as cohort_size,
    (select count(*)::int from cohort k join active a on a.end_user_id = k.end_user_id and a.i = o.i where k.i = c.i) as retained
  from p c join p o on o.i >= c.i
  order by c.i, o.i`;

/**
 * analytics.user_activity_gaps (or, `perFeature`, analytics.feature_usage_gaps) by hand over the raw events: per UTC
 * day (and feature), its active users by the days since their previous active day, capped at `cap` (a user's first
 * day counts as `cap`).
 */
export const activityGapsSql = (tenant: string, cap: number, perFeature = false) => sql<{ feature_id: string | null; day: string; gap: number; users: number }>`
  with d as (
    select distinct ${perFeature ? sql`feature_id` : sql`null::uuid as feature_id`}, end_user_id, (occurred_at at time zone 'UTC')::date as day
    from analytics.usage_events where tenant_id = ${tenant} ${perFeature ? sql`and feature_id is not null` : sql``})
  select feature_id, day::text, gap::int, count(*)::int as users from (
    select feature_id, day, least(coalesce(day - lag(day) over (partition by feature_id, end_user_id order by day), ${cap}), ${cap}) as gap from d) g
  group by 1, 2, 3 order by 1, 2, 3`;

/** The kept per-day counts of the product (or, `perFeature`, of every feature), as activityGapsSql lists them. */
export const keptGapsSql = (tenant: string, perFeature = false) => sql<{ feature_id: string | null; day: string; gap: number; users: number }>`
  select ${perFeature ? sql`feature_id` : sql`null::uuid as feature_id`}, day::text, gap::int, users
  from ${sql.table(perFeature ? 'analytics.feature_usage_gaps' : 'analytics.user_activity_gaps')} where tenant_id = ${tenant}
  order by 1, 2, 3`;

/**
 * Each rollup row's active quarter hours by hand over the raw events: per (feature,) UTC day and user, the sorted
 * quarters q of the day's [15q, 15(q + 1)) minutes holding an event; and the same rows as the rollup keeps them.
 */
export const activeQuartersSql = (tenant: string, perFeature = false) => sql<{ feature_id: string | null; day: string; end_user_id: string; quarters: number[] }>`
  select feature_id, day::text, end_user_id, array_agg(distinct q order by q) as quarters from (
    select ${perFeature ? sql`feature_id` : sql`null::uuid as feature_id`}, (occurred_at at time zone 'UTC')::date as day, end_user_id,
      floor(extract(epoch from occurred_at - ((occurred_at at time zone 'UTC')::date::timestamp at time zone 'UTC')) / 900)::int as q
    from analytics.usage_events where tenant_id = ${tenant} ${perFeature ? sql`and feature_id is not null` : sql``}) e
  group by 1, 2, 3 order by 1, 2, 3`;

export const keptQuartersSql = (tenant: string, perFeature = false) => sql<{ feature_id: string | null; day: string; end_user_id: string; quarters: number[] }>`
  select ${perFeature ? sql`feature_id` : sql`null::uuid as feature_id`}, day::text, end_user_id,
    array(select q - 1 from generate_series(1, 96) q where substring(active_quarters from q for 1) = B'1' order by q) as quarters
  from ${sql.table(perFeature ? 'analytics.feature_usage_daily' : 'analytics.user_activity_daily')} where tenant_id = ${tenant}
  order by 1, 2, 3`;
