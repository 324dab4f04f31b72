/**
 * Declarative field mappings: vendor field -> our column, with its type, allowed values and
 * default. A record whose mapping fails is kept in record errors with the reason; it never
 * stops the rest of its page. Fields a mapping does not name stay in the raw payload.
 */

export interface MapContext {
  tenantId: string;
  /** The connection's settings: site names, portal ids, anything a link back needs. */
  config: Record<string, unknown>;
}

export class MappingError extends Error {
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}

/** Reads one column's value from a vendor record, or throws a MappingError saying why it cannot. */
export interface Field<T = unknown> {
  read(record: unknown, ctx: MapContext): T;
}

/** Where a column's value refers to another row, found by that row's vendor id. */
export interface Ref {
  /** The vendor id of the row referred to, or null. */
  from: Field<string | null>;
  /** The table of the row referred to, e.g. 'product.releases'. */
  table: string;
  /** The vendor of the row referred to; defaults to the connection's vendor. */
  vendor?: string;
  /**
   * 'row' (default): the row with that vendor and external id. 'company': the canonical company
   * that vendor record was resolved to (sales.company_identities).
   */
  via?: 'row' | 'company';
  /** When true, a record whose reference is not found goes to record errors instead of landing with null. */
  required?: boolean;
}

export interface TableMapping {
  /** 'schema.table' of a vendor-backed table (tenant_id, id, source columns). */
  table: string;
  /** The GraphQL type of the rows, for outbox events; unset for streams too big for per-row events. */
  entity?: string;
  externalId: Field<string>;
  url?: Field<string | null>;
  /** The vendor's last-modified time: the newest version wins over arrival order. */
  updatedAt?: Field<Date | null>;
  createdAt?: Field<Date | null>;
  columns: Record<string, Field>;
  refs?: Record<string, Ref>;
  /**
   * 'upsert' (default): keyed by (tenant, vendor, external id), newest vendor version wins.
   * 'append': immutable rows keyed by the table's primary key (usage events); repeats are ignored.
   */
  write?: 'upsert' | 'append';
  /** Keep the vendor payload in `raw` (default true). */
  keepRaw?: boolean;
}

// --- reading paths ---------------------------------------------------------

