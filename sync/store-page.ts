import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Stream } from './connector.js';
import type { ConnectionRow } from './connection-store.js';
import { ConnectionStoppedError } from './errors.js';
import { mapRecord, type MapContext, type MappedRecord } from './mapping.js';
import { deleteRows, touchRows, writeRows, type Rejection, type Trx } from './table-writer.js';

/** Vendor records mapped for a stream: those that map, and those kept aside with the reason they do not. */
export function mapRecords(stream: Stream, records: unknown[], ctx: MapContext): { mapped: MappedRecord[]; rejected: Rejection[] } {
  const mapped: MappedRecord[] = [];
  const rejected: Rejection[] = [];
  for (const record of records) {
    const result = mapRecord(stream.mapping, record, ctx);
    if (result.ok) mapped.push(result.record);
    else rejected.push({ externalId: result.externalId, reason: result.reason, payload: record });
  }
  return { mapped, rejected };
}

export interface StoreContext {
  connection: ConnectionRow;
  stream: Stream;
  syncedAt: Date;
  /** The sync run the records came from; null for a webhook delivery. */
  runId: string | null;
  /** A reconciliation: records listed but not mappable still count as seen. */
  reconciling?: boolean;
}

export interface StoreResult {
  changed: number;
  unchanged: number;
  deleted: number;
  rejected: number;
}

/**
 * Stores mapped records and deletions of one stream in the caller's transaction, the one way
 * both sync pages and webhook deliveries land: the stream's hooks, record errors, and outbox
 * events for what changed, all committed with the rows or not at all. Refuses to write for a
 * connection that was paused, disconnected or lost its credentials meanwhile.
 */
export async function storeRecords(trx: Trx, ctx: StoreContext, mapped: MappedRecord[], rejected: Rejection[], deleted: string[], payloads: unknown[] = []): Promise<StoreResult> {
  const { connection, stream } = ctx;
  const tenantId = connection.tenant_id;
  await assertStillSyncing(trx, tenantId, connection.id);
  const target = { tenantId, vendor: connection.vendor, mapping: stream.mapping, syncedAt: ctx.syncedAt };
  if (stream.beforeWrite && mapped.length) await stream.beforeWrite(trx, tenantId, mapped);
  const written = await (stream.store ?? writeRows)(trx, { ...target, returnColumns: !!stream.afterWrite }, mapped);
  const errors = [...rejected, ...written.rejected];
  // A record the vendor still has but we could not map this time is not "gone": reconciliation keeps its row.
  if (ctx.reconciling) await touchRows(trx, target, errors.map((r) => r.externalId).filter((id): id is string => !!id));
  const deletedIds = await deleteRows(trx, target, deleted);
  if (stream.afterWrite && written.changed.length) await stream.afterWrite(trx, { tenantId, connectionId: connection.id, rows: written.changed });
  if (stream.keepPayloads && payloads.length) await stream.keepPayloads(trx, { tenantId, connectionId: connection.id }, payloads);
  await recordErrors(trx, connection, ctx.runId, stream.name, errors);
  await emitChanges(trx, connection, stream, written.changed.map((r) => ({ id: r.id as string, externalId: r.external_id as string })), 'upserted');
  await emitChanges(trx, connection, stream, deletedIds.map((id) => ({ id, externalId: null })), 'deleted');
  return { changed: written.changedCount ?? written.changed.length, unchanged: written.unchanged, deleted: deletedIds.length, rejected: errors.length };
}

/** Pausing, disconnecting or a failed re-authentication stops writes at the next page or delivery. */
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
