import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './0002_row_level_security.js';

/**
 * Usage over time without reading users: analytics.user_activity_gaps counts, per tenant and UTC day, the users active
 * in the product that day by the days since their previous active day (`gap`, capped at GAP_CAP: a user new that day,
 * or back after GAP_CAP days or more, has gap GAP_CAP); analytics.feature_usage_gaps does the same per feature. A user
 * is active in the days [a, b] exactly when one of their days d in it has its previous day before a, i.e. gap > d - a.
 * So the distinct users of any period or trailing window of at most GAP_CAP days are a sum over its days' rows: a scan
 * of days x at most GAP_CAP rows.
 *
 * Statement-level triggers keep them as the daily rollups change, whichever code writes those (the sync, deletions,
 * the generator, a webhook): a row added or removed changes its own gap and that of the user's next active day.
 * Each statement reads the changed users' rows around the changed days, in the state before and after, and adds
 * (after - before) per (day, gap).
 *
 * Indexes serve that and the product's retention: a user's days in order, and end users by first active day.
 */
export const GAP_CAP = 31;

interface GapRollup {
  /** The daily rollup the counts follow: one row a UTC day and user (and series). */
  daily: string;
  gaps: string;
  /** Columns besides tenant_id that split the counts into series. */
  series: string[];
}

const ROLLUPS: GapRollup[] = [
  { daily: 'analytics.user_activity_daily', gaps: 'analytics.user_activity_gaps', series: [] },
  { daily: 'analytics.feature_usage_daily', gaps: 'analytics.feature_usage_gaps', series: ['feature_id'] },
];

const bare = (table: string) => table.split('.')[1];
const applyFunction = (r: GapRollup) => `analytics.apply_${bare(r.gaps)}`;
const byUserIndex = (r: GapRollup) => `${bare(r.daily)}_by_user`;

