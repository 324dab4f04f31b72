import { parseArgs } from 'node:util';
import { openDatabase } from '../core/bootstrap.js';
import { config } from '../core/config.js';
import { logger } from '../core/logger.js';
import { TENANT_ID, TENANT_ID_RULE } from '../core/tenant-id.js';
import type { SyncMode } from '../sync/connector.js';
import { rotateCredentials } from '../sync/connection-store.js';
import { syncDeps } from '../sync/deps.js';
import { syncInForeground, totals } from '../sync/foreground.js';
import { startSyncWorker } from '../sync/queue.js';

const usage = `Usage: product-graph <command> [options]   (or: npm run sync -- <command> [options])
  connections                 list the tenant's connections and their health
  sync [vendor|id ...]        sync now, in the foreground, with progress and a summary
      --mode incremental|full|reconcile   (default incremental)
      --stream <name>         only this stream (repeatable, comma-separated)
  worker                      run sync jobs from the queue and the schedule until stopped
  rotate-keys                 re-encrypt stored credentials with the first key of CREDENTIALS_KEYS
Options: --tenant <id> (default: the demo tenant)
Uses DATABASE_URL, or the embedded Postgres in DATA_DIR when it is unset.`;

const MODES: SyncMode[] = ['incremental', 'full', 'reconcile'];

class UsageError extends Error {}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { tenant: { type: 'string' }, mode: { type: 'string', default: 'incremental' }, stream: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
})();

const [command, ...targets] = positionals;
if (values.help || !command) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const cfg = config();
const database = await openDatabase();
const log = logger();
const deps = syncDeps(database.db, log);
let exitCode = 0;
try {
  const tenant = values.tenant ?? cfg.DEMO_TENANT;
  if (!TENANT_ID.test(tenant)) throw new UsageError(`Invalid tenant id "${tenant}": ${TENANT_ID_RULE}.`);
  const connections = await database.db.selectFrom('integrations.connections').selectAll().where('tenant_id', '=', tenant)
    .where('status', '<>', 'disconnected').orderBy('vendor').execute();

  switch (command) {
    case 'connections': {
      if (!connections.length) console.log(`Tenant "${tenant}" has no connections.`);
      for (const c of connections) {
        const lag = c.last_success_at ? `${Math.round((Date.now() - c.last_success_at.getTime()) / 1000)} s ago` : 'never';
        console.log(`${c.id}  ${c.vendor.padEnd(13)} ${c.status.padEnd(13)} ${String(c.records_synced).padStart(10)} records  last success ${lag}${c.last_error ? `  last error: ${c.last_error.slice(0, 120)}` : ''}`);
      }
      break;
    }
    case 'sync': {
      const mode = values.mode as SyncMode;
      if (!MODES.includes(mode)) throw new UsageError(`--mode must be ${MODES.join(', ')}.`);
      const chosen = targets.length ? connections.filter((c) => targets.includes(c.vendor) || targets.includes(c.id)) : connections;
      const unknown = targets.filter((t) => !connections.some((c) => c.vendor === t || c.id === t));
      if (unknown.length) throw new UsageError(`No connection ${unknown.map((t) => `"${t}"`).join(', ')} in tenant "${tenant}" (see: product-graph connections).`);
      const streams = values.stream?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      const summaries = await syncInForeground(deps, chosen, { mode, streams, interactive: process.stdout.isTTY === true });
      console.log(`\n${totals(summaries)}`);
      for (const failed of summaries.filter((s) => s.status === 'failed')) console.log(`  ✗ ${failed.stream}: ${failed.error}`);
      if (summaries.some((s) => s.status === 'failed')) exitCode = 1;
      break;
    }
    case 'worker': {
      // Listened for before anything runs: a stop asked for while starting still stops the worker gracefully.
      const stopAsked = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      const worker = await startSyncWorker({
        url: database.url, deps, concurrency: cfg.SYNC_CONCURRENCY, webhookConcurrency: cfg.WEBHOOK_CONCURRENCY,
        schedule: { intervalMinutes: cfg.SYNC_INTERVAL_MINUTES, reconcileHours: cfg.SYNC_RECONCILE_HOURS },
      });
      console.log(`Sync worker running (${cfg.SYNC_CONCURRENCY} at once). Ctrl-C stops it.`);
      await stopAsked;
      await worker.stop();
      break;
    }
    case 'rotate-keys': {
      const moved = await rotateCredentials(database.db, deps.ring);
      console.log(`Re-encrypted ${moved} connection${moved === 1 ? '' : 's'} with key "${deps.ring.current.id}".`);
      break;
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
} catch (error) {
  console.error(error instanceof UsageError ? `${error.message}\n\n${usage}` : (error as Error).message);
  exitCode = 2;
} finally {
  await database.close();
}
process.exit(exitCode);
