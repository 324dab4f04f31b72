import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { Experiment } from './experiment.type.js';
import { anyId } from '../../core/sql.js';

const COLUMNS = [
  'e.id', 'e.name', 'e.status', 'e.started_at as startedAt', 'e.ended_at as endedAt', 'e.feature_id as featureId',
  'e.vendor', 'e.external_id', 'e.url', 'e.synced_at',
] as const;

/** Most recently started first; drafts (never started) last. */
export const EXPERIMENT_ORDERING: Ordering = {
  name: 'experiments:started_at:desc',
  keys: ["coalesce(e.started_at, '-infinity'::timestamptz)", 'e.id'],
  direction: 'desc',
};

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('analytics.experiments as e').where('e.tenant_id', '=', tenantId);
}

export async function experimentsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Experiment[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('e.id', ids)).execute()) as Experiment[];
}

export async function experimentPage(db: Db, tenantId: string, page: PageArgs) {
  return keysetPage<Experiment>(db, scoped(db, tenantId).select(COLUMNS), EXPERIMENT_ORDERING, page);
}
