import { sql } from 'kysely';
import { loadConnection } from '../connection-store.js';
import { connectionHttp } from '../connection-http.js';
import { ConnectionStoppedError } from '../errors.js';
import type { VendorHttp } from '../http-client.js';
import type { SyncDeps } from '../run-stream.js';
import { commitWithoutDiskWait } from '../redone-if-lost.js';
import { mapRecords, storeRecords } from '../store-page.js';

export interface WebhookJob {
  tenantId: string;
  connectionId: string;
  deliveryId: string;
}

export type WebhookOutcome = 'processed' | 'skipped' | 'already-done';

/**
 * Processes one stored delivery: asks the vendor's webhook spec what it changes (fetching what
 * the payload lacks), then stores those records through the streams' mappings and marks the
 * receipt processed, all in one transaction. A delivery processed twice (a job retried after
 * its commit) finds its receipt done; records land only when their vendor version is at least
 * as new as the stored one, so the order deliveries arrive in does not decide the final state.
 */
export async function processWebhook(deps: SyncDeps, job: WebhookJob): Promise<WebhookOutcome> {
  const [receipt, connection] = await Promise.all([
    deps.db.selectFrom('integrations.webhook_receipts').selectAll()
      .where('tenant_id', '=', job.tenantId).where('connection_id', '=', job.connectionId).where('delivery_id', '=', job.deliveryId).executeTakeFirst(),
    loadConnection(deps.db, job.tenantId, job.connectionId),
  ]);
  if (!receipt || receipt.status !== 'pending') return 'already-done';
  const connector = connection && deps.connectors.get(connection.vendor);
  const spec = connector?.webhooks;
  if (!connection || !connector || !spec) return 'already-done';
  if (connection.status !== 'active' && connection.status !== 'error') return skip(deps, job, `the connection was ${connection.status}; its next sync reads the change`);

  const log = deps.log.child({ tenantId: job.tenantId, connectionId: job.connectionId, vendor: connection.vendor, deliveryId: job.deliveryId, eventType: receipt.event_type });
  const controller = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, controller.signal]) : controller.signal;
  let http: VendorHttp | null = null;
  const config = (connection.config ?? {}) as Record<string, unknown>;
  try {
    const changes = await spec.changes({ id: receipt.delivery_id, type: receipt.event_type, payload: receipt.payload }, {
      http: () => (http ??= connectionHttp(deps, connection, connector, log, signal)), config, log,
      stored: async (streamName, externalIds) => {
        const stream = connector.streams.find((s) => s.name === streamName);
        if (!stream || !externalIds.length) return new Set();
        const { rows } = await sql<{ external_id: string }>`select external_id from ${sql.table(stream.mapping.table)}
          where tenant_id = ${job.tenantId} and vendor = ${connection.vendor} and external_id = any(${externalIds})`.execute(deps.db);
        return new Set(rows.map((r) => r.external_id));
      },
    });
    const syncedAt = new Date();
    await deps.db.transaction().execute(async (trx) => {
      const { rows: [locked] } = await sql<{ status: string }>`select status, ${commitWithoutDiskWait}
        from integrations.webhook_receipts
        where tenant_id = ${job.tenantId} and connection_id = ${job.connectionId} and delivery_id = ${job.deliveryId} for update`.execute(trx);
      if (locked?.status !== 'pending') return;
      for (const change of changes) {
        // A change of nothing (a release the store already has) writes nothing: it asks nothing of Postgres.
        if (!change.records.length && !change.deleted?.length) continue;
        const stream = connector.streams.find((s) => s.name === change.stream);
        if (!stream) throw new Error(`vendor ${connection.vendor} has no stream "${change.stream}"`);
        const mapped = await mapRecords(stream, change.records, { tenantId: job.tenantId, config });
        await storeRecords(trx, { connection, stream, syncedAt, runId: null }, { ...mapped, deleted: change.deleted });
      }
      await trx.updateTable('integrations.webhook_receipts').set({ status: 'processed', processed_at: new Date(), attempts: sql`attempts + 1`, error: null })
        .where('tenant_id', '=', job.tenantId).where('connection_id', '=', job.connectionId).where('delivery_id', '=', job.deliveryId).execute();
      // The connection's row is only read here (the connection's `recordsSynced` counts syncs;
      // its `webhooks` counts these): deliveries of one connection land in parallel.
    });
    return 'processed';
  } catch (error) {
    if (error instanceof ConnectionStoppedError) return skip(deps, job, `${error.message}; its next sync reads the change`);
    throw error;
  } finally {
    controller.abort();
  }
}

/** A failed attempt: counted on the receipt; after the last one the receipt says it failed and why. */
export async function recordWebhookFailure(deps: SyncDeps, job: WebhookJob, error: unknown, final: boolean): Promise<void> {
  await deps.db.updateTable('integrations.webhook_receipts')
    .set({ attempts: sql`attempts + 1`, error: (error instanceof Error ? error.message : String(error)).slice(0, 2_000), ...(final ? { status: 'failed' as const, processed_at: new Date() } : {}) })
    .where('tenant_id', '=', job.tenantId).where('connection_id', '=', job.connectionId).where('delivery_id', '=', job.deliveryId)
    .where('status', '=', 'pending').execute();
}

async function skip(deps: SyncDeps, job: WebhookJob, reason: string): Promise<WebhookOutcome> {
  await deps.db.updateTable('integrations.webhook_receipts').set({ status: 'skipped', processed_at: new Date(), error: reason })
    .where('tenant_id', '=', job.tenantId).where('connection_id', '=', job.connectionId).where('delivery_id', '=', job.deliveryId)
    .where('status', '=', 'pending').execute();
  return 'skipped';
}
