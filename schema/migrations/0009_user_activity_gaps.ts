import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './0002_row_level_security.js';

/**
 * The product's usage over time without reading its users: analytics.user_activity_gaps counts, per tenant and UTC
 * day, the users active that day by the days since their previous active day (`gap`, capped at GAP_CAP: a user new
 * that day, or back after GAP_CAP days or more, has gap GAP_CAP). A user is active in the days [a, b] exactly when one
 * of their days d in it has its previous day before a, i.e. gap > d - a. So the distinct users of any period or
 * trailing window of at most GAP_CAP days are a sum over its days' rows: a scan of days x at most GAP_CAP rows.
 *
 * Statement-level triggers keep it as user_activity_daily changes, whichever code writes that (the sync, deletions,
 * the generator, a webhook): a row added or removed changes its own gap and that of the user's next active day.
 * Each statement reads the changed users' rows around the changed days, in the state before and after, and adds
 * (after - before) per (day, gap).
 *
 * Two indexes serve that and the product's retention: a user's days in order, and end users by first active day.
 */
export const GAP_CAP = 31;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `create table analytics.user_activity_gaps (
      tenant_id text not null,
      day date not null,
      gap smallint not null check (gap between 1 and ${GAP_CAP}),
      users integer not null check (users > 0),
      primary key (tenant_id, day, gap))`,
    `alter table analytics.user_activity_gaps enable row level security`,
    `create policy tenant_isolation on analytics.user_activity_gaps to ${APP_ROLE}
       using (tenant_id = current_setting('app.tenant_id', true)) with check (tenant_id = current_setting('app.tenant_id', true))`,
    // A user's days in order: the neighbours of a changed day, and retention's returns of a cohort's users.
    `create index user_activity_daily_by_user on analytics.user_activity_daily (tenant_id, end_user_id, day)`,
    // The product's retention cohorts: the users first seen in the report's range, without reading every user.
    `create index end_users_by_first_seen on analytics.end_users (tenant_id, first_seen_at)`,
    `create function analytics.apply_user_activity_gaps() returns trigger language plpgsql as $$
     declare
       deleting boolean := tg_op = 'DELETE';
     begin
       if current_setting('transaction_isolation') <> 'read committed' then
         raise exception 'analytics.user_activity_daily is written in read committed transactions only, not %', current_setting('transaction_isolation')
           using errcode = 'feature_not_supported', hint = 'the per-day counts read the neighbours of changed days as committed now: start the transaction without an isolation level';
       end if;
       -- One lock per tenant, held to commit: a writer reads the neighbours of its users' days only after every
       -- earlier writer of the tenant committed (read committed: each statement here sees them), so two writers of
       -- the same user's days cannot both miss each other. A per-user lock would not buy concurrency: every writer
       -- also updates the tenant's per-day counters, where writers taking them in different orders would deadlock.
       perform pg_advisory_xact_lock(hashtextextended('analytics.user_activity_gaps:' || tenant_id, 0))
       from (select distinct tenant_id from changed order by 1) t;
       with ranges as (
         -- Every row whose gap may change (a changed day, the next day within GAP_CAP) and the GAP_CAP days before it.
         select tenant_id, end_user_id, min(day) - ${GAP_CAP} as low, max(day) + ${GAP_CAP} as high from changed group by 1, 2),
       nearby as (
         select u.tenant_id, u.end_user_id, u.day, c.day is not null as is_changed
         from ranges r
         join analytics.user_activity_daily u on u.tenant_id = r.tenant_id and u.end_user_id = r.end_user_id and u.day >= r.low and u.day < r.high
         left join changed c on c.tenant_id = u.tenant_id and c.end_user_id = u.end_user_id and c.day = u.day
         union all
         select tenant_id, end_user_id, day, true from changed where deleting),
       states as (
         select tenant_id, end_user_id, day, 1 as sign from nearby where not (is_changed and deleting)
         union all
         select tenant_id, end_user_id, day, -1 from nearby where not (is_changed and not deleting)),
       gaps as (
         select tenant_id, day, sign,
           least(coalesce(day - lag(day) over (partition by end_user_id, sign, tenant_id collate "C" order by day), ${GAP_CAP}), ${GAP_CAP}) as gap
         from states),
       deltas as (
         select tenant_id, day, gap, sum(sign)::int as users from gaps group by 1, 2, 3 having sum(sign) <> 0),
       added as (
         insert into analytics.user_activity_gaps as g (tenant_id, day, gap, users)
         select tenant_id, day, gap, users from deltas where users > 0 order by 1, 2, 3
         on conflict (tenant_id, day, gap) do update set users = g.users + excluded.users),
       emptied as (
         delete from analytics.user_activity_gaps g using deltas d
         where d.users < 0 and g.tenant_id = d.tenant_id and g.day = d.day and g.gap = d.gap and g.users + d.users = 0)
       update analytics.user_activity_gaps g set users = g.users + d.users
       from deltas d where d.users < 0 and g.tenant_id = d.tenant_id and g.day = d.day and g.gap = d.gap and g.users + d.users <> 0;
       return null;
     end $$`,
    `create trigger user_activity_gaps_insert after insert on analytics.user_activity_daily
       referencing new table as changed for each statement execute function analytics.apply_user_activity_gaps()`,
    `create trigger user_activity_gaps_delete after delete on analytics.user_activity_daily
       referencing old table as changed for each statement execute function analytics.apply_user_activity_gaps()`,
    // The data already there, once.
    `insert into analytics.user_activity_gaps (tenant_id, day, gap, users)
     select tenant_id, day, gap, count(*) from (
       select tenant_id, day,
         least(coalesce(day - lag(day) over (partition by tenant_id, end_user_id order by day), ${GAP_CAP}), ${GAP_CAP}) as gap
       from analytics.user_activity_daily) a
     group by 1, 2, 3 order by 1, 2, 3`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'drop trigger user_activity_gaps_insert on analytics.user_activity_daily',
    'drop trigger user_activity_gaps_delete on analytics.user_activity_daily',
    'drop function analytics.apply_user_activity_gaps()',
    'drop index analytics.end_users_by_first_seen',
    'drop index analytics.user_activity_daily_by_user',
    'drop table analytics.user_activity_gaps',
  ]) await sql.raw(statement).execute(db);
}
