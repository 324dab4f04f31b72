import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { writeUsage } from '../support/usage-report.js';
import { writeCrm } from '../support/sales-world.js';
import { adoptionReportSql } from '../support/adoption-report.js';
import { rebuildUsageRollups } from '../../seed/rollups.js';
import { resetTenants } from '../../seed/index.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'adoption_freshness';

const QUERY = `{ features(first: 10) { edges { node { id
  adoption(days: 90) { activeUsers productActiveUsers powerUsers }
  associatedRevenue { amount currency }
} } } }`;

/**
 * Adoption and associated revenue are computed for every feature at once and kept while the data behind them is
 * unchanged: each change here (usage synced, a deal, a user's company, a user deleted) must show in the next answer,
 * which must equal the hand-written SQL over the raw tables.
 */
describe('feature adoption and associated revenue follow new data at once', () => {
  let t: TestStack;
  const feature = randomUUID();
  const users = { u1: randomUUID(), u2: randomUUID(), u3: randomUUID() };
  const dayAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  let companies: Record<string, string>;

  async function answer() {
    const res = await t.query(QUERY, {}, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const [node] = res.body.data.features.edges.map((e: any) => e.node);
    const [want] = (await adoptionReportSql(TENANT).execute(t.db)).rows;
    expect(node.id).toBe(want.id);
    expect([node.adoption.activeUsers, node.adoption.productActiveUsers, node.adoption.powerUsers, node.associatedRevenue.amount])
      .toEqual([Number(want.active_users), Number(want.product_users), Number(want.power_users), want.revenue]);
    return { activeUsers: node.adoption.activeUsers as number, revenue: node.associatedRevenue.amount as string };
  }

  async function syncEvent(user: keyof typeof users, daysAgo: number) {
    await sql`insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor)
      values (${TENANT}, ${dayAgo(daysAgo)}::timestamptz, ${randomUUID()}, ${users[user]}, ${feature}, 'feature_used', 'amplitude')`.execute(t.db);
    await rebuildUsageRollups(t.db, TENANT);
  }

  beforeAll(async () => {
    t = await startTestStack();
    await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      values (${TENANT}, ${feature}, 'AF-1', 'Feature AF-1', 'released', ${dayAgo(30)}, 'jira', 'AF-1')`.execute(t.db);
    companies = await writeCrm(t.db, TENANT, [{ name: 'Acme', segment: 'smb' }, { name: 'Beta', segment: 'smb' }, { name: 'Gamma', segment: 'smb' }], [
      { company: 'Acme', stage: 'won', amount: '1000.00', isClosed: true, isWon: true },
      { company: 'Beta', stage: 'open', amount: '500.25' },
      { company: 'Beta', stage: 'lost', amount: '-40.00', isClosed: true },
      { company: 'Gamma', stage: 'open', amount: '300.00' },
    ]);
    await writeUsage(t.db, TENANT, users, [['u1', feature, dayAgo(10)], ['u2', null, dayAgo(9)], ['u3', null, dayAgo(8)]],
      { u1: companies.Acme, u2: companies.Beta, u3: null });
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  it('changes with synced usage, deals, users\' companies and deleted users, always equal to the raw tables', async () => {
    expect(await answer()).toEqual({ activeUsers: 1, revenue: '1000.00' });
    expect(await answer()).toEqual({ activeUsers: 1, revenue: '1000.00' });

    await syncEvent('u2', 5);
    expect(await answer()).toEqual({ activeUsers: 2, revenue: '1500.25' });

    await sql`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, currency, is_closed, is_won, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, ${companies.Acme}, 'Upsell', 'open', '250.00', 'USD', false, false, 'salesforce', 'opp-upsell')`.execute(t.db);
    expect(await answer()).toEqual({ activeUsers: 2, revenue: '1750.25' });

    await syncEvent('u3', 4);
    expect(await answer()).toEqual({ activeUsers: 3, revenue: '1750.25' });
    await sql`update analytics.end_users set company_id = ${companies.Gamma} where tenant_id = ${TENANT} and id = ${users.u3}`.execute(t.db);
    expect(await answer()).toEqual({ activeUsers: 3, revenue: '2050.25' });

    // A user deleted at the vendor's request (as the Amplitude deletions stream does): the user and every row of theirs go.
    await t.db.transaction().execute(async (trx) => {
      await sql`delete from analytics.end_users where tenant_id = ${TENANT} and id = ${users.u2}`.execute(trx);
      for (const table of ['analytics.usage_events', 'analytics.feature_usage_daily', 'analytics.user_activity_daily']) {
        await sql`delete from ${sql.table(table)} where tenant_id = ${TENANT} and end_user_id = ${users.u2}`.execute(trx);
      }
    });
    expect(await answer()).toEqual({ activeUsers: 2, revenue: '1550.00' });
  });
});
