import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Stream } from './connector.js';
import type { ConnectionRow } from './connection-store.js';
import { ConnectionStoppedError } from './errors.js';
import { mapRecord, type MapContext, type MappedRecord } from './mapping.js';
import { letIoRun, SLICE } from './slices.js';
import { columnsOf, deleteRows, prepareRows, touchRows, writePrepared, writeRows, type ChangeEvents, type PreparedRows, type Rejection, type Trx, type WriteResult, type WriteTarget } from './table-writer.js';

/** Vendor records mapped for a stream: those that map, and those kept aside with the reason they do not. */
export async function mapRecords(stream: Stream, records: unknown[], ctx: MapContext): Promise<{ mapped: MappedRecord[]; rejected: Rejection[] }> {
  const mapped: MappedRecord[] = [];
  const rejected: Rejection[] = [];
  for (const [i, record] of records.entries()) {
    if (i && i % SLICE === 0) await letIoRun();
    const result = mapRecord(stream.mapping, record, ctx);
    if (result.ok) mapped.push(result.record);
    else rejected.push({ externalId: result.externalId, reason: result.reason, payload: record });
  }
  return { mapped, rejected };
}

export interface StoreContext {
  connection: ConnectionRow;
  // `any`: whatever a stream prepares goes back to the same stream's hooks.
  stream: Stream<unknown, any>;
  syncedAt: Date;
  /** The sync run the records came from; null for a webhook delivery. */
  runId: string | null;
  /** A reconciliation: records listed but not mappable still count as seen. */
  reconciling?: boolean;
  /** The same object for every page of one run (see `Stream.prepare`); unset for a delivery. */
  run?: object;
}

export interface StoreResult {
  changed: number;
  unchanged: number;
  deleted: number;
  rejected: number;
}

/** What one page or delivery brings: mapped records (and those refused), deletions, payloads kept whole. */
export interface StoreBatch {
  mapped: MappedRecord[];
  rejected: Rejection[];
  deleted?: string[];
  payloads?: unknown[];
  /** The mapped records already made ready for the standard upsert (`prepareBatch`), when the stream uses it. */
  prepared?: PreparedRows;
  /** What the stream's `prepare` made of the mapped records ahead of the transaction (`prepareBatch`). */
  ready?: { value: unknown };
}

/** Whether a stream's records go through the standard upsert untouched, so they can be prepared ahead of their transaction. */
const preparable = (stream: Stream) => !stream.store && !stream.beforeWrite;

/**
 * Whether a batch of this stream may be written while the batch before it is still committing:
 * its statements then touch only its own rows and the outbox until that commit (no hooks in the
 * transaction, no store of its own; `prepare` runs before it), so the two transactions can never wait on each other.
 */
export const writesAlone = (stream: Stream) => preparable(stream) && !stream.afterWrite && !stream.keepPayloads;

/**
 * Makes a page's mapped records ready to write, outside any transaction (the stream's `prepare`, or
 * the catalog, read once per process): the sync prepares the next page while the one before is stored.
 */
export async function prepareBatch(db: Trx, ctx: Omit<StoreContext, 'runId'>, batch: StoreBatch): Promise<StoreBatch> {
  if (!batch.mapped.length) return batch;
  const ready = { ...batch, ready: { value: await ctx.stream.prepare?.(db, ctx.connection.tenant_id, batch.mapped, ctx.run ?? {}) } };
  if (!preparable(ctx.stream)) return ready;
  const target = writeTarget(ctx);
  return { ...ready, prepared: await prepareRows(target, await columnsOf(db, target.mapping.table), batch.mapped) };
}

function writeTarget({ connection, stream, syncedAt }: Pick<StoreContext, 'connection' | 'stream' | 'syncedAt'>): WriteTarget {
  return { tenantId: connection.tenant_id, vendor: connection.vendor, mapping: stream.mapping, syncedAt, returnColumns: !!stream.afterWrite };
}

/** What the first phase of storing wrote: the rows and deletions, with their outbox events. */
export interface WrittenBatch {
  written: WriteResult;
  deleted: number;
  errors: Rejection[];
}

/**
 * Stores mapped records and deletions of one stream in the caller's transaction, the one way
 * both sync pages and webhook deliveries land: the stream's hooks, record errors, and outbox
 * events for what changed, all committed with the rows or not at all. Refuses to commit for a
 * connection that was paused, disconnected or lost its credentials meanwhile.
 */
export async function storeRecords(trx: Trx, ctx: StoreContext, batch: StoreBatch): Promise<StoreResult> {
  return finishStoring(trx, ctx, batch, await writeRecords(trx, ctx, batch));
}

