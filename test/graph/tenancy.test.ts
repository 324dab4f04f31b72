import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A, TENANT_B } from '../support/tenants.js';

/** Every id anywhere in a response. */
function ids(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => ids(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'id' && typeof v === 'string') out.add(v);
      else ids(v, out);
    }
  }
  return out;
}

const WIDE_QUERY = `{
  features(first: 100) { edges { node { id release { id } delivery { pullRequests(first: 5) { edges { node { id } } } }
    adoptingCompanies { id } feedback(first: 5) { edges { node { id } } } } } }
  companies(first: 100) { edges { node { id deals(first: 10) { edges { node { id } } } health { id } } } }
  deals(first: 100) { edges { node { id company { id } } } }
  releases(first: 100) { edges { node { id deployments(first: 10) { edges { node { id } } } } } }
  endUsers(first: 100) { edges { node { id company { id } } } }
  connections { id }
}`;

describe('tenant scoping', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it("tenant A's token never returns an id of tenant B, and the reverse", async () => {
    for (const [me, other] of [[TENANT_A, TENANT_B], [TENANT_B, TENANT_A]]) {
      const res = await t.query(WIDE_QUERY, {}, { tenant: me });
      expect(res.body.errors).toBeUndefined();
      const seen = ids(res.body.data);
      expect(seen.size).toBeGreaterThan(50);
      const theirs = new Set<string>();
      for (const table of ['product.features', 'sales.companies', 'sales.deals', 'product.releases', 'analytics.end_users', 'integrations.connections'] as const) {
        for (const row of await t.db.selectFrom(table).select('id').where('tenant_id', '=', other).execute()) theirs.add(row.id);
      }
      expect(theirs.size).toBeGreaterThan(0);
      expect([...seen].filter((id) => theirs.has(id))).toEqual([]);
    }
  });

  it("asking for tenant B's feature by id as tenant A finds nothing", async () => {
    const theirs = await t.db.selectFrom('product.features').select('id').where('tenant_id', '=', TENANT_B).limit(1).executeTakeFirstOrThrow();
    const mine = await t.query('query ($id: ID!) { feature(id: $id) { id name } }', { id: theirs.id }, { tenant: TENANT_A });
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.feature).toBeNull();
    const own = await t.query('query ($id: ID!) { feature(id: $id) { id } }', { id: theirs.id }, { tenant: TENANT_B });
    expect(own.body.data.feature.id).toBe(theirs.id);
  });

  it('a tenant with no data sees empty lists, not errors', async () => {
    const res = await t.query('{ features(first: 5) { totalCount edges { node { id } } } companies(first: 5) { totalCount } connections { id } }', {}, { tenant: 'nobody' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ features: { totalCount: 0, edges: [] }, companies: { totalCount: 0 }, connections: [] });
  });
});
