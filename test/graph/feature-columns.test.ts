import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../core/auth.js';
import { MAX_FEATURE_COLUMNS } from '../../core/feature-columns.js';
import { rebuildUsageRollups } from '../../seed/rollups.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const TENANT = 'feature_columns';

const ROWS = `query ($after: String, $days: Int!) {
  features(filter: { releasedWithinDays: $days }, orderBy: { field: RELEASED_AT, direction: DESC }, first: 2, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name releasedAt adoption(days: $days) { activeUsers productActiveUsers adoptionRate powerUsers } associatedRevenue { amount currency } cost { amount currency } } }
  }
}`;

const COLUMNS = `query ($after: String) {
  featureColumns(filter: { releasedWithinDays: 30 }, orderBy: { field: RELEASED_AT, direction: DESC }, first: 2, after: $after) {
    ids names releasedAt pageInfo { hasNextPage endCursor }
  }
}`;

const MEASURES = `query ($ids: [ID!]!, $days: Int!) {
  featureAdoptionColumns(featureIds: $ids, days: $days) { activeUsers productActiveUsers adoptionRate powerUsers }
  associatedRevenueColumns(featureIds: $ids) { amounts currencies }
  featureCostColumns(featureIds: $ids) { amounts currencies }
}`;

describe('a page of features as columns, and their adoption, revenue and cost as columns of the same ids', () => {
  let t: TestStack;
  const features: string[] = [];

  beforeAll(async () => {
    t = await startTestStack();
    const company = randomUUID();
    const users = [randomUUID(), randomUUID(), randomUUID()];
    await sql`insert into sales.companies (tenant_id, id, name, domain, vendor, external_id) values (${TENANT}, ${company}, 'Columns Inc', 'columns.example', 'salesforce', 'c-1')`.execute(t.db);
    await sql`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, close_date, is_closed, is_won, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, ${company}, 'Deal', 'Closed Won', 900.25, current_date, true, true, 'salesforce', 'd-1')`.execute(t.db);
    await sql`insert into analytics.end_users (tenant_id, id, company_id, email, vendor, external_id)
      select ${TENANT}, u.id::uuid, case when u.n = 1 then ${company}::uuid end, 'u' || u.n || '@columns.example', 'amplitude', 'u-' || u.n
      from unnest(${users}::text[]) with ordinality as u(id, n)`.execute(t.db);
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      features.push(id);
      await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
        values (${TENANT}, ${id}, ${`COL-${i}`}, ${`Column feature ${i}`}, 'released', now() - ${`${i + 1} days`}::interval, 'jira', ${id})`.execute(t.db);
    }
    // One feature released before the window: not in it.
    await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, 'COL-OLD', 'Old feature', 'released', now() - interval '60 days', 'jira', 'old')`.execute(t.db);
    // Users 1 and 2 use feature 0 (user 1 on three days), user 3 feature 1; feature 2 has a cost.
    const events: [string, string, number][] = [[users[0], features[0], 1], [users[0], features[0], 2], [users[0], features[0], 3], [users[1], features[0], 1], [users[2], features[1], 1]];
    let n = 0;
    for (const [user, feature, daysAgo] of events) {
      await sql`insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor)
        values (${TENANT}, now() - ${`${daysAgo} days`}::interval, ${`col-${n++}`}, ${user}, ${feature}, 'feature_used', 'amplitude')`.execute(t.db);
    }
    await rebuildUsageRollups(t.db, TENANT);
    await sql`insert into finance.cost_entries (tenant_id, id, feature_id, category, amount, incurred_on, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, ${features[2]}, 'engineering', 300.10, current_date, 'ledger', 'cost-1')`.execute(t.db);
  });

  afterAll(async () => {
    for (const table of ['analytics.usage_events', 'analytics.user_activity_daily', 'analytics.feature_usage_daily', 'analytics.end_users', 'finance.cost_entries',
      'sales.deals', 'sales.companies', 'product.features']) {
      await sql`delete from ${sql.table(table)} where tenant_id = ${TENANT}`.execute(t.db);
    }
    await t?.stop();
  });

  it('each page of columns is the page of rows `features` gives for the same arguments, and each measure the field of the same feature', async () => {
    const rows: any[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.query(ROWS, { after, days: 30 }, { tenant: TENANT });
      expect(res.body.errors).toBeUndefined();
      rows.push(...res.body.data.features.edges.map((e: any) => e.node));
      after = res.body.data.features.pageInfo.hasNextPage ? res.body.data.features.pageInfo.endCursor : null;
    } while (after);
    expect(rows.map((r) => r.id)).toEqual(features);

    const columns = { ids: [] as string[], names: [] as string[], releasedAt: [] as string[] };
    let pages = 0;
    after = null;
    do {
      const res: any = await t.query(COLUMNS, { after }, { tenant: TENANT });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.featureColumns;
      expect(page.ids.length).toBeLessThanOrEqual(2);
      for (const key of ['ids', 'names', 'releasedAt'] as const) columns[key].push(...page[key]);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(columns).toEqual({ ids: rows.map((r) => r.id), names: rows.map((r) => r.name), releasedAt: rows.map((r) => r.releasedAt) });

    const res: any = await t.query(MEASURES, { ids: columns.ids, days: 30 }, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const { featureAdoptionColumns: adoption, associatedRevenueColumns: revenue, featureCostColumns: cost } = res.body.data;
    expect(rows.map((r) => r.adoption)).toEqual(rows.map((_, i) => ({
      activeUsers: adoption.activeUsers[i], productActiveUsers: adoption.productActiveUsers, adoptionRate: adoption.adoptionRate[i], powerUsers: adoption.powerUsers[i],
    })));
    expect(rows.map((r) => r.associatedRevenue)).toEqual(rows.map((_, i) => ({ amount: revenue.amounts[i], currency: revenue.currencies[i] })));
    expect(rows.map((r) => r.cost)).toEqual(rows.map((_, i) => ({ amount: cost.amounts[i], currency: cost.currencies[i] })));
    // The numbers themselves, so equal columns cannot both be wrong.
    expect(adoption.activeUsers).toEqual([2, 1, 0, 0, 0]);
    expect(adoption.powerUsers).toEqual([1, 0, 0, 0, 0]);
    expect(adoption.productActiveUsers).toBe(3);
    expect(revenue.amounts).toEqual(['900.25', '0.00', '0.00', '0.00', '0.00']);
    expect(cost.amounts).toEqual(['0.00', '0.00', '300.10', '0.00', '0.00']);
  });

  it('refuses more ids than a page, an id that is not one, and money columns without financial_data.read', async () => {
    const tooMany = Array.from({ length: MAX_FEATURE_COLUMNS + 1 }, () => randomUUID());
    const many: any = await t.query('query ($ids: [ID!]!) { featureAdoptionColumns(featureIds: $ids) { powerUsers } }', { ids: tooMany }, { tenant: TENANT });
    expect(many.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'featureIds', maximum: MAX_FEATURE_COLUMNS });

    const bad: any = await t.query('{ featureCostColumns(featureIds: ["nope"]) { amounts } }', {}, { tenant: TENANT });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'featureIds' });

    const reader = await t.token(TENANT, [Scope.Read]);
    const denied: any = await t.query(`query ($ids: [ID!]!) { associatedRevenueColumns(featureIds: $ids) { amounts } }`, { ids: features }, { token: reader });
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Query.associatedRevenueColumns'] });
    const allowed: any = await t.query(`query ($ids: [ID!]!) { featureAdoptionColumns(featureIds: $ids) { activeUsers } }`, { ids: features }, { token: reader });
    expect(allowed.body.data.featureAdoptionColumns.activeUsers).toEqual([2, 1, 0, 0, 0]);
  });
});
