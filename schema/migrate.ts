import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as foundation from './migrations/0001_foundation.js';
import * as rowLevelSecurity from './migrations/0002_row_level_security.js';
import * as syncEngine from './migrations/0003_sync_engine.js';
import * as realtimeOutbox from './migrations/0004_realtime_outbox.js';
import * as domainEvents from './migrations/0005_domain_events.js';
import * as webhookReceipts from './migrations/0006_webhook_receipts.js';
import * as outboxPublication from './migrations/0007_outbox_publication.js';
import * as adoptionDataVersions from './migrations/0008_adoption_data_versions.js';
import * as userActivityGaps from './migrations/0009_user_activity_gaps.js';
import * as reportDataVersions from './migrations/0010_report_data_versions.js';
import * as activeQuarters from './migrations/0011_active_quarters.js';
import * as usageEventArchives from './migrations/0012_usage_event_archives.js';
import * as endUsersWalk from './migrations/0013_end_users_walk.js';
import * as featureColumns from './migrations/0014_feature_columns.js';
import * as userActivityDataVersion from './migrations/0015_user_activity_data_version.js';
import * as pullRequestIssueKeys from './migrations/0016_pull_request_issue_keys.js';
import * as gapCountsPlannedPerStatement from './migrations/0017_gap_counts_planned_per_statement.js';

/** Every migration, in order; a new one is added here and never edited after it lands. */
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_row_level_security': rowLevelSecurity,
  '0003_sync_engine': syncEngine,
  '0004_realtime_outbox': realtimeOutbox,
  '0005_domain_events': domainEvents,
  '0006_webhook_receipts': webhookReceipts,
  '0007_outbox_publication': outboxPublication,
  '0008_adoption_data_versions': adoptionDataVersions,
  '0009_user_activity_gaps': userActivityGaps,
  '0010_report_data_versions': reportDataVersions,
  '0011_active_quarters': activeQuarters,
  '0012_usage_event_archives': usageEventArchives,
  '0013_end_users_walk': endUsersWalk,
  '0014_feature_columns': featureColumns,
  '0015_user_activity_data_version': userActivityDataVersion,
  '0016_pull_request_issue_keys': pullRequestIssueKeys,
  '0017_gap_counts_planned_per_statement': gapCountsPlannedPerStatement,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database to the newest schema; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: 'public' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}
