import { sql } from 'kysely';
import type { Trx } from '../../../../sync/table-writer.js';

/**
 * The feature a pull request implements: the first issue key in its title, then its head branch, that is a feature's
 * key. `issue_keys` holds them as people write them (`PG-123`, `pg-123-add-query`), upper-cased (migration 0016).
 */
const featureOf = sql`(select f.id from unnest(p.issue_keys) with ordinality as m(key, n)
  join product.features f on f.tenant_id = p.tenant_id and f.key = m.key
  order by m.n, f.id limit 1)`;

/** The deployment that shipped a merged pull request: its repository's first production deployment at or after the merge. */
const shippedBy = sql`case when p.merged_at is null then null else (select d.id from engineering.deployments d
  where d.tenant_id = p.tenant_id and d.repository_id = p.repository_id and lower(d.environment) = 'production' and d.deployed_at >= p.merged_at
  order by d.deployed_at, d.id limit 1) end`;

/** When a release's train left: its release time, or, when only its day is known (Jira versions), the end of that day. */
const leaves = sql`coalesce(r.released_at, (r.release_date + 1)::timestamp at time zone 'UTC')`;

/** Links pull requests just written to their feature and to the deployment that shipped them. */
export async function linkPullRequests(trx: Trx, tenantId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await sql`update engineering.pull_requests t set feature_id = link.feature_id, deployment_id = link.deployment_id
    from (select p.id, ${featureOf} as feature_id, ${shippedBy} as deployment_id
      from engineering.pull_requests p where p.tenant_id = ${tenantId} and p.id = any(${ids}::uuid[])) link
    where t.tenant_id = ${tenantId} and t.id = link.id
      and (t.feature_id, t.deployment_id) is distinct from (link.feature_id, link.deployment_id)`.execute(trx);
}

/**
 * After deployments are written: a production deployment ships the release whose train leaves
 * next (the first release at or after it), and becomes the shipping deployment of the merged pull
 * requests of its repository that no earlier production deployment took.
 */
export async function linkDeployments(trx: Trx, tenantId: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const ids = rows.map((r) => r.id as string);
  await sql`update engineering.deployments t set release_id = link.release_id
    from (select d.id, case when lower(d.environment) = 'production' then (select r.id from product.releases r
        where r.tenant_id = d.tenant_id and (r.released or r.released_at is not null) and ${leaves} >= d.deployed_at order by ${leaves}, r.id limit 1) end as release_id
      from engineering.deployments d where d.tenant_id = ${tenantId} and d.id = any(${ids}::uuid[])) link
    where t.tenant_id = ${tenantId} and t.id = link.id and t.release_id is distinct from link.release_id`.execute(trx);

  const repositories = [...new Set(rows.map((r) => r.repository_id as string))];
  const times = rows.map((r) => new Date(r.deployed_at as string | Date).getTime());
  const earliest = new Date(Math.min(...times));
  const latest = new Date(Math.max(...times));
  // Only pull requests merged by the latest of these deployments and not already shipped by a deployment before the earliest can change.
  await sql`update engineering.pull_requests t set deployment_id = link.deployment_id
    from (select p.id, ${shippedBy} as deployment_id from engineering.pull_requests p
      left join engineering.deployments shipped on shipped.tenant_id = p.tenant_id and shipped.id = p.deployment_id
      where p.tenant_id = ${tenantId} and p.repository_id = any(${repositories}::uuid[]) and p.merged_at is not null and p.merged_at <= ${latest}
        and (p.deployment_id is null or shipped.deployed_at >= ${earliest})) link
    where t.tenant_id = ${tenantId} and t.id = link.id and t.deployment_id is distinct from link.deployment_id`.execute(trx);
}

/**
 * Links the pull requests that name one of these feature keys and had no feature yet: a feature
 * synced after its pull requests (another vendor, another schedule) is joined to them as it
 * arrives, not only when each pull request next changes.
 */
export async function linkPullRequestsToFeatures(trx: Trx, tenantId: string, keys: string[]): Promise<void> {
  const named = [...new Set(keys.filter(Boolean).map((k) => k.toUpperCase()))];
  if (!named.length) return;
  await sql`update engineering.pull_requests t set feature_id = link.feature_id
    from (select p.id, ${featureOf} as feature_id from engineering.pull_requests p
      where p.tenant_id = ${tenantId} and p.feature_id is null and p.issue_keys && ${named}::text[]) link
    where t.tenant_id = ${tenantId} and t.id = link.id and link.feature_id is not null`.execute(trx);
}
