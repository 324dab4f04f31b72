import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetTenants } from '../../seed/index.js';
import { rebuildUsageRollups } from '../../seed/rollups.js';
import { eventMapping, VENDOR } from '../../subgraphs/analytics/vendors/amplitude/mapping.js';
import { storeEvents } from '../../subgraphs/analytics/vendors/amplitude/store-events.js';
import type { MappedRecord } from '../../sync/mapping.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { activeQuartersSql, keptQuartersSql, retentionSql, scatteredEvents, usageReportSql, type RawEvent } from '../support/usage-report.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'usage_time_zones';

const USAGE = `
  query ($from: LocalDate!, $to: LocalDate!, $granularity: Granularity!, $timeZone: String) {
    usageOverTime(from: $from, to: $to, granularity: $granularity, timeZone: $timeZone) {
      timeZone rows { periodStart periodEnd days activeUsers userDays wau mau }
    }
  }`;
const FEATURE_USAGE = `
  query ($id: ID!, $from: LocalDate!, $to: LocalDate!, $granularity: Granularity!, $timeZone: String) {
    feature(id: $id) { usageOverTime(from: $from, to: $to, granularity: $granularity, timeZone: $timeZone) {
      timeZone rows { periodStart periodEnd days activeUsers userDays wau mau }
    } }
  }`;
const RETENTION = `
  query ($from: LocalDate!, $to: LocalDate!, $granularity: Granularity!, $timeZone: String, $featureId: ID) {
    retentionCohorts(from: $from, to: $to, granularity: $granularity, timeZone: $timeZone, featureId: $featureId) {
      timeZone rows { cohortStart period cohortSize retainedUsers }
    }
  }`;

const FEATURE = randomUUID();
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'];

/**
 * Events right at local midnights: the last second of a local day and the first of the next, in each zone, across
 * New York's spring (2025-03-09, 23 hours) and autumn (2025-11-02, 25 hours) changes; the repeated 01:30 of the autumn
 * change; a user active only in the last quarter hour of a UTC day; and a report's first local midnight and the second
 * before it. Named users of their own, so no scattered event hides an edge.
 */
const EDGES: RawEvent[] = [
  ['ny', FEATURE, '2025-03-08T23:59:59-05:00'], ['ny', FEATURE, '2025-03-09T00:00:00-05:00'],
  ['ny', null, '2025-03-09T23:59:59-04:00'], ['ny2', FEATURE, '2025-03-10T00:00:00-04:00'],
  ['ny', FEATURE, '2025-11-01T23:59:59-04:00'], ['ny2', null, '2025-11-02T00:00:00-04:00'],
  ['ny3', FEATURE, '2025-11-02T01:30:00-04:00'], ['ny3', FEATURE, '2025-11-02T01:30:00-05:00'],
  ['ny2', FEATURE, '2025-11-02T23:59:59-05:00'], ['ny', FEATURE, '2025-11-03T00:00:00-05:00'],
  ['in', FEATURE, '2025-03-09T23:59:59+05:30'], ['in2', FEATURE, '2025-03-10T00:00:00+05:30'],
  ['in', null, '2025-11-02T00:00:00+05:30'],
  ['np', FEATURE, '2025-03-09T23:59:59+05:45'], ['np2', FEATURE, '2025-03-10T00:00:00+05:45'],
  ['np', FEATURE, '2025-10-31T23:59:59+05:45'],
  ['late', FEATURE, '2025-03-05T23:45:00Z'], ['late', null, '2025-03-12T23:59:59Z'],
  ['edge', FEATURE, '2025-02-23T23:59:59-05:00'], ['edge', FEATURE, '2025-02-24T00:00:00+05:30'],
  ['edge2', FEATURE, '2025-02-24T00:00:00-05:00'], ['edge2', null, '2025-02-23T23:59:59+05:45'],
];

/** Windows across both changes: [from, to, granularity]. */
const WINDOWS: [string, string, string][] = [
  ['2025-02-24', '2025-03-24', 'day'], ['2025-10-20', '2025-11-17', 'day'],
  ['2025-02-24', '2025-04-07', 'week'], ['2025-10-15', '2025-11-30', 'week'],
  ['2025-02-01', '2025-04-01', 'month'], ['2025-10-01', '2025-12-01', 'month'],
];

