import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../core/bootstrap.js';
import { logger } from '../core/logger.js';
import { copyRows, type Cell } from '../seed/copy.js';
import { resetTenants } from '../seed/index.js';
import type { Scale } from '../seed/scales.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createConnection } from '../sync/connection-store.js';
import { syncDeps } from '../sync/deps.js';
import { runStream } from '../sync/run-stream.js';

/**
 * `npm run bench:sync -- --scale large`: records per second synced from a vendor simulator into
 * Postgres (pages of the vendor's maximum size) against COPY of the very same rows into the same
 * tables, in one run. The ratio is the figure.
 */
const { values } = parseArgs({ options: { scale: { type: 'string', default: 'large' }, vendor: { type: 'string', default: 'stripe' } } });
const scale = values.scale as Scale;
const VENDOR_STREAMS: Record<string, string[]> = { stripe: ['subscriptions', 'invoices'] };
const streams = VENDOR_STREAMS[values.vendor!];
if (!streams) throw new Error(`--vendor must be one of ${Object.keys(VENDOR_STREAMS).join(', ')}`);

const database = await openDatabase({ database: 'product_graph_bench' });
const { db } = database;
const tenant = 'bench_sync';
const copyTenant = 'bench_copy';
await resetTenants(db, [tenant, copyTenant]);
const deps = syncDeps(db, logger().child({ bench: 'sync' }));

// The vendor runs in a process of its own, as a real one would be elsewhere.
const child = spawn(process.execPath, ['--import', 'tsx', 'cli/simulators.ts', '--vendors', values.vendor!, '--scale', scale, '--tenant', tenant, '--skip-events'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: child.stdout! }), 'line') as [string];
const simulator = JSON.parse(line) as { url: string; credentials: Record<string, string>; config: Record<string, unknown> };
const connector = deps.connectors.get(values.vendor!)!;
const connection = await createConnection(db, deps.ring, { tenantId: tenant, connector, baseUrl: simulator.url, credentials: simulator.credentials, config: { ...simulator.config, requestsPerSecond: 10_000 } });

let synced = 0;
const t0 = performance.now();
for (const stream of streams) {
  const run = await runStream(deps, { tenantId: tenant, connectionId: connection.id, stream, mode: 'full' });
  if (run.status !== 'succeeded') throw new Error(`${stream}: ${run.error}`);
  synced += run.written;
}
const syncSeconds = (performance.now() - t0) / 1000;

const tables = streams.map((s) => connector.streams.find((x) => x.name === s)!.mapping.table);
let copied = 0;
let copySeconds = 0;
for (const table of tables) {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${tenant}`.execute(db);
  const columns = Object.keys(rows[0]);
  const cells = rows.map((r) => columns.map((c) => (c === 'tenant_id' ? copyTenant : r[c]) as Cell));
  const t1 = performance.now();
  copied += await copyRows(database.url, table, columns, cells);
  copySeconds += (performance.now() - t1) / 1000;
}

const syncRate = synced / syncSeconds;
const copyRate = copied / copySeconds;
console.log(`
Sync benchmark — ${values.vendor} (${streams.join(', ')}), scale ${scale}
  synced through the connector   ${synced.toLocaleString('en-US').padStart(10)} records in ${syncSeconds.toFixed(2)} s  ${Math.round(syncRate).toLocaleString('en-US').padStart(8)} records/s
  COPY of the same rows          ${copied.toLocaleString('en-US').padStart(10)} rows    in ${copySeconds.toFixed(2)} s  ${Math.round(copyRate).toLocaleString('en-US').padStart(8)} rows/s
  ratio sync / COPY              ${(syncRate / copyRate).toFixed(2)}x   (target: at least 0.33x)
`);
await resetTenants(db, [tenant, copyTenant]);
child.kill('SIGTERM');
await database.close();
