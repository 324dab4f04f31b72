import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db.js';
import { daysBefore, type Granularity, type Period } from '../../core/periods.js';
import { AdoptionSnapshots } from '../../core/adoption-snapshots.js';
import { count } from '../../core/sql.js';
import { localDayQuarters, type LocalDayQuarters } from '../../core/time-zones.js';
import { GAP_CAP } from '../../schema/migrations/0009_user_activity_gaps.js';
import { QUARTERS } from '../../schema/migrations/0011_active_quarters.js';
import { MAU_DAYS, WAU_DAYS } from './metrics.js';

// Reads the daily rollups (analytics.user_activity_daily for the product, analytics.feature_usage_daily for features:
// one row a UTC day and user) and the per-day counts kept with them (user_activity_gaps, feature_usage_gaps), never raw
// events. Each function answers many features in one statement.
//
// Days are local days of the report's time zone. In UTC they are the rollups' own days. In another zone a user is
// active on local day L when their rows of the UTC days L overlaps have one of L's UTC quarter hours set
// (active_quarters, migration 0011): localDayQuarters maps the report's local days to those days and quarters.

/** The key under which the product's own series is returned. */
export const PRODUCT = '';

export interface UsagePeriodCounts {
  start: string;
  activeUsers: number;
  userDays: number;
  wau: number;
  mau: number;
}

/** Rollup rows (end_user_id, day) of the product or of one feature, with `fromDay <= day <= lastDay`: UTC days. */
function activity(tenantId: string, featureId: string | null, fromDay: string, lastDay: string): RawBuilder<unknown> {
  return featureId === null
    ? sql`select end_user_id, day from analytics.user_activity_daily
          where tenant_id = ${tenantId} and day between ${fromDay}::date and ${lastDay}::date`
    : sql`select end_user_id, day from analytics.feature_usage_daily
          where tenant_id = ${tenantId} and feature_id = ${featureId} and day between ${fromDay}::date and ${lastDay}::date`;
}

const NO_QUARTERS = sql`repeat('0', ${QUARTERS}::int)::bit(${sql.raw(String(QUARTERS))})`;

/**
 * (key, end_user_id, day) of each user active on each local day of `quarters`, once: the product's (key PRODUCT) or
 * each of `featureIds`' (key: its id), of the users `users` (a condition on end_user_id) admits. One range of the
 * rollup's UTC days, hashed against the quarters.
 */
function localActivity(
  tenantId: string,
  featureIds: readonly string[] | null,
  quarters: readonly LocalDayQuarters[],
  users: RawBuilder<unknown> = sql`true`,
): RawBuilder<unknown> {
  const utcDays = quarters.map((q) => q.utcDay);
  const [firstUtc, lastUtc] = [utcDays.reduce((a, b) => (a < b ? a : b)), utcDays.reduce((a, b) => (a > b ? a : b))];
  const rows = featureIds === null
    ? sql`select ${PRODUCT}::text as key, end_user_id, day, active_quarters from analytics.user_activity_daily
          where tenant_id = ${tenantId} and day between ${firstUtc}::date and ${lastUtc}::date and ${users}`
    : sql`select feature_id::text as key, end_user_id, day, active_quarters from analytics.feature_usage_daily
          where tenant_id = ${tenantId} and feature_id = any(${[...featureIds]}::uuid[]) and day between ${firstUtc}::date and ${lastUtc}::date and ${users}`;
  return sql`
    select a.key, a.end_user_id, m.local_day as day
    from (${rows}) a
    join unnest(${utcDays}::date[], ${quarters.map((q) => q.localDay)}::date[], ${quarters.map((q) => q.mask)}::bit(${sql.raw(String(QUARTERS))})[])
      as m(utc_day, local_day, mask) on m.utc_day = a.day
    where a.active_quarters & m.mask <> ${NO_QUARTERS}
    group by 1, 2, 3`;
}

/** The period (its first day, as in calendarPeriods) holding a rollup row's `day`: calendar periods clipped to `from`. */
function periodOf(granularity: Granularity, from: string): RawBuilder<string> {
  return sql<string>`greatest(date_trunc(${granularity}, day::timestamp)::date, ${from}::date)`;
}

/** Users of a local day by gap: those whose previous active local day is `gap` days before (GAP_CAP: none in reach). */
interface LocalDayGap {
  day: string;
  gap: number;
  users: number;
}

/**
 * Per series (the product: key PRODUCT, or each feature of `featureIds`), the counts by gap of local days `firstDay` to
 * `lastDay` in `timeZone`, as the per-day counts of migration 0009 are of UTC days. A user's first local day in reach
 * has gap GAP_CAP, as a user back after GAP_CAP days or more: no window asked reaches back before it. A scan of the
 * rollup's rows of those UTC days, ordered per user: kept per data version (migrations 0008 and 0015), so it is paid
 * once per change of the tenant's usage, not once per report.
 */
