import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { config } from '../core/config.js';
import { createDb } from '../core/db.js';
import { logger } from '../core/logger.js';
import { syncDeps } from '../sync/deps.js';
import { startSyncWorker } from '../sync/queue.js';

/** The job worker of `npm run bench:subscriptions`, in a process of its own as in a deployment: processes queued webhooks, schedules nothing. */
const { values } = parseArgs({ options: { url: { type: 'string' }, concurrency: { type: 'string', default: String(config().WEBHOOK_CONCURRENCY) } } });
const concurrency = Number(values.concurrency);
const db = createDb({ url: values.url!, poolSize: concurrency + 2, keepOpen: concurrency });
const worker = await startSyncWorker({ url: values.url!, deps: syncDeps(db, logger()), concurrency: 1, webhookConcurrency: concurrency, pollIntervalMs: 100, schedule: null });
console.log('ready');
process.on('SIGTERM', async () => {
  await worker.stop();
  await db.destroy();
  process.exit(0);
});
