import { sql } from 'kysely';
import type { Db } from './db.js';

/** Windows of tenants kept at once (each a map of at most one value per feature); the least recently used go first. */
const MAX_KEPT = 256;

/** The tenant's version of the data behind the kept reports (schema migrations 0008, 0010, 0014 and 0015); 0 before any change. */
export async function adoptionDataVersion(db: Db, tenantId: string): Promise<string> {
  const { rows: [row] } = await sql<{ version: string }>`
    select coalesce((select version from analytics.adoption_data_versions where tenant_id = ${tenantId}), 0)::text as version`.execute(db);
  return row.version;
}

/**
 * A per-feature (or per-series) answer computed for all of a tenant's features at once (one set-based statement) and
 * kept per (tenant, key: the answer's arguments, such as a window's first day) with the data version read just before
 * computing it. Writers bump the version in the same
 * transaction as their rows, so the answer holds at least the data of that version: a later reader finding the same
 * version gets an answer that is not stale, and any change since makes the next reader compute it again.
 */
export class AdoptionSnapshots<V> {
  private readonly kept = new Map<string, { version: string; answer: Promise<Map<string, V>> }>();

  constructor(private readonly compute: (db: Db, tenantId: string, key: string) => Promise<Map<string, V>>) {}

  async get(db: Db, tenantId: string, argumentsKey: string): Promise<Map<string, V>> {
    const key = JSON.stringify([tenantId, argumentsKey]);
    const version = await adoptionDataVersion(db, tenantId);
    const found = this.kept.get(key);
    this.kept.delete(key);
    if (found?.version === version) {
      this.kept.set(key, found);
      return found.answer;
    }
    const entry = { version, answer: this.compute(db, tenantId, argumentsKey) };
    this.kept.set(key, entry);
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    entry.answer.catch(() => { if (this.kept.get(key) === entry) this.kept.delete(key); });
    return entry.answer;
  }
}
