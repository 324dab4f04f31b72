import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../core/bootstrap.js';
import { logger } from '../core/logger.js';
import { resetTenants } from '../seed/index.js';
import type { Scale } from '../seed/scales.js';
import { createConnection, type ConnectionRow } from '../sync/connection-store.js';
import { syncDeps } from '../sync/deps.js';
import { runStream } from '../sync/run-stream.js';
import { settle } from './settle.js';
import { percentile } from './stats.js';

/**
 * `npm run bench:sync -- --scale large [--vendor stripe|amplitude] [--repeats N] [--database product_graph_bench]`: records
 * per second synced from a vendor simulator (a process of its own, pages of the vendor's maximum size) into
 * Postgres, against COPY of the very same rows into the same tables, in one run. For Amplitude
 * at large scale this is seed 001's high-volume case: 10M usage events (rollups kept as they land).
 * Each side is timed `--repeats` times (default 3 for Stripe, 1 for Amplitude), each from the same state (see
 * `settle`), and compared by their medians: one COPY of 20,000 rows lasts
 * under a second, and alone it varies by half from run to run.
 */
const { values } = parseArgs({ options: {
  scale: { type: 'string', default: 'large' }, vendor: { type: 'string', default: 'stripe' }, database: { type: 'string', default: 'product_graph_bench' },
  repeats: { type: 'string' },
} });
const scale = values.scale as Scale;
/** What is measured per vendor, what must be synced before it (untimed), and how often it is timed by default. */
const PLANS: Record<string, { before: [string, string[] | null][]; measured: [string, string[]]; alsoWritten: string[]; repeats: number }> = {
  stripe: { before: [], measured: ['stripe', ['subscriptions', 'invoices']], alsoWritten: [], repeats: 3 },
  // The events stream also writes its end users and the daily rollups as events land.
  amplitude: { before: [['jira', null]], measured: ['amplitude', ['events']], alsoWritten: ['analytics.end_users', 'analytics.user_activity_daily', 'analytics.feature_usage_daily'], repeats: 1 },
};
const plan = PLANS[values.vendor!];
if (!plan) throw new Error(`--vendor must be one of ${Object.keys(PLANS).join(', ')}`);
const repeats = Number(values.repeats ?? plan.repeats);
if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats must be a whole number of at least 1');

const database = await openDatabase({ database: values.database });
const { db } = database;
const tenant = `bench_sync_${values.vendor}`;
const copyTenant = `bench_copy_${values.vendor}`;
await resetTenants(db, [tenant, copyTenant]);
const deps = syncDeps(db, logger().child({ bench: 'sync' }));
const median = (samples: number[]) => percentile(samples, 50);

// The vendors run in a process of their own, as real ones would be elsewhere.
const vendors = [...plan.before.map(([v]) => v), plan.measured[0]];
console.log(`Starting the ${vendors.join(', ')} simulator(s) at ${scale} scale…`);
const child = spawn(process.execPath, ['--import', 'tsx', 'cli/simulators.ts', '--vendors', vendors.join(','), '--scale', scale, '--tenant', tenant,
  ...(values.vendor === 'amplitude' ? [] : ['--skip-events'])], { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
type Simulator = { vendor: string; url: string; credentials: Record<string, string>; config: Record<string, unknown> };
const simulators: Simulator[] = [];
for (const _ of vendors) simulators.push(JSON.parse((await lines.next()).value as string) as Simulator);

/** A fresh start for the sync tenant: no rows, new connections to the simulators. */
async function connectAfresh(): Promise<Map<string, ConnectionRow>> {
  await resetTenants(db, [tenant]);
  const connections = new Map<string, ConnectionRow>();
  for (const sim of simulators) {
    connections.set(sim.vendor, await createConnection(db, deps.ring, {
      tenantId: tenant, connector: deps.connectors.get(sim.vendor)!, baseUrl: sim.url, credentials: sim.credentials, config: { ...sim.config, requestsPerSecond: 10_000 },
    }));
  }
  return connections;
}

async function sync(connections: Map<string, ConnectionRow>, vendor: string, streams: string[] | null): Promise<number> {
  let written = 0;
  for (const stream of deps.connectors.get(vendor)!.streams) {
    if (streams && !streams.includes(stream.name)) continue;
    const run = await runStream(deps, { tenantId: tenant, connectionId: connections.get(vendor)!.id, stream: stream.name, mode: 'incremental' });
    if (run.status !== 'succeeded') throw new Error(`${vendor} ${stream.name}: ${run.error}`);
    written += run.written;
  }
  return written;
}

const [vendor, streams] = plan.measured;
const streamTables = [...new Set(streams.map((s) => deps.connectors.get(vendor)!.streams.find((x) => x.name === s)!.mapping.table))];
const tables = [...streamTables, ...plan.alsoWritten];
/** Every table a run writes, its outbox events too: each is vacuumed before a timed run (see settle). */
const settled = [...tables, 'integrations.outbox'];
const syncSeconds: number[] = [];
let synced = 0;
for (let i = 0; i < repeats; i++) {
  const connections = await connectAfresh();
  for (const [before, beforeStreams] of plan.before) await sync(connections, before, beforeStreams);
  await settle(db, settled);
  const t0 = performance.now();
  synced = await sync(connections, vendor, streams);
  syncSeconds.push((performance.now() - t0) / 1000);
}
const syncRss = process.resourceUsage().maxRSS / 1024;

// COPY of the same rows: exported to a file first (not timed), then loaded for another tenant (timed).
const RETAG = new RegExp(`^${tenant}\t`, 'gm');
const dir = await mkdtemp(path.join(os.tmpdir(), 'product-graph-bench-'));
const ordered = new Map<string, string>();
for (const table of tables) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows: [{ columns }] } = await client.query<{ columns: string[] }>(
    `select array_agg(attname::text order by attnum) as columns from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`, [table]);
  // tenant_id first, so each line's tenant is replaced by a prefix swap.
  ordered.set(table, ['tenant_id', ...columns.filter((c) => c !== 'tenant_id')].map((c) => `"${c}"`).join(', '));
  const file = path.join(dir, `${table}.tsv`);
  await pipeline(client.query(copyTo(`copy (select ${ordered.get(table)} from ${table} where tenant_id = '${tenant}') to stdout`)), createWriteStream(file));
  console.log(`  (${table}: ${((await stat(file)).size / 1e6).toFixed(0)} MB of rows)`);
  await client.end();
}

