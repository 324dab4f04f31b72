import { sql, type Kysely } from 'kysely';

/** Foreign keys whose parent a sync may delete: optional links are cleared, owned children go with their parent. */
const REFERENCES: [table: string, column: string, parent: string, onDelete: string][] = [
  ['product.features', 'release_id', 'product.releases', 'set null (release_id)'],
  ['product.feature_requests', 'feature_id', 'product.features', 'set null (feature_id)'],
  ['engineering.pull_requests', 'deployment_id', 'engineering.deployments', 'set null (deployment_id)'],
  ['engineering.pull_requests', 'repository_id', 'engineering.repositories', 'cascade'],
  ['engineering.deployments', 'repository_id', 'engineering.repositories', 'cascade'],
  ['sales.deals', 'company_id', 'sales.companies', 'cascade'],
];

/**
 * What the sync engine needs beyond the foundation: one live connection per vendor and tenant,
 * deletions that follow the vendor's (reconciliation), and run bookkeeping.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column, parent, onDelete] of REFERENCES) {
    const { rows } = await sql<{ name: string }>`
      select conname as name from pg_constraint
      where conrelid = ${table}::regclass and contype = 'f' and confrelid = ${parent}::regclass`.execute(db);
    for (const { name } of rows) await sql.raw(`alter table ${table} drop constraint ${name}`).execute(db);
    await sql.raw(`alter table ${table} add foreign key (tenant_id, ${column}) references ${parent} (tenant_id, id) on delete ${onDelete}`).execute(db);
  }
  await sql.raw(`create unique index connections_one_per_vendor on integrations.connections (tenant_id, vendor) where status <> 'disconnected'`).execute(db);
  await sql.raw(`alter table integrations.sync_runs add column records_deleted integer not null default 0`).execute(db);
  await sql.raw(`create index sync_runs_running on integrations.sync_runs (connection_id, stream) where status = 'running'`).execute(db);
  await sql.raw(`create index record_errors_by_run on integrations.record_errors (tenant_id, run_id)`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop index integrations.record_errors_by_run`).execute(db);
  await sql.raw(`drop index integrations.sync_runs_running`).execute(db);
  await sql.raw(`alter table integrations.sync_runs drop column records_deleted`).execute(db);
  await sql.raw(`drop index integrations.connections_one_per_vendor`).execute(db);
}
