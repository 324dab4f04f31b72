import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetTenants } from '../../seed/index.js';
import { GAP_CAP } from '../../schema/migrations/0009_user_activity_gaps.js';
import { deletionMapping, eventMapping, VENDOR } from '../../subgraphs/analytics/vendors/amplitude/mapping.js';
import { storeEvents } from '../../subgraphs/analytics/vendors/amplitude/store-events.js';
import { userDeletionsStream } from '../../subgraphs/analytics/vendors/amplitude/user-deletions-stream.js';
import type { MappedRecord } from '../../sync/mapping.js';
import type { Trx } from '../../sync/table-writer.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { activeQuartersSql, activityGapsSql, keptGapsSql, keptQuartersSql, retentionSql, usageReportSql } from '../support/usage-report.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'usage_rollup';

const USAGE = `
  query ($from: LocalDate!, $to: LocalDate!, $granularity: Granularity!) {
    usageOverTime(from: $from, to: $to, granularity: $granularity) { rows { periodStart periodEnd activeUsers userDays wau mau } }
  }`;
const FEATURE_USAGE = `
  query ($id: ID!, $from: LocalDate!, $to: LocalDate!, $granularity: Granularity!) {
    feature(id: $id) { usageOverTime(from: $from, to: $to, granularity: $granularity) { rows { periodStart periodEnd activeUsers userDays wau mau } } }
  }`;
const RETENTION = `
  query ($from: LocalDate!, $to: LocalDate!, $granularity: Granularity!) {
    retentionCohorts(from: $from, to: $to, granularity: $granularity) { rows { cohortStart period cohortSize retainedUsers } }
  }`;

/** The one feature some events name. */
const FEATURE = randomUUID();

/** Events as the Amplitude events stream maps them: [user's Amplitude id, UTC day and time, whether it names FEATURE]. */
type Event = [user: string, at: string, named?: boolean];
const records = (events: Event[]): MappedRecord[] => events.map(([user, at, named]) => ({
  externalId: randomUUID(), url: null, updatedAt: null, createdAt: null, raw: {},
  columns: { occurred_at: new Date(at), insert_id: randomUUID(), feature_id: named ? FEATURE : null, event_type: 'feature_used' },
  refs: { end_user_id: user },
}));

