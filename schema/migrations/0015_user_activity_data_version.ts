import { sql, type Kysely } from 'kysely';

/**
 * Usage in a time zone other than UTC is counted from the product's rollup (analytics.user_activity_daily) and kept per
 * data version (migration 0008), as the feature rollup already is: a statement changing the product's rollup bumps the
 * tenant's version too, in the same transaction. Activity without a feature writes only this rollup.
 */
const EVENTS = ['insert', 'update', 'delete'] as const;

// Postgres fires a statement's triggers in name order: after the gap counts' (user_activity_gaps_*, migration 0009),
// so a writer takes the tenant's gap lock before the version row, as writers of both rollups always have.
const triggerName = (event: string) => `user_activity_version_${event}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) {
    await sql.raw(`create trigger ${triggerName(event)} after ${event} on analytics.user_activity_daily
      referencing ${event === 'delete' ? 'old' : 'new'} table as changed
      for each statement execute function analytics.bump_adoption_data_version()`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) await sql.raw(`drop trigger ${triggerName(event)} on analytics.user_activity_daily`).execute(db);
}
