import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { VENDOR_TABLES } from '../../seed/tables.js';
import { startSimulators, type SimulatedVendor } from '../../simulators/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

/** The vendors whose syncs are killed: several streams, parents and children, many pages. */
const VENDORS = ['hubspot', 'stripe'];
const KILLS = 10;

/**
 * Every row this tenant has in the synced tables, without the columns that say when a row was
 * seen (`synced_at`, `matched_at`; and for vendors without a modification time, like Stripe,
 * the observation time that stands in as its version): they differ between two syncs by design.
 */
async function snapshot(harness: SyncHarness): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...VENDOR_TABLES.filter((t) => t !== 'analytics.usage_events'), 'sales.company_identities']) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${harness.tenant}`.execute(harness.db);
    out[table] = rows.map(({ synced_at, matched_at, vendor_updated_at, updated_at, ...row }) => JSON.stringify(row)).sort();
  }
  // Events for subscribers: each change once, however often the sync was interrupted.
  const { rows: events } = await sql<{ e: string }>`select event_type || ' ' || entity_type || ' ' || entity_id as e
    from integrations.outbox where tenant_id = ${harness.tenant}`.execute(harness.db);
  out.outbox = events.map((r) => r.e).sort();
  return out;
}

/** Runs the connection's sync in a child process and kills it (SIGKILL) `afterMs` after it started syncing. */
async function killMidSync(harness: SyncHarness, connection: ConnectionRow, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sync-child.ts', inject('databaseUrl'), harness.tenant, connection.id, connection.vendor], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  const exited = once(child, 'exit');
  while (!output.includes('ready') && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill('SIGKILL');
  await exited;
}

describe.each(VENDORS)('a %s sync killed at random points', (vendor) => {
  let harness: SyncHarness;
  let simulator: SimulatedVendor;

  beforeAll(async () => {
    harness = await syncHarness(`sync-crash-${vendor}`);
    const world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    [simulator] = await startSimulators(world, 0, [vendor]);
  });
  afterAll(async () => {
    await simulator?.close();
    await harness?.close();
  });

  it(`ends, after ${KILLS} kills and one last run, with the tables of an undisturbed sync, row for row`, async () => {
    // Small pages from a distant vendor: many transactions, and a sync long enough to be hit.
    simulator.faults.set({ latencyMs: 15 });
    const connect = () => harness.connect(vendor, { baseUrl: simulator.url, credentials: simulator.credentials, config: { ...simulator.config, pageSize: 10 } });
    const started = performance.now();
    const undisturbed = await harness.sync(await connect());
    expect(undisturbed.every((s) => s.status === 'succeeded')).toBe(true);
    const duration = performance.now() - started;
    const expected = await snapshot(harness);
    expect(Object.values(expected).flat().length).toBeGreaterThan(100);

    await harness.reset();
    const connection = await connect();
    // Random instants over the length of a sync; each run resumes where the killed one stopped.
    const random = (seed: number) => ((Math.sin(seed * 9301 + 49297) + 1) / 2);
    for (let k = 0; k < KILLS; k++) await killMidSync(harness, connection, Math.round((0.05 + 0.9 * random(k + 1)) * duration / 3));
    // A killed process's lock can outlive it by a moment: a stream skipped for it is run again.
    let last = await harness.sync(connection);
    for (let i = 0; i < 20 && last.some((s) => s.status === 'skipped'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      last = await harness.sync(connection);
    }
    expect(last.every((s) => s.status === 'succeeded')).toBe(true);
    expect(await snapshot(harness)).toEqual(expected);
    const { rows } = await sql<{ status: string; interrupted: boolean; n: number }>`
      select status, coalesce(error like 'interrupted%', false) as interrupted, count(*)::int as n
      from integrations.sync_runs where tenant_id = ${harness.tenant} group by 1, 2`.execute(harness.db);
    // No run is left marked running, and the kills did land in the middle of runs.
    expect(rows.find((r) => r.status === 'running')).toBeUndefined();
    expect(rows.find((r) => r.interrupted)?.n ?? 0).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
