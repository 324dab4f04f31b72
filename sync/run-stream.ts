import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../core/db.js';
import type { Logger } from '../core/logger.js';
import type { Connector, Page, Stream, SyncMode } from './connector.js';
import { loadConnection, type ConnectionRow } from './connection-store.js';
import { connectionHttp } from './connection-http.js';
import type { KeyRing } from './credentials.js';
import { ConnectionStoppedError, NeedsReauthError, RateLimitedError } from './errors.js';
import type { VendorHttp } from './http-client.js';
import { batches, preparedAhead } from './batches.js';
import type { RetryPolicy } from './retry.js';
import { deleteUnseen, type Trx, type WriteTarget } from './table-writer.js';
import { commitWithoutDiskWait } from './redone-if-lost.js';
import { emitChanges, finishStoring, mapRecords, prepareBatch, writeRecords, writesAlone } from './store-page.js';

export interface SyncDeps {
  /** The owner's connections: the engine writes for every tenant, naming the tenant in each statement. */
  db: Db;
  ring: KeyRing;
  log: Logger;
  connectors: ReadonlyMap<string, Connector>;
  backfillDays: number;
  retry?: RetryPolicy;
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Pages are stored together up to about this many records a transaction (default 1,000): fewer commits, same guarantees. */
  recordsPerCommit?: number;
}

export interface StreamJob {
  tenantId: string;
  connectionId: string;
  stream: string;
  mode: SyncMode;
}

export interface RunSummary {
  runId: string | null;
  stream: string;
  mode: SyncMode;
  status: 'succeeded' | 'failed' | 'skipped';
  read: number;
  written: number;
  changed: number;
  deleted: number;
  recordErrors: number;
  requests: number;
  retries: number;
  seconds: number;
  error?: string;
}

/** Where an interrupted reconciliation resumes, and since when its listing has been seeing rows. */
interface Checkpoint { cursor: unknown; startedAt: string }

const reconcileKey = (stream: string) => `${stream}#reconcile`;

const RECORDS_PER_COMMIT = 1_000;

/**
 * Runs one stream of one connection. Every page is stored in one transaction with its record
 * errors, its outbox events, the run's counters and the stream's cursor, so a crash at any
 * instant resumes from the last stored page: nothing lost, nothing doubled. A session advisory
 * lock keeps a stream from running twice at once, whatever process asks.
 */
