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
import { resetTenants } from '../seed/index.js';
import { config } from '../core/config.js';
import { createConnection } from '../sync/connection-store.js';
import { connectors } from '../sync/connectors.js';
import { parseKeyRing } from '../sync/credentials.js';
import { eventTimings, type EventTimings } from '../gateway/subscriptions/timings.js';
import { settle } from './settle.js';
import { percentile } from './stats.js';

/**
 * `npm run bench:subscriptions -- [--subscribers 2000] [--events 10] [--worker-concurrency WEBHOOK_CONCURRENCY]`: subscribers (in a process
 * of their own) on one gateway process, then a burst of signed Jira webhooks, each releasing a
 * feature, posted by a process of their own to the gateway's intake and processed by a job
 * worker of its own, as deployed. Prints the webhooks accepted per second, the event-to-delivery
 * latency (webhook sent to subscriber received: median, p99) over every delivery, and the
 * gateway process's memory per subscriber, and where each event's time went: its webhook's
 * receipt, its processing, the gateway's feed, its answer, its first and last frames. A burst's
 * latency grows with its deliveries (webhooks times subscribers): every process here, the
 * subscribers' too, shares the machine's cores.
 */
const { values } = parseArgs({ options: { subscribers: { type: 'string', default: '2000' }, events: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16' }, 'worker-concurrency': { type: 'string', default: String(config().WEBHOOK_CONCURRENCY) } } });
const subscribers = Number(values.subscribers);
const events = Number(values.events);
const tenant = 'bench_subscriptions';

const database = await openDatabase({ database: 'product_graph_bench' });
const { db } = database;
const SECRET = 'bench-webhook-secret';
await resetTenants(db, [tenant]);
await settle(db, ['product.features', 'integrations.outbox', 'integrations.webhook_receipts']);
const connection = await createConnection(db, parseKeyRing(config().CREDENTIALS_KEYS), {
  tenantId: tenant, connector: connectors.get('jira')!, baseUrl: 'http://127.0.0.1:9', config: { cloudId: 'bench', projectKey: 'BENCH' },
  credentials: { clientId: 'bench', clientSecret: 'bench', refreshToken: 'bench', webhookSecret: SECRET },
});
const serving = createTenantDatabases({ url: database.url, poolSize: 20, keepOpen: config().DATABASE_POOL_MIN });
const stack = await startStack({ databases: serving, db, databaseUrl: database.url, host: '127.0.0.1', gatewayPort: 0, subgraphPortBase: 0 });
const token = await signToken({ tenantId: tenant, scopes: [...ALL_SCOPES] });

global.gc?.();
const before = process.memoryUsage();
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/subscribers.ts', '--url', stack.gateway.url.replace(/^http/, 'ws'), '--token', token, '--count', String(subscribers)],
  { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const worker = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-worker.ts', '--url', database.url, '--concurrency', String(values['worker-concurrency'])], { stdio: ['ignore', 'pipe', 'inherit'] });
const workerLines = createInterface({ input: worker.stdout! })[Symbol.asyncIterator]();
// A failed run leaves no process behind.
process.on('exit', () => { child.kill('SIGTERM'); worker.kill('SIGTERM'); });
process.on('SIGTERM', () => void database.close().finally(() => process.exit(143)));
if ((await workerLines.next()).value !== 'ready') throw new Error('the worker did not get ready');
console.log(`Connecting ${subscribers} subscribers…`);
if ((await lines.next()).value !== 'ready') throw new Error('the subscribers did not get ready');
await new Promise((resolve) => setTimeout(resolve, 1_000));
global.gc?.();
const after = process.memoryUsage();

const burst = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-burst.ts', '--url', `${stack.gateway.url.replace(/\/graphql$/, '')}/webhooks/jira/${connection.id}`,
  '--secret', SECRET, '--count', String(events), '--concurrency', String(values.concurrency), '--run', randomUUID().slice(0, 8)], { stdio: ['pipe', 'pipe', 'inherit'] });
process.on('exit', () => burst.kill('SIGTERM'));
const burstLines = createInterface({ input: burst.stdout! })[Symbol.asyncIterator]();
if ((await burstLines.next()).value !== 'ready') throw new Error('the webhook sender did not get ready');
// One burst first, unmeasured, as a process running for a while has had: every pooled
// connection has run the statements (a new server process first loads the catalog and plans),
// the gateway has planned the subscribers' query, code is compiled.
burst.stdin!.write('warm\n');
const warm = JSON.parse((await burstLines.next()).value as string) as { accepted: number };
if (warm.accepted !== events) throw new Error(`${events - warm.accepted} warm-up webhooks were not accepted`);
await new Promise((resolve) => setTimeout(resolve, 3_000));
const timings: EventTimings[] = [];
eventTimings.subscribe((message) => timings.push(message as EventTimings));
console.log(`Posting ${events} signed webhooks, ${values.concurrency} at a time…`);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
burst.stdin!.write('go\n');
const sent = JSON.parse((await burstLines.next()).value as string) as { accepted: number; seconds: number };
if (sent.accepted !== events) throw new Error(`${events - sent.accepted} webhooks were not accepted`);
child.stdin!.write(`expect ${events}\n`);
const { latencies, cpuMs: subscribersCpuMs } = JSON.parse((await lines.next()).value as string) as { latencies: number[]; cpuMs: number };
const deliverySeconds = (performance.now() - t0) / 1000;
// CPU time is less swayed than wall time by what else the machine runs.
const cpu = process.cpuUsage(cpu0);

// Where each event's time went, from its webhook's send (the time in the feature's name).
const { rows: stored } = await sql<{ entity_id: string; name: string; received: Date; written: Date }>`
  select distinct on (o.entity_id) o.entity_id, f.name, r.received_at as received, o.created_at as written from integrations.outbox o
  join product.features f on f.tenant_id = o.tenant_id and f.id = o.entity_id
  join integrations.webhook_receipts r on r.tenant_id = f.tenant_id and r.delivery_id = f.external_id
  where o.tenant_id = ${tenant} and f.name like 'Bench %'`.execute(db);
const byEntity = new Map(timings.map((t) => [t.entityId, t]));
const stages: [string, number[]][] = [['receipt stored (intake)', []], ['processing transaction began', []], ['read by the gateway\'s feed', []], ['answer resolved', []], ['first frame staged', []], ['last frame staged', []]];
for (const row of stored) {
  const t = byEntity.get(row.entity_id);
  if (!t) continue;
  const sentAt = Number(row.name.split(' ')[1]);
  [row.received.getTime(), row.written.getTime(), t.read, t.answered, t.firstFrame, t.lastFrame].forEach((at, i) => stages[i][1].push(at - sentAt));
}
const stageLines = stages.map(([name, ms]) => `    ${name.padEnd(30)} median ${percentile(ms, 50).toFixed(0).padStart(5)} ms, p99 ${percentile(ms, 99).toFixed(0).padStart(5)} ms`).join('\n');

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
console.log(`
Subscriptions benchmark — ${subscribers} subscribers on one gateway process, a burst of ${events} webhooks
  webhooks accepted               ${(sent.accepted / sent.seconds).toFixed(0).padStart(8)} /s (verified, receipt and job stored, 202)
  deliveries                      ${latencies.length.toLocaleString('en-US').padStart(8)} in ${deliverySeconds.toFixed(1)} s
  event-to-delivery latency       median ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms   (target: p99 under 250 ms)
  since the webhook's send, per event (${stored.length} events; worker concurrency ${values['worker-concurrency']}):
${stageLines}
  gateway CPU per 1,000 deliveries ${((cpu.user + cpu.system) / 1000 / (latencies.length / 1000)).toFixed(1).padStart(7)} ms (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s: webhook intake, answers, fan-out)
  subscribers' CPU per 1,000       ${(subscribersCpuMs / (latencies.length / 1000)).toFixed(1).padStart(7)} ms (their own process: a bound on the rate they can read at)
  gateway memory per subscriber   ${((after.rss - before.rss) / subscribers / 1024).toFixed(1)} KB RSS, ${((after.heapUsed - before.heapUsed) / subscribers / 1024).toFixed(1)} KB heap  (${mb(before.rss)} -> ${mb(after.rss)})
`);
child.kill('SIGTERM');
worker.kill('SIGTERM');
await resetTenants(db, [tenant]);
await stack.stop();
await serving.destroy();
await database.close();
