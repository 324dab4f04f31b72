import { anyId } from '../../core/sql.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { Deployment, DeploymentStatus } from './deployment.type.js';

const COLUMNS = [
  'd.id', 'd.environment', 'd.status', 'd.sha', 'd.deployed_at as deployedAt', 'd.restored_at as restoredAt',
  'd.repository_id as repositoryId', 'd.release_id as releaseId', 'd.vendor', 'd.external_id', 'd.url', 'd.synced_at',
] as const;

/** Newest deployed first. */
export const DEPLOYMENT_ORDERING: Ordering = { name: 'deployments:deployed_at:desc', keys: ['d.deployed_at', 'd.id'], direction: 'desc' };

export interface DeploymentFilterValues {
  repositoryId?: string | null;
  environment?: string | null;
  status?: DeploymentStatus | null;
  from?: Date | null;
  to?: Date | null;
}

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('engineering.deployments as d').where('d.tenant_id', '=', tenantId).select(COLUMNS);
}

export async function deploymentsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Deployment[]> {
  return (await scoped(db, tenantId).where(anyId('d.id', ids)).execute()) as Deployment[];
}

export async function deploymentPage(db: Db, tenantId: string, filter: DeploymentFilterValues, page: PageArgs) {
  let query = scoped(db, tenantId);
  if (filter.repositoryId) query = query.where('d.repository_id', '=', filter.repositoryId);
  if (filter.environment) query = query.where(sql<boolean>`lower(d.environment) = lower(${filter.environment})`);
  if (filter.status) query = query.where('d.status', '=', filter.status);
  if (filter.from) query = query.where('d.deployed_at', '>=', filter.from);
  if (filter.to) query = query.where('d.deployed_at', '<', filter.to);
  return keysetPage<Deployment>(db, query, DEPLOYMENT_ORDERING, page);
}

/** The deployments of many repositories, one page each, in one statement. */
export async function deploymentPagesByRepository(db: Db, tenantId: string, repositoryIds: readonly string[], page: PageArgs) {
  const query = scoped(db, tenantId).where(anyId('d.repository_id', repositoryIds));
  return keysetPagesByParent<Deployment>(db, query, 'd.repository_id', repositoryIds, DEPLOYMENT_ORDERING, page);
}

/** The deployments of many releases, one page each, in one statement. */
export async function deploymentPagesByRelease(db: Db, tenantId: string, releaseIds: readonly string[], page: PageArgs) {
  const query = scoped(db, tenantId).where(anyId('d.release_id', releaseIds));
  return keysetPagesByParent<Deployment>(db, query, 'd.release_id', releaseIds, DEPLOYMENT_ORDERING, page);
}
