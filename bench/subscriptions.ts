import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ALL_SCOPES, signToken } from '../core/auth.js';
import { openDatabase } from '../core/bootstrap.js';
import { createTenantDatabases } from '../core/db.js';
import { startStack } from '../runtime/stack.js';
import { percentile } from './stats.js';

/**
 * `npm run bench:subscriptions -- [--subscribers 2000] [--events 100]`: subscribers (in a process
 * of their own) on one gateway, then a burst of feature releases written one transaction each,
 * as webhooks or syncs write them. Prints the writes per second, the event-to-delivery latency
 * (median, p99) over every delivery, and the gateway process's memory per subscriber.
 */
const { values } = parseArgs({ options: { subscribers: { type: 'string', default: '2000' }, events: { type: 'string', default: '100' } } });
const subscribers = Number(values.subscribers);
const events = Number(values.events);
const tenant = 'bench_subscriptions';

const database = await openDatabase({ database: 'product_graph_bench' });
const { db } = database;
await sql`delete from product.features where tenant_id = ${tenant}`.execute(db);
const serving = createTenantDatabases({ url: database.url, poolSize: 20 });
const stack = await startStack({ databases: serving, db, databaseUrl: database.url, host: '127.0.0.1', gatewayPort: 0, subgraphPortBase: 0 });
const token = await signToken({ tenantId: tenant, scopes: [...ALL_SCOPES] });

global.gc?.();
const before = process.memoryUsage();
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/subscribers.ts', '--url', stack.gateway.url.replace(/^http/, 'ws'), '--token', token, '--count', String(subscribers)],
  { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
console.log(`Connecting ${subscribers} subscribers…`);
if ((await lines.next()).value !== 'ready') throw new Error('the subscribers did not get ready');
await new Promise((resolve) => setTimeout(resolve, 1_000));
global.gc?.();
const after = process.memoryUsage();

// One release first, unmeasured: the gateway plans the subscribers' query once.
await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
  values (${tenant}, ${randomUUID()}, 'WARMUP', 'Warmup', 'released', now(), 'jira', 'warmup')`.execute(db);
await new Promise((resolve) => setTimeout(resolve, 2_000));
console.log(`Releasing ${events} features, one transaction each…`);
const t0 = performance.now();
for (let i = 0; i < events; i++) {
  await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
    values (${tenant}, ${randomUUID()}, ${`BENCH-${i}`}, ${`Bench ${Date.now()}`}, 'released', now(), 'jira', ${`bench-${i}`})`.execute(db);
}
const writeSeconds = (performance.now() - t0) / 1000;
child.stdin!.write(`expect ${events}\n`);
const { latencies } = JSON.parse((await lines.next()).value as string) as { latencies: number[] };
const deliverySeconds = (performance.now() - t0) / 1000;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
console.log(`
Subscriptions benchmark — ${subscribers} subscribers on one gateway process, ${events} releases
  releases written                ${(events / writeSeconds).toFixed(0).padStart(8)} /s (one transaction each)
  deliveries                      ${latencies.length.toLocaleString('en-US').padStart(8)} in ${deliverySeconds.toFixed(1)} s
  event-to-delivery latency       median ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms   (target: p99 under 250 ms)
  gateway memory per subscriber   ${((after.rss - before.rss) / subscribers / 1024).toFixed(1)} KB RSS, ${((after.heapUsed - before.heapUsed) / subscribers / 1024).toFixed(1)} KB heap  (${mb(before.rss)} -> ${mb(after.rss)})
`);
child.kill('SIGTERM');
await sql`delete from product.features where tenant_id = ${tenant}`.execute(db);
await stack.stop();
await serving.destroy();
await database.close();
