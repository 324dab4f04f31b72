import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { writeConnections, writeCrm } from '../support/sales-world.js';
import { resetTenants } from '../../seed/index.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'success_reports';

const SEGMENTS = `
  query ($filter: CustomerSegmentFilter, $at: DateTimeISO) {
    customerSegments(filter: $filter) {
      segment companyCount
      health(at: $at) { companies scoredCompanies unscoredCompanies red yellow green highRisk mediumRisk lowRisk scoreTotal averageScore asOf }
    }
  }`;

const ARR = `
  query ($filter: CustomerSegmentFilter) {
    customerSegments(filter: $filter) {
      segment
      arrAtRisk { highRiskCompanies mediumRiskCompanies highRisk { amount currency } mediumRisk { amount } total { amount } asOf }
    }
  }`;

/** The churn-risk rule of ChurnRisk, in SQL over a snapshot's score and previous score. */
const HIGH = sql`(l.score < 40 or coalesce(l.previous_score - l.score, 0) >= 15)`;
const MEDIUM = sql`(not ${HIGH} and (l.score < 70 or coalesce(l.previous_score - l.score, 0) >= 5))`;

/** Each company's newest snapshot measured at or before `at`, its company's segment, the segments in enum order. */
const latest = (tenant: string, at: string, where: ReturnType<typeof sql>) => sql`
  segments as (select * from (values (1, 'smb'), (2, 'mid_market'), (3, 'enterprise')) as s(i, segment)),
  latest as (
    select distinct on (company_id) company_id, score, previous_score from customer_success.health_scores
    where tenant_id = ${tenant} and measured_at <= ${at}::timestamptz order by company_id, measured_at desc, id desc),
  companies as (select c.id, c.segment from sales.companies c where c.tenant_id = ${tenant} and ${where})`;

/** Health by segment by hand, over the raw health snapshots and companies. */
const healthSql = (tenant: string, at: string, where = sql`true`) => sql<{
  segment: string; companies: number; scored: number; red: number; yellow: number; green: number; high: number; medium: number; low: number;
  total: string | null; average: string | null;
}>`
  with ${latest(tenant, at, where)}
  select s.segment, count(c.id)::int as companies, count(l.score)::int as scored,
    (count(*) filter (where l.score < 40))::int as red, (count(*) filter (where l.score >= 40 and l.score < 70))::int as yellow,
    (count(*) filter (where l.score >= 70))::int as green,
    (count(*) filter (where ${HIGH}))::int as high, (count(*) filter (where ${MEDIUM}))::int as medium,
    (count(*) filter (where l.score is not null and not ${HIGH} and not ${MEDIUM}))::int as low,
    sum(l.score)::text as total, avg(l.score)::text as average
  from segments s left join companies c on c.segment = s.segment left join latest l on l.company_id = c.id
  group by s.i, s.segment order by s.i`;

/** ARR by churn risk now, by hand: 12 x the monthly amounts (yearly / 12, to the cent) of active and past-due subscriptions. */
const arrSql = (tenant: string, where = sql`true`) => sql<{ segment: string; high: number; medium: number; high_arr: string; medium_arr: string; total_arr: string }>`
  with ${latest(tenant, '9999-12-31', where)},
  arr as (
    select company_id, 12 * sum(case when billing_interval = 'year' then round(amount / 12, 2) else amount end) as arr
    from finance.subscriptions where tenant_id = ${tenant} and status in ('active', 'past_due') group by 1)
  select s.segment, (count(*) filter (where ${HIGH}))::int as high, (count(*) filter (where ${MEDIUM}))::int as medium,
    coalesce(sum(a.arr) filter (where ${HIGH}), 0)::numeric(18, 2)::text as high_arr,
    coalesce(sum(a.arr) filter (where ${MEDIUM}), 0)::numeric(18, 2)::text as medium_arr,
    coalesce(sum(a.arr), 0)::numeric(18, 2)::text as total_arr
  from segments s left join companies c on c.segment = s.segment left join latest l on l.company_id = c.id left join arr a on a.company_id = c.id
  group by s.i, s.segment order by s.i`;

