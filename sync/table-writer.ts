import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/database.js';
import { stableId } from '../core/stable-id.js';
import type { MappedRecord, Ref, TableMapping } from './mapping.js';

export type Trx = Transaction<Database> | Kysely<Database>;

export interface Rejection {
  externalId: string | null;
  reason: string;
  payload: unknown;
}

export interface WriteResult {
  /** Rows inserted or whose content changed (not merely seen again), with their id and every written column but `raw`. */
  changed: Record<string, unknown>[];
  /** How many rows changed, when a bulk store keeps its changed rows to itself (`changed` is then empty). */
  changedCount?: number;
  /** Rows stored again unchanged (seen, `synced_at` moved). */
  unchanged: number;
  /** Records the vendor had but we could not store (a reference not found). */
  rejected: Rejection[];
}

export interface WriteTarget {
  tenantId: string;
  vendor: string;
  mapping: TableMapping;
  syncedAt: Date;
  /** Return every written column of changed rows (hooks need them); else only their id and external id. */
  returnColumns?: boolean;
}

const columnTypes = new Map<string, Promise<Map<string, string>>>();

/** The table's columns and their SQL types, read once per process from the catalog. */
function columnsOf(trx: Trx, table: string): Promise<Map<string, string>> {
  let found = columnTypes.get(table);
  if (!found) {
    found = sql<{ name: string; type: string }>`
      select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = ${table}::regclass and attnum > 0 and not attisdropped order by attnum`
      .execute(trx).then(({ rows }) => new Map(rows.map((r) => [r.name, r.type])));
    found.catch(() => columnTypes.delete(table));
    columnTypes.set(table, found);
  }
  return found;
}

/** The rows a reference points at, by vendor id: one statement per reference column per page. */
async function resolveRefs(trx: Trx, target: WriteTarget, records: MappedRecord[]): Promise<Map<string, Map<string, string>>> {
  const resolved = new Map<string, Map<string, string>>();
  for (const [column, ref] of Object.entries(target.mapping.refs ?? {})) {
    const wanted = [...new Set(records.map((r) => r.refs[column]).filter((v): v is string => !!v))];
    const found = new Map<string, string>();
    if (wanted.length) {
      const vendor = ref.vendor ?? target.vendor;
      const { rows } = ref.via === 'company'
        ? await sql<{ external_id: string; id: string }>`select external_id, company_id as id from sales.company_identities
            where tenant_id = ${target.tenantId} and vendor = ${vendor} and external_id = any(${wanted})`.execute(trx)
        : await sql<{ external_id: string; id: string }>`select external_id, id from ${sql.table(ref.table)}
            where tenant_id = ${target.tenantId} and vendor = ${vendor} and external_id = any(${wanted})`.execute(trx);
      for (const row of rows) found.set(row.external_id, row.id);
    }
    resolved.set(column, found);
  }
  return resolved;
}

function describeRef(ref: Ref, vendorId: string): string {
  return `${ref.via === 'company' ? 'the company of' : `the ${ref.table} row`} ${vendorId} is not synced (yet)`;
}

/**
 * Stores one page of mapped records in `mapping.table`. Upserts are keyed by (tenant, vendor,
 * external id): every column takes the incoming value only when its vendor version is at least
 * as new as the stored one (an older delivery never overwrites a newer one), and `synced_at`
 * always moves, which is how reconciliation tells the records the vendor still has.
 * Append-only tables keep the first copy of each row.
 */
