import { anyId } from '../../core/sql.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { isProduction, leadTimeHours, median } from './delivery.sql.js';

/** One feature's delivery figures, as FeatureDelivery documents them. */
export interface FeatureDeliveryStats {
  mergedPullRequests: number;
  openPullRequests: number;
  medianLeadTimeHours: number | null;
  lastDeployedAt: Date | null;
}

export const NO_DELIVERY: FeatureDeliveryStats = { mergedPullRequests: 0, openPullRequests: 0, medianLeadTimeHours: null, lastDeployedAt: null };

/** The delivery figures of many features in one grouped statement. */
export async function deliveryStatsByFeature(db: Db, tenantId: string, featureIds: readonly string[]): Promise<Map<string, FeatureDeliveryStats>> {
  const rows = await db
    .selectFrom('engineering.pull_requests as pr')
    .leftJoin('engineering.deployments as d', (join) => join.onRef('d.tenant_id', '=', 'pr.tenant_id').onRef('d.id', '=', 'pr.deployment_id'))
    .where('pr.tenant_id', '=', tenantId)
    .where(anyId('pr.feature_id', featureIds))
    .groupBy('pr.feature_id')
    .select([
      'pr.feature_id as featureId',
      sql<string>`count(*) filter (where pr.state = 'merged')`.as('merged'),
      sql<string>`count(*) filter (where pr.state = 'open')`.as('open'),
      median(leadTimeHours).as('medianLeadTimeHours'),
      sql<Date | null>`max(d.deployed_at) filter (where d.status = 'success' and ${isProduction})`.as('lastDeployedAt'),
    ])
    .execute();
  return new Map(
    rows.map((row) => [
      row.featureId as string,
      {
        mergedPullRequests: Number(row.merged),
        openPullRequests: Number(row.open),
        medianLeadTimeHours: row.medianLeadTimeHours,
        lastDeployedAt: row.lastDeployedAt,
      },
    ]),
  );
}
