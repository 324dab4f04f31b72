import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { EndUser } from './end-user.type.js';
import { anyId } from '../../core/sql.js';

const COLUMNS = [
  'u.id', 'u.email', 'u.company_id as companyId', 'u.first_seen_at as firstSeenAt', 'u.last_seen_at as lastSeenAt',
  'u.vendor', 'u.external_id', 'u.url', 'u.synced_at',
] as const;

/**
 * What a walk of every user usually asks (id, email, lastSeenAt, company): read from the index
 * end_users_walk alone, without visiting the table's pages.
 */
export const WALK_COLUMNS = ['u.id', 'u.email', 'u.company_id as companyId', 'u.last_seen_at as lastSeenAt'] as const;

/** By id: the primary key, so a BI tool can walk every user with a stable cursor. */
export const END_USER_ORDERING: Ordering = { name: 'end_users:id:asc', keys: ['u.id'], direction: 'asc' };

export interface EndUserFilterValues {
  companyId?: string | null;
  lastSeenFrom?: Date | null;
}

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('analytics.end_users as u').where('u.tenant_id', '=', tenantId);
}

export async function endUsersByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<EndUser[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('u.id', ids)).execute()) as EndUser[];
}

export async function endUserPage(db: Db, tenantId: string, filter: EndUserFilterValues, page: PageArgs, columns: readonly string[] = COLUMNS) {
  let query = scoped(db, tenantId).select(columns as typeof COLUMNS);
  if (filter.companyId) query = query.where('u.company_id', '=', filter.companyId);
  if (filter.lastSeenFrom) query = query.where('u.last_seen_at', '>=', filter.lastSeenFrom);
  return keysetPage<EndUser>(db, query, END_USER_ORDERING, page);
}
