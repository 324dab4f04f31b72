import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startSimulators, type SimulatedVendor } from '../../simulators/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import { startSyncWorker, type SyncWorker } from '../../sync/queue.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

const VENDOR = 'stripe';

describe('sync jobs in the Postgres queue', () => {
  let harness: SyncHarness;
  let simulator: SimulatedVendor;
  const workers: SyncWorker[] = [];

  beforeAll(async () => {
    harness = await syncHarness('sync-queue');
    const world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    [simulator] = await startSimulators(world, 0, [VENDOR]);
    for (let i = 0; i < 2; i++) {
      workers.push(await startSyncWorker({
        url: inject('databaseUrl'), deps: harness.deps, concurrency: 3, pollIntervalMs: 100, scheduleEveryMs: 60_000,
        schedule: { intervalMinutes: 15, reconcileHours: 24 },
      }));
    }
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await simulator?.close();
    await harness?.close();
  });

  it('schedules a due connection once, runs each stream in order on several workers, never one stream twice at once', async () => {
    const connection = await harness.connect(VENDOR, { baseUrl: simulator.url, credentials: simulator.credentials, config: simulator.config });
    const streams = harness.deps.connectors.get(VENDOR)!.streams.map((s) => s.name);
    const reconcilable = harness.deps.connectors.get(VENDOR)!.streams.filter((s) => s.reconcilable !== false).length;
    const expectedRuns = streams.length + reconcilable;
    // Both workers' schedulers look at once: the connection is claimed by one of them only.
    await Promise.all(workers.map((w) => w.tick()));

    const deadline = Date.now() + 60_000;
    let runs: { stream: string; kind: string; status: string; started_at: Date; finished_at: Date | null }[] = [];
    while (Date.now() < deadline) {
      ({ rows: runs } = await sql<typeof runs[number]>`select stream, kind, status, started_at, finished_at from integrations.sync_runs
        where tenant_id = ${harness.tenant} order by started_at`.execute(harness.db));
      const { rows: [queued] } = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where key like ${`sync:${connection.id}:%`}`.execute(harness.db);
      if (runs.length >= expectedRuns && runs.every((r) => r.status !== 'running') && queued.n === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // An incremental run per stream and a first reconciliation per reconcilable one, once each.
    expect(runs.filter((r) => r.status === 'succeeded').length).toBe(expectedRuns);
    expect(runs.filter((r) => r.status === 'failed')).toEqual([]);
    // One connection's runs never overlap: its queue runs them one after the other.
    for (let i = 1; i < runs.length; i++) expect(runs[i].started_at.getTime()).toBeGreaterThanOrEqual(runs[i - 1].finished_at!.getTime());
    // Parents first: the first incremental runs follow the connector's stream order.
    expect(runs.filter((r) => r.kind === 'incremental').slice(0, streams.length).map((r) => r.stream)).toEqual(streams);
    const next = await harness.db.selectFrom('integrations.connections').select(['next_run_at', 'status', 'last_success_at']).where('id', '=', connection.id).executeTakeFirstOrThrow();
    expect(next.status).toBe('active');
    expect(next.next_run_at!.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(next.last_success_at).not.toBeNull();
  }, 90_000);
});