/** Loads every table's file for the copy tenant: the seconds of each, and the rows it holds after. */
async function copyAll(): Promise<Map<string, { seconds: number; rows: number }>> {
  const loaded = new Map<string, { seconds: number; rows: number }>();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  for (const table of tables) {
    let carry = '';
    const retag = new Transform({
      transform(chunk: Buffer, _enc, done) {
        carry += chunk.toString();
        const end = carry.lastIndexOf('\n');
        if (end < 0) return done();
        const complete = carry.slice(0, end + 1);
        carry = carry.slice(end + 1);
        done(null, complete.replace(RETAG, `${copyTenant}\t`));
      },
    });
    const t1 = performance.now();
    await pipeline(createReadStream(path.join(dir, `${table}.tsv`)), retag, client.query(copyFrom(`copy ${table} (${ordered.get(table)}) from stdin`)));
    const seconds = (performance.now() - t1) / 1000;
    const rows = Number((await client.query(`select count(*) from ${table} where tenant_id = $1`, [copyTenant])).rows[0].count);
    loaded.set(table, { seconds, rows });
  }
  await client.end();
  return loaded;
}

const copySeconds: number[] = [];
const copyAllSeconds: number[] = [];
let copied = 0;
let copiedAll = 0;
for (let i = 0; i < repeats; i++) {
  await resetTenants(db, [copyTenant]);
  await settle(db, settled);
  const loaded = await copyAll();
  const own = [...loaded].filter(([table]) => streamTables.includes(table)).map(([, l]) => l);
  copySeconds.push(own.reduce((sum, l) => sum + l.seconds, 0));
  copyAllSeconds.push([...loaded.values()].reduce((sum, l) => sum + l.seconds, 0));
  copied = own.reduce((sum, l) => sum + l.rows, 0);
  copiedAll = [...loaded.values()].reduce((sum, l) => sum + l.rows, 0);
}
await rm(dir, { recursive: true, force: true });

const syncRate = synced / median(syncSeconds);
const copyRate = copied / median(copySeconds);
const each = (samples: number[]) => (repeats > 1 ? `  (each: ${samples.map((s) => s.toFixed(2)).join(', ')} s)` : '');
console.log(`
Sync benchmark — ${vendor} (${streams.join(', ')}), scale ${scale}${repeats > 1 ? `, median of ${repeats} runs of each` : ''}
  synced through the connector   ${synced.toLocaleString('en-US').padStart(12)} records in ${median(syncSeconds).toFixed(1).padStart(6)} s  ${Math.round(syncRate).toLocaleString('en-US').padStart(8)} records/s  (peak RSS ${syncRss.toFixed(0)} MB)${each(syncSeconds)}
  COPY of the same rows          ${copied.toLocaleString('en-US').padStart(12)} rows    in ${median(copySeconds).toFixed(1).padStart(6)} s  ${Math.round(copyRate).toLocaleString('en-US').padStart(8)} rows/s${each(copySeconds)}
  ratio sync / COPY              ${(syncRate / copyRate).toFixed(2)}x   (target: at least 0.33x)${plan.alsoWritten.length ? `
  COPY of every row the sync wrote (${tables.join(', ')})
                                 ${copiedAll.toLocaleString('en-US').padStart(12)} rows    in ${median(copyAllSeconds).toFixed(1).padStart(6)} s
  sync time / COPY-all time      ${(median(copyAllSeconds) / median(syncSeconds)).toFixed(2)}x` : ''}
`);
await resetTenants(db, [tenant, copyTenant]);
child.kill('SIGTERM');
await database.close();
