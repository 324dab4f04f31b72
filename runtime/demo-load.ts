import type { Db } from '../core/db.js';
import { stableId } from '../core/stable-id.js';
import { copyRows, type Cell } from '../seed/copy.js';
import { createConnection, type ConnectionRow } from '../sync/connection-store.js';
import { syncInForeground } from '../sync/foreground.js';
import type { RunSummary, SyncDeps } from '../sync/run-stream.js';
import type { SimulatedVendor } from '../simulators/index.js';
import type { World } from '../simulators/shared/world.js';

const LOCAL_REQUESTS_PER_SECOND = 500;

export interface DemoLoad {
  connections: ConnectionRow[];
  summaries: RunSummary[];
  /** Rows copied for the tables no connector feeds (the cost ledger, budgets, ...). */
  ledgerRows: number;
}

/**
 * Loads a tenant's demo data the way a customer's would arrive: a connection per simulated
 * vendor, each synced through its connector. Tables no vendor feeds (the cost ledger, budgets)
 * are imported from the same world, their references translated to the synced rows' ids.
 */
export async function loadDemoThroughConnectors(options: {
  db: Db; url: string; tenant: string; deps: SyncDeps; world: World; simulators: SimulatedVendor[]; interactive: boolean;
}): Promise<DemoLoad> {
  const { db, deps, tenant, world } = options;
  const connections: ConnectionRow[] = [];
  for (const sim of options.simulators) {
    const connector = deps.connectors.get(sim.vendor);
    if (!connector) continue;
    // A simulator on this machine takes more than the real vendor's rate; its wire format is the same.
    connections.push(await createConnection(db, deps.ring, { tenantId: tenant, connector, baseUrl: sim.url, credentials: sim.credentials, config: { ...sim.config, requestsPerSecond: LOCAL_REQUESTS_PER_SECOND } }));
  }
  const summaries = await syncInForeground(deps, connections, { mode: 'incremental', interactive: options.interactive });
  const fed = new Set([...deps.connectors.values()].flatMap((c) => c.streams.map((s) => s.mapping.table)));
  const ledgerRows = await importUnfedTables(options.url, tenant, world, fed);
  return { connections, summaries, ledgerRows };
}

/** The tables of the world no connector writes, with generator ids replaced by the ids their synced rows got. */
async function importUnfedTables(url: string, tenant: string, world: World, fed: Set<string>): Promise<number> {
  const syncedId = new Map<string, string>();
  for (const rows of world.tables.values()) {
    for (const row of rows) if (row.id && row.vendor && row.external_id) syncedId.set(row.id, stableId(tenant, row.vendor, row.external_id));
  }
  const unfed = ['finance.cost_entries', 'finance.budgets', 'analytics.experiments', 'product.feature_requests']
    .filter((t) => !fed.has(t) && world.rows(t).length);
  let total = 0;
  for (const table of unfed) {
    const rows = world.rows(table);
    const columns = Object.keys(rows[0]);
    total += await copyRows(url, table, columns, rows.map((row) => columns.map((c): Cell => {
      const value = row[c] as Cell;
      return c === 'tenant_id' ? tenant : typeof value === 'string' && c !== 'id' ? syncedId.get(value) ?? value : value;
    })));
  }
  return total;
}
