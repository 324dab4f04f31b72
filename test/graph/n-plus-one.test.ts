import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';

// 200 features in one page: allowed for this file only.
vi.stubEnv('MAX_PAGE_SIZE', '250');

const WIDE = `query ($n: Int!) {
  features(first: $n, orderBy: { field: CREATED_AT }) {
    edges { node {
      name release { name deployments(first: 3) { edges { node { status } } } }
      delivery { mergedPullRequests medianLeadTimeHours lastDeployedAt pullRequests(first: 3) { edges { node { title repository { fullName } } } } }
      adoption { activeUsers powerUsers adoptionRate }
      usage { events activeUsers }
      adoptingCompanies { name activeUsers mrr { amount } health { band } churnRisk { level } }
      associatedRevenue { amount }
      cost { amount }
      roi
      satisfaction { csat nps }
      feedback(first: 2) { totalCount edges { node { kind score company { name } } } }
    } }
  }
}`;

describe('no N+1: SQL statements per request do not grow with the number of features', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); vi.unstubAllEnvs(); });

  async function statementsFor(n: number): Promise<number> {
    t.statements.length = 0;
    const res = await t.query(WIDE, { n }, { tenant: TENANT_A });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.features.edges.length).toBe(n);
    return t.statements.length;
  }

  /** Adoption and associated revenue are kept per data version: a new version makes the next request compute them again. */
  async function usageChanged(): Promise<void> {
    await sql`insert into analytics.adoption_data_versions as v (tenant_id) values (${TENANT_A})
      on conflict (tenant_id) do update set version = v.version + 1`.execute(t.db);
  }

  it('runs as many statements for 200 features as for 10', async () => {
    const features = await t.db.selectFrom('product.features').select(({ fn }) => fn.countAll<string>().as('n')).where('tenant_id', '=', TENANT_A).executeTakeFirstOrThrow();
    expect(Number(features.n)).toBeGreaterThanOrEqual(200);
    await usageChanged();
    const ten = await statementsFor(10);
    await usageChanged();
    const twoHundred = await statementsFor(200);
    expect(ten).toBeGreaterThan(5);
    expect(twoHundred).toBe(ten);
    // Unchanged data: the kept answers are read, not computed again.
    expect(await statementsFor(200)).toBeLessThan(twoHundred);
  });
});