export async function runStream(deps: SyncDeps, job: StreamJob, onPage?: (summary: RunSummary) => void): Promise<RunSummary> {
  const started = performance.now();
  const summary: RunSummary = { runId: null, stream: job.stream, mode: job.mode, status: 'skipped', read: 0, written: 0, changed: 0, deleted: 0, recordErrors: 0, requests: 0, retries: 0, seconds: 0 };
  const connection = await loadConnection(deps.db, job.tenantId, job.connectionId);
  if (!connection) return { ...summary, error: 'no such connection' };
  if (connection.status === 'paused' || connection.status === 'needs_reauth' || connection.status === 'disconnected') {
    return { ...summary, error: `connection is ${connection.status}` };
  }
  const connector = deps.connectors.get(connection.vendor);
  const stream = connector?.streams.find((s) => s.name === job.stream);
  if (!connector || !stream) return { ...summary, error: `vendor ${connection.vendor} has no stream "${job.stream}"` };
  if (job.mode === 'reconcile' && stream.reconcilable === false) return { ...summary, error: `stream "${job.stream}" is append-only` };

  return deps.db.connection().execute(async (lockDb) => {
    const lockKey = `sync:${connection.tenant_id}:${connection.id}:${stream.name}`;
    const { rows: [lock] } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) as locked`.execute(lockDb);
    if (!lock.locked) return { ...summary, error: 'this stream is already being synced' };
    try {
      // Holding the lock, any run still marked running for this stream died with its process.
      await deps.db.updateTable('integrations.sync_runs').set({ status: 'failed', finished_at: new Date(), error: 'interrupted: the process running it stopped' })
        .where('tenant_id', '=', connection.tenant_id).where('connection_id', '=', connection.id).where('stream', '=', stream.name)
        .where('status', '=', 'running').execute();
      return await run(deps, connection, connector, stream, job.mode, summary, started, onPage);
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(lockDb).catch(() => {});
    }
  });
}

async function run(deps: SyncDeps, connection: ConnectionRow, connector: Connector, stream: Stream, mode: SyncMode,
  summary: RunSummary, started: number, onPage?: (summary: RunSummary) => void): Promise<RunSummary> {
  const { db } = deps;
  const tenantId = connection.tenant_id;
  const log = deps.log.child({ tenantId, connectionId: connection.id, vendor: connection.vendor, stream: stream.name, mode });
  const runId = randomUUID();
  summary.runId = runId;
  const runStartedAt = new Date();
  await db.insertInto('integrations.sync_runs').values({
    tenant_id: tenantId, id: runId, connection_id: connection.id, stream: stream.name, kind: mode, status: 'running', started_at: runStartedAt,
  }).execute();

  const target: WriteTarget = { tenantId, vendor: connection.vendor, mapping: stream.mapping, syncedAt: runStartedAt };
  const controller = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, controller.signal]) : controller.signal;
  let http: VendorHttp | null = null;
  try {
    const config = (connection.config ?? {}) as Record<string, unknown>;
    http = connectionHttp(deps, connection, connector, log, signal);
    const checkpointKey = mode === 'reconcile' ? reconcileKey(stream.name) : stream.name;
    const stored = await readCursor(db, tenantId, connection.id, checkpointKey);
    let cursor: unknown = null;
    let seenSince = runStartedAt;
    if (mode === 'reconcile' && stored) {
      const checkpoint = stored as Checkpoint;
      cursor = checkpoint.cursor;
      seenSince = new Date(checkpoint.startedAt);
    } else if (mode === 'incremental') cursor = stored;

    const pages: AsyncIterable<Page<unknown>> = stream.read({
      http, mode, cursor, config, log, signal,
      since: new Date(Date.now() - deps.backfillDays * 86_400_000),
    });
    // Each batch is mapped and made ready to write while the one before it is being stored.
    const storeContext = { connection, stream, runId, reconciling: mode === 'reconcile', run: {} };
    const prepared = preparedAhead(batches(pages, deps.recordsPerCommit ?? RECORDS_PER_COMMIT), async (page) => {
      const syncedAt = new Date();
      const batch = await prepareBatch(db, { ...storeContext, syncedAt }, { ...(await mapRecords(stream, page.records, { tenantId, config })), deleted: page.deleted, payloads: page.payloads });
      return { page, syncedAt, batch };
    });
    // A batch of a stream whose batches write alone is written while the batch before it commits;
    // its bookkeeping waits for that commit, so batches still commit in order, each with its cursor.
    const overlap = writesAlone(stream);
    let committing: Promise<void> = Promise.resolve();
    let failed = false;
    try {
      for await (const { page, syncedAt, batch } of prepared) {
        if (failed) break;
        const ctx = { ...storeContext, syncedAt };
        const before = committing;
        let markWritten!: () => void;
        const written = new Promise<void>((resolve) => { markWritten = resolve; });
        const commit = db.transaction().execute(async (trx) => {
          const rows = await writeRecords(trx, ctx, batch);
          markWritten();
          await before;
          const stored = await finishStoring(trx, ctx, batch, rows);
          const writtenCount = stored.changed + stored.unchanged;
          summary.read += page.records.length;
          summary.written += writtenCount;
          summary.changed += stored.changed;
          summary.deleted += stored.deleted;
          summary.recordErrors += stored.rejected;
          const checkpoint = page.cursor === null ? null
            : mode === 'reconcile' ? { cursor: page.cursor, startedAt: seenSince.toISOString() } satisfies Checkpoint : page.cursor;
          await recordProgress(trx, { tenantId, connectionId: connection.id, runId, checkpointKey, checkpoint, summary, written: writtenCount });
        }).then(() => {
          summary.requests = http!.stats.requests;
          summary.retries = http!.stats.retries;
          onPage?.({ ...summary, seconds: (performance.now() - started) / 1000 });
        });
        committing = commit;
        commit.catch(() => { failed = true; });
        await (overlap ? Promise.race([written, commit]) : commit);
      }
    } finally {
      // Whatever ends the loop, no batch is still writing when the run records how it ended.
      await committing.catch(() => {});
    }
    await committing;

    await db.transaction().execute(async (trx) => {
      if (mode === 'reconcile') {
        const gone = await deleteUnseen(trx, target, seenSince);
        await emitChanges(trx, connection, stream, gone.map((id) => ({ id, externalId: null })), 'deleted');
        summary.deleted += gone.length;
        await trx.deleteFrom('integrations.sync_cursors').where('tenant_id', '=', tenantId).where('connection_id', '=', connection.id)
          .where('stream', '=', reconcileKey(stream.name)).execute();
      }
      await trx.updateTable('integrations.sync_runs').set({ status: 'succeeded', finished_at: new Date(), records_deleted: summary.deleted })
        .where('tenant_id', '=', tenantId).where('id', '=', runId).execute();
      // A run that began before the connection was paused or flagged does not flip it back.
      await sql`update integrations.connections set status = case when status = 'error' then 'active' else status end,
        last_success_at = ${runStartedAt}, last_error = null, last_error_at = null, updated_at = now()
        where tenant_id = ${tenantId} and id = ${connection.id}`.execute(trx);
    });
    summary.status = 'succeeded';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    summary.status = 'failed';
    summary.error = message;
    log.warn({ err: message, kind: (error as { kind?: string }).kind }, 'sync run failed');
    const status = error instanceof NeedsReauthError ? 'needs_reauth' : 'error';
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('integrations.sync_runs').set({ status: 'failed', finished_at: new Date(), error: message.slice(0, 2_000) })
        .where('tenant_id', '=', tenantId).where('id', '=', runId).execute();
      if (error instanceof ConnectionStoppedError) return;
      await sql`update integrations.connections set
        status = case when status in ('active', 'error') then ${status} else status end,
        last_error = ${message.slice(0, 2_000)}, last_error_at = now(), updated_at = now(),
        next_run_at = ${error instanceof RateLimitedError ? error.until : null}::timestamptz
        where tenant_id = ${tenantId} and id = ${connection.id}`.execute(trx);
    }).catch((e) => log.error({ err: (e as Error).message }, 'could not record the failed run'));
  } finally {
    controller.abort();
    summary.requests = http?.stats.requests ?? 0;
    summary.retries = http?.stats.retries ?? 0;
    summary.seconds = (performance.now() - started) / 1000;
  }
  return summary;
}


async function readCursor(db: Db, tenantId: string, connectionId: string, stream: string): Promise<unknown> {
  const row = await db.selectFrom('integrations.sync_cursors').select('cursor')
    .where('tenant_id', '=', tenantId).where('connection_id', '=', connectionId).where('stream', '=', stream).executeTakeFirst();
  return row?.cursor ?? null;
}

interface Progress {
  tenantId: string;
  connectionId: string;
  runId: string;
  checkpointKey: string;
  /** Where the next run resumes; null when the batch did not move it. */
  checkpoint: unknown;
  summary: RunSummary;
  written: number;
}

/**
 * A batch's bookkeeping in one statement of its transaction: the stream's cursor, the run's
 * counters and the connection's records synced; its commit does not wait for the disk (see
 * redone-if-lost.ts: a lost batch is lost with its cursor and read again, upserts are idempotent).
 */
async function recordProgress(trx: Trx, p: Progress): Promise<void> {
  const cursor = p.checkpoint === null ? sql``
    : sql`, cursor as (insert into integrations.sync_cursors (tenant_id, connection_id, stream, cursor, updated_at)
        values (${p.tenantId}, ${p.connectionId}, ${p.checkpointKey}, ${JSON.stringify(p.checkpoint)}::jsonb, now())
        on conflict (tenant_id, connection_id, stream) do update set cursor = excluded.cursor, updated_at = now())`;
  const { summary } = p;
  await sql`with run as (update integrations.sync_runs set records_read = ${summary.read}, records_written = ${summary.written},
      record_errors = ${summary.recordErrors}, records_deleted = ${summary.deleted}
      where tenant_id = ${p.tenantId} and id = ${p.runId}),
    connection as (update integrations.connections set records_synced = records_synced + ${p.written}
      where tenant_id = ${p.tenantId} and id = ${p.connectionId} and ${p.written}::int > 0)
    ${cursor}
    select ${commitWithoutDiskWait}`.execute(trx);
}
