import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { VENDOR_TABLES } from '../../seed/tables.js';
import type { Credentials } from '../../sync/auth.js';
import { decryptCredentials, type KeyRing } from '../../sync/credentials.js';

/** Connection administration: every statement names the tenant (row-level security checks it again). */

/** Moves a connection between states; returns false when it is not in one of `from`. */
export async function transition(db: Db, tenantId: string, id: string, from: string[], to: 'active' | 'paused', nextRunNow: boolean): Promise<boolean> {
  const result = await db.updateTable('integrations.connections')
    .set({ status: to, updated_at: new Date(), ...(nextRunNow ? { next_run_at: new Date() } : {}) })
    .where('tenant_id', '=', tenantId).where('id', '=', id).where('status', 'in', from as never[]).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Asks for a sync as soon as a worker is free; `fromScratch` forgets the cursors so the next run backfills. */
export async function requestSync(db: Db, tenantId: string, id: string, fromScratch: boolean): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('integrations.connections').set({ next_run_at: new Date(), updated_at: new Date() })
      .where('tenant_id', '=', tenantId).where('id', '=', id).where('status', 'in', ['active', 'error']).executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    if (fromScratch) await trx.deleteFrom('integrations.sync_cursors').where('tenant_id', '=', tenantId).where('connection_id', '=', id).execute();
    return true;
  });
}

export interface Disconnected {
  vendor: string;
  credentials: Credentials | null;
  rowsDeleted: number;
}

/**
 * Disconnects: the connection keeps its row (status `disconnected`, runs kept for the record)
 * but loses its credentials, cursors, record errors, webhook receipts, kept export files and every row it synced.
 * Runs still going stop at their next page (they check the status in each page's transaction).
 */
export async function disconnect(db: Db, ring: KeyRing, tenantId: string, id: string): Promise<Disconnected | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('integrations.connections').select(['vendor', 'credentials', 'status'])
      .where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row || row.status === 'disconnected') return null;
    let credentials: Credentials | null = null;
    try {
      credentials = row.credentials ? decryptCredentials(ring, tenantId, id, row.credentials) : null;
    } catch {
      credentials = null;
    }
    await trx.updateTable('integrations.connections')
      .set({ status: 'disconnected', credentials: null, next_run_at: null, updated_at: new Date() })
      .where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    let rowsDeleted = 0;
    // Children before parents, as the foreign keys need.
    for (const table of [...VENDOR_TABLES].reverse()) {
      const result = await sql`delete from ${sql.table(table)} where tenant_id = ${tenantId} and vendor = ${row.vendor}`.execute(trx);
      rowsDeleted += Number(result.numAffectedRows ?? 0);
    }
    await sql`delete from sales.company_identities where tenant_id = ${tenantId} and vendor = ${row.vendor}`.execute(trx);
    for (const table of ['integrations.sync_cursors', 'integrations.record_errors', 'integrations.webhook_receipts', 'analytics.usage_event_archives'] as const) {
      await trx.deleteFrom(table).where('tenant_id', '=', tenantId).where('connection_id', '=', id).execute();
    }
    return { vendor: row.vendor, credentials, rowsDeleted };
  });
}