describe('usage over time and retention in a time zone, from the rollups kept by the sync and by the rebuild', () => {
  let t: TestStack;
  const names = [...new Set(EDGES.map((e) => e[0])), ...Array.from({ length: 24 }, (_, i) => `s${i}`)];
  const scattered = [
    ...scatteredEvents(names.filter((n) => n.startsWith('s')), FEATURE, '2025-01-20', 80, 500),
    ...scatteredEvents(names.filter((n) => n.startsWith('s')), FEATURE, '2025-09-20', 80, 500),
  ];

  /** Events stored as the Amplitude sync stores them, a page at a time. */
  const sync = async (events: RawEvent[]) => {
    const records: MappedRecord[] = events.map(([user, feature, at]) => ({
      externalId: randomUUID(), url: null, updatedAt: null, createdAt: null, raw: {},
      columns: { occurred_at: new Date(at), insert_id: randomUUID(), feature_id: feature, event_type: 'feature_used' },
      refs: { end_user_id: user },
    }));
    for (let i = 0; i < records.length; i += 200) {
      await t.db.transaction().execute((trx) =>
        storeEvents(trx, { tenantId: TENANT, vendor: VENDOR, mapping: eventMapping, syncedAt: new Date() }, records.slice(i, i + 200)));
    }
  };

  const data = async (query: string, variables: Record<string, unknown>) => {
    const res = await t.query(query, variables, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };

  /** Every zone's reports (product and feature, every window, and retention) equal the hand-written SQL over raw events. */
  const expectExact = async () => {
    for (const timeZone of ZONES) {
      for (const [from, to, unit] of WINDOWS) {
        for (const feature of [null, FEATURE]) {
          const vars = { from, to, granularity: unit.toUpperCase(), timeZone };
          const report = feature ? (await data(FEATURE_USAGE, { ...vars, id: feature })).feature.usageOverTime : (await data(USAGE, vars)).usageOverTime;
          const expected = (await usageReportSql(TENANT, feature, from, to, unit, timeZone).execute(t.db)).rows;
          expect(expected.some((e) => e.active_users > 0)).toBe(true);
          expect([timeZone, from, unit, feature, report.rows.map((r: any) => [r.periodStart, r.periodEnd, r.days, r.activeUsers, r.userDays, r.wau, r.mau])])
            .toEqual([timeZone, from, unit, feature, expected.map((e) => [e.start, e.last, e.days, e.active_users, e.user_days, e.wau, e.mau])]);
        }
      }
      for (const [from, to, unit, featureId] of [
        ['2025-01-20', '2025-03-31', 'week', null], ['2025-01-19', '2025-02-02', 'day', FEATURE],
        ['2025-01-01', '2025-04-01', 'month', FEATURE], ['2025-02-17', '2025-03-17', 'day', null],
      ] as const) {
        const report = (await data(RETENTION, { from, to, granularity: unit.toUpperCase(), timeZone, featureId })).retentionCohorts;
        const expected = (await retentionSql(TENANT, featureId, from, to, unit, timeZone).execute(t.db)).rows;
        expect(expected.some((e) => e.period > 0 && e.retained > 0)).toBe(true);
        expect([timeZone, from, featureId, report.rows.map((r: any) => [r.cohortStart, r.period, r.cohortSize, r.retainedUsers])])
          .toEqual([timeZone, from, featureId, expected.map((e) => [e.cohort_start, e.period, e.cohort_size, e.retained])]);
      }
    }
  };

  /** The rollups' quarter hours equal those of the raw events. */
  const expectQuarters = async () => {
    for (const perFeature of [false, true]) {
      const kept = (await keptQuartersSql(TENANT, perFeature).execute(t.db)).rows;
      expect(kept.length).toBeGreaterThan(100);
      expect(kept).toEqual((await activeQuartersSql(TENANT, perFeature).execute(t.db)).rows);
    }
  };

  beforeAll(async () => {
    t = await startTestStack();
    await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
      values (${TENANT}, ${FEATURE}, 'TZ-1', 'Feature TZ-1', 'released', 'jira', 'TZ-1')`.execute(t.db);
    await sql`select analytics.ensure_usage_partitions('2025-01-01T00:00:00Z'::timestamptz, '2025-12-31T00:00:00Z'::timestamptz)`.execute(t.db);
    for (const name of names) {
      await sql`insert into analytics.end_users (tenant_id, id, email, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${`${name}@example.com`}, ${VENDOR}, ${name})`.execute(t.db);
    }
    // Two syncs: the second ORs quarters into rows the first wrote (the same user and UTC day, another quarter).
    await sync([...EDGES.filter((_, i) => i % 2 === 0), ...scattered.slice(0, 500)]);
    await sync([...EDGES.filter((_, i) => i % 2 === 1), ...scattered.slice(500)]);
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  it('the sync keeps each rollup row\'s quarter hours, ORed over pages, and the rebuild makes the same', async () => {
    await expectQuarters();
    const late = (await keptQuartersSql(TENANT).execute(t.db)).rows.filter((r) => r.day === '2025-03-05' && r.quarters.length === 1 && r.quarters[0] === 95);
    expect(late).toHaveLength(1);
    const before = (await keptQuartersSql(TENANT, true).execute(t.db)).rows;
    await sql`update analytics.feature_usage_daily set active_quarters = repeat('0', 96)::bit(96) where tenant_id = ${TENANT}`.execute(t.db);
    await sql`update analytics.user_activity_daily set active_quarters = repeat('0', 96)::bit(96) where tenant_id = ${TENANT}`.execute(t.db);
    await rebuildUsageRollups(t.db, TENANT);
    await expectQuarters();
    expect((await keptQuartersSql(TENANT, true).execute(t.db)).rows).toEqual(before);
  });

  it('equals the SQL over raw events in UTC, New York across both DST changes, Kolkata and Kathmandu', async () => {
    await expectExact();
  });

  it('recounts a zone\'s kept usage after a change to the product\'s rollup alone, and equals the SQL again', async () => {
    const vars = { from: '2025-02-24', to: '2025-04-07', granularity: 'WEEK', timeZone: 'America/New_York' };
    const rows = async () => (await data(USAGE, vars)).usageOverTime.rows.map((r: any) => [r.periodStart, r.activeUsers, r.userDays, r.wau, r.mau]);
    const before = await rows();
    const version = async () => BigInt((await sql<{ v: string }>`
      select coalesce((select version from analytics.adoption_data_versions where tenant_id = ${TENANT}), 0)::text as v`.execute(t.db)).rows[0].v);
    const unchanged = await version();
    await sql`update analytics.user_activity_daily set event_count = event_count where tenant_id = ${TENANT} and day = '2025-03-05'`.execute(t.db);
    expect(await version()).toBeGreaterThan(unchanged);
    // Activity without a feature: 23:00 in New York on 2025-03-19 is the next UTC day; 'late' was not active that week.
    await sync([['late', null, '2025-03-20T03:00:00Z']]);
    const after = await rows();
    const expected = (await usageReportSql(TENANT, null, vars.from, vars.to, 'week', vars.timeZone).execute(t.db)).rows;
    expect(after).toEqual(expected.map((e) => [e.start, e.active_users, e.user_days, e.wau, e.mau]));
    const week = (r: unknown[][]) => r.find((x) => x[0] === '2025-03-17')!;
    expect(week(after)[1]).toBe((week(before)[1] as number) + 1);
  });

  it('refuses an unknown zone with BAD_USER_INPUT naming it, and days not on a UTC quarter hour; names the zone as canonicalised', async () => {
    for (const query of [USAGE, RETENTION]) {
      const res = await t.query(query, { from: '2025-03-01', to: '2025-03-08', granularity: 'DAY', timeZone: 'Mars/Olympus' }, { tenant: TENANT });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].message).toMatch(/"Mars\/Olympus" is not an IANA time zone/);
    }
    const res = await t.query(FEATURE_USAGE, { id: FEATURE, from: '2025-03-01', to: '2025-03-08', granularity: 'DAY', timeZone: 'Nowhere/Land' }, { tenant: TENANT });
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0].message).toMatch(/"Nowhere\/Land"/);
    // Kolkata kept local mean time (+05:53:28) until 1941: its days then do not start on a UTC quarter hour.
    const lmt = await t.query(USAGE, { from: '1900-01-01', to: '1900-01-02', granularity: 'DAY', timeZone: 'Asia/Kolkata' }, { tenant: TENANT });
    expect(lmt.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(lmt.body.errors?.[0].message).toMatch(/do not start on a UTC quarter hour/);
    expect((await data(USAGE, { from: '2025-03-01', to: '2025-03-02', granularity: 'DAY', timeZone: 'Etc/UTC' })).usageOverTime.timeZone).toBe('UTC');
  });
});
