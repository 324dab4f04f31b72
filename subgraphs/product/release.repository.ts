import { anyId } from '../../core/sql.js';
import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { Release } from './release.type.js';

const COLUMNS = [
  'r.id', 'r.name', 'r.version', 'r.description', 'r.released', 'r.release_date as releaseDate',
  'r.released_at as releasedAt', 'r.updated_at as updatedAt', 'r.vendor', 'r.external_id', 'r.url', 'r.synced_at',
] as const;

/** Newest first; releases without a date come last. */
export const RELEASE_ORDERING: Ordering = {
  name: 'releases:release_date:desc',
  keys: ["coalesce(r.release_date, '-infinity'::date)", 'r.id'],
  direction: 'desc',
};

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('product.releases as r').where('r.tenant_id', '=', tenantId);
}

export async function releasesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Release[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('r.id', ids)).execute()) as Release[];
}

export async function releasePage(db: Db, tenantId: string, filter: { released?: boolean | null }, page: PageArgs) {
  let query = scoped(db, tenantId).select(COLUMNS);
  if (filter.released != null) query = query.where('r.released', '=', filter.released);
  return keysetPage<Release>(db, query, RELEASE_ORDERING, page);
}
