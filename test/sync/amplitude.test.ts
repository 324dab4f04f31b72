import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAP_CAP } from '../../schema/migrations/0009_user_activity_gaps.js';
import { rebuildUsageRollups } from '../../seed/rollups.js';
import { startAmplitudeSimulator, type AmplitudeSimulator } from '../../simulators/amplitude/index.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { runStream } from '../../sync/run-stream.js';
import { formatHour } from '../../subgraphs/analytics/vendors/amplitude/hours.js';
import { disconnect } from '../../subgraphs/integrations/connection-admin.repository.js';
import { expectVisibleFailure, syncHarness, type SyncHarness } from '../support/sync.js';
import { activityGapsSql, keptGapsSql } from '../support/usage-report.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What only one side has (the first few of each), and the count: cheap on tens of thousands of rows. */
function difference(actual: unknown[], expected: unknown[]) {
  const key = (row: unknown) => JSON.stringify(row);
  const have = new Set(actual.map(key));
  const want = new Set(expected.map(key));
  return { count: actual.length, missing: [...want].filter((k) => !have.has(k)).slice(0, 5), unexpected: [...have].filter((k) => !want.has(k)).slice(0, 5) };
}

function expectSame(actual: unknown[], expected: unknown[]): void {
  expect(difference(actual, expected)).toEqual({ count: expected.length, missing: [], unexpected: [] });
}