/** The value at a dotted path ('fields.status.name', 'items.data.0.price'); undefined when absent. */
export function at(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

interface Options<T> {
  /** Null/absent is allowed (stored as null, or as `default` when given). */
  optional?: boolean;
  default?: T;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function field<T>(path: string, options: Options<T>, convert: (value: unknown) => T): Field<T | null> {
  return {
    read(record) {
      const value = at(record, path);
      if (!present(value)) {
        if (options.default !== undefined) return options.default;
        if (options.optional) return null;
        throw new MappingError(path, 'missing');
      }
      return convert(value);
    },
  };
}

export function text(path: string, options: Options<string> & { maxLength?: number } = {}): Field<string | null> {
  return field(path, options, (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') throw new MappingError(path, `expected text, got ${describe(value)}`);
    const s = String(value);
    return options.maxLength && s.length > options.maxLength ? s.slice(0, options.maxLength) : s;
  });
}

export function integer(path: string, options: Options<number> & { min?: number; max?: number } = {}): Field<number | null> {
  return field(path, options, (value) => {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new MappingError(path, `expected an integer, got ${describe(value)}`);
    if ((options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max)) {
      throw new MappingError(path, `${n} is outside ${options.min ?? '-∞'}..${options.max ?? '∞'}`);
    }
    return n;
  });
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** An exact decimal amount ("1234.50"), from a number or numeric text: never through a float sum. */
export function decimal(path: string, options: Options<string> & { min?: number } = {}): Field<string | null> {
  return field(path, options, (value) => {
    const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (!DECIMAL.test(s)) throw new MappingError(path, `expected a number, got ${describe(value)}`);
    if (options.min !== undefined && Number(s) < options.min) throw new MappingError(path, `${s} is below ${options.min}`);
    return s;
  });
}

/** Integer minor units (Stripe's cents) as an exact decimal amount: 4900 -> "49.00". */
export function cents(path: string, options: Options<string> = {}): Field<string | null> {
  return field(path, options, (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new MappingError(path, `expected integer cents, got ${describe(value)}`);
    const sign = value < 0 ? '-' : '';
    const abs = Math.abs(value);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  });
}

export function bool(path: string, options: Options<boolean> = {}): Field<boolean | null> {
  return field(path, options, (value) => {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new MappingError(path, `expected true or false, got ${describe(value)}`);
  });
}

/** A moment: ISO 8601 text, or epoch seconds (`unit: 's'`, Stripe) or milliseconds (`unit: 'ms'`). */
export function timestamp(path: string, options: Options<Date> & { unit?: 's' | 'ms' } = {}): Field<Date | null> {
  return field(path, options, (value) => {
    const date = typeof value === 'number' ? new Date(options.unit === 's' ? value * 1000 : value)
      : typeof value === 'string' && /^\d+$/.test(value) && options.unit ? new Date(Number(value) * (options.unit === 's' ? 1000 : 1))
        : typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw new MappingError(path, `expected a date-time, got ${describe(value)}`);
    return date;
  });
}

/** A calendar day 'YYYY-MM-DD' (a date-time is cut to its UTC day). */
export function date(path: string, options: Options<string> = {}): Field<string | null> {
  return field(path, options, (value) => {
    const s = typeof value === 'string' ? value.slice(0, 10) : '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) throw new MappingError(path, `expected a date, got ${describe(value)}`);
    return s;
  });
}

/**
 * A vendor value translated to one of ours, e.g. Jira priority -> severity:
 * `oneOf('fields.priority.name', { Highest: 'critical', High: 'high' }, { default: 'medium' })`.
 * An unknown value takes the default when there is one, else the record is rejected.
 */
export function oneOf<T extends string>(path: string, values: Record<string, T>, options: Options<T> & { caseInsensitive?: boolean } = {}): Field<T | null> {
  const lookup = new Map(Object.entries(values).map(([k, v]) => [options.caseInsensitive ? k.toLowerCase() : k, v]));
  return field(path, options, (value) => {
    const key = options.caseInsensitive ? String(value).toLowerCase() : String(value);
    const found = lookup.get(key);
    if (found !== undefined) return found;
    if (options.default !== undefined) return options.default;
    throw new MappingError(path, `"${String(value).slice(0, 80)}" is not one of ${Object.keys(values).map((k) => `"${k}"`).join(', ')}`);
  });
}

/** A value no single path gives: computed from the record (and the connection's settings). */
export function computed<T>(read: (record: any, ctx: MapContext) => T): Field<T> {
  return { read };
}

export function constant<T>(value: T): Field<T> {
  return { read: () => value };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value.slice(0, 60)}"`;
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return `${typeof value} ${String(value)}`;
}

// --- mapping a record -------------------------------------------------------

export interface MappedRecord {
  externalId: string;
  url: string | null;
  updatedAt: Date | null;
  createdAt: Date | null;
  columns: Record<string, unknown>;
  /** Vendor ids of the rows this record refers to, by column. */
  refs: Record<string, string | null>;
  raw: unknown;
}

export type MapResult = { ok: true; record: MappedRecord } | { ok: false; externalId: string | null; reason: string };

/** Maps one record; any failing field rejects the record with every reason found. */
export function mapRecord(mapping: TableMapping, record: unknown, ctx: MapContext): MapResult {
  const reasons: string[] = [];
  const read = <T>(f: Field<T> | undefined, fallback: T): T => {
    if (!f) return fallback;
    try {
      return f.read(record, ctx);
    } catch (error) {
      reasons.push(error instanceof MappingError ? error.message : `mapping failed: ${(error as Error).message}`);
      return fallback;
    }
  };
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return { ok: false, externalId: null, reason: `expected an object, got ${describe(record)}` };
  }
  const externalId = read<string | null>(mapping.externalId, null);
  const columns: Record<string, unknown> = {};
  for (const [column, f] of Object.entries(mapping.columns)) columns[column] = read(f, null);
  const refs: Record<string, string | null> = {};
  for (const [column, ref] of Object.entries(mapping.refs ?? {})) refs[column] = read(ref.from, null);
  const result = {
    externalId: externalId ?? '',
    url: read(mapping.url, null),
    updatedAt: read(mapping.updatedAt, null),
    createdAt: read(mapping.createdAt, null),
    columns, refs,
    raw: mapping.keepRaw === false ? null : record,
  };
  if (reasons.length || !externalId) return { ok: false, externalId, reason: reasons.join('; ') || 'no external id' };
  return { ok: true, record: result };
}
