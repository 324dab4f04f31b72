import { sql, type RawBuilder } from 'kysely';

/*
 * The SQL expressions the delivery metrics share, written once. They name their tables by
 * alias: `d` for engineering.deployments and `pr` for engineering.pull_requests.
 */

/** GitHub environment names are case-insensitive: "Production" and "production" are one. */
export const PRODUCTION = 'production';
export const isProduction = sql<boolean>`lower(d.environment) = ${PRODUCTION}`;

/** A deployment that reached its environment: SUCCESS, or FAILURE (a change failure). IN_PROGRESS has not. */
export const isFinished = sql<boolean>`d.status in ('success', 'failure')`;

/** The deployment put the change in production: a finished production deployment. */
export const isShipped = sql<boolean>`(${isProduction} and ${isFinished})`;

/** Hours from the change's start (first commit, else the PR's opening) to the production deployment that shipped it. */
export const leadTimeHours = sql<number | null>`case when ${isShipped}
  then extract(epoch from (d.deployed_at - coalesce(pr.first_commit_at, pr.opened_at)))::float8 / 3600 end`;

/** Hours from a FAILURE deployment to the restore of service; null when not restored. */
export const timeToRestoreHours = sql<number | null>`case when d.status = 'failure'
  then extract(epoch from (d.restored_at - d.deployed_at))::float8 / 3600 end`;

/** The median of a float expression over a group; nulls are ignored, null when none is left. */
export function median(expression: RawBuilder<number | null>): RawBuilder<number | null> {
  return sql<number | null>`percentile_cont(0.5) within group (order by ${expression})`;
}