describe('the Amplitude connector against the Amplitude simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let amplitude: AmplitudeSimulator;
  let connection: ConnectionRow;
  let tenant: string;

  /** Every stored event with its user's and feature's vendor keys. */
  async function storedEvents(): Promise<string[][]> {
    const users = new Map((await harness.rows('analytics.end_users')).map((u) => [u.id, u.external_id as string]));
    const features = new Map((await harness.rows('product.features')).map((f) => [f.id, f.key as string]));
    const { rows } = await sql<{ insert_id: string; occurred_at: Date; event_type: string; end_user_id: string; feature_id: string | null }>`
      select insert_id, occurred_at, event_type, end_user_id, feature_id from analytics.usage_events where tenant_id = ${tenant}`.execute(harness.db);
    return rows.map((r) => [r.insert_id, r.occurred_at.toISOString(), r.event_type, users.get(r.end_user_id) ?? '?', r.feature_id ? features.get(r.feature_id) ?? '?' : '']);
  }

  async function eventCount(): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from analytics.usage_events where tenant_id = ${tenant}`.execute(harness.db);
    return rows[0].n;
  }

  /** The kept export files, and the events their lines hold: insert id and upload hour, as Amplitude sent them. */
  async function archivedEvents() {
    const files = await harness.db.selectFrom('analytics.usage_event_archives').select(['file_name', 'upload_hour', 'data', 'synced_at'])
      .where('tenant_id', '=', tenant).where('connection_id', '=', connection.id).execute();
    const events = files.flatMap((f) => gunzipSync(f.data).toString('utf8').split('\n').filter((line) => line.trim()).map((line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      return { insertId: event.$insert_id as string, uploadHour: `${(event.server_upload_time as string).slice(0, 13).replace(' ', 'T')}:00:00.000Z`, file: f.file_name, fileHour: f.upload_hour?.toISOString(), line: event };
    }));
    return { files, events };
  }

  async function endUser(userId: string) {
    return harness.db.selectFrom('analytics.end_users').selectAll().where('tenant_id', '=', tenant).where('external_id', '=', userId).executeTakeFirst();
  }

  /** The rollups and first/last active days the sync maintained must equal the same rebuilt from the stored events. */
  async function expectRollupsAsRebuilt(): Promise<void> {
    const snapshot = async () => [
      ...(await sql`select 'usage', feature_id, day::text, end_user_id, event_count from analytics.feature_usage_daily where tenant_id = ${tenant}`.execute(harness.db)).rows,
      ...(await sql`select 'activity', day::text, end_user_id, event_count from analytics.user_activity_daily where tenant_id = ${tenant}`.execute(harness.db)).rows,
      ...(await sql`select 'seen', id, first_seen_at, last_seen_at from analytics.end_users where tenant_id = ${tenant}`.execute(harness.db)).rows,
    ];
    const maintained = await snapshot();
    expect(maintained.length).toBeGreaterThan(0);
    // The product's and the features' per-day counts, kept page by page, equal the same counted over the stored events.
    for (const perFeature of [false, true]) {
      const kept = (await keptGapsSql(tenant, perFeature).execute(harness.db)).rows;
      expect(kept.length).toBeGreaterThan(0);
      expect(kept).toEqual((await activityGapsSql(tenant, GAP_CAP, perFeature).execute(harness.db)).rows);
    }
    await sql`delete from analytics.feature_usage_daily where tenant_id = ${tenant}`.execute(harness.db);
    await sql`delete from analytics.user_activity_daily where tenant_id = ${tenant}`.execute(harness.db);
    await sql`update analytics.end_users set first_seen_at = null, last_seen_at = null where tenant_id = ${tenant}`.execute(harness.db);
    await rebuildUsageRollups(harness.db, tenant);
    expectSame(maintained, await snapshot());
  }

  /** Runs `work` with the connection's settings changed by `changes`, then puts them back. */
  async function withConfig<T>(changes: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    const config = { ...connection.config as Record<string, unknown> };
    const set = (value: Record<string, unknown>) => harness.db.updateTable('integrations.connections').set({ config: JSON.stringify(value) })
      .where('id', '=', connection.id).execute();
    await set({ ...config, ...changes });
    try {
      return await work();
    } finally {
      await set(config);
    }
  }

  /** Stored events, their rollups and the events cursor gone: the next incremental sync reads everything again. */
  async function forgetEvents(): Promise<void> {
    for (const table of ['analytics.usage_events', 'analytics.feature_usage_daily', 'analytics.user_activity_daily']) {
      await sql`delete from ${sql.table(table)} where tenant_id = ${tenant}`.execute(harness.db);
    }
    await sql`update analytics.end_users set first_seen_at = null, last_seen_at = null where tenant_id = ${tenant}`.execute(harness.db);
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'events').execute();
  }

  beforeAll(async () => {
    harness = await syncHarness('sync-amplitude', { backfillDays: 400, timeoutMs: 3_000 });
    tenant = harness.tenant;
    world = await buildWorld({ tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    amplitude = await startAmplitudeSimulator(world, { eventsPerFile: 25 });
    // Features (by key) and companies (by domain) stand in for the product tools' and the CRM's syncs.
    const features = world.rows('product.features').map((f) => ({ id: f.id, key: f.key, name: f.name, status: f.status, vendor: f.vendor, external_id: f.external_id }));
    await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
      select ${tenant}, x.id::uuid, x.key, x.name, x.status, x.vendor, x.external_id
      from jsonb_to_recordset(${JSON.stringify(features)}::jsonb) as x(id text, key text, name text, status text, vendor text, external_id text)`.execute(harness.db);
    const companies = world.rows('sales.companies').map((c) => ({ id: c.id, name: c.name, domain: c.domain, vendor: c.vendor, external_id: c.external_id }));
    await sql`insert into sales.companies (tenant_id, id, name, domain, segment, vendor, external_id)
      select ${tenant}, x.id::uuid, x.name, x.domain, 'smb', x.vendor, x.external_id
      from jsonb_to_recordset(${JSON.stringify(companies)}::jsonb) as x(id text, name text, domain text, vendor text, external_id text)`.execute(harness.db);
    connection = await harness.connect('amplitude', { baseUrl: amplitude.url, credentials: amplitude.credentials, config: { ...amplitude.config, requestsPerSecond: 1_000, hoursPerRequest: 7 * 24 } });
  });
  afterAll(async () => {
    await amplitude?.close();
    await harness?.close();
  });

  it('a full sync stores every event and the users seen in them as the generator made them, with rollups equal to a rebuild', async () => {
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['events', 'succeeded', 0], ['user_deletions', 'succeeded', 0]]);
    const events = world.rows('analytics.usage_events');
    expect(runs[0].changed).toBe(events.length);
    const userOf = new Map(world.rows('analytics.end_users').map((u) => [u.id, u]));
    const keyOf = new Map(world.rows('product.features').map((f) => [f.id, f.key]));
    expectSame(await storedEvents(), events.map((e) => [e.insert_id, e.occurred_at.toISOString(), e.event_type, userOf.get(e.end_user_id)!.external_id, e.feature_id ? keyOf.get(e.feature_id) : '']));
    // Amplitude knows users only through their events: the generator's inactive users never appear.
    const active = new Set(events.map((e) => e.end_user_id));
    const users = (await harness.rows('analytics.end_users')).map((u) => [u.external_id, u.company_id, u.email, u.url, (u.created_at as Date).toISOString()]);
    expectSame(users, world.rows('analytics.end_users').filter((u) => active.has(u.id)).map((u) => [u.external_id, u.company_id, u.email, u.url, u.created_at.toISOString()]));
    await expectRollupsAsRebuilt();
  });

  it('keeps every export file as Amplitude sent it, each event a line of one file of its upload hour; reading the hours again replaces them', async () => {
    const storedIds = (await storedEvents()).map(([insertId]) => insertId);
    const before = await archivedEvents();
    expect(before.files.length).toBeGreaterThan(1);
    expect(before.events.map((e) => e.insertId).sort()).toEqual([...storedIds].sort());
    for (const event of before.events) expect([event.file, event.fileHour]).toEqual([event.file, event.uploadHour]);
    const [run] = await harness.sync(connection, 'full', ['events']);
    expect(run).toMatchObject({ status: 'succeeded', changed: 0 });
    const after = await archivedEvents();
    expect(after.files.map((f) => f.file_name).sort()).toEqual(before.files.map((f) => f.file_name).sort());
    expect(after.events.map((e) => e.insertId).sort()).toEqual([...storedIds].sort());
    for (const file of after.files) expect(file.synced_at.getTime()).toBeGreaterThan(Math.max(...before.files.map((f) => f.synced_at.getTime())));
  });

  it('fills each page across export ranges: a range\'s last hours make no small page of their own, and the cursor ends where it did', async () => {
    const cursorOf = async () => (await harness.db.selectFrom('integrations.sync_cursors').select('cursor')
      .where('connection_id', '=', connection.id).where('stream', '=', 'events').executeTakeFirstOrThrow()).cursor;
    const cursor = await cursorOf();
    const pageSize = 100;
    const batches: number[] = [];
    let read = 0;
    // Ranges of three hours hold far fewer events than a page.
    const run = await withConfig({ hoursPerRequest: 3, pageSize }, () =>
      runStream(harness.deps, { tenantId: tenant, connectionId: connection.id, stream: 'events', mode: 'full' }, (summary) => {
        batches.push(summary.read - read);
        read = summary.read;
      }));
    expect(run).toMatchObject({ status: 'succeeded', changed: 0, read: world.rows('analytics.usage_events').length });
    expect(run.requests).toBeGreaterThan(batches.length * 2);
    const events = batches.filter((n) => n > 0);
    expect(events.length).toBeGreaterThan(3);
    // Whole upload hours a page: up to an hour's events beyond the page size, but never short of it until the end.
    for (const n of events.slice(0, -1)) expect(n).toBeGreaterThanOrEqual(pageSize);
    expect(await cursorOf()).toEqual(cursor);
    await expectRollupsAsRebuilt();
  });

  it('picks up events that land hours late by re-reading recent upload hours, counting none twice, and updates a user who changed', async () => {
    const events = world.rows('analytics.usage_events');
    const mover = world.byId('analytics.end_users', events.find((e) => world.byId('analytics.end_users', e.end_user_id)!.company_id)!.end_user_id)!;
    const target = world.rows('sales.companies').find((c) => c.id !== mover.company_id)!;
    const offline = world.byId('analytics.end_users', events.find((e) => e.end_user_id !== mover.id)!.end_user_id)!;
    amplitude.identify(mover.external_id, { properties: { plan: 'business' }, groups: { company: target.domain } });
    const feature = world.rows('product.features')[0];
    amplitude.track({ userId: mover.external_id, eventType: 'feature_used', featureKey: feature.key });
    // A phone that was offline for three days: an old event in this hour's upload.
    amplitude.track({ userId: offline.external_id, eventType: 'page_viewed', occurredAt: new Date(amplitude.now() - 3 * DAY) });
    const before = await eventCount();

    // Uploaded this hour: not in the export for about two hours more.
    const [early] = await harness.sync(connection, 'incremental', ['events']);
    expect(early).toMatchObject({ status: 'succeeded', changed: 0 });
    expect(await eventCount()).toBe(before);

    amplitude.advance(3 * HOUR);
    const [late] = await harness.sync(connection, 'incremental', ['events']);
    expect(late).toMatchObject({ status: 'succeeded', changed: 2, read: 2 });
    expect(await eventCount()).toBe(before + 2);
    const moved = await endUser(mover.external_id);
    expect(moved!.company_id).toBe(target.id);
    expect((moved!.raw as { user_properties: { plan: string } }).user_properties.plan).toBe('business');

    // Those hours are still recent: read again, stored once, counted once.
    const [again] = await harness.sync(connection, 'incremental', ['events']);
    expect(again).toMatchObject({ status: 'succeeded', read: 2, changed: 0 });
    expect(await eventCount()).toBe(before + 2);
    expect((await endUser(mover.external_id))!.company_id).toBe(target.id);
    await expectRollupsAsRebuilt();
  });

  it('removes a user deleted at Amplitude, with their events and rollups, once the deletion job has run', async () => {
    const victim = world.byId('analytics.end_users', world.rows('analytics.usage_events')[0].end_user_id)!;
    const victimId = (await endUser(victim.external_id))!.id;
    const own = async () => (await sql<{ n: number }>`select count(*)::int as n from analytics.usage_events
      where tenant_id = ${tenant} and end_user_id = ${victimId}`.execute(harness.db)).rows[0].n;
    expect(await own()).toBeGreaterThan(0);
    amplitude.requestDeletion(victim.external_id);
    const [staged] = await harness.sync(connection, 'incremental', ['user_deletions']);
    expect(staged.status).toBe('succeeded');
    expect(await endUser(victim.external_id)).toBeDefined();

    const linesOf = async (userId: string) => (await archivedEvents()).events.filter((e) => e.line.user_id === userId).length;
    expect(await linesOf(victim.external_id)).toBeGreaterThan(0);
    const archivedBefore = (await archivedEvents()).events.length;
    const purged = amplitude.runDeletionJobs();
    expect(purged).toBeGreaterThan(0);
    const total = await eventCount();
    const [run] = await harness.sync(connection, 'incremental', ['user_deletions']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 0 });
    expect(await endUser(victim.external_id)).toBeUndefined();
    expect(await own()).toBe(0);
    expect(await eventCount()).toBe(total - purged);
    // Their raw records go from the kept files too; everyone else's stay.
    expect(await linesOf(victim.external_id)).toBe(0);
    expect((await archivedEvents()).events.length).toBe(archivedBefore - purged);
    await expectRollupsAsRebuilt();
    expect(await eventCount()).toBe(amplitude.store.size);
  });

  it('rides out a 429 storm, honouring Retry-After, without duplicates or double counts', async () => {
    const count = await eventCount();
    amplitude.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'incremental', ['events']);
    expect(run.status).toBe('succeeded');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect(amplitude.faults.stats.rateLimited).toBe(2);
    // The recent hours came again: read, not stored twice.
    expect(run.read).toBeGreaterThan(0);
    expect(run.changed).toBe(0);
    expect(await eventCount()).toBe(count);
    await expectRollupsAsRebuilt();
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor', async () => {
    amplitude.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 3_500 } });
    const [ok] = await harness.sync(connection, 'incremental', ['events']);
    expect(ok.status).toBe('succeeded');
    expect(ok.retries).toBeGreaterThanOrEqual(2);

    const total = amplitude.store.size;
    await forgetEvents();
    // Some hours land, then the vendor fails for good.
    amplitude.faults.set({ latencyMs: 15 });
    const failing = harness.sync(connection, 'incremental', ['events']);
    while ((await eventCount()) === 0) await new Promise((r) => setTimeout(r, 10));
    amplitude.faults.set({ serverError: { requests: 1_000 } });
    const [failed] = await failing;
    await expectVisibleFailure(harness, failed);
    const stored = await eventCount();
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(total);

    amplitude.faults.set({});
    const [resumed] = await harness.sync(connection, 'incremental', ['events']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.read).toBeLessThan(total);
    expect(await eventCount()).toBe(total);
    await expectRollupsAsRebuilt();
    expect((await harness.db.selectFrom('integrations.connections').select('status').where('id', '=', connection.id).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it('keeps a malformed event in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const total = amplitude.store.size;
    const deleted = world.rows('analytics.usage_events')[0].end_user_id;
    const others = world.rows('analytics.usage_events').filter((e) => e.end_user_id !== deleted);
    const bad = others[1_000].insert_id as string;
    await forgetEvents();
    amplitude.faults.set({ malformed: [bad], unknownFields: true });
    const [run] = await harness.sync(connection, 'incremental', ['events']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: total - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: bad, reason: 'event_time: expected a date-time, got "yesterday evening"' }]);
    expect(await eventCount()).toBe(total - 1);
    const user = world.byId('analytics.end_users', others[0].end_user_id)!;
    expect((await endUser(user.external_id))!.raw).toMatchObject({ user_properties: { initial_utm_source: 'newsletter' } });
    // Unknown fields, and the malformed event itself, live on in the kept files.
    const archived = new Map((await archivedEvents()).events.map((e) => [e.insertId, e.line]));
    expect(archived.get(others[0].insert_id as string)).toMatchObject({ plan: { branch: 'main', source: 'web', version: '4' }, ingestion_metadata: { source_name: 'amplitude-ts' } });
    expect(archived.get(bad)).toMatchObject({ $insert_id: bad, event_time: 'yesterday evening' });
    await expectRollupsAsRebuilt();
    amplitude.faults.set({});
  });

  it('splits a range too big for one export (400) into smaller ones; the event malformed before lands now', async () => {
    const total = amplitude.store.size;
    const stored = await eventCount();
    expect(stored).toBe(total - 1);
    amplitude.limits.maxEventsPerExport = 200;
    try {
      const [run] = await harness.sync(connection, 'full', ['events']);
      expect(run).toMatchObject({ status: 'succeeded', read: total, changed: 1, recordErrors: 0 });
      expect(amplitude.exports.tooLarge).toBeGreaterThan(0);
    } finally {
      amplitude.limits.maxEventsPerExport = 2_000_000;
    }
    expect(await eventCount()).toBe(total);
    await expectRollupsAsRebuilt();
  });

  it('a user who changes and changes back within one run ends as their newest event says, also when the run reads those hours again', async () => {
    const user = world.rows('analytics.end_users').find((u) => u.id === world.rows('analytics.usage_events')[0].end_user_id)!;
    // Three upload hours up to this one, one state each: pages of one event, each committed alone, so one run stores them in turn.
    const first = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    ['team', 'business', 'team'].forEach((plan, i) => {
      amplitude.identify(user.external_id, { properties: { plan } });
      const at = new Date(first + i * HOUR);
      amplitude.track({ userId: user.external_id, eventType: 'page_viewed', occurredAt: at, uploadedAt: at });
    });
    amplitude.advance(3 * HOUR);
    const planOf = async () => ((await endUser(user.external_id))!.raw as { user_properties: { plan: string } }).user_properties.plan;
    const sync = () => withConfig({ pageSize: 1 }, async () => {
      const pages: number[] = [];
      const run = await runStream({ ...harness.deps, recordsPerCommit: 1 }, { tenantId: tenant, connectionId: connection.id, stream: 'events', mode: 'incremental' }, (s) => pages.push(s.read));
      return { run, pages: pages.length };
    });
    const { run, pages } = await sync();
    expect(run).toMatchObject({ status: 'succeeded', changed: 3 });
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(await planOf()).toBe('team');
    // Read again from the first of those hours, the older states find a newer one stored, and leave it.
    await harness.db.updateTable('integrations.sync_cursors').set({ cursor: JSON.stringify({ from: formatHour(first) }) })
      .where('connection_id', '=', connection.id).where('stream', '=', 'events').execute();
    const again = await sync();
    expect(again.run).toMatchObject({ status: 'succeeded', changed: 0 });
    expect(again.run.read).toBeGreaterThanOrEqual(3);
    expect(await planOf()).toBe('team');
    await expectRollupsAsRebuilt();
  });

  it('a revoked secret key flags the connection for reauthorisation and writes nothing', async () => {
    amplitude.track({ userId: world.rows('analytics.end_users')[5].external_id, eventType: 'session_start', occurredAt: new Date(amplitude.now() - HOUR) });
    amplitude.advance(3 * HOUR);
    const count = await eventCount();
    amplitude.rotateSecret();
    const [run] = await harness.sync(connection, 'incremental', ['events']);
    expect(run.status).toBe('failed');
    const state = await harness.db.selectFrom('integrations.connections').select(['status', 'last_error']).where('id', '=', connection.id).executeTakeFirstOrThrow();
    expect(state.status).toBe('needs_reauth');
    expect(state.last_error).toMatch(/401/);
    expect(await eventCount()).toBe(count);
  });

  it('disconnecting removes the kept export files with the events', async () => {
    expect((await archivedEvents()).files.length).toBeGreaterThan(0);
    expect(await disconnect(harness.db, harness.ring, tenant, connection.id)).toMatchObject({ vendor: 'amplitude' });
    expect((await archivedEvents()).files).toEqual([]);
    expect(await eventCount()).toBe(0);
  });
});