describe('customer success reports: health, churn risk and ARR at risk by segment', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
    // No small business at all: that segment still has its row, with zeros.
    const ids = await writeCrm(t.db, TENANT, [
      { name: 'Acme', segment: 'enterprise', owner: 'Ada', industry: 'retail' },
      { name: 'Beta', segment: 'enterprise', owner: 'Bob', industry: 'retail' },
      { name: 'Cora', segment: 'mid_market', owner: 'Ada', industry: 'computer software' },
      { name: 'Dune', segment: 'mid_market', owner: 'Ada', industry: 'retail' }, // never scored
      { name: 'Echo', segment: 'mid_market', owner: 'Bob', industry: 'retail' },
    ], []);
    const snapshots: [string, string, string | null, string][] = [
      ['Acme', '80.00', null, '2025-01-01T00:00:00Z'],
      ['Acme', '62.00', '80.00', '2025-03-01T00:00:00Z'], // fell 18 points: HIGH, though yellow
      ['Beta', '35.50', '41.00', '2025-02-01T00:00:00Z'], // red: HIGH; measured exactly at the instant asked below
      ['Cora', '72.25', '75.00', '2025-02-15T00:00:00Z'], // green, fell under 5: LOW
      ['Echo', '71.00', '77.00', '2025-01-20T00:00:00Z'], // green, fell 6: MEDIUM
    ];
    for (const [i, [company, score, previous, at]] of snapshots.entries()) {
      await sql`insert into customer_success.health_scores (tenant_id, id, company_id, score, previous_score, measured_at, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${ids[company]}, ${score}, ${previous}, ${at}, 'gainsight', ${`hs-${i}`})`.execute(t.db);
    }
    const subscriptions: [string, string, string, 'month' | 'year'][] = [
      ['Acme', 'active', '1000.00', 'month'], ['Beta', 'active', '6000.00', 'year'], ['Beta', 'canceled', '900.00', 'month'],
      ['Cora', 'past_due', '99.99', 'month'], ['Echo', 'active', '1000.00', 'year'],
    ];
    for (const [i, [company, status, amount, interval]] of subscriptions.entries()) {
      await sql`insert into finance.subscriptions (tenant_id, id, company_id, status, amount, billing_interval, started_at, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${ids[company]}, ${status}, ${amount}, ${interval}, '2024-06-01T00:00:00Z', 'stripe', ${`sub-${i}`})`.execute(t.db);
    }
    await writeConnections(t.db, TENANT, [
      ['salesforce', 'sales', '2025-03-30T06:15:00.000Z'],
      ['gainsight', 'customer_success', '2025-03-28T00:00:00.000Z'],
      ['stripe', 'finance', '2025-03-20T00:00:00.000Z'],
    ]);
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  const report = async (query: string, variables: Record<string, unknown>) => {
    const res = await t.query(query, variables, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.customerSegments;
  };

  const expectHealth = (rows: any[], want: Awaited<ReturnType<ReturnType<typeof healthSql>['execute']>>['rows']) => {
    expect(rows.map((r) => r.segment)).toEqual(want.map((w) => w.segment.toUpperCase()));
    rows.forEach((row, i) => {
      const w = want[i];
      expect(row.companyCount).toBe(w.companies);
      expect(row.health).toMatchObject({
        companies: w.companies, scoredCompanies: w.scored, unscoredCompanies: w.companies - w.scored,
        red: w.red, yellow: w.yellow, green: w.green, highRisk: w.high, mediumRisk: w.medium, lowRisk: w.low,
        scoreTotal: Number(w.total ?? 0),
      });
      if (w.average === null) expect(row.health.averageScore).toBeNull();
      else expect(row.health.averageScore).toBeCloseTo(Number(w.average), 10);
    });
  };

  it('now: as one SQL over the snapshots and companies, a segment without companies and a company never scored included', async () => {
    const rows = await report(SEGMENTS, {});
    const want = (await healthSql(TENANT, new Date().toISOString()).execute(t.db)).rows;
    expectHealth(rows, want);
    expect(rows[0]).toMatchObject({ segment: 'SMB', companyCount: 0, health: { companies: 0, scoredCompanies: 0, averageScore: null } });
    expect(rows[1].health).toMatchObject({ companies: 3, unscoredCompanies: 1, green: 2, mediumRisk: 1, lowRisk: 1 });
    expect(rows[2].health).toMatchObject({ red: 1, yellow: 1, highRisk: 2, scoreTotal: 97.5, averageScore: 48.75 });
    // The oldest sync of the CRM and the success tool; billing does not feed health.
    expect(rows[2].health.asOf).toBe('2025-03-28T00:00:00.000Z');
  });

  it('at an instant: the snapshot measured exactly then counts, a later one does not', async () => {
    const at = '2025-02-01T00:00:00.000Z';
    const rows = await report(SEGMENTS, { at });
    expectHealth(rows, (await healthSql(TENANT, at).execute(t.db)).rows);
    // Acme's March snapshot is after the instant: its January 80 (green, LOW) counts; Beta's is exactly at it; Cora is not yet scored.
    expect(rows[2].health).toMatchObject({ scoredCompanies: 2, red: 1, green: 1, highRisk: 1, lowRisk: 1, scoreTotal: 115.5 });
    expect(rows[1].health).toMatchObject({ scoredCompanies: 1, unscoredCompanies: 2 });
  });

  it('filtered by owner, industry and segment', async () => {
    const filter = { owner: 'Ada', industry: 'retail' };
    const rows = await report(SEGMENTS, { filter });
    expectHealth(rows, (await healthSql(TENANT, new Date().toISOString(), sql`c.owner = 'Ada' and c.industry = 'retail'`).execute(t.db)).rows);
    expect(rows.map((r: any) => r.companyCount)).toEqual([0, 1, 1]);
    const only = await report('query ($filter: CustomerSegmentFilter) { customerSegments(filter: $filter) { segment companies { name owner } } }', {
      filter: { segment: ['ENTERPRISE'], owner: 'Ada' },
    });
    expect(only).toEqual([{ segment: 'ENTERPRISE', companies: [{ name: 'Acme', owner: 'Ada' }] }]);
  });

  it('ARR at risk: finance\'s ARR of the companies by churn risk now, as one SQL over the subscriptions', async () => {
    const rows = await report(ARR, {});
    const want = (await arrSql(TENANT).execute(t.db)).rows;
    expect(rows.map((r: any) => [r.segment, r.arrAtRisk.highRiskCompanies, r.arrAtRisk.mediumRiskCompanies, r.arrAtRisk.highRisk.amount, r.arrAtRisk.mediumRisk.amount, r.arrAtRisk.total.amount]))
      .toEqual(want.map((w) => [w.segment.toUpperCase(), w.high, w.medium, w.high_arr, w.medium_arr, w.total_arr]));
    // Enterprise: Acme 12 x 1000.00 and Beta 12 x 500.00 (yearly 6000.00), both HIGH; the canceled subscription is not ARR.
    expect(rows[2].arrAtRisk).toMatchObject({ highRiskCompanies: 2, highRisk: { amount: '18000.00', currency: 'USD' }, total: { amount: '18000.00' } });
    // Mid-market: Echo (MEDIUM) 12 x 83.33; Cora past due 12 x 99.99; Dune none.
    expect(rows[1].arrAtRisk).toMatchObject({ mediumRisk: { amount: '999.96' }, total: { amount: '2199.84' } });
    expect(rows[2].arrAtRisk.asOf).toBe('2025-03-20T00:00:00.000Z');
  });

  it('ARR at risk needs financial_data.read; health does not', async () => {
    const token = await t.token(TENANT, ['product_data.read']);
    const denied = await t.query(ARR, {}, { token });
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const health = await t.query(SEGMENTS, {}, { token });
    expect(health.body.errors).toBeUndefined();
    expect(health.body.data.customerSegments).toHaveLength(3);
  });

  it('ARR at risk counts a company at risk without recurring revenue, and reads the newest snapshot even if measured later than now', async () => {
    const [fade] = Object.values(await writeCrm(t.db, TENANT, [{ name: 'Fade', segment: 'enterprise', owner: 'Ada', industry: 'retail' }], []));
    const cora = (await sql<{ id: string }>`select id from sales.companies where tenant_id = ${TENANT} and name = 'Cora'`.execute(t.db)).rows[0].id;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    await sql`insert into customer_success.health_scores (tenant_id, id, company_id, score, previous_score, measured_at, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, ${fade}, '20.00', null, '2025-03-01T00:00:00Z', 'gainsight', 'hs-fade'),
             (${TENANT}, ${randomUUID()}, ${cora}, '30.00', '72.25', ${tomorrow}, 'gainsight', 'hs-cora-next')`.execute(t.db);
    await sql`insert into finance.subscriptions (tenant_id, id, company_id, status, amount, billing_interval, started_at, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, ${fade}, 'canceled', '500.00', 'month', '2024-06-01T00:00:00Z', 'stripe', 'sub-fade')`.execute(t.db);

    const rows = await report(ARR, {});
    const want = (await arrSql(TENANT).execute(t.db)).rows;
    expect(rows.map((r: any) => [r.segment, r.arrAtRisk.highRiskCompanies, r.arrAtRisk.mediumRiskCompanies, r.arrAtRisk.highRisk.amount, r.arrAtRisk.mediumRisk.amount, r.arrAtRisk.total.amount]))
      .toEqual(want.map((w) => [w.segment.toUpperCase(), w.high, w.medium, w.high_arr, w.medium_arr, w.total_arr]));
    // Fade is HIGH with no recurring revenue (its only subscription is canceled); Cora's snapshot of tomorrow makes it HIGH here.
    expect(rows[2].arrAtRisk).toMatchObject({ highRiskCompanies: 3, highRisk: { amount: '18000.00' }, total: { amount: '18000.00' } });
    expect(rows[1].arrAtRisk).toMatchObject({ highRiskCompanies: 1, highRisk: { amount: '1199.88' }, mediumRisk: { amount: '999.96' } });
    // Health now leaves tomorrow's snapshot out: Cora is still green and LOW.
    const health = await report(SEGMENTS, {});
    expectHealth(health, (await healthSql(TENANT, new Date().toISOString()).execute(t.db)).rows);
    expect(health[1].health).toMatchObject({ green: 2, lowRisk: 1, highRisk: 0 });
  });
});
