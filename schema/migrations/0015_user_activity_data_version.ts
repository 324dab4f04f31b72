import type { Kysely } from 'kysely';
import { bumpVersionOnWrites, dropVersionTriggers } from './0014_feature_columns.js';

/**
 * Usage in a time zone other than UTC is counted from the product's rollup (analytics.user_activity_daily) and kept per
 * data version (migration 0008), as the feature rollup already is: a statement changing the product's rollup bumps the
 * tenant's version too, in the same transaction. Activity without a feature writes only this rollup.
 */
// Postgres fires a statement's triggers in name order: after the gap counts' (user_activity_gaps_*, migration 0009),
// so a writer takes the tenant's gap lock before the version row, as writers of both rollups always have.
const triggerName = (event: string) => `user_activity_version_${event}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await bumpVersionOnWrites(db, 'analytics.user_activity_daily', triggerName);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropVersionTriggers(db, 'analytics.user_activity_daily', triggerName);
}
