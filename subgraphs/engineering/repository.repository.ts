import { anyId } from '../../core/sql.js';
import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { Repository } from './repository.type.js';

const COLUMNS = [
  'r.id', 'r.full_name as fullName', 'r.team', 'r.default_branch as defaultBranch',
  'r.vendor', 'r.external_id', 'r.url', 'r.synced_at',
] as const;

export const REPOSITORY_ORDERING: Ordering = { name: 'repositories:full_name:asc', keys: ['r.full_name', 'r.id'], direction: 'asc' };

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('engineering.repositories as r').where('r.tenant_id', '=', tenantId);
}

export async function repositoriesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Repository[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('r.id', ids)).execute()) as Repository[];
}

export async function repositoryPage(db: Db, tenantId: string, page: PageArgs) {
  return keysetPage<Repository>(db, scoped(db, tenantId).select(COLUMNS), REPOSITORY_ORDERING, page);
}
