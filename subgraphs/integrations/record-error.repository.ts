import { anyId } from '../../core/sql.js';
import type { Db } from '../../core/db.js';
import { keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { RecordError } from './record-error.type.js';

/** Not the payload: it is the vendor's record as received and may hold personal data. */
const COLUMNS = ['e.id', 'e.stream', 'e.external_id as externalId', 'e.reason', 'e.created_at as createdAt'] as const;

/** Newest first. */
export const RECORD_ERROR_ORDERING: Ordering = { name: 'record_errors:created_at:desc', keys: ['e.created_at', 'e.id'], direction: 'desc' };

/** The record errors of many connections, one page each, in one statement. */
export async function recordErrorPagesByConnection(db: Db, tenantId: string, connectionIds: readonly string[], page: PageArgs) {
  const query = db
    .selectFrom('integrations.record_errors as e')
    .where('e.tenant_id', '=', tenantId)
    .where(anyId('e.connection_id', connectionIds))
    .select(COLUMNS);
  return keysetPagesByParent<RecordError>(db, query, 'e.connection_id', connectionIds, RECORD_ERROR_ORDERING, page);
}
