import { sql, type Kysely } from 'kysely';

/**
 * The adoption report read as feature columns, at thousands of features:
 * - a page of `featureColumns` (and of `features` in its default order) reads id, name and released_at in name
 *   order, filtered on released_at: holding released_at in the name index reads the page from the index alone, about
 *   1 ms for 2,000 features instead of 5 ms for a scan and sort of their wide rows. It replaces the index of the same key;
 * - the cost of every feature is kept per data version as adoption and associated revenue are (migration 0008), so
 *   any statement writing cost entries bumps the tenant's version too.
 */
const WRITES = ['insert', 'update', 'delete'] as const;

/** Statement triggers `name(event)` on `table` bumping the tenant's data version (migration 0008) on every write. */
export async function bumpVersionOnWrites(db: Kysely<unknown>, table: string, name: (event: string) => string): Promise<void> {
  for (const event of WRITES) {
    await sql.raw(`create trigger ${name(event)} after ${event} on ${table}
      referencing ${event === 'delete' ? 'old' : 'new'} table as changed
      for each statement execute function analytics.bump_adoption_data_version()`).execute(db);
  }
}

export async function dropVersionTriggers(db: Kysely<unknown>, table: string, name: (event: string) => string): Promise<void> {
  for (const event of WRITES) await sql.raw(`drop trigger ${name(event)} on ${table}`).execute(db);
}

const costTrigger = (event: string) => `adoption_data_cost_entries_${event}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index features_by_name_released on product.features (tenant_id, name, id) include (released_at)`.execute(db);
  await sql`drop index product.features_by_name`.execute(db);
  await bumpVersionOnWrites(db, 'finance.cost_entries', costTrigger);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropVersionTriggers(db, 'finance.cost_entries', costTrigger);
  await sql`create index features_by_name on product.features (tenant_id, name, id)`.execute(db);
  await sql`drop index product.features_by_name_released`.execute(db);
}
