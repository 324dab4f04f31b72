import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPANY, SNAPSHOTS, SURVEY_RESPONSES, startGainsightSimulator, type GainsightSimulator } from '../../simulators/gainsight/index.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { seedCrmCompanies, expectVisibleFailure, syncHarness, type SyncHarness } from '../support/sync.js';

describe('the Gainsight connector against the Gainsight simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let gainsight: GainsightSimulator;
  let connection: ConnectionRow;

  const config = { pageSize: 10, requestsPerSecond: 100 };
  const scores = () => harness.rows('customer_success.health_scores');
  const snapshots = () => [...gainsight.objects.get(SNAPSHOTS)!.values()];
  const columns = (r: Record<string, unknown>) => [r.external_id, r.company_id, r.score, r.previous_score, (r.measured_at as Date).toISOString(), r.url];
  const feedbackRows = () => harness.rows('customer_success.feedback');
  const answer = (r: Record<string, unknown>) => [r.external_id, r.feature_id, r.company_id, r.end_user_id, r.kind, r.score, r.body, (r.received_at as Date).toISOString(), r.url];
  const connectionState = () => harness.db.selectFrom('integrations.connections').select(['status', 'last_error']).where('id', '=', connection.id).executeTakeFirstOrThrow();
  const errorsOf = (runId: string) => harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', runId).execute();

  beforeAll(async () => {
    harness = await syncHarness('sync-gainsight');
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    gainsight = await startGainsightSimulator(world);
    // Gainsight companies resolve to the companies the CRM made: the world's companies stand in for a CRM sync.
    await seedCrmCompanies(harness, world);
    // Survey answers name features by key and users by their analytics id: the world's stand in for those syncs.
    await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
      select ${harness.tenant}, x.id::uuid, x.key, x.name, x.status, x.vendor, x.external_id
      from jsonb_to_recordset(${JSON.stringify(world.rows('product.features'))}::jsonb) as x(id text, key text, name text, status text, vendor text, external_id text)`.execute(harness.db);
    await sql`insert into analytics.end_users (tenant_id, id, company_id, vendor, external_id)
      select ${harness.tenant}, x.id::uuid, x.company_id::uuid, x.vendor, x.external_id
      from jsonb_to_recordset(${JSON.stringify(world.rows('analytics.end_users'))}::jsonb) as x(id text, company_id text, vendor text, external_id text)`.execute(harness.db);
    connection = await harness.connect('gainsight', { baseUrl: gainsight.url, credentials: gainsight.credentials, config: { ...gainsight.config, ...config } });
  });
  afterAll(async () => {
    await gainsight?.close();
    await harness?.close();
  });

  it('a full sync stores every health snapshot and survey answer as the generator made them, each Gainsight company joined to its CRM company', async () => {
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['companies', 'succeeded', 0], ['health_scores', 'succeeded', 0], ['feedback', 'succeeded', 0]]);
    const answers = world.rows('customer_success.feedback');
    expect(answers.filter((a) => a.end_user_id && a.feature_id && a.company_id).length).toBeGreaterThan(100);
    expect((await feedbackRows()).map(answer).sort()).toEqual(answers.map(answer).sort());
    const expected = world.rows('customer_success.health_scores');
    // Snapshots share ModifiedDate seconds across page boundaries: each is read exactly once.
    expect(runs[1].read).toBe(expected.length);
    expect((await scores()).map(columns).sort()).toEqual(expected.map(columns).sort());
    const identities = (await harness.rows('sales.company_identities', ['vendor', 'external_id'])).filter((i) => i.vendor === 'gainsight');
    expect(identities.map((i) => [i.external_id, i.company_id, i.matched_by]).sort())
      .toEqual(world.rows('sales.company_identities').filter((i) => i.vendor === 'gainsight').map((i) => [i.external_id, i.company_id, i.matched_by]).sort());
  });

  it('an incremental sync picks up only what changed: a closed scoring period, an edited snapshot, a deletion from the delete log', async () => {
    const [company] = gainsight.objects.get(COMPANY)!.values();
    const before = company.CurrentScore;
    const [edited, gone] = snapshots().filter((s) => s.CompanyId !== company.Gsid);
    const added = gainsight.closePeriod(company.Gsid, 77.5);
    gainsight.update(SNAPSHOTS, edited.Gsid, { CurrentScore: 12.5 });
    gainsight.remove(SNAPSHOTS, gone.Gsid);

    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.changed, r.deleted, r.recordErrors])).toEqual([['companies', 'succeeded', 0, 0, 0], ['health_scores', 'succeeded', 2, 1, 0], ['feedback', 'succeeded', 0, 0, 0]]);
    // The changes, and the records of the last second the previous run saw: not the whole object again.
    expect(runs[1].read).toBeLessThan(config.pageSize);
    const rows = await scores();
    expect(rows.find((r) => r.external_id === added.Gsid)).toMatchObject({ score: '77.50', previous_score: before === null ? null : Number(before).toFixed(2) });
    expect(rows.find((r) => r.external_id === edited.Gsid)!.score).toBe('12.50');
    expect(rows.some((r) => r.external_id === gone.Gsid)).toBe(false);
    expect(rows).toHaveLength(snapshots().length);
  });

  it('loses none of many records changed within one second across page boundaries', async () => {
    // A fresh second, so that every edit is newer than any before it.
    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000)));
    const second = Math.floor(Date.now() / 1000) * 1000;
    const changed = snapshots().slice(0, 2 * config.pageSize + 5);
    changed.forEach((s, i) => gainsight.update(SNAPSHOTS, s.Gsid, { CurrentScore: 50 + i / 4 }, second + (i % 3)));
    const [run] = await harness.sync(connection, 'incremental', ['health_scores']);
    expect(run).toMatchObject({ status: 'succeeded', changed: changed.length });
    const rows = new Map((await scores()).map((r) => [r.external_id, r.score]));
    expect(changed.map((s) => rows.get(s.Gsid))).toEqual(changed.map((_, i) => (50 + i / 4).toFixed(2)));

    // A write landing later in the second the run had already drained is not lost either.
    const late = snapshots().at(-1)!;
    gainsight.update(SNAPSHOTS, late.Gsid, { CurrentScore: 33.25 }, second + 999);
    const [next] = await harness.sync(connection, 'incremental', ['health_scores']);
    expect(next).toMatchObject({ status: 'succeeded', changed: 1 });
    expect((await scores()).find((r) => r.external_id === late.Gsid)!.score).toBe('33.25');
  });

  it('a reconciliation removes a snapshot whose deletion the delete log no longer holds', async () => {
    const [gone] = snapshots();
    gainsight.remove(SNAPSHOTS, gone.Gsid, { logged: false });
    const [incremental] = await harness.sync(connection, 'incremental', ['health_scores']);
    expect(incremental).toMatchObject({ status: 'succeeded', deleted: 0 });
    const [run] = await harness.sync(connection, 'reconcile', ['health_scores']);
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1, read: snapshots().length });
    expect((await scores()).some((r) => r.external_id === gone.Gsid)).toBe(false);
    expect(await scores()).toHaveLength(snapshots().length);
  });

  it('a company without a CRM id joins by its domain; an unknown one, and its snapshots, become record errors', async () => {
    const target = world.rows('sales.companies')[3];
    const twin = gainsight.addCompany({ Name: `${target.name} (EMEA)`, Domain__gc: `https://www.${target.domain}/` });
    const stranger = gainsight.addCompany({ Name: 'Stranger Things Ltd', Domain__gc: 'stranger.example.org' });
    const orphan = gainsight.closePeriod(stranger.Gsid, 40);
    const [companies, health] = await harness.sync(connection);
    expect([companies.status, companies.recordErrors, health.status, health.recordErrors]).toEqual(['succeeded', 1, 'succeeded', 1]);
    const identity = (await harness.rows('sales.company_identities', ['vendor', 'external_id'])).find((i) => i.external_id === twin.Gsid);
    expect(identity).toMatchObject({ vendor: 'gainsight', company_id: target.id, matched_by: 'domain', domain: target.domain });
    expect(await errorsOf(companies.runId!)).toEqual([{ external_id: stranger.Gsid, reason: 'no company matches this Gainsight company (no known CRM account id, no known domain)' }]);
    const [error] = await errorsOf(health.runId!);
    expect(error.external_id).toBe(orphan.Gsid);
    expect(error.reason).toContain(`${stranger.Gsid} is not synced`);

    // A company deleted in Gainsight takes its identity with it.
    gainsight.remove(SNAPSHOTS, orphan.Gsid);
    gainsight.remove(COMPANY, stranger.Gsid);
    gainsight.remove(COMPANY, twin.Gsid);
    const [after] = await harness.sync(connection, 'incremental', ['companies']);
    expect(after).toMatchObject({ status: 'succeeded', recordErrors: 0 });
    const identities = await harness.rows('sales.company_identities', ['vendor', 'external_id']);
    expect(identities.some((i) => i.external_id === twin.Gsid)).toBe(false);
    expect(identities.filter((i) => i.vendor === 'gainsight')).toHaveLength(gainsight.objects.get(COMPANY)!.size);
  });

  it('a survey answer off its scale or of an unknown kind is a record error while the rest lands; a feature arrives by key', async () => {
    const [first, second, third] = [...gainsight.objects.get(SURVEY_RESPONSES)!.values()].filter((r) => r.SurveyType !== 'COMMENT');
    const feature = world.rows('product.features').find((f) => f.key !== first.FeatureKey)!;
    gainsight.update(SURVEY_RESPONSES, first.Gsid, { SurveyType: 'NPS', Score: 11 });
    gainsight.update(SURVEY_RESPONSES, second.Gsid, { SurveyType: 'Poll' });
    gainsight.update(SURVEY_RESPONSES, third.Gsid, { SurveyType: 'CSAT', Score: 2, FeatureKey: feature.key, Comment: 'Slow to load' });
    const [run] = await harness.sync(connection, 'incremental', ['feedback']);
    expect(run).toMatchObject({ status: 'succeeded', changed: 1, recordErrors: 2 });
    expect((await errorsOf(run.runId!)).sort((a, b) => (a.external_id! < b.external_id! ? -1 : 1))).toEqual([
      { external_id: first.Gsid, reason: expect.stringContaining('11 is off the NPS scale (0 to 10)') },
      { external_id: second.Gsid, reason: expect.stringContaining('"Poll" is not one of') },
    ].sort((a, b) => (a.external_id < b.external_id ? -1 : 1)));
    expect((await feedbackRows()).find((r) => r.external_id === third.Gsid)).toMatchObject({ kind: 'csat', score: 2, body: 'Slow to load', feature_id: feature.id });
  });

  it('rides out a 429 storm, honouring Retry-After, without duplicates', async () => {
    const count = (await scores()).length;
    const limitedBefore = gainsight.faults.stats.rateLimited;
    gainsight.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'full', ['health_scores']);
    expect(run.status).toBe('succeeded');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect(gainsight.faults.stats.rateLimited - limitedBefore).toBe(2);
    expect(run.read).toBe(count);
    expect((await scores()).length).toBe(count);
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor to the same rows', async () => {
    gainsight.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 6_000 } });
    const [ok] = await harness.sync(connection, 'incremental', ['health_scores']);
    expect(ok.status).toBe('succeeded');
    expect(ok.retries).toBeGreaterThanOrEqual(2);
    const undisturbed = (await scores()).map((r) => [...columns(r), (r.vendor_updated_at as Date).toISOString()]);

    await harness.db.deleteFrom('customer_success.health_scores').where('tenant_id', '=', harness.tenant).execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'health_scores').execute();
    // Some pages land (each answer a little slow, so the failure comes mid-listing), then the vendor fails for good.
    gainsight.faults.set({ latencyMs: 30 });
    const requestsBefore = gainsight.faults.stats.requests;
    const failing = harness.sync(connection, 'incremental', ['health_scores']);
    while (gainsight.faults.stats.requests < requestsBefore + 2) await new Promise((r) => setTimeout(r, 5));
    gainsight.faults.set({ serverError: { requests: 1_000 } });
    const [failed] = await failing;
    await expectVisibleFailure(harness, failed);
    const stored = (await scores()).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(undisturbed.length);

    gainsight.faults.set({});
    const [resumed] = await harness.sync(connection, 'incremental', ['health_scores']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.read).toBe(undisturbed.length - stored);
    expect((await scores()).map((r) => [...columns(r), (r.vendor_updated_at as Date).toISOString()])).toEqual(undisturbed);
    expect((await connectionState()).status).toBe('active');
  });

  it('keeps a malformed record in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const [bad] = snapshots();
    gainsight.faults.set({ malformed: [bad.Gsid], unknownFields: true });
    const [run] = await harness.sync(connection, 'full', ['health_scores']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: snapshots().length - 1 });
    expect(await errorsOf(run.runId!)).toEqual([{ external_id: bad.Gsid, reason: 'CurrentScore: expected a number, got "n/a"' }]);
    const other = (await scores()).find((r) => r.external_id !== bad.Gsid)!;
    expect((other.raw as Record<string, unknown>).ChurnPropensity__gc).toBe(0.12);
    gainsight.faults.set({});
  });

  it('a regenerated access key puts the connection in needs_reauth and writes nothing more', async () => {
    gainsight.rollKey();
    gainsight.closePeriod(snapshots()[0].CompanyId as string, 99);
    const before = await scores();
    const runs = await harness.sync(connection);
    expect(runs.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(await connectionState()).toMatchObject({ status: 'needs_reauth', last_error: expect.stringMatching(/401|access key/) });
    expect(await scores()).toEqual(before);
  });
});
