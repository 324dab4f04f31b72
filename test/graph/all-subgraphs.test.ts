import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';

describe('one query across all seven subgraphs', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it('joins a feature to its delivery, adoption, revenue, cost, feedback and the health of its integrations', async () => {
    const feature = await t.db.selectFrom('analytics.feature_usage_daily as u')
      .innerJoin('product.features as f', (j) => j.onRef('f.id', '=', 'u.feature_id').onRef('f.tenant_id', '=', 'u.tenant_id'))
      .select('f.id').where('u.tenant_id', '=', TENANT_A).where('f.release_id', 'is not', null)
      .groupBy('f.id').orderBy(({ fn }) => fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow();
    const res = await t.query(
      `query ($id: ID!) {
        feature(id: $id) {
          id key name status source { vendor externalId url syncedAt }
          release { name releasedAt }
          delivery { mergedPullRequests pullRequests(first: 2) { totalCount edges { node { title source { vendor } } } } }
          adoption { activeUsers productActiveUsers adoptionRate powerUsers }
          adoptingCompanies { id name source { vendor } activeUsers mrr { amount currency } health { score band } }
          associatedRevenue { amount currency }
          cost { amount currency }
          roi
          satisfaction { responses csat nps }
        }
        connections { vendor domain status lastSuccessAt lagSeconds recordsSynced }
      }`,
      { id: feature.id },
    );
    expect(res.body.errors).toBeUndefined();
    const f = res.body.data.feature;
    expect(f.id).toBe(feature.id);
    expect(f.source.vendor).toMatch(/jira|productboard/);
    expect(f.release.name).toEqual(expect.any(String));
    expect(f.delivery.pullRequests.totalCount).toBeGreaterThanOrEqual(0);
    expect(f.adoption.activeUsers).toBeGreaterThan(0);
    expect(f.adoptingCompanies.length).toBeGreaterThan(0);
    expect(f.adoptingCompanies[0].source.vendor).toMatch(/salesforce|hubspot/);
    expect(f.associatedRevenue.amount).toMatch(/^\d+\.\d{2}$/);
    expect(f.cost.amount).toMatch(/^\d+\.\d{2}$/);
    expect(res.body.data.connections.length).toBeGreaterThanOrEqual(8);
    expect(new Set(res.body.data.connections.map((c: any) => c.domain))).toEqual(
      new Set(['PRODUCT', 'ENGINEERING', 'ANALYTICS', 'SALES', 'FINANCE', 'CUSTOMER_SUCCESS']),
    );
  });
});
