import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { writeUsage, type RawEvent } from '../support/usage-report.js';
import { resetTenants } from '../../seed/index.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'market_validation';

const QUERY = `
  query ($days: Int!) {
    features(first: 10) { edges { node { id key
      marketValidation(days: $days) {
        days activeUsers powerUsers productActiveUsers adoptingCompanies activeCompanies satisfactionResponses
        engagement adoption satisfaction marketFit competitive score successful asOf
      }
    } } }
  }`;

/**
 * Market validation by hand over the raw tables (usage events, end users, feedback): the users and companies active in
 * the trailing `days`, per feature its users, those on 3+ distinct days and their companies, its CSAT and NPS answers;
 * then the five components and seed 000's weighted score, satisfaction left out (weights renormalised) without answers.
 */
const validationSql = (tenant: string, days: number) => sql<{
  id: string; active_users: number; power_users: number; product_users: number; adopting_companies: number; active_companies: number;
  responses: number; engagement: number; adoption: number; satisfaction: number | null; market_fit: number; score: number;
}>`
  with w as (select ((current_date - ${days}::int)::timestamp at time zone 'UTC') as start),
  e as (
    select e.end_user_id, e.feature_id, (e.occurred_at at time zone 'UTC')::date as day, u.company_id
    from analytics.usage_events e cross join w
    join analytics.end_users u on u.tenant_id = e.tenant_id and u.id = e.end_user_id
    where e.tenant_id = ${tenant} and e.occurred_at >= w.start),
  product as (select count(distinct end_user_id)::int as users, count(distinct company_id)::int as companies from e),
  fu as (select feature_id, end_user_id, count(distinct day) as days from e where feature_id is not null group by 1, 2),
  fc as (select feature_id, count(distinct company_id)::int as n from e where feature_id is not null group by 1),
  fb as (
    select feature_id,
      count(*) filter (where kind = 'csat') as csat, count(*) filter (where kind = 'csat' and score >= 4) as satisfied,
      count(*) filter (where kind = 'nps') as nps, count(*) filter (where kind = 'nps' and score >= 9) as promoters,
      count(*) filter (where kind = 'nps' and score <= 6) as detractors
    from customer_success.feedback where tenant_id = ${tenant} group by 1),
  counts as (
    select f.id, count(fu.end_user_id)::int as active_users, count(fu.end_user_id) filter (where fu.days >= 3)::int as power_users,
      p.users as product_users, coalesce(fc.n, 0) as adopting_companies, p.companies as active_companies,
      coalesce(fb.csat + fb.nps, 0)::int as responses,
      case when fb.csat + fb.nps > 0 then 100.0 * (fb.satisfied + (fb.promoters - fb.detractors + fb.nps) / 2.0) / (fb.csat + fb.nps) end as satisfaction
    from product.features f cross join product p
    left join fu on fu.feature_id = f.id
    left join fc on fc.feature_id = f.id
    left join fb on fb.feature_id = f.id
    where f.tenant_id = ${tenant}
    group by f.id, p.users, p.companies, fc.n, fb.csat, fb.nps, fb.satisfied, fb.promoters, fb.detractors),
  components as (
    select *, coalesce(100.0 * power_users / nullif(active_users, 0), 0)::float8 as engagement,
      coalesce(100.0 * active_users / nullif(product_users, 0), 0)::float8 as adoption,
      coalesce(100.0 * adopting_companies / nullif(active_companies, 0), 0)::float8 as market_fit
    from counts)
  select id, active_users, power_users, product_users, adopting_companies, active_companies, responses,
    engagement, adoption, satisfaction::float8, market_fit,
    ((0.25 * engagement + 0.30 * adoption + 0.25 * coalesce(satisfaction, 0) + 0.15 * market_fit + 0.05 * 50)
      / (case when satisfaction is null then 0.75 else 1 end))::float8 as score
  from components order by id`;

