import { makeWorkerUtils, run, runMigrations, Logger, type Runner, type Task, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { sql } from 'kysely';
import { config } from '../core/config.js';
import { keepConnectionsOpen, type Db } from '../core/db.js';
import { runStream, type StreamJob, type SyncDeps } from './run-stream.js';
import { processWebhook, recordWebhookFailure, type WebhookJob } from './webhooks/process.js';

export const SYNC_TASK = 'sync_stream';
export const WEBHOOK_TASK = 'process_webhook';

/** Creates or updates the queue's own schema: whoever enqueues first (the webhook intake) may come before any worker. */
export async function prepareQueue(url: string): Promise<void> {
  await runMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
}

export interface Schedule {
  /** Minutes between incremental syncs of a connection. */
  intervalMinutes: number;
  /** Hours between full reconciliations of a stream (deletions and drift). */
  reconcileHours: number;
}

/**
 * Jobs for every due connection, one per stream, in a queue of the connection's own: a
 * connection's streams run one at a time in order (parents first), connections in parallel,
 * and a stream never twice at once (also guarded by a lock in runStream). Claiming a connection
 * moves its `next_run_at` in the same statement, so schedulers in several processes never
 * enqueue it twice. Returns the jobs added.
 */
export async function scheduleDue(db: Db, utils: WorkerUtils, streamsOf: (vendor: string) => { name: string; reconcilable?: boolean }[], schedule: Schedule): Promise<number> {
  const { rows } = await sql<{ tenant_id: string; id: string; vendor: string }>`
    update integrations.connections c set next_run_at = now() + make_interval(mins => ${schedule.intervalMinutes})
    where c.status in ('active', 'error') and c.credentials is not null and (c.next_run_at is null or c.next_run_at <= now())
    returning c.tenant_id, c.id, c.vendor`.execute(db);
  let added = 0;
  for (const connection of rows) {
    const { rows: reconciled } = await sql<{ stream: string }>`
      select stream from integrations.sync_runs
      where tenant_id = ${connection.tenant_id} and connection_id = ${connection.id} and kind = 'reconcile' and status = 'succeeded'
        and started_at > now() - make_interval(hours => ${schedule.reconcileHours})
      group by stream`.execute(db);
    const fresh = new Set(reconciled.map((r) => r.stream));
    for (const { name: stream, reconcilable } of streamsOf(connection.vendor)) {
      await enqueueStream(utils, { tenantId: connection.tenant_id, connectionId: connection.id, stream, mode: 'incremental' });
      added++;
      if (reconcilable !== false && !fresh.has(stream)) {
        await enqueueStream(utils, { tenantId: connection.tenant_id, connectionId: connection.id, stream, mode: 'reconcile' });
        added++;
      }
    }
  }
  return added;
}

export async function enqueueStream(utils: WorkerUtils, job: StreamJob): Promise<void> {
  await utils.addJob(SYNC_TASK, job, {
    queueName: `sync:${job.connectionId}`,
    jobKey: `sync:${job.connectionId}:${job.stream}:${job.mode}`,
    jobKeyMode: 'preserve_run_at',
    // A failed run is recorded on the connection and retried by the schedule, not by the queue.
    maxAttempts: 1,
  });
}

export interface SyncWorkerOptions {
  url: string;
  deps: SyncDeps;
  /** Stream syncs run at once. */
  concurrency: number;
  /** Webhook deliveries processed at once (default WEBHOOK_CONCURRENCY), beside the syncs: see startSyncWorker. */
  webhookConcurrency?: number;
  /** Null: only run what is queued (webhook processing, syncs others enqueue); schedule nothing. */
  schedule: Schedule | null;
  /** How often due connections are looked for (default 5 s). */
  scheduleEveryMs?: number;
  pollIntervalMs?: number;
}

export interface SyncWorker {
  utils: WorkerUtils;
  /** Looks for due connections now (the loop does it every few seconds). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

function streamNames(deps: SyncDeps) {
  return (vendor: string) => deps.connectors.get(vendor)?.streams ?? [];
}

/**
 * Runs sync jobs from the Postgres queue (graphile-worker) and the schedule that feeds it.
 * Webhook deliveries have runners of their own: a delivery takes milliseconds and a subscriber
 * waits for it, while a stream's sync can take minutes, so deliveries never queue behind syncs.
 */
export async function startSyncWorker(options: SyncWorkerOptions): Promise<SyncWorker> {
  const { deps } = options;
  const webhookConcurrency = options.webhookConcurrency ?? config().WEBHOOK_CONCURRENCY;
  // Each runner holds a connection to listen for new jobs, and one per job it runs.
  const connections = options.concurrency + webhookConcurrency + 2;
  const pool = new pg.Pool({ connectionString: options.url, max: connections, min: connections, application_name: 'product-graph-sync', options: '-c TimeZone=UTC' });
  // A dropped idle connection is reported on the pool and on its client; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  // Those a burst of deliveries takes at once are open before it comes.
  keepConnectionsOpen(pool, webhookConcurrency);
  const logger = new Logger((scope) => (level, message, meta) => {
    const log = deps.log.child({ component: 'queue', ...scope });
    if (level === 'error') log.error(meta ?? {}, message);
    else if (level === 'warning') log.warn(meta ?? {}, message);
    else log.debug(meta ?? {}, message);
  });
  const task: Task = async (payload, helpers) => {
    const job = payload as StreamJob;
    const summary = await runStream({ ...deps, signal: helpers.abortSignal }, job);
    helpers.logger.info(`${job.stream} (${job.mode}): ${summary.status}${summary.error ? `: ${summary.error}` : ''}`);
  };
  const webhookTask: Task = async (payload, helpers) => {
    const job = payload as WebhookJob;
    try {
      const outcome = await processWebhook({ ...deps, signal: helpers.abortSignal }, job);
      helpers.logger.debug(`webhook ${job.deliveryId}: ${outcome}`);
    } catch (error) {
      await recordWebhookFailure(deps, job, error, helpers.job.attempts >= helpers.job.max_attempts);
      throw error;
    }
  };
  const utils = await makeWorkerUtils({ pgPool: pool, logger });
  await utils.migrate();
  const runnerOptions = { pgPool: pool, logger, noHandleSignals: true, pollInterval: options.pollIntervalMs ?? 1_000 };
  const runners: Runner[] = [
    await run({ ...runnerOptions, concurrency: options.concurrency, taskList: { [SYNC_TASK]: task } }),
    await run({ ...runnerOptions, concurrency: webhookConcurrency, taskList: { [WEBHOOK_TASK]: webhookTask } }),
  ];
  const schedule = options.schedule;
  const tick = async () => (schedule ? scheduleDue(deps.db, utils, streamNames(deps), schedule) : 0);
  let ticking: Promise<unknown> = Promise.resolve();
  const timer = schedule ? setInterval(() => {
    ticking = tick().catch((error) => deps.log.error({ err: (error as Error).message }, 'scheduling syncs failed'));
  }, options.scheduleEveryMs ?? 5_000) : null;
  timer?.unref();
  return {
    utils,
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await ticking;
      await Promise.all(runners.map((r) => r.stop()));
      await utils.release();
      await pool.end();
    },
  };
}