function statements(r: GapRollup): string[] {
  const series = r.series.map((c) => `${c}, `).join('');
  const seriesColumns = r.series.map((c) => `${c} uuid not null,\n      `).join('');
  const same = (a: string, b: string) => r.series.map((c) => ` and ${a}.${c} = ${b}.${c}`).join('');
  /** The user's days next to a span's `edge` day, within GAP_CAP of it. */
  const neighbour = (side: '<' | '>', edge: string, bound: '>=' | '<', sign: '-' | '+') =>
    `u.tenant_id = s.tenant_id${same('u', 's')} and u.end_user_id = s.end_user_id and u.day ${side} s.${edge} and u.day ${bound} s.${edge} ${sign} ${GAP_CAP}`;
  const gap = (partition: string) =>
    `least(coalesce(day - lag(day) over (partition by ${partition} order by day), ${GAP_CAP}), ${GAP_CAP})`;
  return [
    `create table ${r.gaps} (
      tenant_id text not null,
      ${seriesColumns}day date not null,
      gap smallint not null check (gap between 1 and ${GAP_CAP}),
      users integer not null check (users > 0),
      primary key (tenant_id, ${series}day, gap))`,
    `alter table ${r.gaps} enable row level security`,
    `create policy tenant_isolation on ${r.gaps} to ${APP_ROLE}
       using (tenant_id = current_setting('app.tenant_id', true)) with check (tenant_id = current_setting('app.tenant_id', true))`,
    // A user's days in order: the neighbours of a changed day.
    `create index ${byUserIndex(r)} on ${r.daily} (tenant_id, ${series}end_user_id, day)`,
    `create function ${applyFunction(r)}() returns trigger language plpgsql as $$
     declare
       deleting boolean := tg_op = 'DELETE';
     begin
       if current_setting('transaction_isolation') <> 'read committed' then
         raise exception '${r.daily} is written in read committed transactions only, not %', current_setting('transaction_isolation')
           using errcode = 'feature_not_supported', hint = 'the per-day counts read the neighbours of changed days as committed now: start the transaction without an isolation level';
       end if;
       -- One lock per tenant, held to commit: a writer reads the neighbours of its users' days only after every
       -- earlier writer of the tenant committed (read committed: each statement here sees them), so two writers of
       -- the same user's days cannot both miss each other. A per-user lock would not buy concurrency: every writer
       -- also updates the tenant's per-day counters, where writers taking them in different orders would deadlock.
       perform pg_advisory_xact_lock(hashtextextended('analytics.usage_gaps:' || tenant_id, 0))
       from (select distinct tenant_id from changed order by 1) t;
       with spans as (
         select tenant_id, ${series}end_user_id, min(day) as first_day, max(day) as last_day from changed
         group by tenant_id, ${series}end_user_id),
       ranges as (
         -- Every row whose gap may change (a changed day, the next unchanged day within GAP_CAP), from the unchanged
         -- day before them within GAP_CAP (its own gap is wrong here, the same before and after, so it cancels out).
         -- Two index probes a user instead of GAP_CAP days on either side: a sync adds a day after the last.
         select s.tenant_id, ${r.series.map((c) => `s.${c}, `).join('')}s.end_user_id,
           coalesce((select max(u.day) from ${r.daily} u where ${neighbour('<', 'first_day', '>=', '-')}), s.first_day) as low,
           coalesce((select min(u.day) from ${r.daily} u where ${neighbour('>', 'last_day', '<', '+')}), s.last_day) + 1 as high
         from spans s),
       -- The rows there now, and the changed ones (inserted: there too; deleted: gone), each once. A grouping, not a
       -- join with the transition table: that has no statistics, and a misestimate made the join a nested loop.
       nearby as (
         select tenant_id, ${series}end_user_id, day, bool_or(is_changed) as is_changed from (
           select u.tenant_id, ${r.series.map((c) => `u.${c}, `).join('')}u.end_user_id, u.day, false as is_changed
           from ranges r
           join ${r.daily} u on u.tenant_id = r.tenant_id${same('u', 'r')} and u.end_user_id = r.end_user_id and u.day >= r.low and u.day < r.high
           union all
           select tenant_id, ${series}end_user_id, day, true from changed) rows
         group by tenant_id, ${series}end_user_id, day),
       states as (
         select tenant_id, ${series}end_user_id, day, 1 as sign from nearby where not (is_changed and deleting)
         union all
         select tenant_id, ${series}end_user_id, day, -1 from nearby where not (is_changed and not deleting)),
       gaps as (
         select tenant_id, ${series}day, sign, ${gap(`end_user_id, ${series}sign, tenant_id collate "C"`)} as gap from states),
       deltas as (
         select tenant_id, ${series}day, gap, sum(sign)::int as users from gaps
         group by tenant_id, ${series}day, gap having sum(sign) <> 0),
       added as (
         insert into ${r.gaps} as g (tenant_id, ${series}day, gap, users)
         select tenant_id, ${series}day, gap, users from deltas where users > 0 order by tenant_id, ${series}day, gap
         on conflict (tenant_id, ${series}day, gap) do update set users = g.users + excluded.users),
       emptied as (
         delete from ${r.gaps} g using deltas d
         where d.users < 0 and g.tenant_id = d.tenant_id${same('g', 'd')} and g.day = d.day and g.gap = d.gap and g.users + d.users = 0)
       update ${r.gaps} g set users = g.users + d.users
       from deltas d where d.users < 0 and g.tenant_id = d.tenant_id${same('g', 'd')} and g.day = d.day and g.gap = d.gap and g.users + d.users <> 0;
       return null;
     end $$`,
    ...['insert', 'delete'].map((event) =>
      `create trigger ${bare(r.gaps)}_${event} after ${event} on ${r.daily}
         referencing ${event === 'delete' ? 'old' : 'new'} table as changed for each statement execute function ${applyFunction(r)}()`),
    // The data already there, once.
    `insert into ${r.gaps} (tenant_id, ${series}day, gap, users)
     select tenant_id, ${series}day, gap, count(*) from (
       select tenant_id, ${series}day, ${gap(`tenant_id, ${series}end_user_id`)} as gap from ${r.daily}) a
     group by tenant_id, ${series}day, gap order by tenant_id, ${series}day, gap`,
  ];
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const r of ROLLUPS) for (const statement of statements(r)) await sql.raw(statement).execute(db);
  // The product's retention cohorts: the users first seen in the report's range, without reading every user.
  await sql.raw('create index end_users_by_first_seen on analytics.end_users (tenant_id, first_seen_at)').execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop index analytics.end_users_by_first_seen').execute(db);
  for (const r of ROLLUPS) {
    for (const statement of [
      `drop trigger ${bare(r.gaps)}_insert on ${r.daily}`,
      `drop trigger ${bare(r.gaps)}_delete on ${r.daily}`,
      `drop function ${applyFunction(r)}()`,
      `drop index analytics.${byUserIndex(r)}`,
      `drop table ${r.gaps}`,
    ]) await sql.raw(statement).execute(db);
  }
}