describe('the product\'s and a feature\'s usage reports after incremental writes of the rollups', () => {
  let t: TestStack;
  const names = ['a', 'b', 'c', 'd', 'e'];

  /** One page of events stored as the sync stores it, in its own transaction unless given one. */
  const sync = (events: Event[], trx?: Trx) => {
    const write = (tx: Trx) => storeEvents(tx, { tenantId: TENANT, vendor: VENDOR, mapping: eventMapping, syncedAt: new Date() }, records(events));
    return trx ? write(trx) : t.db.transaction().execute(write);
  };

  /**
   * The per-day counts, the rollups' active quarter hours, and the product's and the feature's reports by day, week and
   * month, equal the hand-written SQL over raw events.
   */
  const expectExact = async () => {
    for (const perFeature of [false, true]) {
      expect((await keptGapsSql(TENANT, perFeature).execute(t.db)).rows).toEqual((await activityGapsSql(TENANT, GAP_CAP, perFeature).execute(t.db)).rows);
      expect((await keptQuartersSql(TENANT, perFeature).execute(t.db)).rows).toEqual((await activeQuartersSql(TENANT, perFeature).execute(t.db)).rows);
    }
    for (const [from, to, unit] of [['2025-01-01', '2025-02-20', 'day'], ['2025-01-08', '2025-02-20', 'week'], ['2024-12-15', '2025-03-10', 'month']]) {
      for (const feature of [null, FEATURE]) {
        const res = await t.query(feature ? FEATURE_USAGE : USAGE, { from, to, granularity: unit.toUpperCase(), ...(feature ? { id: feature } : {}) }, { tenant: TENANT });
        expect(res.body.errors).toBeUndefined();
        const rows = feature ? res.body.data.feature.usageOverTime.rows : res.body.data.usageOverTime.rows;
        const expected = (await usageReportSql(TENANT, feature, from, to, unit).execute(t.db)).rows;
        expect(expected.some((e) => e.active_users > 0)).toBe(true);
        expect(rows.map((r: any) => [r.periodStart, r.periodEnd, r.activeUsers, r.userDays, r.wau, r.mau]))
          .toEqual(expected.map((e) => [e.start, e.last, e.active_users, e.user_days, e.wau, e.mau]));
      }
    }
    const res = await t.query(RETENTION, { from: '2025-01-06', to: '2025-02-17', granularity: 'WEEK' }, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const expected = (await retentionSql(TENANT, null, '2025-01-06', '2025-02-17', 'week').execute(t.db)).rows;
    expect(res.body.data.retentionCohorts.rows.map((r: any) => [r.cohortStart, r.period, r.cohortSize, r.retainedUsers]))
      .toEqual(expected.map((e) => [e.cohort_start, e.period, e.cohort_size, e.retained]));
  };

  beforeAll(async () => {
    t = await startTestStack();
    await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
      values (${TENANT}, ${FEATURE}, 'RU-1', 'Feature RU-1', 'released', 'jira', 'RU-1')`.execute(t.db);
    await sql`select analytics.ensure_usage_partitions('2024-12-01T00:00:00Z'::timestamptz, '2025-03-31T00:00:00Z'::timestamptz)`.execute(t.db);
    for (const name of names) {
      await sql`insert into analytics.end_users (tenant_id, id, email, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${`${name}@example.com`}, ${VENDOR}, ${name})`.execute(t.db);
    }
    await sync([
      ['a', '2025-01-01T10:00:00Z', true], ['a', '2025-01-20T10:00:00Z', true], ['a', '2025-02-10T10:00:00Z'],
      ['b', '2025-01-05T10:00:00Z', true], ['b', '2025-01-06T23:59:59Z'], ['b', '2025-01-06T00:00:00Z', true],
      ['c', '2025-01-15T10:00:00Z'], ['e', '2025-01-01T10:00:00Z', true], ['e', '2025-01-30T10:00:00Z', true],
    ]);
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  it('equals the SQL over raw events after a first sync, new days between active days, a new user, and a deleted user', async () => {
    await expectExact();
    // A day between two active days, a second event on a known day (no new row), two new days in one page between
    // two active days, and a new user with two days in the page.
    await sync([
      ['a', '2025-01-10T10:00:00Z', true], ['b', '2025-01-06T12:00:00Z'], ['a', '2025-01-25T10:00:00Z', true], ['a', '2025-01-28T10:00:00Z', true],
      ['d', '2025-01-12T10:00:00Z', true], ['d', '2025-02-01T10:00:00Z'],
    ]);
    await expectExact();
    expect((await sql<{ n: number }>`select count(*)::int as n from analytics.user_activity_daily where tenant_id = ${TENANT}`.execute(t.db)).rows[0].n).toBe(13);

    // A user deleted at Amplitude: the deletions stream removes them and every row of theirs.
    await t.db.transaction().execute((trx) => userDeletionsStream.store!(trx, { tenantId: TENANT, vendor: VENDOR, mapping: deletionMapping, syncedAt: new Date() },
      [{ externalId: 'a', url: null, updatedAt: null, createdAt: null, raw: {}, columns: { amplitude_id: null, user_id: 'a' }, refs: {} }]));
    expect((await sql<{ n: number }>`select count(*)::int as n from analytics.end_users where tenant_id = ${TENANT} and external_id = 'a'`.execute(t.db)).rows[0].n).toBe(0);
    await expectExact();
  });

  /** `first` stored and held open while `second` is written: the second waits (`waitEvent`) until the first commits. */
  const concurrently = async (first: Event[], second: Event[], waitEvent: string) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let stored!: () => void;
    const written = new Promise<void>((resolve) => { stored = resolve; });
    const one = t.db.transaction().execute(async (trx) => {
      await sync(first, trx);
      stored();
      await held;
    });
    try {
      await written;
      const two = sync(second);
      await expect.poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and wait_event = ${waitEvent}`.execute(t.db)).rows[0].n).toBe(1);
      release();
      await Promise.all([one, two]);
    } finally {
      release();
    }
  };

  it('two writers adding days of the same user at once still give exact counts', async () => {
    // e is active on Jan 1 and Jan 30. Product days: the second writer waits on the per-tenant lock of the counts.
    await concurrently([['e', '2025-01-10T10:00:00Z']], [['e', '2025-01-20T10:00:00Z']], 'advisory');
    await expectExact();
    // Feature days: the second writer already waits on the tenant's adoption data version, bumped by the first.
    await concurrently([['e', '2025-01-12T10:00:00Z', true]], [['e', '2025-01-22T10:00:00Z', true]], 'transactionid');
    await expectExact();
  });

  it('refuses writes of the rollup from a transaction that would read its neighbours from an older snapshot', async () => {
    const write = (trx: Trx) => sql`insert into analytics.user_activity_daily (tenant_id, day, end_user_id, event_count)
      select tenant_id, '2025-02-05', id, 1 from analytics.end_users where tenant_id = ${TENANT} and external_id = 'e'`.execute(trx);
    await expect(t.db.transaction().setIsolationLevel('repeatable read').execute(write)).rejects.toThrow(/read committed transactions only, not repeatable read/);
    await expectExact();
  });
});
