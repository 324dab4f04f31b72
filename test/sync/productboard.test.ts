import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductboardSimulator, type ProductboardSimulator } from '../../simulators/productboard/index.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

const PAGE_SIZE = 10;

describe('the Productboard connector against the Productboard simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let productboard: ProductboardSimulator;
  let connection: ConnectionRow;

  const features = () => harness.rows('product.features');
  const view = (rows: Record<string, unknown>[]) => rows.map((r) => [r.external_id, r.key, r.name, r.description, r.status, r.priority, r.team, r.url]);
  /** Syncs every stream (releases, then features) and gives the features run, the releases run having succeeded. */
  const syncFeatures = async (mode?: 'incremental' | 'full' | 'reconcile') => {
    const runs = await harness.sync(connection, mode);
    expect(runs.map((r) => r.stream)).toEqual(['releases', 'features']);
    if (runs[1].status === 'succeeded') expect(runs[0]).toMatchObject({ status: 'succeeded', recordErrors: 0 });
    return [runs[1]];
  };
  const state = () => harness.db.selectFrom('integrations.connections').select(['status', 'last_error']).where('id', '=', connection.id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    harness = await syncHarness('sync-productboard');
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', skip: ['analytics.usage_events'] });
    productboard = await startProductboardSimulator(world);
    connection = await harness.connect('productboard', { baseUrl: productboard.url, credentials: productboard.credentials, config: { pageSize: PAGE_SIZE } });
  });
  afterAll(async () => {
    await productboard?.close();
    await harness?.close();
  });

  it('a first sync stores every feature as the generator made them, its key from the "Key" custom field', async () => {
    const [run] = await syncFeatures();
    expect(run).toMatchObject({ stream: 'features', status: 'succeeded', recordErrors: 0 });
    const expected = world.rows('product.features').filter((r) => r.vendor === 'productboard');
    expect(view(await features()).sort()).toEqual(view(expected).sort());
    const first = (await features())[0];
    const source = expected.find((r) => r.external_id === first.external_id)!;
    expect(first).toMatchObject({ created_at: source.created_at, vendor_updated_at: source.vendor_updated_at });
    expect(productboard.stats.missingVersion).toBe(0);
  });

  it('stores Productboard releases, and each feature with the release it ships in, released on a completed release\'s end date', async () => {
    const releases = await harness.rows('product.releases');
    const expected = [...productboard.releases.values()];
    expect(expected.length).toBeGreaterThan(1);
    expect(releases.map((r) => [r.vendor, r.external_id, r.name, r.version, r.description, r.released, r.release_date]).sort()).toEqual(
      expected.map((r) => ['productboard', r.id, r.name, r.name.replace(/^v/, ''), r.description, r.state === 'completed', r.endDate]).sort());
    const releaseRow = new Map(releases.map((r) => [r.external_id as string, r]));
    const rows = await features();
    const assigned = rows.filter((f) => productboard.features.get(f.external_id as string)!.releaseIds.length);
    expect(assigned.length).toBeGreaterThan(0);
    for (const feature of rows) {
      const [releaseId] = productboard.features.get(feature.external_id as string)!.releaseIds;
      const release = releaseId ? releaseRow.get(releaseId)! : null;
      expect(feature.release_id).toBe(release?.id ?? null);
      expect(feature.released_at).toEqual(release ? new Date(`${release.release_date}T00:00:00Z`) : null);
    }
    // So Productboard features enter the adoption window as Jira epics do.
    const windowStart = world.now.getTime() - 90 * 86_400_000;
    expect(rows.some((f) => f.status === 'released' && (f.released_at as Date).getTime() >= windowStart)).toBe(true);

    // A release under way: its features have their release but no release date until it completes.
    const planned = [...productboard.features.values()].find((f) => f.status === 'Planned' && !f.releaseIds.length)!;
    const release = expected[0];
    const today = world.now.toISOString().slice(0, 10);
    productboard.updateRelease(release.id, { state: 'in-progress', endDate: today });
    productboard.assign(planned.id, release.id, true);
    productboard.update(planned.id, { status: 'Released' });
    await syncFeatures();
    const inRelease = () => features().then((all) => all.filter((f) => f.release_id === releaseRow.get(release.id)!.id));
    expect((await inRelease()).map((f) => [f.external_id, f.released_at])).toEqual(
      expect.arrayContaining([[planned.id, null]]));
    expect((await inRelease()).every((f) => f.released_at === null)).toBe(true);
    expect((await harness.rows('product.releases')).find((r) => r.external_id === release.id)).toMatchObject({ released: false, release_date: today });

    productboard.updateRelease(release.id, { state: 'completed' });
    const [run] = await syncFeatures();
    expect(run.changed).toBe((await inRelease()).length);
    expect((await inRelease()).every((f) => (f.released_at as Date).getTime() === Date.parse(`${today}T00:00:00Z`))).toBe(true);
    expect((await harness.rows('product.releases')).find((r) => r.external_id === release.id)).toMatchObject({ released: true, release_date: today });

    // Taken out of its release, a feature loses it (and its release date).
    productboard.assign(planned.id, release.id, false);
    await syncFeatures();
    expect((await features()).find((f) => f.external_id === planned.id)).toMatchObject({ release_id: null, released_at: null, status: 'released' });
  });

  it('an incremental sync lists everything but rewrites only the feature that changed', async () => {
    const [renamed] = [...productboard.features.values()].filter((f) => f.status === 'Planned');
    productboard.update(renamed.id, { name: 'Renamed in Productboard', status: 'In progress', customFields: { ...renamed.customFields, Priority: 'Lowest' } });
    const [run] = await syncFeatures();
    expect(run).toMatchObject({ status: 'succeeded', read: productboard.features.size, changed: 1 });
    expect((await features()).find((r) => r.external_id === renamed.id)).toMatchObject({ name: 'Renamed in Productboard', status: 'in_progress', priority: 'low' });
  });

  it('a feature without a key waits in record errors; a reconciliation removes a deleted feature', async () => {
    const [gone, keyless] = [...productboard.features.values()];
    productboard.remove(gone.id);
    productboard.update(keyless.id, { customFields: { Team: 'growth' } });
    const [run] = await syncFeatures('reconcile');
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1, recordErrors: 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: keyless.id, reason: 'customFields.Key: missing: the feature has no "Key" custom field value' }]);
    const rows = await features();
    expect(rows.some((r) => r.external_id === gone.id)).toBe(false);
    // Still listed, so kept (with its last good state) rather than reconciled away.
    expect(rows.some((r) => r.external_id === keyless.id)).toBe(true);
    productboard.update(keyless.id, { customFields: { ...keyless.customFields, Key: 'PG-9001' } });
  });

  it('rides out a 429 storm, honouring Retry-After, without duplicates', async () => {
    const limitedBefore = productboard.faults.stats.rateLimited;
    productboard.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await syncFeatures('full');
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect(productboard.faults.stats.rateLimited - limitedBefore).toBe(2);
    const rows = await features();
    expect(rows).toHaveLength(productboard.features.size);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(rows.length);
  });

  it('stays within 50 requests a second; when Productboard throttles sooner, its 429s are waited out', async () => {
    expect(productboard.stats.throttled).toBe(0);
    productboard.limits.requestsPerSecond = 4;
    try {
      const [run] = await syncFeatures('full');
      expect(run).toMatchObject({ status: 'succeeded', recordErrors: 0 });
      expect(productboard.stats.throttled).toBeGreaterThan(0);
      expect(await features()).toHaveLength(productboard.features.size);
    } finally {
      productboard.limits.requestsPerSecond = 50;
    }
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes where it stopped', async () => {
    productboard.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 6_000 } });
    const runs = await harness.sync(connection, 'full');
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(runs[0].retries + runs[1].retries).toBeGreaterThanOrEqual(2);
    const undisturbed = view(await features());

    await harness.db.deleteFrom('product.features').where('tenant_id', '=', harness.tenant).execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).execute();
    // The releases stream (1 request), custom fields (1 + 3), releases and assignments (1 + 1) and
    // two pages of features land, then Productboard fails for good.
    productboard.faults.set({ latencyMs: 30 });
    const requestsBefore = productboard.faults.stats.requests;
    const failing = syncFeatures();
    while (productboard.faults.stats.requests < requestsBefore + 9) await new Promise((r) => setTimeout(r, 5));
    productboard.faults.set({ serverError: { requests: 1_000 } });
    const [failed] = await failing;
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/gave up after 5 attempts: 503 .*system\.timeout/) });
    const run = await harness.db.selectFrom('integrations.sync_runs').select(['status', 'error']).where('id', '=', failed.runId!).executeTakeFirstOrThrow();
    expect(run.status).toBe('failed');
    expect(await state()).toMatchObject({ status: 'error', last_error: expect.stringMatching(/503/) });
    const stored = (await features()).length;
    expect(stored % PAGE_SIZE).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(2 * PAGE_SIZE);
    expect(stored).toBeLessThan(productboard.features.size);

    productboard.faults.set({});
    const [resumed] = await syncFeatures();
    expect(resumed).toMatchObject({ status: 'succeeded', read: productboard.features.size - stored });
    expect(view(await features()).sort()).toEqual(undisturbed.sort());
    expect((await state()).status).toBe('active');
  });

  it('keeps a malformed feature in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const bad = [...productboard.features.values()][4];
    productboard.faults.set({ malformed: [bad.id], unknownFields: true });
    const [run] = await syncFeatures('full');
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: productboard.features.size - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: bad.id, reason: 'updatedAt: expected a date-time, got "last week"' }]);
    const other = (await features()).find((r) => r.external_id !== bad.id)!;
    expect((other.raw as Record<string, unknown>).beta).toEqual({ objectives: [], healthUpdates: { status: 'on-track' } });
    productboard.faults.set({});
  });

  it('a revoked token puts the connection in needs_reauth and writes nothing', async () => {
    const before = await features();
    productboard.update([...productboard.features.values()][2].id, { name: 'Changed after revocation' });
    productboard.revokeToken();
    const [run] = await harness.sync(connection);
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/401/) });
    expect((await state()).status).toBe('needs_reauth');
    expect(await features()).toEqual(before);
  });
});
