import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';

const DORA = `query($days: Int!, $repositoryId: ID, $team: String) {
  doraMetrics(days: $days, repositoryId: $repositoryId, team: $team) {
    deployments failedDeployments deploymentsPerDay changeFailureRate medianLeadTimeHours medianTimeToRestoreHours
    mergedPullRequests mergedPullRequestsPerWeek asOf
  }
}`;

/** The Four Keys and velocity by hand over the raw tables, for the tenant, a repository or a team. */
async function expected(t: TestStack, days: number, scope: { repositoryId?: string; team?: string }) {
  const repo = scope.repositoryId ? sql`and r.id = ${scope.repositoryId}` : sql``;
  const team = scope.team ? sql`and r.team = ${scope.team}` : sql``;
  const { rows: [row] } = await sql<Record<string, string | number | null>>`
    with w as (select (current_date - ${days}::int)::timestamp at time zone 'UTC' as start),
    d as (
      select d.* from engineering.deployments d join engineering.repositories r on r.tenant_id = d.tenant_id and r.id = d.repository_id, w
      where d.tenant_id = ${TENANT_A} and lower(d.environment) = 'production' and d.status in ('success', 'failure')
        and d.deployed_at >= w.start and d.deployed_at < now() ${repo} ${team})
    select
      (select count(*)::int from d) as deployments,
      (select count(*)::int from d where status = 'failure') as failed,
      (select percentile_cont(0.5) within group (order by extract(epoch from restored_at - deployed_at) / 3600) from d where status = 'failure') as restore,
      (select percentile_cont(0.5) within group (order by extract(epoch from d.deployed_at - coalesce(pr.first_commit_at, pr.opened_at)) / 3600)
         from d join engineering.pull_requests pr on pr.tenant_id = d.tenant_id and pr.deployment_id = d.id) as lead,
      (select count(*)::int from engineering.pull_requests pr join engineering.repositories r on r.tenant_id = pr.tenant_id and r.id = pr.repository_id, w
         where pr.tenant_id = ${TENANT_A} and pr.merged_at >= w.start and pr.merged_at < now() ${repo} ${team}) as merged`.execute(t.db);
  return row;
}

describe('delivery: DORA metrics and velocity per tenant, repository and team', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it('equals hand-written SQL over deployments and pull requests, for every scope', async () => {
    const { rows: repos } = await sql<{ id: string; team: string | null }>`select id, team from engineering.repositories where tenant_id = ${TENANT_A} order by full_name`.execute(t.db);
    const teams = [...new Set(repos.map((r) => r.team).filter((x): x is string => !!x))];
    expect(repos.length).toBeGreaterThan(1);
    expect(teams.length).toBeGreaterThan(0);
    const scopes = [{}, { repositoryId: repos[0].id }, { repositoryId: repos[1].id }, ...teams.map((team) => ({ team })), { team: 'no-such-team' }];
    let seenSomething = false;
    for (const days of [30, 365]) {
      for (const scope of scopes) {
        const res = await t.query(DORA, { days, ...scope });
        expect(res.body.errors, JSON.stringify(scope)).toBeUndefined();
        const got = res.body.data.doraMetrics;
        const want = await expected(t, days, scope);
        const deployments = Number(want.deployments);
        if (deployments && Number(want.merged)) seenSomething = true;
        expect(got).toMatchObject({ deployments, failedDeployments: Number(want.failed), mergedPullRequests: Number(want.merged) });
        expect(got.deploymentsPerDay).toBeCloseTo(deployments / days, 9);
        expect(got.mergedPullRequestsPerWeek).toBeCloseTo((Number(want.merged) / days) * 7, 9);
        expect(got.changeFailureRate).toBe(deployments ? Number(want.failed) / deployments : null);
        for (const [field, value] of [['medianLeadTimeHours', want.lead], ['medianTimeToRestoreHours', want.restore]] as const) {
          if (value === null) expect(got[field]).toBeNull();
          else expect(got[field]).toBeCloseTo(Number(value), 6);
        }
      }
    }
    expect(seenSomething).toBe(true);
    // A team with no repositories: zeros, not errors.
    const none = (await t.query(DORA, { days: 30, team: 'no-such-team' })).body.data.doraMetrics;
    expect(none).toMatchObject({ deployments: 0, changeFailureRate: null, medianLeadTimeHours: null, mergedPullRequests: 0 });
  });

  it('says as of when its engineering inputs were synced', async () => {
    const { rows } = await sql<{ at: Date | null; never: boolean }>`select min(last_success_at) as at, bool_or(last_success_at is null) as never
      from integrations.connections where tenant_id = ${TENANT_A} and domain = 'engineering' and status <> 'disconnected'`.execute(t.db);
    const got = (await t.query(DORA, { days: 30 })).body.data.doraMetrics.asOf;
    expect(got).toBe(rows[0].never || !rows[0].at ? null : rows[0].at.toISOString());
  });
});
