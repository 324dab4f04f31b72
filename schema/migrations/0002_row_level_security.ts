import { sql, type Kysely } from 'kysely';

/** The role serving connections switch to: not an owner, so row-level security applies to it. */
export const APP_ROLE = 'product_graph_app';

const SCHEMAS = ['product', 'engineering', 'analytics', 'sales', 'finance', 'customer_success', 'integrations'];

/**
 * The second wall of tenant isolation: every tenant table lets the serving role see and write
 * only the rows of the tenant its connection carries (`app.tenant_id`), whatever a query
 * forgets to filter. Migrations and the generator run as the owner and are not restricted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`do $$ begin create role ${APP_ROLE} nologin; exception when duplicate_object then null; end $$`).execute(db);
  await sql.raw(`grant ${APP_ROLE} to current_user`).execute(db);
  for (const schema of SCHEMAS) {
    await sql.raw(`grant usage on schema ${schema} to ${APP_ROLE}`).execute(db);
    await sql.raw(`grant select, insert, update, delete on all tables in schema ${schema} to ${APP_ROLE}`).execute(db);
    await sql.raw(`grant usage on all sequences in schema ${schema} to ${APP_ROLE}`).execute(db);
    await sql.raw(`alter default privileges in schema ${schema} grant select, insert, update, delete on tables to ${APP_ROLE}`).execute(db);
  }
  const { rows } = await sql<{ name: string }>`
    select format('%I.%I', c.table_schema, c.table_name) as name
    from information_schema.columns c join pg_class k on k.oid = format('%I.%I', c.table_schema, c.table_name)::regclass
    where c.column_name = 'tenant_id' and c.table_schema = any(${SCHEMAS}) and not k.relispartition
    order by 1`.execute(db);
  for (const { name } of rows) {
    await sql.raw(`alter table ${name} enable row level security`).execute(db);
    await sql.raw(
      `create policy tenant_isolation on ${name} to ${APP_ROLE}
       using (tenant_id = current_setting('app.tenant_id', true))
       with check (tenant_id = current_setting('app.tenant_id', true))`,
    ).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select format('%I.%I', schemaname, tablename) as name from pg_policies where policyname = 'tenant_isolation'`.execute(db);
  for (const { name } of rows) {
    await sql.raw(`drop policy tenant_isolation on ${name}`).execute(db);
    await sql.raw(`alter table ${name} disable row level security`).execute(db);
  }
}
