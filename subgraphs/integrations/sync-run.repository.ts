import { anyId } from '../../core/sql.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { SyncRun } from './sync-run.type.js';

const COLUMNS = [
  's.id', 's.stream', 's.kind', 's.status', 's.started_at as startedAt', 's.finished_at as finishedAt',
  's.records_read as recordsRead', 's.records_written as recordsWritten', 's.record_errors as recordErrors', 's.error',
  sql<number | null>`extract(epoch from (s.finished_at - s.started_at))::float8 * 1000`.as('durationMs'),
] as const;

/** Newest started first. */
export const SYNC_RUN_ORDERING: Ordering = { name: 'sync_runs:started_at:desc', keys: ['s.started_at', 's.id'], direction: 'desc' };

/** The runs of many connections, one page each, in one statement. */
export async function syncRunPagesByConnection(db: Db, tenantId: string, connectionIds: readonly string[], page: PageArgs) {
  const query = db
    .selectFrom('integrations.sync_runs as s')
    .where('s.tenant_id', '=', tenantId)
    .where(anyId('s.connection_id', connectionIds))
    .select(COLUMNS);
  return keysetPagesByParent<SyncRun>(db, query, 's.connection_id', connectionIds, SYNC_RUN_ORDERING, page);
}
