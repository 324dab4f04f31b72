import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createDb } from '../core/db.js';
import { logger } from '../core/logger.js';
import { syncDeps } from '../sync/deps.js';
import { startSyncWorker } from '../sync/queue.js';

/** The job worker of `npm run bench:subscriptions`, in a process of its own as in a deployment: processes queued webhooks, schedules nothing. */
const { values } = parseArgs({ options: { url: { type: 'string' }, concurrency: { type: 'string', default: '4' } } });
const db = createDb({ url: values.url!, poolSize: Number(values.concurrency) + 2 });
const worker = await startSyncWorker({ url: values.url!, deps: syncDeps(db, logger()), concurrency: Number(values.concurrency), pollIntervalMs: 100, schedule: null });
console.log('ready');
process.on('SIGTERM', async () => {
  await worker.stop();
  await db.destroy();
  process.exit(0);
});
