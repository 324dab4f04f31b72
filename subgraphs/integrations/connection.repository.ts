import { anyId } from '../../core/sql.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import type { ConnectionStatus, IntegrationConnection } from './connection.type.js';

/** Every column a client may see: never `credentials` nor `config`. */
const COLUMNS = [
  'c.id', 'c.vendor', 'c.domain', 'c.name', 'c.status', 'c.last_success_at as lastSuccessAt', 'c.last_error as lastError',
  'c.last_error_at as lastErrorAt', 'c.next_run_at as nextRunAt', 'c.created_at as createdAt',
  sql<number>`c.records_synced::float8`.as('recordsSynced'),
  sql<number | null>`case when c.last_success_at is not null then greatest(0, floor(extract(epoch from (now() - c.last_success_at))))::int end`.as('lagSeconds'),
] as const;

export interface ConnectionFilterValues {
  vendor?: string | null;
  status?: ConnectionStatus | null;
}

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('integrations.connections as c').where('c.tenant_id', '=', tenantId).select(COLUMNS);
}

export async function connectionsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<IntegrationConnection[]> {
  return (await scoped(db, tenantId).where(anyId('c.id', ids)).execute()) as IntegrationConnection[];
}

/** A tenant's connections (a handful), by vendor, then name, then id. */
export async function connectionList(db: Db, tenantId: string, filter: ConnectionFilterValues): Promise<IntegrationConnection[]> {
  let query = scoped(db, tenantId);
  if (filter.vendor) query = query.where(sql<boolean>`lower(c.vendor) = lower(${filter.vendor})`);
  if (filter.status) query = query.where('c.status', '=', filter.status);
  return (await query.orderBy('c.vendor').orderBy('c.name').orderBy('c.id').execute()) as IntegrationConnection[];
}

/**
 * Per domain ('analytics', 'customer_success', ...): as of when the tenant's data of that domain is synced, the oldest
 * last_success_at of its connections that are not disconnected; null when it has none, or one has never synced.
 */
export async function syncedAsOfByDomain(db: Db, tenantId: string, domains: readonly string[]): Promise<Map<string, Date | null>> {
  const rows = await db
    .selectFrom('integrations.connections as c')
    .where('c.tenant_id', '=', tenantId)
    .where(sql<boolean>`c.domain = any(${[...domains]}::text[])`)
    .where('c.status', '<>', 'disconnected')
    .select(['c.domain', sql<Date | null>`case when count(*) = count(c.last_success_at) then min(c.last_success_at) end`.as('asOf')])
    .groupBy('c.domain')
    .execute();
  return new Map(rows.map((r) => [r.domain, r.asOf]));
}