/** The first phase of `storeRecords`: the rows, deletions and their outbox events. */
export async function writeRecords(trx: Trx, ctx: StoreContext, batch: StoreBatch): Promise<WrittenBatch> {
  const { connection, stream } = ctx;
  const { mapped, deleted = [] } = batch;
  const target = writeTarget(ctx);
  const events: ChangeEvents | undefined = stream.mapping.entity ? { entity: stream.mapping.entity, connectionId: connection.id, stream: stream.name } : undefined;
  const ready = batch.ready ?? { value: mapped.length ? await stream.prepare?.(trx, connection.tenant_id, mapped, ctx.run ?? {}) : undefined };
  if (stream.beforeWrite && mapped.length) await stream.beforeWrite(trx, connection.tenant_id, mapped, ready.value);
  const written = batch.prepared ? await writePrepared(trx, batch.prepared, events)
    : stream.store ? await stream.store(trx, target, mapped, ready.value)
    : await writeRows(trx, target, mapped, events);
  if (!written.emitted) await emitChanges(trx, connection, stream, written.changed.map((r) => ({ id: r.id as string, externalId: r.external_id as string })), 'upserted');
  const errors = [...batch.rejected, ...written.rejected];
  // A record the vendor still has but we could not map this time is not "gone": reconciliation keeps its row.
  if (ctx.reconciling) await touchRows(trx, target, errors.map((r) => r.externalId).filter((id): id is string => !!id));
  const deletedIds = await deleteRows(trx, target, deleted);
  await emitChanges(trx, connection, stream, deletedIds.map((id) => ({ id, externalId: null })), 'deleted');
  return { written, deleted: deletedIds.length, errors };
}

/** The second phase of `storeRecords`: the connection still syncing, the stream's hooks, kept payloads and record errors. */
export async function finishStoring(trx: Trx, ctx: StoreContext, batch: StoreBatch, { written, deleted, errors }: WrittenBatch): Promise<StoreResult> {
  const { connection, stream } = ctx;
  const tenantId = connection.tenant_id;
  await assertStillSyncing(trx, tenantId, connection.id);
  if (stream.afterWrite && written.changed.length) await stream.afterWrite(trx, { tenantId, connectionId: connection.id, rows: written.changed });
  if (stream.keepPayloads && batch.payloads?.length) await stream.keepPayloads(trx, { tenantId, connectionId: connection.id }, batch.payloads);
  await recordErrors(trx, connection, ctx.runId, stream.name, errors);
  return { changed: written.changedCount ?? written.changed.length, unchanged: written.unchanged, deleted, rejected: errors.length };
}

/**
 * Pausing, disconnecting or a failed re-authentication stops writes at the next page or delivery:
 * checked last, under a share lock held to the commit, so a pause either waits for this commit or
 * is seen by it.
 */
async function assertStillSyncing(trx: Trx, tenantId: string, connectionId: string): Promise<void> {
  const row = await trx.selectFrom('integrations.connections').select('status')
    .where('tenant_id', '=', tenantId).where('id', '=', connectionId).forShare().executeTakeFirst();
  if (!row || (row.status !== 'active' && row.status !== 'error')) throw new ConnectionStoppedError(`stopped: the connection is ${row?.status ?? 'gone'}`);
}

async function recordErrors(trx: Trx, connection: ConnectionRow, runId: string | null, stream: string, rejected: Rejection[]): Promise<void> {
  if (!rejected.length) return;
  await trx.insertInto('integrations.record_errors').values(rejected.map((r) => ({
    tenant_id: connection.tenant_id, id: randomUUID(), connection_id: connection.id, run_id: runId, stream,
    external_id: r.externalId, reason: r.reason.slice(0, 2_000), payload: JSON.stringify(r.payload ?? null),
  }))).execute();
}

/** Outbox events for the rows that changed, in the writing transaction: subscribers see only committed data. */
export async function emitChanges(trx: Trx, connection: ConnectionRow, stream: Stream, rows: { id: string; externalId: string | null }[], change: 'upserted' | 'deleted'): Promise<void> {
  const entity = stream.mapping.entity;
  if (!entity || !rows.length) return;
  // Two array parameters, however many rows: a page's events cost one short statement.
  await sql`insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
    select ${connection.tenant_id}, ${`${entity}.${change}`}, ${entity}, e.id,
      jsonb_build_object('vendor', ${connection.vendor}::text, 'connectionId', ${connection.id}::text, 'stream', ${stream.name}::text, 'externalId', e.external_id)
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.externalId)}::text[]) as e(id, external_id)`.execute(trx);
}