describe('market validation per feature (seed 000 weights), federated with customer success', () => {
  let t: TestStack;
  const users = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`u${i}`, randomUUID()]));
  const [c1, c2, c3] = [randomUUID(), randomUUID(), randomUUID()];
  const companies = { u0: c1, u1: c1, u2: c1, u3: c2, u4: c2, u5: c3, u6: c3, u7: c3, u8: null, u9: null, u10: c2, u11: c1 };
  const [popular, niche, untouched] = [randomUUID(), randomUUID(), randomUUID()];
  const analyticsSynced = '2026-01-05T10:00:00.000Z';
  const feedbackSynced = '2026-01-04T09:30:00.000Z';
  // The window's first instant: midnight UTC 90 days before today.
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const windowStart = today - 90 * 86_400_000;
  const at = (daysAfterStart: number, seconds = 3600) => new Date(windowStart + daysAfterStart * 86_400_000 + seconds * 1000).toISOString();

  beforeAll(async () => {
    t = await startTestStack();
    for (const [id, key] of [[popular, 'MV-1'], [niche, 'MV-2'], [untouched, 'MV-3']]) {
      await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
        values (${TENANT}, ${id}, ${key}, ${`Feature ${key}`}, 'released', 'jira', ${key})`.execute(t.db);
    }
    const events: RawEvent[] = [
      // popular: six users, three of them (u0, u3, u5) on 3+ distinct days; u0's day-0 event is the window's first second.
      ['u0', popular, at(0, 0)], ['u0', popular, at(10)], ['u0', popular, at(20)],
      ['u1', popular, at(5)], ['u1', popular, at(5, 7200)], ['u1', popular, at(6)],
      ['u3', popular, at(30)], ['u3', popular, at(31)], ['u3', popular, at(32)], ['u3', popular, at(33)],
      ['u5', popular, at(40)], ['u5', popular, at(50)], ['u5', popular, at(60)],
      ['u8', popular, at(70)], ['u9', popular, at(80)],
      // niche: u2 on two days, and u4 a second before the window (out), then once inside it.
      ['u2', niche, at(15)], ['u2', niche, at(16)], ['u4', niche, at(0, -1)], ['u4', niche, at(85)],
      // Product-only activity: u6, u7 inside the window; u10 and u11 only before it (out of every denominator).
      ['u6', null, at(3)], ['u7', null, at(88)], ['u10', null, at(-5)], ['u11', null, at(0, -1)],
    ];
    await writeUsage(t.db, TENANT, users, events, companies);
    const feedback: [string, 'csat' | 'nps' | 'comment', number | null][] = [
      [popular, 'csat', 5], [popular, 'csat', 4], [popular, 'csat', 2], [popular, 'nps', 10], [popular, 'nps', 8], [popular, 'nps', 3],
      [popular, 'comment', null], [niche, 'nps', 9], [niche, 'nps', 6], [untouched, 'comment', null],
    ];
    for (const [i, [feature, kind, score]] of feedback.entries()) {
      await sql`insert into customer_success.feedback (tenant_id, id, feature_id, kind, score, body, received_at, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${feature}, ${kind}, ${score}, ${kind === 'comment' ? 'More please' : null}, now(), 'gainsight', ${`fb-${i}`})`.execute(t.db);
    }
    await sql`insert into integrations.connections (tenant_id, id, vendor, domain, name, status, last_success_at)
      values (${TENANT}, ${randomUUID()}, 'amplitude', 'analytics', 'Amplitude', 'active', ${analyticsSynced}),
             (${TENANT}, ${randomUUID()}, 'gainsight', 'customer_success', 'Gainsight', 'active', ${feedbackSynced}),
             (${TENANT}, ${randomUUID()}, 'jira', 'product', 'Jira', 'active', '2020-01-01T00:00:00Z')`.execute(t.db);
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  it('equals one hand-written SQL over the raw tables: every count, component and the weighted score', async () => {
    const res = await t.query(QUERY, { days: 90 }, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const rows = res.body.data.features.edges.map((e: any) => e.node).sort((a: any, b: any) => (a.id < b.id ? -1 : 1));
    const expected = (await validationSql(TENANT, 90).execute(t.db)).rows;
    expect(rows.map((r: any) => r.id)).toEqual(expected.map((e) => e.id));
    rows.forEach((row: any, i: number) => {
      const want = expected[i];
      const v = row.marketValidation;
      expect(v.days).toBe(90);
      expect([v.activeUsers, v.powerUsers, v.productActiveUsers, v.adoptingCompanies, v.activeCompanies, v.satisfactionResponses]).toEqual([
        want.active_users, want.power_users, want.product_users, want.adopting_companies, want.active_companies, want.responses,
      ]);
      expect(v.engagement).toBeCloseTo(want.engagement, 9);
      expect(v.adoption).toBeCloseTo(want.adoption, 9);
      expect(v.marketFit).toBeCloseTo(want.market_fit, 9);
      if (want.satisfaction === null) expect(v.satisfaction).toBeNull();
      else expect(v.satisfaction).toBeCloseTo(want.satisfaction, 9);
      expect(v.competitive).toBe(50);
      expect(v.score).toBeCloseTo(want.score, 9);
      expect(v.successful).toBe(want.adoption > 20);
      // The oldest sync of the analytics and customer success connections; product's (older) feeds nothing here.
      expect(v.asOf).toBe(feedbackSynced);
    });

    // The figures the data was built for, so the SQL above cannot agree with the graph by both being wrong.
    const byId = new Map<string, any>(rows.map((r: any) => [r.id, r.marketValidation]));
    expect(byId.get(popular)).toMatchObject({ activeUsers: 6, powerUsers: 3, productActiveUsers: 10, adoptingCompanies: 3, activeCompanies: 3, satisfactionResponses: 6, engagement: 50, adoption: 60, marketFit: 100, successful: true });
    // CSAT 2 of 3 satisfied (200) + NPS 100 + 50 + 0 (150), over 6 answers.
    expect(byId.get(popular).satisfaction).toBeCloseTo(350 / 6, 12);
    expect(byId.get(popular).score).toBeCloseTo(0.25 * 50 + 0.3 * 60 + 0.25 * (350 / 6) + 0.15 * 100 + 0.05 * 50, 12);
    expect(byId.get(niche)).toMatchObject({ activeUsers: 2, powerUsers: 0, engagement: 0, adoption: 20, successful: false, satisfaction: 50 });
    expect(byId.get(untouched)).toMatchObject({ activeUsers: 0, engagement: 0, adoption: 0, marketFit: 0, satisfaction: null, satisfactionResponses: 0, successful: false });
    expect(byId.get(untouched).score).toBeCloseTo((0.05 * 50) / 0.75, 12);
  });

  it('a shorter window counts fewer users, and a bad window is BAD_USER_INPUT', async () => {
    const res = await t.query(QUERY, { days: 10 }, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const expected = (await validationSql(TENANT, 10).execute(t.db)).rows;
    const rows = res.body.data.features.edges.map((e: any) => e.node).sort((a: any, b: any) => (a.id < b.id ? -1 : 1));
    expect(rows.map((r: any) => [r.marketValidation.activeUsers, r.marketValidation.productActiveUsers])).toEqual(expected.map((e) => [e.active_users, e.product_users]));
    rows.forEach((r: any, i: number) => expect(r.marketValidation.score).toBeCloseTo(expected[i].score, 9));
    expect(expected.find((e) => e.id === niche)).toMatchObject({ active_users: 1, product_users: 3 });

    const bad = await t.query(QUERY, { days: 0 }, { tenant: TENANT });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a new end user of a new company, active in the product only, counts at once in both denominators', async () => {
    const answer = async () => {
      const res = await t.query(QUERY, { days: 90 }, { tenant: TENANT });
      expect(res.body.errors).toBeUndefined();
      const got = new Map<string, any>(res.body.data.features.edges.map((e: any) => [e.node.id, e.node.marketValidation]));
      for (const want of (await validationSql(TENANT, 90).execute(t.db)).rows) {
        const v = got.get(want.id);
        expect([v.productActiveUsers, v.activeCompanies, v.adoptingCompanies]).toEqual([want.product_users, want.active_companies, want.adopting_companies]);
        expect(v.score).toBeCloseTo(want.score, 9);
      }
      return got.get(popular);
    };
    expect(await answer()).toMatchObject({ productActiveUsers: 10, activeCompanies: 3, marketFit: 100 });

    // As a sync writes a first-seen user: the event, the day's activity and the user row, each a plain insert.
    const [user, company, day] = [randomUUID(), randomUUID(), new Date(windowStart + 60 * 86_400_000)];
    await sql`insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor)
      values (${TENANT}, ${day.toISOString()}, ${randomUUID()}, ${user}, null, 'page_viewed', 'amplitude')`.execute(t.db);
    await sql`insert into analytics.user_activity_daily (tenant_id, day, end_user_id, event_count)
      values (${TENANT}, ${day.toISOString().slice(0, 10)}, ${user}, 1)`.execute(t.db);
    await sql`insert into analytics.end_users (tenant_id, id, company_id, email, first_seen_at, last_seen_at, vendor, external_id)
      values (${TENANT}, ${user}, ${company}, 'new@example.com', ${day.toISOString()}, ${day.toISOString()}, 'amplitude', 'u-new')`.execute(t.db);
    expect(await answer()).toMatchObject({ productActiveUsers: 11, activeCompanies: 4, adoptingCompanies: 3, marketFit: 75 });
  });
});
