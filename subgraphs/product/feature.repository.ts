import { anyId } from '../../core/sql.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { Feature, FeatureStatus } from './feature.type.js';

const COLUMNS = [
  'f.id', 'f.key', 'f.name', 'f.description', 'f.status', 'f.priority', 'f.team',
  'f.released_at as releasedAt', 'f.created_at as createdAt', 'f.updated_at as updatedAt', 'f.release_id as releaseId',
  'f.vendor', 'f.external_id', 'f.url', 'f.synced_at',
] as const;

export type FeatureOrderField = 'name' | 'released_at' | 'updated_at' | 'created_at';

export interface FeatureFilterValues {
  ids?: string[] | null;
  status?: FeatureStatus[] | null;
  team?: string | null;
  search?: string | null;
  releasedFrom?: Date | null;
  releasedTo?: Date | null;
  updatedFrom?: Date | null;
}

const ORDER_KEYS: Record<FeatureOrderField, string> = {
  name: 'f.name',
  // Unreleased features sort first ascending (last descending) instead of breaking the keyset on NULL.
  released_at: "coalesce(f.released_at, '-infinity'::timestamptz)",
  updated_at: 'f.updated_at',
  created_at: 'f.created_at',
};

export function featureOrdering(field: FeatureOrderField, direction: 'asc' | 'desc'): Ordering {
  // Name and id are text as selected: their cursors come from the nodes. A timestamp's text is Postgres's, not a Date's.
  const nodeKeys = field === 'name' ? ['name', 'id'] : undefined;
  return { name: `features:${field}:${direction}`, keys: [ORDER_KEYS[field], 'f.id'], direction, nodeKeys };
}

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('product.features as f').where('f.tenant_id', '=', tenantId);
}

export async function featuresByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Feature[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('f.id', ids)).execute()) as Feature[];
}

/** The columns `featureColumns` reads: a page of them costs no more than it returns. */
export const COLUMN_PAGE_COLUMNS = ['f.id', 'f.name', 'f.released_at as releasedAt'] as const;

export async function featurePage(db: Db, tenantId: string, filter: FeatureFilterValues, ordering: Ordering, page: PageArgs, columns: readonly string[] = COLUMNS) {
  let query = scoped(db, tenantId).select(columns as typeof COLUMNS);
  if (filter.ids?.length) query = query.where(anyId('f.id', filter.ids));
  if (filter.status?.length) query = query.where('f.status', 'in', filter.status);
  if (filter.team) query = query.where('f.team', '=', filter.team);
  if (filter.search) query = query.where(sql<boolean>`f.name ilike ${'%' + filter.search.replace(/[\\%_]/g, '\\$&') + '%'}`);
  if (filter.releasedFrom) query = query.where('f.released_at', '>=', filter.releasedFrom);
  if (filter.releasedTo) query = query.where('f.released_at', '<', filter.releasedTo);
  if (filter.updatedFrom) query = query.where('f.updated_at', '>=', filter.updatedFrom);
  return keysetPage<Feature>(db, query, ordering, page);
}

/** The features of many releases, one page each, in one statement. */
export async function featurePagesByRelease(db: Db, tenantId: string, releaseIds: readonly string[], page: PageArgs) {
  const query = scoped(db, tenantId).select(COLUMNS).where(anyId('f.release_id', releaseIds));
  return keysetPagesByParent<Feature>(db, query, 'f.release_id', releaseIds, featureOrdering('name', 'asc'), page);
}
