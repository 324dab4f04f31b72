import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { isFinished, isProduction, leadTimeHours, median, timeToRestoreHours } from './delivery.sql.js';

export interface DoraScope {
  from: Date;
  to: Date;
  repositoryId?: string | null;
  team?: string | null;
}

export interface DoraFigures {
  deployments: number;
  failedDeployments: number;
  medianTimeToRestoreHours: number | null;
  medianLeadTimeHours: number | null;
  mergedPullRequests: number;
}

/** Finished production deployments in `[from, to)` of the repository or team asked for. */
function deploymentsInWindow(db: Db, tenantId: string, scope: DoraScope) {
  let query = db
    .selectFrom('engineering.deployments as d')
    .innerJoin('engineering.repositories as r', (join) => join.onRef('r.tenant_id', '=', 'd.tenant_id').onRef('r.id', '=', 'd.repository_id'))
    .where('d.tenant_id', '=', tenantId)
    .where(isProduction)
    .where(isFinished)
    .where('d.deployed_at', '>=', scope.from)
    .where('d.deployed_at', '<', scope.to);
  if (scope.repositoryId) query = query.where('d.repository_id', '=', scope.repositoryId);
  if (scope.team) query = query.where('r.team', '=', scope.team);
  return query;
}

/** The Four Keys over one window (deployment counts and time to restore, lead time of the PRs they shipped) and velocity. */
export async function doraFigures(db: Db, tenantId: string, scope: DoraScope): Promise<DoraFigures> {
  let merged = db.selectFrom('engineering.pull_requests as pr')
    .innerJoin('engineering.repositories as r', (join) => join.onRef('r.tenant_id', '=', 'pr.tenant_id').onRef('r.id', '=', 'pr.repository_id'))
    .where('pr.tenant_id', '=', tenantId).where('pr.merged_at', '>=', scope.from).where('pr.merged_at', '<', scope.to);
  if (scope.repositoryId) merged = merged.where('pr.repository_id', '=', scope.repositoryId);
  if (scope.team) merged = merged.where('r.team', '=', scope.team);
  const [deploys, leadTime, velocity] = await Promise.all([
    deploymentsInWindow(db, tenantId, scope)
      .select([
        sql<string>`count(*)`.as('deployments'),
        sql<string>`count(*) filter (where d.status = 'failure')`.as('failed'),
        median(timeToRestoreHours).as('medianTimeToRestoreHours'),
      ])
      .executeTakeFirstOrThrow(),
    deploymentsInWindow(db, tenantId, scope)
      .innerJoin('engineering.pull_requests as pr', (join) => join.onRef('pr.tenant_id', '=', 'd.tenant_id').onRef('pr.deployment_id', '=', 'd.id'))
      .select(median(leadTimeHours).as('medianLeadTimeHours'))
      .executeTakeFirstOrThrow(),
    merged.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    deployments: Number(deploys.deployments),
    failedDeployments: Number(deploys.failed),
    medianTimeToRestoreHours: deploys.medianTimeToRestoreHours,
    medianLeadTimeHours: leadTime.medianLeadTimeHours,
    mergedPullRequests: Number(velocity.n),
  };
}
