import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { UsageEvent } from './usage-event.type.js';

const COLUMNS = [
  'e.occurred_at as occurredAt', 'e.insert_id as insertId', 'e.event_type as eventType', 'e.end_user_id as endUserId',
  'e.feature_id as featureId', 'e.vendor', 'e.synced_at as syncedAt',
] as const;

/** The primary key's order (after the tenant): oldest first, so a BI tool can walk every event and resume from a cursor. */
export const USAGE_EVENT_ORDERING: Ordering = { name: 'usage_events:occurred_at:asc', keys: ['e.occurred_at', 'e.insert_id'], direction: 'asc' };

export interface UsageEventFilterValues {
  featureId?: string | null;
  endUserId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export async function usageEventPage(db: Db, tenantId: string, filter: UsageEventFilterValues, page: PageArgs) {
  let query = db.selectFrom('analytics.usage_events as e').where('e.tenant_id', '=', tenantId).select(COLUMNS);
  if (filter.featureId) query = query.where('e.feature_id', '=', filter.featureId);
  if (filter.endUserId) query = query.where('e.end_user_id', '=', filter.endUserId);
  if (filter.from) query = query.where('e.occurred_at', '>=', filter.from);
  if (filter.to) query = query.where('e.occurred_at', '<', filter.to);
  return keysetPage<UsageEvent>(db, query, USAGE_EVENT_ORDERING, page);
}
