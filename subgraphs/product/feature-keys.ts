import { sql } from 'kysely';
import type { MappedRecord } from '../../sync/mapping.js';
import type { Trx } from '../../sync/table-writer.js';

/**
 * Replaces each record's feature key (in `feature_id`) with the feature's id. Usage events and
 * survey answers name features by key, and features come from the product tools, whose vendor
 * ids are not the key. An unknown key leaves the record without a feature.
 */
export async function resolveFeatureKeys(trx: Trx, tenantId: string, events: MappedRecord[]): Promise<void> {
  const keys = [...new Set(events.map((e) => e.columns.feature_id).filter((k): k is string => typeof k === 'string'))];
  const ids = new Map<string, string>();
  if (keys.length) {
    const { rows } = await sql<{ key: string; id: string }>`select distinct on (key) key, id from product.features
      where tenant_id = ${tenantId} and key = any(${keys}) order by key, updated_at desc`.execute(trx);
    for (const row of rows) ids.set(row.key, row.id);
  }
  for (const event of events) {
    const key = event.columns.feature_id;
    event.columns.feature_id = typeof key === 'string' ? ids.get(key) ?? null : null;
  }
}
