import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { retentionSql, scatteredEvents, usageReportSql, writeUsage, type RawEvent } from '../support/usage-report.js';
import { resetTenants } from '../../seed/index.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'usage_reports';

const USAGE = `
  query ($from: LocalDate!, $to: LocalDate!, $granularity: Granularity!, $timeZone: String) {
    usageOverTime(from: $from, to: $to, granularity: $granularity, timeZone: $timeZone) {
      from to granularity timeZone asOf
      rows { periodStart periodEnd days activeUsers userDays dau wau mau stickiness }
    }
  }`;

const FEATURE_USAGE = `
  query ($id: ID!, $from: LocalDate!, $to: LocalDate!, $granularity: Granularity!) {
    feature(id: $id) { id usageOverTime(from: $from, to: $to, granularity: $granularity) {
      asOf rows { periodStart periodEnd days activeUsers userDays dau wau mau stickiness }
    } }
  }`;

const RETENTION = `
  query ($from: LocalDate!, $to: LocalDate!, $granularity: Granularity!, $featureId: ID) {
    retentionCohorts(from: $from, to: $to, granularity: $granularity, featureId: $featureId) {
      featureId asOf
      rows { cohortStart cohortEnd cohortSize period periodStart periodEnd retainedUsers retentionRate }
    }
  }`;

