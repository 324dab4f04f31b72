import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../core/db.js';
import type { Logger } from '../core/logger.js';
import { createAuthProvider } from './auth.js';
import { requestBudget } from './budget.js';
import type { Connector, Page, Stream, SyncMode } from './connector.js';
import { loadConnection, readCredentials, saveCredentials, type ConnectionRow } from './connection-store.js';
import type { KeyRing } from './credentials.js';
import { ConnectionStoppedError, NeedsReauthError, RateLimitedError } from './errors.js';
import { VendorHttp } from './http-client.js';
import { mapRecord, type MappedRecord } from './mapping.js';
import { batches } from './batches.js';
import type { RetryPolicy } from './retry.js';
import { deleteRows, deleteUnseen, touchRows, writeRows, type Rejection, type Trx, type WriteTarget } from './table-writer.js';

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

/** Pages are stored together up to about this many records a transaction: fewer commits, same guarantees. */
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
  const baseUrl = connection.base_url ?? connector.defaultBaseUrl;
  let http: VendorHttp | null = null;
  try {
    const auth = createAuthProvider(connector.auth, readCredentials(deps.ring, connection), {
      baseUrl, fetch: deps.fetch, timeoutMs: deps.timeoutMs,
      save: (credentials) => saveCredentials(db, deps.ring, tenantId, connection.id, credentials),
    });
    const config = (connection.config ?? {}) as Record<string, unknown>;
    http = new VendorHttp({
      baseUrl, auth, budget: requestBudget(connection.id, Number(config.requestsPerSecond) || connector.requestsPerSecond), signals: connector.signals,
      headers: connector.headers, retry: deps.retry, timeoutMs: deps.timeoutMs, log, signal, fetch: deps.fetch,
    });
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
    for await (const page of batches(pages, RECORDS_PER_COMMIT)) {
      const syncedAt = new Date();
      const mapped: MappedRecord[] = [];
      const rejected: Rejection[] = [];
      for (const record of page.records) {
        const result = mapRecord(stream.mapping, record, { tenantId, config });
        if (result.ok) mapped.push(result.record);
        else rejected.push({ externalId: result.externalId, reason: result.reason, payload: record });
      }
      await db.transaction().execute(async (trx) => {
        // A page's commit need not wait for its WAL flush: should Postgres itself crash, a lost
        // page is lost together with its cursor and simply read again (upserts are idempotent).
        await sql`set local synchronous_commit = off`.execute(trx);
        await assertStillSyncing(trx, tenantId, connection.id);
        if (stream.beforeWrite && mapped.length) await stream.beforeWrite(trx, tenantId, mapped);
        const written = await (stream.store ?? writeRows)(trx, { ...target, syncedAt, returnColumns: !!stream.afterWrite }, mapped);
        rejected.push(...written.rejected);
        // A record the vendor still has but we could not map this time is not "gone": reconciliation keeps its row.
        if (mode === 'reconcile') await touchRows(trx, { ...target, syncedAt }, rejected.map((r) => r.externalId).filter((id): id is string => !!id));
        const deletedIds = await deleteRows(trx, target, page.deleted ?? []);
        if (stream.afterWrite && written.changed.length) await stream.afterWrite(trx, { tenantId, connectionId: connection.id, rows: written.changed });
        await recordErrors(trx, connection, runId, stream.name, rejected);
        await emit(trx, tenantId, connection, stream, written.changed.map((r) => ({ id: r.id as string, externalId: r.external_id as string })), 'upserted');
        await emit(trx, tenantId, connection, stream, deletedIds.map((id) => ({ id, externalId: null })), 'deleted');
        if (page.cursor !== null) {
          const value = mode === 'reconcile' ? { cursor: page.cursor, startedAt: seenSince.toISOString() } satisfies Checkpoint : page.cursor;
          await writeCursor(trx, tenantId, connection.id, checkpointKey, value);
        }
        const changedCount = written.changedCount ?? written.changed.length;
        const writtenCount = changedCount + written.unchanged;
        summary.read += page.records.length;
        summary.written += writtenCount;
        summary.changed += changedCount;
        summary.deleted += deletedIds.length;
        summary.recordErrors += rejected.length;
        await trx.updateTable('integrations.sync_runs').set({
          records_read: summary.read, records_written: summary.written, record_errors: summary.recordErrors, records_deleted: summary.deleted,
        }).where('tenant_id', '=', tenantId).where('id', '=', runId).execute();
        if (writtenCount) {
          await sql`update integrations.connections set records_synced = records_synced + ${writtenCount}
            where tenant_id = ${tenantId} and id = ${connection.id}`.execute(trx);
        }
      });
      summary.requests = http.stats.requests;
      summary.retries = http.stats.retries;
      onPage?.({ ...summary, seconds: (performance.now() - started) / 1000 });
    }

    await db.transaction().execute(async (trx) => {
      if (mode === 'reconcile') {
        const gone = await deleteUnseen(trx, target, seenSince);
        await emit(trx, tenantId, connection, stream, gone.map((id) => ({ id, externalId: null })), 'deleted');
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

/** Pausing, disconnecting or a failed re-authentication stops a run's writes at its next page. */
async function assertStillSyncing(trx: Trx, tenantId: string, connectionId: string): Promise<void> {
  const row = await trx.selectFrom('integrations.connections').select('status')
    .where('tenant_id', '=', tenantId).where('id', '=', connectionId).forShare().executeTakeFirst();
  if (!row || (row.status !== 'active' && row.status !== 'error')) throw new ConnectionStoppedError(`stopped: the connection is ${row?.status ?? 'gone'}`);
}

async function readCursor(db: Db, tenantId: string, connectionId: string, stream: string): Promise<unknown> {
  const row = await db.selectFrom('integrations.sync_cursors').select('cursor')
    .where('tenant_id', '=', tenantId).where('connection_id', '=', connectionId).where('stream', '=', stream).executeTakeFirst();
  return row?.cursor ?? null;
}

async function writeCursor(trx: Trx, tenantId: string, connectionId: string, stream: string, cursor: unknown): Promise<void> {
  await sql`insert into integrations.sync_cursors (tenant_id, connection_id, stream, cursor, updated_at)
    values (${tenantId}, ${connectionId}, ${stream}, ${JSON.stringify(cursor)}::jsonb, now())
    on conflict (tenant_id, connection_id, stream) do update set cursor = excluded.cursor, updated_at = now()`.execute(trx);
}

async function recordErrors(trx: Trx, connection: ConnectionRow, runId: string, stream: string, rejected: Rejection[]): Promise<void> {
  if (!rejected.length) return;
  await trx.insertInto('integrations.record_errors').values(rejected.map((r) => ({
    tenant_id: connection.tenant_id, id: randomUUID(), connection_id: connection.id, run_id: runId, stream,
    external_id: r.externalId, reason: r.reason.slice(0, 2_000), payload: JSON.stringify(r.payload ?? null),
  }))).execute();
}

/** Outbox events for the rows a page changed, in the page's transaction: subscribers see only committed data. */
async function emit(trx: Trx, tenantId: string, connection: ConnectionRow, stream: Stream, rows: { id: string; externalId: string | null }[], change: 'upserted' | 'deleted'): Promise<void> {
  const entity = stream.mapping.entity;
  if (!entity || !rows.length) return;
  // Two array parameters, however many rows: a page's events cost one short statement.
  await sql`insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
    select ${tenantId}, ${`${entity}.${change}`}, ${entity}, e.id,
      jsonb_build_object('vendor', ${connection.vendor}::text, 'connectionId', ${connection.id}::text, 'stream', ${stream.name}::text, 'externalId', e.external_id)
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.externalId)}::text[]) as e(id, external_id)`.execute(trx);
}
