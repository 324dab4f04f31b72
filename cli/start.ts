import 'reflect-metadata';
import { ALL_SCOPES, signToken } from '../core/auth.js';
import { tokenVerification } from '../core/token-keys.js';
import { openDatabase } from '../core/bootstrap.js';
import { config } from '../core/config.js';
import { createTenantDatabases } from '../core/db.js';
import { logger } from '../core/logger.js';
import { startStack } from '../runtime/stack.js';
import { startDemoVendors } from '../runtime/demo-vendors.js';
import { hasData, seedTenants } from '../seed/index.js';
import { syncDeps } from '../sync/deps.js';
import { startSyncWorker, type SyncWorker } from '../sync/queue.js';
import { printWelcome } from './welcome.js';

/**
 * `npm start`: database (embedded unless DATABASE_URL); on an empty database the demo tenant is
 * loaded through the connectors from the bundled vendor simulators (or by the generator when
 * SIMULATORS=false); then the sync worker, every subgraph and the gateway.
 */
const cfg = config();
const log = logger();
const started = performance.now();

const database = await openDatabase();
log.info({ embedded: database.postgres.embedded }, 'database ready');
const deps = syncDeps(database.db, log);

/** A step that cannot go on (a port in use, say) ends the start with its reason in one line, the database stopped. */
function orStop<T>(step: Promise<T>): Promise<T> {
  return step.catch(async (error: unknown) => {
    console.error(`Product Graph could not start: ${error instanceof Error ? error.message : String(error)}`);
    await database.close().catch(() => {});
    return process.exit(1);
  });
}

const empty = !(await hasData(database.db, cfg.DEMO_TENANT));
const vendors = cfg.SIMULATORS ? await orStop(startDemoVendors({ db: database.db, url: database.url, deps, tenant: cfg.DEMO_TENANT, portBase: cfg.SIMULATOR_PORT_BASE, load: empty })) : null;
if (empty && !vendors) {
  console.log('Empty database: loading the demo data with the generator (small scale)…');
  const summary = await seedTenants(database.db, { url: database.url, scale: 'small', onProgress: (step) => console.log(`  ✓ ${step}`) });
  console.log(`Loaded ${Object.values(summary.rows).reduce((a, b) => a + b, 0).toLocaleString('en-US')} rows in ${summary.seconds.toFixed(1)} s.`);
}

const worker: SyncWorker | null = cfg.SYNC_WORKER
  ? await startSyncWorker({ url: database.url, deps, concurrency: cfg.SYNC_CONCURRENCY, webhookConcurrency: cfg.WEBHOOK_CONCURRENCY, schedule: { intervalMinutes: cfg.SYNC_INTERVAL_MINUTES, reconcileHours: cfg.SYNC_RECONCILE_HOURS } })
  : null;

// Serving gets its own pool, whose statements are capped; loading the demo data is not.
const serving = createTenantDatabases({ url: database.url, poolSize: cfg.DATABASE_POOL_SIZE, keepOpen: cfg.DATABASE_POOL_MIN, statementTimeoutMs: cfg.STATEMENT_TIMEOUT_MS });
const stack = await orStop(startStack({ databases: serving, db: database.db, databaseUrl: database.url, host: cfg.HOST, gatewayPort: cfg.PORT, subgraphPortBase: cfg.SUBGRAPH_PORT_BASE }));
const token = tokenVerification().canSign ? await signToken({ tenantId: cfg.DEMO_TENANT, scopes: [...ALL_SCOPES] }) : null;
printWelcome({ endpoint: stack.gateway.url, token, subgraphs: [...stack.subgraphs.values()], simulators: vendors?.simulators ?? [], seconds: (performance.now() - started) / 1000 });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000).unref();
  await stack.stop();
  await worker?.stop();
  await vendors?.close();
  await serving.destroy();
  await database.close();
  clearTimeout(force);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
