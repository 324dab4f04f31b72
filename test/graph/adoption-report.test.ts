import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';
import { ADOPTION_QUERY, adoptionReportSql } from '../support/adoption-report.js';

describe('the feature adoption report (seed 000), federated', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it('equals one hand-written SQL over the raw tables, row for row', async () => {
    const rows: any[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.query(ADOPTION_QUERY, { after });
      expect(res.body.errors).toBeUndefined();
      rows.push(...res.body.data.features.edges.map((e: any) => e.node));
      after = res.body.data.features.pageInfo.hasNextPage ? res.body.data.features.pageInfo.endCursor : null;
    } while (after);

    const expected = (await adoptionReportSql(TENANT_A).execute(t.db)).rows;
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.some((r) => Number(r.revenue) > 0)).toBe(true);
    expect(expected.some((r) => Number(r.power_users) > 0)).toBe(true);

    // The graph returns features by name; the report's order (revenue, then id) is applied here.
    const byRevenue = [...rows].sort((a, b) => {
      const diff = Number(b.associatedRevenue.amount) - Number(a.associatedRevenue.amount);
      return diff !== 0 ? diff : a.id < b.id ? -1 : 1;
    });
    expect(byRevenue.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    byRevenue.forEach((row, i) => {
      const want = expected[i];
      expect(row.name).toBe(want.name);
      expect(row.adoption.activeUsers).toBe(Number(want.active_users));
      expect(row.adoption.productActiveUsers).toBe(Number(want.product_users));
      expect(row.adoption.powerUsers).toBe(Number(want.power_users));
      expect(row.adoption.adoptionRate).toBeCloseTo((100 * Number(want.active_users)) / Number(want.product_users), 9);
      expect(row.associatedRevenue).toEqual({ amount: want.revenue, currency: 'USD' });
    });
  });
});
