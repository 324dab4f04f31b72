import { sql, type Kysely } from 'kysely';

/**
 * The adoption report read as feature columns, at thousands of features:
 * - a page of `featureColumns` (and of `features` in its default order) reads id, name and released_at in name
 *   order, filtered on released_at: holding released_at in the name index reads the page from the index alone, about
 *   1 ms for 2,000 features instead of 5 ms for a scan and sort of their wide rows. It replaces the index of the same key;
 * - the cost of every feature is kept per data version as adoption and associated revenue are (migration 0008), so
 *   any statement writing cost entries bumps the tenant's version too.
 */
const COST_EVENTS = ['insert', 'update', 'delete'] as const;
const costTrigger = (event: string) => `adoption_data_cost_entries_${event}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index features_by_name_released on product.features (tenant_id, name, id) include (released_at)`.execute(db);
  await sql`drop index product.features_by_name`.execute(db);
  for (const event of COST_EVENTS) {
    await sql.raw(`create trigger ${costTrigger(event)} after ${event} on finance.cost_entries
      referencing ${event === 'delete' ? 'old' : 'new'} table as changed
      for each statement execute function analytics.bump_adoption_data_version()`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of COST_EVENTS) await sql.raw(`drop trigger ${costTrigger(event)} on finance.cost_entries`).execute(db);
  await sql`create index features_by_name on product.features (tenant_id, name, id)`.execute(db);
  await sql`drop index product.features_by_name_released`.execute(db);
}
