import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { writeConnections, writeCrm } from '../support/sales-world.js';
import { writeUsage } from '../support/usage-report.js';
import { windowStart } from '../../core/windows.js';
import { resetTenants } from '../../seed/index.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'sales_reports';

const PIPELINE = `
  query ($filter: PipelineFilter, $timeZone: String, $first: Int, $after: String) {
    pipelineByStage(filter: $filter, timeZone: $timeZone) {
      timeZone asOf
      stages(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { stage currency deals companies totalAmount { amount currency } } }
      }
    }
  }`;

/**
 * The pipeline by hand: every stage and currency of the tenant's open deals, left-joined to the open deals (with their
 * companies) that pass `where`, counted and summed.
 */
const pipelineSql = (tenant: string, where = sql`true`) => sql<{ stage: string; currency: string; deals: number; companies: number; total: string }>`
  with stages as (select distinct stage, currency from sales.deals where tenant_id = ${tenant} and not is_closed),
  hits as (
    select d.* from sales.deals d join sales.companies c on c.tenant_id = d.tenant_id and c.id = d.company_id
    where d.tenant_id = ${tenant} and not d.is_closed and ${where})
  select s.stage, s.currency, count(h.id)::int as deals, count(distinct h.company_id)::int as companies,
    coalesce(sum(h.amount), 0)::numeric(18, 2)::text as total
  from stages s left join hits h on h.stage = s.stage and h.currency = s.currency
  group by s.stage, s.currency order by s.stage, s.currency`;

const REVENUE = `
  query ($used: ID!, $unused: ID!) {
    used: feature(id: $used) { revenueByAdoption { days windowStart asOf rows { adopting companies companiesWithWonDeals wonDeals wonRevenue { amount currency } } } }
    unused: feature(id: $unused) { revenueByAdoption { rows { adopting companies companiesWithWonDeals wonDeals wonRevenue { amount currency } } } }
  }`;

/**
 * Revenue by adoption by hand, over the raw usage events (not the rollups): the companies of the end users who used the
 * feature since midnight UTC 90 days ago, against every other company; per side the won deals, counted and summed.
 */
const revenueSql = (tenant: string, feature: string) => sql<{ adopting: boolean; companies: number; with_won: number; won_deals: number; revenue: string }>`
  with w as (select (((now() at time zone 'UTC')::date - 90)::timestamp at time zone 'UTC') as start),
  adopting as (
    select distinct u.company_id from analytics.usage_events e cross join w
    join analytics.end_users u on u.tenant_id = e.tenant_id and u.id = e.end_user_id
    where e.tenant_id = ${tenant} and e.feature_id = ${feature} and e.occurred_at >= w.start and u.company_id is not null),
  won as (select company_id, count(*) as n, sum(amount) as amount from sales.deals where tenant_id = ${tenant} and is_won group by 1),
  sides as (
    select c.id, a.company_id is not null as adopting from sales.companies c left join adopting a on a.company_id = c.id
    where c.tenant_id = ${tenant})
  select s.adopting, count(c.id)::int as companies, count(won.company_id)::int as with_won, coalesce(sum(won.n), 0)::int as won_deals,
    coalesce(sum(won.amount), 0)::numeric(18, 2)::text as revenue
  from (values (true), (false)) as s(adopting)
  left join sides c on c.adopting = s.adopting
  left join won on won.company_id = c.id
  group by s.adopting order by s.adopting desc`;

