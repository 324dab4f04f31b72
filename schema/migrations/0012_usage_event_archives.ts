import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './0002_row_level_security.js';

/**
 * The raw payload of usage events: at millions of events a payload a row would outweigh the events many times
 * over, so each file of an export is kept as the vendor sent it (Amplitude: gzipped JSON lines, one event a line),
 * one row a file, named as the vendor named it, with the upload hour it holds. A file read again replaces its row;
 * the connection's files go when it is disconnected (or deleted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table analytics.usage_event_archives (
      tenant_id text not null,
      connection_id uuid not null,
      file_name text not null,
      upload_hour timestamptz,
      data bytea not null,
      synced_at timestamptz not null default now(),
      primary key (tenant_id, connection_id, file_name),
      foreign key (tenant_id, connection_id) references integrations.connections (tenant_id, id) on delete cascade)`,
    // Compressed already: Postgres need not try again.
    `alter table analytics.usage_event_archives alter column data set storage external`,
    `create index usage_event_archives_by_hour on analytics.usage_event_archives (tenant_id, connection_id, upload_hour)`,
    `alter table analytics.usage_event_archives enable row level security`,
    `create policy tenant_isolation on analytics.usage_event_archives to ${APP_ROLE}
       using (tenant_id = current_setting('app.tenant_id', true)) with check (tenant_id = current_setting('app.tenant_id', true))`,
    `comment on table analytics.usage_events is 'One row a vendor event, without its payload: an Amplitude event''s raw record is a line of `
      + `the export file it came in, kept in analytics.usage_event_archives (by connection and upload hour)'`,
  ]) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('comment on table analytics.usage_events is null').execute(db);
  await sql.raw('drop table analytics.usage_event_archives').execute(db);
}