export async function writeRows(trx: Trx, target: WriteTarget, records: MappedRecord[]): Promise<WriteResult> {
  const { mapping, tenantId, vendor } = target;
  const types = await columnsOf(trx, mapping.table);
  const refs = await resolveRefs(trx, target, records);
  const rejected: Rejection[] = [];
  const byKey = new Map<string, Record<string, unknown>>();
  for (const record of records) {
    const row: Record<string, unknown> = { tenant_id: tenantId, vendor, ...record.columns };
    let missing: string | null = null;
    for (const [column, ref] of Object.entries(mapping.refs ?? {})) {
      const vendorId = record.refs[column];
      const id = vendorId ? refs.get(column)!.get(vendorId) ?? null : null;
      if (vendorId && !id && ref.required) missing = describeRef(ref, vendorId);
      row[column] = id;
    }
    if (missing) {
      rejected.push({ externalId: record.externalId, reason: missing, payload: record.raw });
      continue;
    }
    if (types.has('id') && types.has('external_id')) row.id = stableId(tenantId, vendor, record.externalId);
    if (types.has('external_id')) row.external_id = record.externalId;
    if (types.has('url')) row.url = record.url;
    if (types.has('vendor_updated_at')) row.vendor_updated_at = record.updatedAt;
    if (types.has('synced_at')) row.synced_at = target.syncedAt;
    if (types.has('raw')) row.raw = record.raw;
    if (types.has('created_at')) row.created_at = record.createdAt ?? record.updatedAt ?? target.syncedAt;
    if (types.has('updated_at')) row.updated_at = record.updatedAt ?? target.syncedAt;
    for (const column of Object.keys(row)) if (!types.has(column)) throw new Error(`${mapping.table} has no column "${column}" (mapping of vendor ${vendor})`);
    // Within one page the newest version of a record wins (a record changed between pages can appear twice).
    const key = mapping.write === 'append' ? record.externalId : row.external_id as string;
    const previous = byKey.get(key);
    if (!previous || newer(record.updatedAt, previous.vendor_updated_at as Date | null)) byKey.set(key, row);
  }
  const rows = [...byKey.values()];
  if (!rows.length) return { changed: [], unchanged: 0, rejected };

  const columns = Object.keys(rows[0]);
  const list = sql.raw(columns.map(quote).join(', '));
  const source = rowSource(rows, columns, types);
  const table = sql.table(mapping.table);

  const returned = sql.raw(['id', 'external_id', ...(target.returnColumns ? columns.filter((c) => !['id', 'external_id', 'raw'].includes(c)) : [])].map(quote).join(', '));
  if (mapping.write === 'append') {
    const { rows: inserted } = await sql<Record<string, unknown>>`
      insert into ${table} (${list}) select ${list} from ${source}
      on conflict do nothing returning ${sql.raw(columns.filter((c) => c !== 'raw').map(quote).join(', '))}`.execute(trx);
    return { changed: inserted, unchanged: rows.length - inserted.length, rejected };
  }

  // A row is rewritten only when the incoming version is at least as new and something in it differs;
  // when it was seen (`synced_at`) or stamped (`vendor_updated_at`, `updated_at`) alone is not a change,
  // nor is `created_at`, which is never rewritten (without a vendor creation time it is the sync time).
  const compared = columns.filter((c) => !['id', 'synced_at', 'vendor_updated_at', 'updated_at', 'created_at'].includes(c));
  const differs = `(${compared.map((c) => `t.${quote(c)}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${quote(c)}`).join(', ')})`;
  const isNewer = '(t.vendor_updated_at is null or excluded.vendor_updated_at is null or excluded.vendor_updated_at >= t.vendor_updated_at)';
  const fixed = new Set(['tenant_id', 'id', 'vendor', 'external_id', 'created_at']);
  const updates = sql.raw(columns.filter((c) => !fixed.has(c)).map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', '));
  const { rows: changed } = await sql<Record<string, unknown>>`
    insert into ${table} as t (${list}) select ${list} from ${source}
    on conflict (tenant_id, vendor, external_id) do update set ${updates}
      where ${sql.raw(isNewer)} and ${sql.raw(differs)}
    returning ${returned}`.execute(trx);
  // The rest were seen unchanged (or older than ours): only when they were seen moves.
  const rewritten = new Set(changed.map((r) => r.external_id as string));
  const seen = rows.map((r) => r.external_id as string).filter((id) => !rewritten.has(id));
  if (seen.length && types.has('synced_at')) {
    await sql`update ${table} set synced_at = ${target.syncedAt}
      where tenant_id = ${tenantId} and vendor = ${vendor} and external_id = any(${seen})`.execute(trx);
  }
  return { changed, unchanged: rows.length - changed.length, rejected };
}

/**
 * The page's rows as a relation `x`: one JSON document of row tuples, parsed once by Postgres,
 * each value cast to its column's type. Cheaper at both ends than a typed array a column (whose
 * literals the client escapes value by value) or a document of objects (whose keys repeat).
 */
function rowSource(rows: Record<string, unknown>[], columns: string[], types: Map<string, string>) {
  const tuples = JSON.stringify(rows.map((r) => columns.map((c) => r[c] ?? null)));
  const values = columns.map((c, i) => {
    const type = types.get(c)!;
    if (type === 'jsonb') return `e->${i}`;
    if (type === 'json') return `(e->${i})::json`;
    if (type.endsWith('[]')) return `array(select jsonb_array_elements_text(e->${i}))::${type}`;
    return `(e->>${i})::${type}`;
  });
  return sql`(select ${sql.raw(values.map((v, i) => `${v} as ${quote(columns[i])}`).join(', '))} from jsonb_array_elements(${tuples}::jsonb) as e) as x`;
}

function newer(a: Date | null, b: Date | null): boolean {
  return !b || (!!a && a.getTime() >= b.getTime());
}

function quote(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`not a column name: ${identifier}`);
  return `"${identifier}"`;
}

/** Deletes the rows of these vendor ids; returns the ids deleted. */
export async function deleteRows(trx: Trx, target: WriteTarget, externalIds: string[]): Promise<string[]> {
  if (!externalIds.length) return [];
  const { rows } = await sql<{ id: string }>`delete from ${sql.table(target.mapping.table)}
    where tenant_id = ${target.tenantId} and vendor = ${target.vendor} and external_id = any(${externalIds}) returning id`.execute(trx);
  return rows.map((r) => r.id);
}

/** Deletes the rows of this vendor not seen since `seenSince`: what a full listing no longer has. */
export async function deleteUnseen(trx: Trx, target: WriteTarget, seenSince: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`delete from ${sql.table(target.mapping.table)}
    where tenant_id = ${target.tenantId} and vendor = ${target.vendor} and synced_at < ${seenSince} returning id`.execute(trx);
  return rows.map((r) => r.id);
}

/** Marks rows as seen now without changing them (records the vendor listed but we could not map). */
export async function touchRows(trx: Trx, target: WriteTarget, externalIds: string[]): Promise<void> {
  if (!externalIds.length || target.mapping.write === 'append') return;
  await sql`update ${sql.table(target.mapping.table)} set synced_at = ${target.syncedAt}
    where tenant_id = ${target.tenantId} and vendor = ${target.vendor} and external_id = any(${externalIds})`.execute(trx);
}