async function localDayGaps(db: Db, tenantId: string, featureIds: readonly string[] | null, timeZone: string, firstDay: string, lastDay: string) {
  const quarters = await localDayQuarters(db, timeZone, firstDay, lastDay);
  // The product's key is one constant: partitioning by it too would sort the rows a second time.
  const partition = featureIds === null ? sql`end_user_id` : sql`key, end_user_id`;
  const { rows } = await sql<{ key: string; day: string; gap: number; users: number }>`
    select key, day::text as day, gap, users::int as users from (
      select key, day, gap, count(*) as users from (
        select key, day, least(coalesce(day - lag(day) over (partition by ${partition} order by day), ${GAP_CAP}), ${GAP_CAP}) as gap
        from (${localActivity(tenantId, featureIds, quarters)}) d) d
      group by 1, 2, 3) g`.execute(db);
  const gaps = new Map<string, LocalDayGap[]>();
  for (const { key, ...gap } of rows) {
    let list = gaps.get(key);
    if (!list) gaps.set(key, (list = []));
    list.push(gap);
  }
  return gaps;
}

const keptLocalGaps = new AdoptionSnapshots<LocalDayGap[]>((db, tenantId, key) => {
  const [timeZone, featureIds, firstDay, lastDay] = JSON.parse(key) as [string, string[] | null, string, string];
  return localDayGaps(db, tenantId, featureIds, timeZone, firstDay, lastDay);
});

/**
 * Per series (the product, or each feature) and period: distinct users active in the period, their user-days (one a
 * user and day, so the sum of the days' distinct users), and the distinct users of the trailing WAU_DAYS and MAU_DAYS
 * ending on the period's last day.
 *
 * They come from the per-day counts of migration 0009 (analytics.user_activity_gaps for the product,
 * analytics.feature_usage_gaps per feature): the users of day d whose previous active day is `gap` days before. A user
 * is active in [a, b] exactly when one of their days d in it has gap > d - a, so each period and trailing window (at
 * most GAP_CAP days, the cap on gaps) sums its days' rows: a scan of days, never of users.
 *
 * In another time zone the same counts are made for the local days of the periods and of the trailing windows before
 * them, from the users' local days (localDayGaps).
 */
export async function usagePeriodCounts(
  db: Db,
  tenantId: string,
  featureIds: readonly string[] | null,
  periods: readonly Period[],
  timeZone: string,
): Promise<Map<string, UsagePeriodCounts[]>> {
  const longest = Math.max(...periods.map((p) => p.days), WAU_DAYS, MAU_DAYS);
  if (longest > GAP_CAP) throw new Error(`The per-day usage counts answer windows of at most ${GAP_CAP} days, not ${longest}`);
  const keys = featureIds === null
    ? sql`(select ${PRODUCT}::text as key, null::uuid as feature_id) k`
    : sql`(select feature_id::text as key, feature_id from unnest(${[...featureIds]}::uuid[]) as f(feature_id)) k`;
  let series: RawBuilder<unknown>;
  if (timeZone === 'UTC') {
    series = featureIds === null
      ? sql`${keys} left join analytics.user_activity_gaps g on g.tenant_id = ${tenantId}`
      : sql`${keys} left join analytics.feature_usage_gaps g on g.tenant_id = ${tenantId} and g.feature_id = k.feature_id`;
  } else {
    const firstDay = daysBefore(periods[0].start, Math.max(WAU_DAYS, MAU_DAYS) - 1);
    const gaps = [...(await keptLocalGaps.get(db, tenantId, JSON.stringify([timeZone, featureIds, firstDay, periods.at(-1)!.last]))).entries()]
      .flatMap(([key, days]) => days.map((d) => ({ key, ...d })));
    series = sql`${keys} left join unnest(${gaps.map((g) => g.key)}::text[], ${gaps.map((g) => g.day)}::date[],
      ${gaps.map((g) => g.gap)}::int[], ${gaps.map((g) => g.users)}::int[]) as g(key, day, gap, users) on g.key = k.key`;
  }
  const usersIn = (firstDay: RawBuilder<string>) => sql`coalesce(sum(g.users) filter (where g.day >= ${firstDay} and g.gap > g.day - ${firstDay}), 0)`;
  const { rows } = await sql<{ key: string; start: string; active_users: string; user_days: string; wau: string; mau: string }>`
    select k.key, p.start::text as start,
      ${usersIn(sql`p.start`)} as active_users,
      coalesce(sum(g.users) filter (where g.day >= p.start), 0) as user_days,
      ${usersIn(sql`(p.last - ${WAU_DAYS - 1}::int)`)} as wau,
      ${usersIn(sql`(p.last - ${MAU_DAYS - 1}::int)`)} as mau
    from unnest(${periods.map((p) => p.start)}::date[], ${periods.map((p) => p.last)}::date[]) as p(start, last)
    cross join ${series} and g.day between least(p.start, p.last - ${MAU_DAYS - 1}::int) and p.last
    group by k.key, p.start order by k.key, p.start`.execute(db);
  const counts = new Map<string, UsagePeriodCounts[]>();
  for (const r of rows) {
    let list = counts.get(r.key);
    if (!list) counts.set(r.key, (list = []));
    list.push({ start: r.start, activeUsers: count(r.active_users), userDays: count(r.user_days), wau: count(r.wau), mau: count(r.mau) });
  }
  return counts;
}

