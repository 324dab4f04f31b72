import { anyId } from '../../core/sql.js';
import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import { leadTimeHours } from './delivery.sql.js';
import type { PullRequest, PullRequestState } from './pull-request.type.js';

const COLUMNS = [
  'pr.id', 'pr.number', 'pr.title', 'pr.state', 'pr.author',
  'pr.opened_at as openedAt', 'pr.first_commit_at as firstCommitAt', 'pr.merged_at as mergedAt', 'pr.closed_at as closedAt',
  'pr.additions', 'pr.deletions', 'pr.repository_id as repositoryId', 'pr.feature_id as featureId',
  'pr.vendor', 'pr.external_id', 'pr.url', 'pr.synced_at',
] as const;

/** Newest opened first. */
export const PULL_REQUEST_ORDERING: Ordering = { name: 'pull_requests:opened_at:desc', keys: ['pr.opened_at', 'pr.id'], direction: 'desc' };

export interface PullRequestFilterValues {
  repositoryId?: string | null;
  featureId?: string | null;
  state?: PullRequestState | null;
  mergedFrom?: Date | null;
  mergedTo?: Date | null;
}

/** Pull requests with the deployment that shipped them joined, for their lead time. */
function scoped(db: Db, tenantId: string) {
  return db
    .selectFrom('engineering.pull_requests as pr')
    .leftJoin('engineering.deployments as d', (join) => join.onRef('d.tenant_id', '=', 'pr.tenant_id').onRef('d.id', '=', 'pr.deployment_id'))
    .where('pr.tenant_id', '=', tenantId)
    .select([...COLUMNS, leadTimeHours.as('leadTimeHours')]);
}

export async function pullRequestsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<PullRequest[]> {
  return (await scoped(db, tenantId).where(anyId('pr.id', ids)).execute()) as PullRequest[];
}

export async function pullRequestPage(db: Db, tenantId: string, filter: PullRequestFilterValues, page: PageArgs) {
  let query = scoped(db, tenantId);
  if (filter.repositoryId) query = query.where('pr.repository_id', '=', filter.repositoryId);
  if (filter.featureId) query = query.where('pr.feature_id', '=', filter.featureId);
  if (filter.state) query = query.where('pr.state', '=', filter.state);
  if (filter.mergedFrom) query = query.where('pr.merged_at', '>=', filter.mergedFrom);
  if (filter.mergedTo) query = query.where('pr.merged_at', '<', filter.mergedTo);
  return keysetPage<PullRequest>(db, query, PULL_REQUEST_ORDERING, page);
}

/** The pull requests of many repositories, one page each, in one statement. */
export async function pullRequestPagesByRepository(db: Db, tenantId: string, repositoryIds: readonly string[], page: PageArgs) {
  const query = scoped(db, tenantId).where(anyId('pr.repository_id', repositoryIds));
  return keysetPagesByParent<PullRequest>(db, query, 'pr.repository_id', repositoryIds, PULL_REQUEST_ORDERING, page);
}

/** The pull requests of many features, one page each, in one statement. */
export async function pullRequestPagesByFeature(db: Db, tenantId: string, featureIds: readonly string[], page: PageArgs) {
  const query = scoped(db, tenantId).where(anyId('pr.feature_id', featureIds));
  return keysetPagesByParent<PullRequest>(db, query, 'pr.feature_id', featureIds, PULL_REQUEST_ORDERING, page);
}
