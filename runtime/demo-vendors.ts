import type { Db } from '../core/db.js';
import { startSimulators, type SimulatedVendor } from '../simulators/index.js';
import { buildWorld } from '../simulators/shared/world.js';
import { totals } from '../sync/foreground.js';
import type { SyncDeps } from '../sync/run-stream.js';
import { loadDemoThroughConnectors } from './demo-load.js';

export interface DemoVendors {
  simulators: SimulatedVendor[];
  close(): Promise<void>;
}

/**
 * The bundled vendor simulators serving the demo tenant's world, on fixed ports so the stored
 * connections keep pointing at them across restarts. The world is anchored on the day the demo
 * connections were made, so a restart serves the same data. With `load`, connects and syncs them.
 */
export async function startDemoVendors(options: { db: Db; url: string; deps: SyncDeps; tenant: string; portBase: number; load: boolean }): Promise<DemoVendors> {
  const first = await options.db.selectFrom('integrations.connections').select('created_at')
    .where('tenant_id', '=', options.tenant).orderBy('created_at').executeTakeFirst();
  const world = await buildWorld({ tenant: options.tenant, scale: 'small', anchor: first?.created_at ?? new Date() });
  const simulators = await startSimulators(world, options.portBase);
  if (options.load) {
    console.log(`Empty database: syncing the demo tenant "${options.tenant}" from ${simulators.length} vendor simulators through the connectors…`);
    const load = await loadDemoThroughConnectors({ ...options, world, simulators, interactive: process.stdout.isTTY === true });
    console.log(`Synced ${totals(load.summaries)}; imported ${load.ledgerRows.toLocaleString('en-US')} ledger rows.`);
  }
  return { simulators, close: async () => { await Promise.all(simulators.map((s) => s.close())); } };
}
