import { sql, type Kysely } from 'kysely';
import { GAP_CAP } from './0009_user_activity_gaps.js';

/**
 * The per-day gap counts' triggers (migration 0009) plan their statement each time it runs, for the rows it is given.
 * A PL/pgSQL statement is otherwise planned once per session and kept until its tables are next analysed. A sync's
 * connection often first writes the rollups while they are empty, by a statement that changes no row (a deletions
 * stream with nothing to delete): the plan kept from that run scanned the whole rollup for every user of every page
 * after, as a backfill grew it. A new database synced its first million usage events several times slower. A
 * transition table has no statistics, so no one plan fits every statement: planned for its own, the planner knows
 * how many rows it holds and how big the rollup has grown.
 */
interface GapRollup { daily: string; gaps: string; series: string[] }

const ROLLUPS: GapRollup[] = [
  { daily: 'analytics.user_activity_daily', gaps: 'analytics.user_activity_gaps', series: [] },
  { daily: 'analytics.feature_usage_daily', gaps: 'analytics.feature_usage_gaps', series: ['feature_id'] },
];

/** The trigger function of `r`, its statement planned each time it runs or, as before this migration, once a session. */
function applyFunction(r: GapRollup, planned: 'each time' | 'once a session'): string {
  /** The series columns, each followed by a comma, of `alias` if given. */
  const seriesOf = (alias?: string) => r.series.map((c) => `${alias ? `${alias}.` : ''}${c}, `).join('');
  const series = seriesOf();
  const same = (a: string, b: string) => r.series.map((c) => ` and ${a}.${c} = ${b}.${c}`).join('');
  const neighbour = (side: '<' | '>', edge: string, bound: '>=' | '<', sign: '-' | '+') =>
    `u.tenant_id = s.tenant_id${same('u', 's')} and u.end_user_id = s.end_user_id and u.day ${side} s.${edge} and u.day ${bound} s.${edge} ${sign} ${GAP_CAP}`;
  const gap = (partition: string) =>
    `least(coalesce(day - lag(day) over (partition by ${partition} order by day), ${GAP_CAP}), ${GAP_CAP})`;
  const deleting = planned === 'each time' ? '$1' : 'deleting';
  // See migration 0009 for what each part counts.
  const statement = `with spans as (
         select tenant_id, ${series}end_user_id, min(day) as first_day, max(day) as last_day from changed
         group by tenant_id, ${series}end_user_id),
       ranges as (
         select s.tenant_id, ${seriesOf('s')}s.end_user_id,
           coalesce((select max(u.day) from ${r.daily} u where ${neighbour('<', 'first_day', '>=', '-')}), s.first_day) as low,
           coalesce((select min(u.day) from ${r.daily} u where ${neighbour('>', 'last_day', '<', '+')}), s.last_day) + 1 as high
         from spans s),
       nearby as (
         select tenant_id, ${series}end_user_id, day, bool_or(is_changed) as is_changed from (
           -- Each user's days in their range, one index scan a user: as a join, the planner (which cannot know how
           -- many users a transition table holds) hashed the users against a scan of the whole rollup.
           select r.tenant_id, ${seriesOf('r')}r.end_user_id, d.day, false as is_changed
           from ranges r, unnest(array(
             select u.day from ${r.daily} u
             where u.tenant_id = r.tenant_id${same('u', 'r')} and u.end_user_id = r.end_user_id and u.day >= r.low and u.day < r.high)) as d(day)
           union all
           select tenant_id, ${series}end_user_id, day, true from changed) rows
         group by tenant_id, ${series}end_user_id, day),
       states as (
         select tenant_id, ${series}end_user_id, day, 1 as sign from nearby where not (is_changed and ${deleting})
         union all
         select tenant_id, ${series}end_user_id, day, -1 from nearby where not (is_changed and not ${deleting})),
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
       from deltas d where d.users < 0 and g.tenant_id = d.tenant_id${same('g', 'd')} and g.day = d.day and g.gap = d.gap and g.users + d.users <> 0`;
  return `create or replace function analytics.apply_${r.gaps.split('.')[1]}() returns trigger language plpgsql as $$
     declare
       deleting boolean := tg_op = 'DELETE';
     begin
       if current_setting('transaction_isolation') <> 'read committed' then
         raise exception '${r.daily} is written in read committed transactions only, not %', current_setting('transaction_isolation')
           using errcode = 'feature_not_supported', hint = 'the per-day counts read the neighbours of changed days as committed now: start the transaction without an isolation level';
       end if;
       -- One lock per tenant, held to commit (migration 0009 says why).
       perform pg_advisory_xact_lock(hashtextextended('analytics.usage_gaps:' || tenant_id, 0))
       from (select distinct tenant_id from changed order by 1) t;
       ${planned === 'each time' ? `execute $statement$${statement}$statement$ using deleting` : statement};
       return null;
     end $$`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const r of ROLLUPS) await sql.raw(applyFunction(r, 'each time')).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const r of ROLLUPS) await sql.raw(applyFunction(r, 'once a session')).execute(db);
}
