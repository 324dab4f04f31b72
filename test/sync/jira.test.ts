import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraSimulator, type JiraSimulator } from '../../simulators/jira/index.js';
import { readJqlDate } from '../../simulators/jira/time-zone.js';
import { jqlLowerBound } from '../../subgraphs/product/vendors/jira/jql-time.js';
import { buildWorld, type World, type WorldRow } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

/** Behind UTC by three and a half hours: a JQL literal written in UTC would skip every change of that span. */
const TIME_ZONE = 'America/St_Johns';
const PAGE_SIZE = 25;
const MINUTE = 60_000;

/** 'yyyy/MM/dd HH:mm' of an instant on a wall clock of the zone. */
function wallMinute(ms: number, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);

describe('the Jira connector against the Jira simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let jira: JiraSimulator;
  let connection: ConnectionRow;

  const features = () => harness.rows('product.features');
  const releases = () => harness.rows('product.releases');
  const state = () => harness.db.selectFrom('integrations.connections').select(['status', 'last_error']).where('id', '=', connection.id).executeTakeFirstOrThrow();
  const setConfig = (changes: Record<string, unknown>) =>
    sql`update integrations.connections set config = config || ${JSON.stringify(changes)}::jsonb where id = ${connection.id}`.execute(harness.db);

  /** A feature row as compared: its columns, its release by Jira version id. */
  async function featureView(rows: Record<string, unknown>[]) {
    const versionOf = new Map((await releases()).map((r) => [r.id, r.external_id]));
    return rows.map((r) => [r.external_id, r.key, r.name, r.description, r.status, r.priority, r.team, versionOf.get(r.release_id) ?? null, iso(r.released_at)]);
  }

  beforeAll(async () => {
    harness = await syncHarness('sync-jira');
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', skip: ['analytics.usage_events'] });
    jira = await startJiraSimulator(world, { timeZone: TIME_ZONE });
    connection = await harness.connect('jira', { baseUrl: jira.url, credentials: jira.credentials, config: { ...jira.config, pageSize: PAGE_SIZE } });
  });
  afterAll(async () => {
    await jira?.close();
    await harness?.close();
  });

  it('a first sync stores every version and epic as the generator made them', async () => {
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['versions', 'succeeded', 0], ['issues', 'succeeded', 0]]);

    const worldReleases = world.rows('product.releases').filter((r) => r.vendor === 'jira');
    expect((await releases()).map((r) => [r.external_id, r.name, r.version, r.description, r.released, r.release_date, r.url]).sort())
      .toEqual(worldReleases.map((r) => [r.external_id, r.name, r.version, r.description, r.released, r.release_date, r.url]).sort());

    const versionOf = new Map(worldReleases.map((r) => [r.id, r.external_id]));
    const expected = world.rows('product.features').filter((r) => r.vendor === 'jira')
      .map((r: WorldRow) => [r.external_id, r.key, r.name, r.description, r.status, r.priority, r.team, versionOf.get(r.release_id) ?? null, iso(r.released_at)]);
    const rows = await features();
    expect((await featureView(rows)).sort()).toEqual(expected.sort());
    const first = world.rows('product.features').find((r) => r.vendor === 'jira')!;
    expect(rows.find((r) => r.external_id === first.external_id)).toMatchObject({
      url: first.url, created_at: first.created_at, vendor_updated_at: first.vendor_updated_at,
    });
    // Only what the mapping reads was asked for, in the account's zone.
    expect(jira.stats.queries.at(-1)).toMatch(/^project = "PG" AND issuetype = "Epic" AND updated >= "\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}" ORDER BY updated ASC$/);
  });

  it('an incremental sync writes only what changed: a shipped epic, a priority removed, a version released', async () => {
    const [shipping, other] = [...jira.issues.values()].filter((i) => i.status.name === 'In Progress');
    const planned = [...jira.versions.values()].find((v) => !v.released)!;
    const now = Date.now();
    jira.updateIssue(shipping.id, { status: { name: 'Done', category: 'done' }, resolved: now, fixVersionIds: [planned.id] });
    jira.updateIssue(other.id, { priority: null });
    jira.updateVersion(planned.id, { released: true, releaseDate: new Date(now).toISOString().slice(0, 10) });

    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.changed])).toEqual([['versions', 'succeeded', 1], ['issues', 'succeeded', 2]]);
    // Unchanged epics are not read again beyond the overlap window before the cursor.
    expect(runs[1].read).toBeLessThan(jira.issues.size / 4);
    const release = (await releases()).find((r) => r.external_id === planned.id)!;
    expect(release).toMatchObject({ released: true, release_date: new Date(now).toISOString().slice(0, 10) });
    const rows = await features();
    expect(rows.find((r) => r.external_id === shipping.id)).toMatchObject({ status: 'released', release_id: release.id, released_at: new Date(now) });
    expect(rows.find((r) => r.external_id === other.id)).toMatchObject({ priority: 'medium' });
  });

  it('links an epic that arrives after the pull requests naming it, without waiting for them to change', async () => {
    const repositoryId = randomUUID();
    await sql`insert into engineering.repositories (tenant_id, id, full_name, vendor, external_id)
      values (${harness.tenant}, ${repositoryId}, 'acme/late', 'github', 'late-repo')`.execute(harness.db);
    const pull = (n: number, title: string, branch: string) => sql`insert into engineering.pull_requests
      (tenant_id, id, repository_id, number, title, state, opened_at, vendor, external_id, raw)
      values (${harness.tenant}, ${randomUUID()}, ${repositoryId}, ${n}, ${title}, 'open', now(), 'github', ${`late-${n}`}, ${JSON.stringify({ head: { ref: branch } })}::jsonb)`.execute(harness.db);
    await pull(1, 'PG-9001: Export to CSV', 'main');
    await pull(2, 'Tidy the exporter', 'ada/pg-9001-tidy');
    await pull(3, 'PG-90011 is another epic', 'main');
    await pull(4, 'XY-1 then PG-9001', 'main');
    jira.addIssue({ id: '99001', key: 'PG-9001', summary: 'CSV export', description: null, status: { name: 'In Progress', category: 'indeterminate' },
      priority: 'High', labels: [], fixVersionIds: [], resolved: null });

    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status])).toEqual([['versions', 'succeeded'], ['issues', 'succeeded']]);
    const feature = (await features()).find((f) => f.key === 'PG-9001')!;
    const { rows } = await sql<{ number: number; feature_id: string | null; issue_keys: string[] }>`select number, feature_id, issue_keys
      from engineering.pull_requests where tenant_id = ${harness.tenant} and repository_id = ${repositoryId} order by number`.execute(harness.db);
    // The keys a pull request names, title first, then branch: the first that is a feature's key is its feature.
    expect(rows).toEqual([
      { number: 1, feature_id: feature.id, issue_keys: ['PG-9001'] },
      { number: 2, feature_id: feature.id, issue_keys: ['PG-9001'] },
      { number: 3, feature_id: null, issue_keys: ['PG-90011'] },
      { number: 4, feature_id: feature.id, issue_keys: ['XY-1', 'PG-9001'] },
    ]);
  });

  it('never skips a change made in the same minute as the cursor, with JQL minutes in the account\'s zone', async () => {
    // No overlap beyond Jira's own minute precision: the minute of the cursor must be read again.
    await setConfig({ overlapMinutes: 0 });
    const [first, second] = [...jira.issues.values()].filter((i) => i.status.name === 'Backlog');
    const t1 = Math.floor(Date.now() / MINUTE) * MINUTE + MINUTE + 5_000;
    jira.updateIssue(first.id, { summary: 'Renamed first' }, new Date(t1));
    const [one] = await harness.sync(connection, 'incremental', ['issues']);
    expect(one).toMatchObject({ status: 'succeeded', changed: 1 });

    jira.updateIssue(second.id, { summary: 'Renamed second' }, new Date(t1 + 40_000));
    const [two] = await harness.sync(connection, 'incremental', ['issues']);
    expect(two).toMatchObject({ status: 'succeeded', changed: 1, read: 2 });
    // The cursor's minute on the account's wall clock (UTC-3:30 or -2:30), not on UTC's.
    expect(jira.stats.queries.at(-1)).toContain(`updated >= "${wallMinute(t1, TIME_ZONE)}"`);
    expect(wallMinute(t1, TIME_ZONE)).not.toBe(wallMinute(t1, 'UTC'));
    expect((await features()).filter((r) => r.name === 'Renamed first' || r.name === 'Renamed second')).toHaveLength(2);

    // Without a zone in the connection's config, the account's own zone is asked of Jira.
    await setConfig({ timeZone: null });
    const [three] = await harness.sync(connection, 'incremental', ['issues']);
    expect(three).toMatchObject({ status: 'succeeded', changed: 0 });
    expect(jira.stats.queries.at(-1)).toContain(`updated >= "${wallMinute(t1 + 40_000, TIME_ZONE)}"`);
    await setConfig({ overlapMinutes: 5, timeZone: TIME_ZONE });
  });

  it('writes a JQL minute Jira cannot read as later than the cursor, even in a repeated daylight-saving hour', () => {
    // 05:30Z on 1 Nov 2026 is 01:30 EDT; "01:30" also names 06:30Z (EST), an hour after it.
    const cases: [string, string, string][] = [
      ['2026-11-01T05:30:00Z', 'America/New_York', '2026/11/01 00:30'],
      ['2026-11-01T06:30:00Z', 'America/New_York', '2026/11/01 01:30'],
      ['2026-11-23T03:04:59Z', 'America/St_Johns', '2026/11/22 23:34'],
      ['2026-11-23T03:04:59Z', 'Asia/Kathmandu', '2026/11/23 08:49'],
    ];
    for (const [at, zone, literal] of cases) {
      expect(jqlLowerBound(new Date(at), zone)).toBe(literal);
      expect(readJqlDate(literal, zone)).toBeLessThanOrEqual(Date.parse(at));
    }
  });

  it('a reconciliation removes an epic and a version Jira no longer has', async () => {
    const gone = [...jira.issues.values()][0];
    const unused = [...jira.versions.values()].find((v) => ![...jira.issues.values()].some((i) => i.fixVersionIds.includes(v.id)))!;
    jira.removeIssue(gone.id);
    jira.removeVersion(unused.id);
    const runs = await harness.sync(connection, 'reconcile');
    expect(runs.map((r) => [r.stream, r.status, r.deleted])).toEqual([['versions', 'succeeded', 1], ['issues', 'succeeded', 1]]);
    expect((await features()).some((r) => r.external_id === gone.id)).toBe(false);
    expect((await releases()).some((r) => r.external_id === unused.id)).toBe(false);
    expect(await features()).toHaveLength(jira.issues.size);
  });

  it('rides out a 429 storm, honouring Retry-After, without duplicates', async () => {
    const limitedBefore = jira.faults.stats.rateLimited;
    jira.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'full', ['issues']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect(jira.faults.stats.rateLimited - limitedBefore).toBe(2);
    expect(run.retries).toBeGreaterThanOrEqual(2);
    const rows = await features();
    expect(rows).toHaveLength(jira.issues.size);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(rows.length);
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor', async () => {
    jira.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 6_000 } });
    const [ok] = await harness.sync(connection, 'full', ['issues']);
    expect(ok.status).toBe('succeeded');
    expect(ok.retries).toBeGreaterThanOrEqual(2);
    const undisturbed = await featureView(await features());

    await harness.db.deleteFrom('product.features').where('tenant_id', '=', harness.tenant).execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'issues').execute();
    // The first page lands (each answer a little slow, so the failure comes mid-listing), then Jira fails for good.
    jira.faults.set({ latencyMs: 30 });
    const requestsBefore = jira.faults.stats.requests;
    const failing = harness.sync(connection, 'incremental', ['issues']);
    while (jira.faults.stats.requests === requestsBefore) await new Promise((r) => setTimeout(r, 5));
    jira.faults.set({ serverError: { requests: 1_000, status: 503 } });
    const [failed] = await failing;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/gave up after 5 attempts: 503/);
    const run = await harness.db.selectFrom('integrations.sync_runs').select(['status', 'error']).where('id', '=', failed.runId!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/Service Unavailable/) });
    expect(await state()).toMatchObject({ status: 'error', last_error: expect.stringMatching(/503/) });
    const stored = (await features()).length;
    expect(stored % PAGE_SIZE).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(PAGE_SIZE);
    expect(stored).toBeLessThan(jira.issues.size);

    jira.faults.set({});
    const [resumed] = await harness.sync(connection, 'incremental', ['issues']);
    expect(resumed.status).toBe('succeeded');
    // From the cursor (re-reading only its overlap), not from the start.
    expect(resumed.read).toBeGreaterThanOrEqual(jira.issues.size - stored);
    expect(resumed.read).toBeLessThan(jira.issues.size);
    expect((await featureView(await features())).sort()).toEqual(undisturbed.sort());
    expect((await state()).status).toBe('active');
  });

  it('refreshes an expired access token, saving each rotated refresh token before using it', async () => {
    const refreshes = jira.authority.refreshes;
    const refused = jira.stats.unauthorized;
    for (let round = 1; round <= 2; round++) {
      jira.authority.expireAll();
      const [run] = await harness.sync(connection, 'incremental', ['issues']);
      expect(run.status).toBe('succeeded');
      // The second refresh works only with the refresh token the first one rotated in.
      expect(jira.authority.refreshes - refreshes).toBe(round);
    }
    expect(jira.stats.unauthorized - refused).toBe(2);
  });

  it('keeps a malformed epic in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const bad = [...jira.issues.values()][3];
    jira.faults.set({ malformed: [bad.id], unknownFields: true });
    const [run] = await harness.sync(connection, 'full', ['issues']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: jira.issues.size - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: bad.id, reason: 'fields.summary: expected text, got an object' }]);
    const other = (await features()).find((r) => r.external_id !== bad.id)!;
    expect((other.raw as { fields: Record<string, unknown> }).fields.customfield_10099).toEqual(expect.objectContaining({ value: 'Tier 1' }));
    jira.faults.set({});
  });

  it('a revoked grant puts the connection in needs_reauth and writes nothing', async () => {
    const before = await features();
    jira.updateIssue([...jira.issues.values()][5].id, { summary: 'Changed after revocation' });
    jira.authority.revokeAll();
    const runs = await harness.sync(connection, 'incremental');
    expect(runs[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/invalid_grant/) });
    expect(runs[1]).toMatchObject({ status: 'skipped', error: 'connection is needs_reauth' });
    expect((await state()).status).toBe('needs_reauth');
    expect(await features()).toEqual(before);
  });
});
