import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/database.js';
import { stableId } from '../core/stable-id.js';
import { letIoRun, SLICE } from './slices.js';
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
  /** Whether the outbox events of the changed rows were written with them. */
  emitted?: boolean;
}

export interface WriteTarget {
  tenantId: string;
  vendor: string;
  mapping: TableMapping;
  syncedAt: Date;
  /** Return every written column of changed rows (hooks need them); else only their id and external id. */
  returnColumns?: boolean;
}

/** Outbox events to write with the rows that change, in the same statement. */
export interface ChangeEvents {
  /** The GraphQL type of the rows, e.g. 'Feature'; each event is `<entity>.upserted`. */
  entity: string;
  connectionId: string;
  stream: string;
}

const columnTypes = new Map<string, Promise<Map<string, string>>>();
const TIMESTAMPTZ = 'timestamp with time zone';

/** The table's columns and their SQL types, read once per process from the catalog. */
export function columnsOf(trx: Trx, table: string): Promise<Map<string, string>> {
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

function describeRef(ref: Ref, vendorId: string): string {
  return `${ref.via === 'company' ? 'the company of' : `the ${ref.table} row`} ${vendorId} is not synced (yet)`;
}

/**
 * A page of mapped records made ready to write, without Postgres: rows keyed and deduplicated,
 * serialised as one document. Built ahead, while the page before is being stored; each
 * reference column holds the vendor id until the statement that writes finds its row.
 */
export interface PreparedRows {
  target: WriteTarget;
  types: Map<string, string>;
  columns: string[];
  /** The rows as one JSON array of tuples, in `columns` order. */
  document: string;
  count: number;
  /** Each row's record, by external id: for the payload of a record refused for a missing reference. */
  records: Map<string, MappedRecord>;
}

/** Keys, deduplicates and serialises a page's records for `writePrepared`. */
export async function prepareRows(target: WriteTarget, types: Map<string, string>, records: MappedRecord[]): Promise<PreparedRows> {
  const { mapping, tenantId, vendor } = target;
  // Within one page the newest version of a record wins (a record changed between pages can appear twice).
  const newest = new Map<string, MappedRecord>();
  for (const record of records) {
    const previous = newest.get(record.externalId);
    if (!previous || newer(record.updatedAt, previous.updatedAt)) newest.set(record.externalId, record);
  }
  const kept = [...newest.values()];
  if (!kept.length) return { target, types, columns: [], document: '[]', count: 0, records: newest };

  const mapped = Object.keys(kept[0].columns);
  const refColumns = Object.keys(mapping.refs ?? {});
  const has = (column: string) => types.has(column);
  const standard = ['id', 'external_id', 'url', 'vendor_updated_at', 'synced_at', 'raw', 'created_at', 'updated_at']
    .filter((c) => has(c) && (c !== 'id' || has('external_id')));
  const columns = ['tenant_id', 'vendor', ...mapped, ...refColumns, ...standard];
  for (const column of columns) if (!has(column)) throw new Error(`${mapping.table} has no column "${column}" (mapping of vendor ${vendor})`);

  // Each row is a tuple in `columns` order, serialised in slices. Times of timestamptz columns go as
  // epoch milliseconds: JSON.stringify turns a Date into text several times slower than the rest of a row.
  const { syncedAt } = target;
  const standardValue: Record<string, (r: MappedRecord) => unknown> = {
    id: (r) => stableId(tenantId, vendor, r.externalId),
    external_id: (r) => r.externalId,
    url: (r) => r.url,
    vendor_updated_at: (r) => r.updatedAt,
    synced_at: () => syncedAt,
    raw: (r) => r.raw,
    created_at: (r) => r.createdAt ?? r.updatedAt ?? syncedAt,
    updated_at: (r) => r.updatedAt ?? syncedAt,
  };
  const standardValues = standard.map((c) => standardValue[c]);
  const epoch = columns.map((c) => types.get(c) === TIMESTAMPTZ);
  const tuples: string[] = [];
  for (let i = 0; i < kept.length; i += SLICE) {
    if (i) await letIoRun();
    const slice = kept.slice(i, i + SLICE).map((r) => {
      const tuple: unknown[] = [tenantId, vendor];
      for (const c of mapped) tuple.push(r.columns[c] ?? null);
      for (const c of refColumns) tuple.push(r.refs[c] ?? null);
      for (const value of standardValues) tuple.push(value(r) ?? null);
      for (let j = 2; j < tuple.length; j++) if (epoch[j] && tuple[j] instanceof Date) tuple[j] = (tuple[j] as Date).getTime();
      return tuple;
    });
    tuples.push(JSON.stringify(slice).slice(1, -1));
  }
  return { target, types, columns, document: `[${tuples.join(',')}]`, count: kept.length, records: newest };
}

/**
 * Stores one page of mapped records in `mapping.table`. Upserts are keyed by (tenant, vendor,
 * external id): every column takes the incoming value only when its vendor version is at least
 * as new as the stored one (an older delivery never overwrites a newer one), and `synced_at`
 * always moves, which is how reconciliation tells the records the vendor still has.
 * Append-only tables keep the first copy of each row.
 */
export async function writeRows(trx: Trx, target: WriteTarget, records: MappedRecord[], events?: ChangeEvents): Promise<WriteResult> {
  return writePrepared(trx, await prepareRows(target, await columnsOf(trx, target.mapping.table), records), events);
}

/**
 * Writes prepared rows in one statement: references are found by vendor id (a record whose
 * required reference is not found is refused, with why), the rows are upserted, and the outbox
 * events of those that changed are written with them when `events` says of what.
 */
export async function writePrepared(trx: Trx, prepared: PreparedRows, events?: ChangeEvents): Promise<WriteResult> {
  const { target, types, columns, count } = prepared;
  const { mapping, tenantId, vendor } = target;
  if (!count) return { changed: [], unchanged: 0, rejected: [], emitted: !!events };

  const refs = Object.entries(mapping.refs ?? {});
  const refColumns = new Set(refs.map(([column]) => column));
  const list = sql.raw(columns.map(quote).join(', '));
  const table = sql.table(mapping.table);
  // x: the document's rows (reference columns still vendor ids); r: with the rows referred to.
  const joins = refs.map(([column, ref], i) => {
    const alias = sql.raw(`ref${i}`);
    const referred = ref.via === 'company' ? sql`sales.company_identities` : sql.table(ref.table);
    return sql`left join ${referred} ${alias} on ${alias}.tenant_id = ${tenantId} and ${alias}.vendor = ${ref.vendor ?? vendor}
      and ${alias}.external_id = x.${sql.raw(quote(column))}`;
  });
  const found = (i: number) => `ref${i}.${refs[i][1].via === 'company' ? 'company_id' : 'id'}`;
  const resolvedColumns = columns.map((c) => {
    const i = refs.findIndex(([column]) => column === c);
    return i < 0 ? `x.${quote(c)}` : `${found(i)} as ${quote(c)}`;
  });
  // A required reference whose vendor id names no row refuses the record; `_missing` says which.
  const required = refs.map(([column, ref], i) => ({ column, ref, i })).filter(({ ref }) => ref.required);
  const missingOf = ({ column, i }: { column: string; i: number }) => `(x.${quote(column)} is not null and ${found(i)} is null)`;
  const refused = required.length ? `(${required.map(missingOf).join(' or ')})` : 'false';
  const missing = required.length ? `case ${required.map((r) => `when ${missingOf(r)} then '${r.column}'`).join(' ')} end` : 'null::text';

  const returnedColumns = mapping.write === 'append'
    ? columns.filter((c) => c !== 'raw')
    : ['id', 'external_id', ...(target.returnColumns ? columns.filter((c) => !['id', 'external_id', 'raw'].includes(c)) : [])];
  const returned = returnedColumns.map(quote).join(', ');
  const conflict = mapping.write === 'append' ? sql`on conflict do nothing` : upsertClause(columns);
  const outbox = events
    ? sql`, events as (insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
        select ${tenantId}, ${`${events.entity}.upserted`}, ${events.entity}, w.id,
          jsonb_build_object('vendor', ${vendor}::text, 'connectionId', ${events.connectionId}::text, 'stream', ${events.stream}::text, 'externalId', w.external_id)
        from w)`
    : sql``;
  const { rows: result } = await sql<Record<string, unknown> & { _missing: string | null }>`
    with x as (${rowSource(prepared.document, columns, types, refColumns)}),
    r as (select ${sql.raw([...resolvedColumns, `${refused} as _refused`, `${missing} as _missing`].join(', '))}
      from x ${sql.join(joins, sql` `)}),
    w as (insert into ${table} as t (${list}) select ${list} from r where not r._refused ${conflict} returning ${sql.raw(returned)})
    ${outbox}
    select ${sql.raw(returned)}, null::text as _missing from w
    union all select ${sql.raw(returnedColumns.map((c) => `r.${quote(c)}`).join(', '))}, r._missing from r where r._refused`.execute(trx);

  const changed: Record<string, unknown>[] = [];
  const rejected: Rejection[] = [];
  for (const row of result) {
    if (row._missing === null) {
      delete (row as Record<string, unknown>)._missing;
      changed.push(row);
      continue;
    }
    const record = prepared.records.get(row.external_id as string)!;
    rejected.push({ externalId: record.externalId, reason: describeRef(mapping.refs![row._missing], record.refs[row._missing]!), payload: record.raw });
  }
  const stored = count - rejected.length;
  if (mapping.write !== 'append') await markSeen(trx, prepared, changed, rejected);
  return { changed, unchanged: stored - changed.length, rejected, emitted: !!events };
}

/**
 * A row is rewritten only when the incoming version is at least as new and something in it differs;
 * when it was seen (`synced_at`) or stamped (`vendor_updated_at`, `updated_at`) alone is not a change,
 * nor is `created_at`, which is never rewritten (without a vendor creation time it is the sync time).
 */
function upsertClause(columns: string[]) {
  const compared = columns.filter((c) => !['id', 'synced_at', 'vendor_updated_at', 'updated_at', 'created_at'].includes(c));
  const differs = `(${compared.map((c) => `t.${quote(c)}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${quote(c)}`).join(', ')})`;
  const isNewer = '(t.vendor_updated_at is null or excluded.vendor_updated_at is null or excluded.vendor_updated_at >= t.vendor_updated_at)';
  const fixed = new Set(['tenant_id', 'id', 'vendor', 'external_id', 'created_at']);
  const updates = columns.filter((c) => !fixed.has(c)).map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ');
  return sql.raw(`on conflict (tenant_id, vendor, external_id) do update set ${updates} where ${isNewer} and ${differs}`);
}

/** The rows stored unchanged (or older than ours) were still seen: only when they were seen moves. */
async function markSeen(trx: Trx, prepared: PreparedRows, changed: Record<string, unknown>[], rejected: Rejection[]): Promise<void> {
  const { target, types } = prepared;
  if (!types.has('synced_at')) return;
  const skipped = new Set([...changed.map((r) => r.external_id as string), ...rejected.map((r) => r.externalId)]);
  const seen = [...prepared.records.keys()].filter((id) => !skipped.has(id));
  if (!seen.length) return;
  await sql`update ${sql.table(target.mapping.table)} set synced_at = ${target.syncedAt}
    where tenant_id = ${target.tenantId} and vendor = ${target.vendor} and external_id = any(${seen})`.execute(trx);
}

/**
 * The page's rows as a relation: one JSON document of row tuples, parsed once by Postgres,
 * each value cast to its column's type (a reference column stays text: a vendor id). Cheaper at
 * both ends than a typed array a column (whose literals the client escapes value by value) or a
 * document of objects (whose keys repeat).
 */
function rowSource(document: string, columns: string[], types: Map<string, string>, refColumns: Set<string>) {
  const values = columns.map((c, i) => {
    const type = refColumns.has(c) ? 'text' : types.get(c)!;
    if (type === 'jsonb') return `e->${i}`;
    if (type === 'json') return `(e->${i})::json`;
    if (type.endsWith('[]')) return `array(select jsonb_array_elements_text(e->${i}))::${type}`;
    if (type === TIMESTAMPTZ) return `case jsonb_typeof(e->${i}) when 'number' then to_timestamp(0) + (e->>${i})::bigint * interval '1 millisecond' else (e->>${i})::${type} end`;
    return `(e->>${i})::${type}`;
  });
  return sql`select ${sql.raw(values.map((v, i) => `${v} as ${quote(columns[i])}`).join(', '))} from jsonb_array_elements(${document}::jsonb) as e`;
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