export interface RetentionCounts {
  cohortStart: string;
  offset: number;
  cohortSize: number;
  retainedUsers: number;
}

/**
 * Per cohort period and offset k >= 0 (while the cohort's period + k is one of `periods`): the users whose first active
 * day falls in the cohort's period, and of them those active in the period k after. The product's first active day is
 * end_users.first_seen_at (the user's first day in user_activity_daily, kept by the rollup); a feature's is the user's
 * first day in feature_usage_daily for it, over all time. Cohorts and offsets without users are listed with zeros.
 * In another time zone, the first active day is the local day of the first active quarter of that first UTC day.
 */
export async function retentionCounts(
  db: Db,
  tenantId: string,
  featureId: string | null,
  periods: readonly Period[],
  granularity: Granularity,
  timeZone: string,
): Promise<RetentionCounts[]> {
  const from = periods[0].start;
  const last = periods.at(-1)!.last;
  let firstDays: RawBuilder<unknown>;
  let active: RawBuilder<unknown>;
  if (timeZone === 'UTC') {
    firstDays = featureId === null
      ? sql`select id as end_user_id, (first_seen_at at time zone 'UTC')::date as day from analytics.end_users
            where tenant_id = ${tenantId}
              and first_seen_at >= (${from}::date::timestamp at time zone 'UTC') and first_seen_at < ((${last}::date + 1)::timestamp at time zone 'UTC')`
      : sql`select end_user_id, min(day) as day from analytics.feature_usage_daily
            where tenant_id = ${tenantId} and feature_id = ${featureId}
            group by end_user_id having min(day) between ${from}::date and ${last}::date`;
    active = activity(tenantId, featureId, from, last);
  } else {
    const [starts, ends] = [sql`(${from}::date::timestamp at time zone ${timeZone})`, sql`((${last}::date + 1)::timestamp at time zone ${timeZone})`];
    // Each user's first UTC day and its quarters; for the product, only users whose first UTC day overlaps the range.
    const firstRows = featureId === null
      ? sql`select u.id as end_user_id, a.day, a.active_quarters from analytics.end_users u
            join analytics.user_activity_daily a on a.tenant_id = u.tenant_id and a.day = (u.first_seen_at at time zone 'UTC')::date and a.end_user_id = u.id
            where u.tenant_id = ${tenantId}
              and u.first_seen_at >= (date_trunc('day', ${starts} at time zone 'UTC') at time zone 'UTC') and u.first_seen_at < ${ends}`
      : sql`select distinct on (end_user_id) end_user_id, day, active_quarters from analytics.feature_usage_daily
            where tenant_id = ${tenantId} and feature_id = ${featureId}
            order by end_user_id, day`;
    firstDays = sql`select end_user_id, day from (
        select end_user_id,
          ((day::timestamp + greatest(position(B'1' in active_quarters) - 1, 0) * interval '15 minutes') at time zone 'UTC' at time zone ${timeZone})::date as day
        from (${firstRows}) f) f
      where day between ${from}::date and ${last}::date`;
    const quarters = await localDayQuarters(db, timeZone, from, last);
    // Only the cohorts' users: the retained are among them (a CTE of the statement below).
    const cohortUsers = sql`end_user_id in (select end_user_id from cohorts)`;
    active = sql`select end_user_id, day from (${localActivity(tenantId, featureId === null ? null : [featureId], quarters, cohortUsers)}) l`;
  }
  const { rows } = await sql<{ cohort_start: string; period_offset: number; cohort_size: string; retained_users: string }>`
    with periods as (
      select p.start, p.index::int - 1 as index
      from unnest(${periods.map((p) => p.start)}::date[]) with ordinality as p(start, index)),
    cohorts as (
      select f.end_user_id, p.index from (${firstDays}) f
      join periods p on p.start = ${periodOf(granularity, from)}),
    active as (${active}),
    returns as (
      select distinct c.end_user_id, c.index as cohort, p.index - c.index as period_offset
      from active a
      join cohorts c on c.end_user_id = a.end_user_id
      join periods p on p.start = ${periodOf(granularity, from)}),
    sizes as (select index, count(*) as n from cohorts group by index),
    retained as (select cohort, period_offset, count(*) as n from returns group by 1, 2)
    select c.start::text as cohort_start, o.index as period_offset, coalesce(s.n, 0) as cohort_size, coalesce(r.n, 0) as retained_users
    from periods c
    join periods o on o.index <= (select max(index) from periods) - c.index
    left join sizes s on s.index = c.index
    left join retained r on r.cohort = c.index and r.period_offset = o.index
    order by c.index, o.index`.execute(db);
  return rows.map((r) => ({ cohortStart: r.cohort_start, offset: r.period_offset, cohortSize: count(r.cohort_size), retainedUsers: count(r.retained_users) }));
}