describe('sales reports', () => {
  let t: TestStack;
  const [used, unused] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    t = await startTestStack();
    const companies = await writeCrm(t.db, TENANT, [
      { name: 'Acme', segment: 'enterprise', owner: 'Ada' },
      { name: 'Bolt', segment: 'smb', owner: 'Bob' },
      { name: 'Core', segment: 'mid_market', owner: 'Ada' },
      { name: 'Idle', segment: 'mid_market', owner: 'Bob' }, // no deals at all
    ], [
      { company: 'Acme', stage: 'Qualification', amount: '1000.10', closeDate: '2025-04-10' },
      { company: 'Acme', stage: 'Qualification', amount: '2000.00', closeDate: '2025-05-01', createdAt: '2025-03-01T03:00:00Z' },
      { company: 'Bolt', stage: 'Qualification', amount: '333.33', closeDate: null },
      { company: 'Bolt', stage: 'Negotiation', amount: '5000.00', closeDate: '2025-03-31' },
      { company: 'Core', stage: 'Negotiation', amount: '750.50', currency: 'EUR', closeDate: '2025-04-01', createdAt: '2025-02-28T23:30:00Z' },
      { company: 'Core', stage: 'Proposal', amount: '1200.00', closeDate: '2025-06-15', createdAt: '2025-01-10T10:00:00Z' },
      // Closed deals are not pipeline, whatever their stage.
      { company: 'Acme', stage: 'Closed Won', amount: '9000.00', closeDate: '2025-01-15', isClosed: true, isWon: true },
      { company: 'Bolt', stage: 'Closed Lost', amount: '100.00', closeDate: '2025-01-20', isClosed: true },
      { company: 'Core', stage: 'Negotiation', amount: '4444.44', closeDate: '2025-02-01', isClosed: true },
      { company: 'Acme', stage: 'Closed Won', amount: '0.90', closeDate: '2025-02-15', isClosed: true, isWon: true },
      { company: 'Bolt', stage: 'Closed Won', amount: '250.25', closeDate: '2025-02-20', isClosed: true, isWon: true },
    ]);
    for (const [id, key] of [[used, 'SR-1'], [unused, 'SR-2']]) {
      await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
        values (${TENANT}, ${id}, ${key}, ${`Feature ${key}`}, 'released', 'jira', ${key})`.execute(t.db);
    }
    // Window edges: Acme's user at the window's first instant (in), Bolt's a second before it (out); Idle (no deals)
    // adopts; a user without a company changes nothing; Core uses the product but not the feature.
    const start = windowStart(90);
    const at = (ms: number) => new Date(start.getTime() + ms).toISOString();
    const users = { acme: randomUUID(), bolt: randomUUID(), idle: randomUUID(), nobody: randomUUID(), core: randomUUID() };
    await writeUsage(t.db, TENANT, users, [
      ['acme', used, at(0)], ['bolt', used, at(-1000)], ['idle', used, at(86_400_000)], ['nobody', used, at(3_600_000)], ['core', null, at(7_200_000)],
    ], { acme: companies.Acme, bolt: companies.Bolt, idle: companies.Idle, core: companies.Core });
    await writeConnections(t.db, TENANT, [
      ['salesforce', 'sales', '2025-03-30T06:15:00.000Z'],
      ['hubspot', 'sales', '2025-03-29T22:00:00.000Z'],
      ['amplitude', 'analytics', '2025-03-29T00:00:00.000Z'],
    ]);
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  const report = async (query: string, variables: Record<string, unknown>) => {
    const res = await t.query(query, variables, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const rowsOf = (data: any) => data.pipelineByStage.stages.edges.map((e: any) => e.node);
  const expected = (rows: { stage: string; currency: string; deals: number; companies: number; total: string }[]) =>
    rows.map((r) => ({ stage: r.stage, currency: r.currency, deals: r.deals, companies: r.companies, totalAmount: { amount: r.total, currency: r.currency } }));

  describe('pipeline by stage', () => {
    it('unfiltered: every stage and currency of the open deals, as one SQL over the deals counts them', async () => {
      const data = await report(PIPELINE, {});
      const want = (await pipelineSql(TENANT).execute(t.db)).rows;
      expect(want.map((r) => `${r.stage}/${r.currency}`)).toEqual(['Negotiation/EUR', 'Negotiation/USD', 'Proposal/USD', 'Qualification/USD']);
      expect(rowsOf(data)).toEqual(expected(want));
      expect(data.pipelineByStage.stages.totalCount).toBe(4);
      // The oldest sync of the tenant's CRMs; analytics does not feed the pipeline.
      expect(data.pipelineByStage).toMatchObject({ timeZone: 'UTC', asOf: '2025-03-29T22:00:00.000Z' });
    });

    it('filtered by segment and owner: a stage the filter empties keeps its row, with zeros', async () => {
      const filter = { segment: ['ENTERPRISE', 'MID_MARKET'], owner: 'Ada' };
      const rows = rowsOf(await report(PIPELINE, { filter }));
      const want = (await pipelineSql(TENANT, sql`c.segment in ('enterprise', 'mid_market') and c.owner = 'Ada'`).execute(t.db)).rows;
      expect(rows).toEqual(expected(want));
      expect(rows.find((r: any) => r.stage === 'Negotiation' && r.currency === 'USD')).toMatchObject({ deals: 0, companies: 0, totalAmount: { amount: '0.00' } });
    });

    it('close dates [closeFrom, closeTo): both edges, and deals without a close date left out', async () => {
      const filter = { closeFrom: '2025-04-01', closeTo: '2025-05-01' };
      const rows = rowsOf(await report(PIPELINE, { filter }));
      const want = (await pipelineSql(TENANT, sql`d.close_date >= '2025-04-01' and d.close_date < '2025-05-01'`).execute(t.db)).rows;
      expect(rows).toEqual(expected(want));
      // 2025-04-01 (EUR) and 2025-04-10 are in; 2025-05-01 is not.
      expect(rows.map((r: any) => r.deals)).toEqual([1, 0, 0, 1]);
    });

    it('created days start in the time zone asked for: a deal of 03:00 UTC on March 1 is February 28 in Los Angeles', async () => {
      const filter = { createdFrom: '2025-03-01', createdTo: '2025-04-01' };
      const utc = rowsOf(await report(PIPELINE, { filter }));
      const la = await report(PIPELINE, { filter, timeZone: 'america/los_angeles' });
      expect(la.pipelineByStage.timeZone).toBe('America/Los_Angeles');
      const byHand = async (zone: string) => (await pipelineSql(TENANT, sql`d.created_at >= ('2025-03-01'::timestamp at time zone ${zone})
        and d.created_at < ('2025-04-01'::timestamp at time zone ${zone})`).execute(t.db)).rows;
      expect(utc).toEqual(expected(await byHand('UTC')));
      expect(rowsOf(la)).toEqual(expected(await byHand('America/Los_Angeles')));
      const qualification = (rows: any[]) => rows.find((r) => r.stage === 'Qualification').deals;
      expect([qualification(utc), qualification(rowsOf(la))]).toEqual([1, 0]);
      // 23:30 UTC on February 28 is in neither zone's March.
      expect(rowsOf(la).find((r: any) => r.currency === 'EUR').deals).toBe(0);
    });

    it('pages walk every row once in keyset order; a bad time zone or range is refused', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const data: any = await report(PIPELINE, { first: 3, after });
        seen.push(...rowsOf(data).map((r: any) => `${r.stage}/${r.currency}`));
        after = data.pipelineByStage.stages.pageInfo.hasNextPage ? data.pipelineByStage.stages.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual(['Negotiation/EUR', 'Negotiation/USD', 'Proposal/USD', 'Qualification/USD']);
      const zone = await t.query(PIPELINE, { timeZone: 'Mars/Olympus' }, { tenant: TENANT });
      expect(zone.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const range = await t.query(PIPELINE, { filter: { closeFrom: '2025-05-01', closeTo: '2025-04-01' } }, { tenant: TENANT });
      expect(range.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('amounts need financial_data.read; counts do not', async () => {
      const token = await t.token(TENANT, ['product_data.read']);
      const denied = await t.query(PIPELINE, {}, { token });
      expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const counts = await t.query('{ pipelineByStage { stages { edges { node { stage deals } } } } }', {}, { token });
      expect(counts.body.errors).toBeUndefined();
      expect(counts.body.data.pipelineByStage.stages.edges).toHaveLength(4);
    });
  });

  describe('revenue by feature adoption', () => {
    const side = (r: { adopting: boolean; companies: number; with_won: number; won_deals: number; revenue: string }) => ({
      adopting: r.adopting, companies: r.companies, companiesWithWonDeals: r.with_won, wonDeals: r.won_deals, wonRevenue: { amount: r.revenue, currency: 'USD' },
    });

    it("splits the tenant's companies by adoption as one SQL over the raw events and deals does: window edge, a company without deals", async () => {
      const data = await report(REVENUE, { used, unused });
      const want = (await revenueSql(TENANT, used).execute(t.db)).rows.map(side);
      expect(data.used.revenueByAdoption.rows).toEqual(want);
      // Acme (won 9000.00 + 0.90) and Idle (no deals) adopted; Bolt (a second early) and Core did not.
      expect(want).toEqual([
        { adopting: true, companies: 2, companiesWithWonDeals: 1, wonDeals: 2, wonRevenue: { amount: '9000.90', currency: 'USD' } },
        { adopting: false, companies: 2, companiesWithWonDeals: 1, wonDeals: 1, wonRevenue: { amount: '250.25', currency: 'USD' } },
      ]);
      expect(data.used.revenueByAdoption).toMatchObject({ days: 90, windowStart: windowStart(90).toISOString(), asOf: '2025-03-29T00:00:00.000Z' });
    });

    it('a feature nobody used: no adopting company, every company and all won revenue on the other side', async () => {
      const data = await report(REVENUE, { used, unused });
      const want = (await revenueSql(TENANT, unused).execute(t.db)).rows;
      expect(data.unused.revenueByAdoption.rows.map((r: any) => [r.adopting, r.companies, r.wonDeals, r.wonRevenue.amount]))
        .toEqual(want.map((r) => [r.adopting, r.companies, r.won_deals, r.revenue]));
      expect(data.unused.revenueByAdoption.rows[0]).toMatchObject({ adopting: true, companies: 0, wonRevenue: { amount: '0.00' } });
      expect(data.unused.revenueByAdoption.rows[1]).toMatchObject({ companies: 4, wonRevenue: { amount: '9251.15' } });
    });

    it('follows new data at once: a company the CRM syncs after its users adopted the feature, then its first won deal', async () => {
      const answer = async () => {
        const data = await report(REVENUE, { used, unused });
        const want = (await revenueSql(TENANT, used).execute(t.db)).rows.map(side);
        expect(data.used.revenueByAdoption.rows).toEqual(want);
        return want;
      };
      // The analytics tool knows the user's company before the CRM does: not a company of the tenant yet, on no side.
      const late = randomUUID();
      await writeUsage(t.db, TENANT, { lateUser: randomUUID() }, [['lateUser', used, new Date(windowStart(90).getTime() + 3_600_000).toISOString()]], { lateUser: late });
      expect((await answer())[0]).toMatchObject({ companies: 2, wonDeals: 2 });

      await sql`insert into sales.companies (tenant_id, id, name, domain, segment, vendor, external_id)
        values (${TENANT}, ${late}, 'Late', 'late.example', 'smb', 'salesforce', 'acc-Late')`.execute(t.db);
      expect(await answer()).toEqual([
        { adopting: true, companies: 3, companiesWithWonDeals: 1, wonDeals: 2, wonRevenue: { amount: '9000.90', currency: 'USD' } },
        { adopting: false, companies: 2, companiesWithWonDeals: 1, wonDeals: 1, wonRevenue: { amount: '250.25', currency: 'USD' } },
      ]);

      await sql`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, currency, is_closed, is_won, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${late}, 'Late deal', 'Closed Won', '100.05', 'USD', true, true, 'salesforce', 'opp-late')`.execute(t.db);
      expect((await answer())[0]).toMatchObject({ companies: 3, companiesWithWonDeals: 2, wonDeals: 3, wonRevenue: { amount: '9100.95' } });
    });
  });
});
