import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './0002_row_level_security.js';

/**
 * A version per tenant of the data behind feature adoption and associated revenue (the feature
 * rollup, end users' companies, deals), bumped by statement-level triggers in the same
 * transaction as the change itself. A report computed over all features at once is kept per
 * (tenant, window, version): a reader that sees version V sees exactly the rows committed with V,
 * so an answer kept under V is never stale. One row write per writing statement, not per row.
 */
const WATCHED: [table: string, events: ('insert' | 'update' | 'delete')[]][] = [
  ['analytics.feature_usage_daily', ['insert', 'update', 'delete']],
  ['analytics.end_users', ['update', 'delete']],
  ['sales.deals', ['insert', 'update', 'delete']],
];

const triggerName = (table: string, event: string) => `adoption_data_${table.split('.')[1]}_${event}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `create table analytics.adoption_data_versions (
      tenant_id text primary key,
      version bigint not null default 1)`,
    `alter table analytics.adoption_data_versions enable row level security`,
    `create policy tenant_isolation on analytics.adoption_data_versions to ${APP_ROLE}
       using (tenant_id = current_setting('app.tenant_id', true)) with check (tenant_id = current_setting('app.tenant_id', true))`,
    `create function analytics.bump_adoption_data_version() returns trigger language plpgsql as $$
     begin
       insert into analytics.adoption_data_versions as v (tenant_id)
       select distinct tenant_id from changed order by 1
       on conflict (tenant_id) do update set version = v.version + 1;
       return null;
     end $$`,
    ...WATCHED.flatMap(([table, events]) => events.map((event) =>
      `create trigger ${triggerName(table, event)} after ${event} on ${table}
         referencing ${event === 'delete' ? 'old' : 'new'} table as changed
         for each statement execute function analytics.bump_adoption_data_version()`)),
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, events] of WATCHED) for (const event of events) await sql.raw(`drop trigger ${triggerName(table, event)} on ${table}`).execute(db);
  await sql.raw('drop function analytics.bump_adoption_data_version()').execute(db);
  await sql.raw('drop table analytics.adoption_data_versions').execute(db);
}