describe('usage over time and retention cohorts, from the rollups', () => {
  let t: TestStack;
  const users = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`u${i}`, randomUUID()]));
  const [used, unused] = [randomUUID(), randomUUID()];
  const syncedAt = '2025-03-30T06:15:00.000Z';

  beforeAll(async () => {
    t = await startTestStack();
    for (const [id, key] of [[used, 'UR-1'], [unused, 'UR-2']]) {
      await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
        values (${TENANT}, ${id}, ${key}, ${`Feature ${key}`}, 'released', 'jira', ${key})`.execute(t.db);
    }
    // Edges by hand: the last second of a day and the first of the next, a user active only before the range, two
    // events of one user on one day; then a deterministic scatter over December to March.
    const edges: RawEvent[] = [
      ['u0', used, '2025-01-07T23:59:59Z'], ['u0', used, '2025-01-08T00:00:00Z'], ['u0', used, '2025-02-03T00:00:00Z'],
      ['u1', null, '2025-01-03T12:00:00Z'],
      ['u2', used, '2025-01-09T10:00:00Z'], ['u2', used, '2025-01-09T11:00:00Z'], ['u2', null, '2025-01-10T09:00:00Z'],
      ['u3', used, '2025-01-31T23:59:59Z'], ['u3', used, '2025-02-01T00:00:00Z'],
      ['u4', null, '2024-12-12T08:00:00Z'],
    ];
    const scatter = scatteredEvents(Object.keys(users).slice(5), used, '2024-12-01', 120, 900);
    await writeUsage(t.db, TENANT, users, [...edges, ...scatter]);
    await sql`insert into integrations.connections (tenant_id, id, vendor, domain, name, status, last_success_at)
      values (${TENANT}, ${randomUUID()}, 'amplitude', 'analytics', 'Amplitude', 'active', ${syncedAt}),
             (${TENANT}, ${randomUUID()}, 'mixpanel', 'analytics', 'Mixpanel', 'disconnected', null),
             (${TENANT}, ${randomUUID()}, 'gainsight', 'customer_success', 'Gainsight', 'active', '2025-03-01T00:00:00Z')`.execute(t.db);
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

  /** The graph's rows against the hand-written SQL, field by field. */
  const expectSame = (rows: any[], expected: Awaited<ReturnType<ReturnType<typeof usageReportSql>['execute']>>['rows']) => {
    expect(rows.map((r) => [r.periodStart, r.periodEnd, r.days])).toEqual(expected.map((e) => [e.start, e.last, e.days]));
    rows.forEach((row, i) => {
      const want = expected[i];
      expect([row.activeUsers, row.userDays, row.wau, row.mau]).toEqual([want.active_users, want.user_days, want.wau, want.mau]);
      expect(row.dau).toBeCloseTo(want.user_days / want.days, 12);
      if (want.mau === 0) expect(row.stickiness).toBeNull();
      else expect(row.stickiness).toBeCloseTo(want.user_days / want.days / want.mau, 12);
    });
  };

  it('the product by day equals one SQL over the raw events, day edges and trailing windows before `from` included', async () => {
    const vars = { from: '2025-01-06', to: '2025-02-10', granularity: 'DAY' };
    const data = await report(USAGE, vars);
    expect(data.usageOverTime).toMatchObject({ from: '2025-01-06', to: '2025-02-10', granularity: 'DAY', timeZone: 'UTC', asOf: syncedAt });
    const expected = (await usageReportSql(TENANT, null, vars.from, vars.to, 'day').execute(t.db)).rows;
    expect(expected).toHaveLength(35);
    expect(expected.filter((r) => r.active_users > 0).length).toBeGreaterThan(30);
    expectSame(data.usageOverTime.rows, expected);
    // u0's 23:59:59 and 00:00:00 events land on two days; u1 (active only on 2025-01-03) is in the first day's WAU, not its users.
    const [first, second, third] = data.usageOverTime.rows;
    expect(first.periodStart).toBe('2025-01-06');
    expect(third.periodStart).toBe('2025-01-08');
    expect(first.wau).toBeGreaterThan(first.activeUsers);
    expect(second.activeUsers).toBeGreaterThan(0);
  });

  it('the product by ISO week, from a Wednesday to a Thursday: partial first and last weeks', async () => {
    const vars = { from: '2025-01-08', to: '2025-02-14', granularity: 'WEEK' };
    const data = await report(USAGE, vars);
    const expected = (await usageReportSql(TENANT, null, vars.from, vars.to, 'week').execute(t.db)).rows;
    expect(expected.map((e) => [e.start, e.last])).toEqual([
      ['2025-01-08', '2025-01-12'], ['2025-01-13', '2025-01-19'], ['2025-01-20', '2025-01-26'],
      ['2025-01-27', '2025-02-02'], ['2025-02-03', '2025-02-09'], ['2025-02-10', '2025-02-13'],
    ]);
    expectSame(data.usageOverTime.rows, expected);
  });

  it('a feature by month, and a feature nobody used (zeros, no stickiness), in one batched request', async () => {
    const vars = { from: '2024-12-15', to: '2025-04-01', granularity: 'MONTH' };
    const [a, b] = await Promise.all([report(FEATURE_USAGE, { ...vars, id: used }), report(FEATURE_USAGE, { ...vars, id: unused })]);
    const expected = (await usageReportSql(TENANT, used, vars.from, vars.to, 'month').execute(t.db)).rows;
    expect(expected.map((e) => e.start)).toEqual(['2024-12-15', '2025-01-01', '2025-02-01', '2025-03-01']);
    expect(expected.every((e) => e.active_users > 0)).toBe(true);
    expectSame(a.feature.usageOverTime.rows, expected);
    // The events naming no feature are not the feature's: the product counts more user-days.
    const product = (await usageReportSql(TENANT, null, vars.from, vars.to, 'month').execute(t.db)).rows;
    expect(product[1].user_days).toBeGreaterThan(expected[1].user_days);

    const none = (await usageReportSql(TENANT, unused, vars.from, vars.to, 'month').execute(t.db)).rows;
    expect(none.every((e) => e.active_users === 0 && e.mau === 0)).toBe(true);
    expectSame(b.feature.usageOverTime.rows, none);
    expect(b.feature.usageOverTime.rows.every((r: any) => r.stickiness === null && r.dau === 0)).toBe(true);
  });

  it('weekly retention cohorts of the product, and monthly ones of a feature, equal one SQL over the raw events', async () => {
    for (const [vars, unit] of [
      [{ from: '2025-01-06', to: '2025-02-24', granularity: 'WEEK' }, 'week'],
      [{ from: '2025-01-01', to: '2025-04-01', granularity: 'MONTH', featureId: used }, 'month'],
      [{ from: '2025-01-01', to: '2025-04-01', granularity: 'MONTH', featureId: unused }, 'month'],
    ] as const) {
      const data = await report(RETENTION, vars);
      const featureId = 'featureId' in vars ? vars.featureId : null;
      expect(data.retentionCohorts.featureId).toBe(featureId);
      expect(data.retentionCohorts.asOf).toBe(syncedAt);
      const expected = (await retentionSql(TENANT, featureId, vars.from, vars.to, unit).execute(t.db)).rows;
      const rows = data.retentionCohorts.rows;
      expect(rows.map((r: any) => [r.cohortStart, r.period, r.cohortSize, r.retainedUsers])).toEqual(
        expected.map((e) => [e.cohort_start, e.period, e.cohort_size, e.retained]),
      );
      for (const r of rows) {
        if (r.period === 0) expect(r.retainedUsers).toBe(r.cohortSize);
        expect(r.retentionRate).toEqual(r.cohortSize ? expect.closeTo((100 * r.retainedUsers) / r.cohortSize, 12) : null);
      }
      if (featureId === used) {
        expect(expected.some((e) => e.period > 0 && e.retained > 0)).toBe(true);
        expect(rows.at(-1)).toMatchObject({ cohortStart: '2025-03-01', cohortEnd: '2025-03-31', period: 0, periodEnd: '2025-03-31' });
      }
      if (featureId === unused) expect(rows.every((r: any) => r.cohortSize === 0 && r.retentionRate === null)).toBe(true);
    }
    // u1 and u4, first active before the range, are in no cohort: the first week's cohort is exactly the users first seen in it.
    const weekly = (await report(RETENTION, { from: '2025-01-06', to: '2025-01-13', granularity: 'WEEK' })).retentionCohorts.rows;
    const firstWeek = (await sql<{ n: number }>`select count(*)::int as n from analytics.end_users
      where tenant_id = ${TENANT} and first_seen_at >= '2025-01-06T00:00:00Z' and first_seen_at < '2025-01-13T00:00:00Z'`.execute(t.db)).rows[0].n;
    expect(weekly).toEqual([expect.objectContaining({ cohortStart: '2025-01-06', cohortEnd: '2025-01-12', cohortSize: firstWeek, period: 0 })]);
  });

  it('refuses unknown zones, empty ranges and too many periods with BAD_USER_INPUT, and takes UTC aliases', async () => {
    const bad = async (variables: Record<string, unknown>, message: RegExp) => {
      const res = await t.query(USAGE, variables, { tenant: TENANT });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].message).toMatch(message);
    };
    await bad({ from: '2025-01-06', to: '2025-02-10', granularity: 'DAY', timeZone: 'Mars/Olympus' }, /not an IANA time zone/);
    await bad({ from: '2025-02-10', to: '2025-02-10', granularity: 'DAY' }, /`from` must be before `to`/);
    await bad({ from: '2024-01-01', to: '2025-02-05', granularity: 'DAY' }, /1 to 400 periods/);
    const res = await t.query(RETENTION, { from: '2025-01-06', to: '2025-01-13', granularity: 'WEEK', featureId: 'not-a-uuid' }, { tenant: TENANT });
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const utc = await report(USAGE, { from: '2025-01-06', to: '2025-01-08', granularity: 'DAY', timeZone: 'Etc/UTC' });
    expect(utc.usageOverTime.timeZone).toBe('UTC');
    expect(utc.usageOverTime.rows).toHaveLength(2);
    // 400 days is the most.
    const longest = await report(USAGE, { from: '2024-01-01', to: '2025-02-04', granularity: 'DAY' });
    expect(longest.usageOverTime.rows).toHaveLength(400);
  });

  it('asOf is null while a connection feeding the report has never synced', async () => {
    const id = randomUUID();
    await sql`insert into integrations.connections (tenant_id, id, vendor, domain, name, status)
      values (${TENANT}, ${id}, 'mixpanel', 'analytics', 'Mixpanel (new)', 'active')`.execute(t.db);
    try {
      const data = await report(USAGE, { from: '2025-01-06', to: '2025-01-07', granularity: 'DAY' });
      expect(data.usageOverTime.asOf).toBeNull();
    } finally {
      await sql`delete from integrations.connections where tenant_id = ${TENANT} and id = ${id}`.execute(t.db);
    }
  });
});
