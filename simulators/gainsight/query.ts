import { DATETIME_FIELDS } from './records.js';

/** A query the API refused: its status, Gainsight error code and description. */
export class QueryError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface Condition { name: string; alias?: string; value?: unknown[]; operator: string }
export interface QueryBody {
  select?: unknown;
  where?: { conditions?: Condition[]; expression?: string };
  orderBy?: Record<string, string>;
  limit?: unknown;
  offset?: unknown;
}

type Row = Record<string, unknown>;

const MAX_LIMIT = 5_000;

/** A DATETIME as epoch milliseconds: `yyyy-MM-dd HH:mm:ss` (UTC), ISO text or epoch milliseconds. */
function moment(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  return Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
}

function compare(field: string, a: unknown, b: unknown): number {
  if (DATETIME_FIELDS.has(field)) return moment(a) - moment(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function matches(row: Row, c: Condition): boolean {
  const value = row[c.name];
  const [first] = c.value ?? [];
  const present = value !== null && value !== undefined;
  switch (c.operator) {
    case 'EQ': return present && compare(c.name, value, first) === 0;
    case 'NE': return !present || compare(c.name, value, first) !== 0;
    case 'GT': return present && compare(c.name, value, first) > 0;
    case 'GTE': return present && compare(c.name, value, first) >= 0;
    case 'LT': return present && compare(c.name, value, first) < 0;
    case 'LTE': return present && compare(c.name, value, first) <= 0;
    case 'IN': return present && (c.value ?? []).some((v) => compare(c.name, value, v) === 0);
    case 'NOT_IN': return !present || !(c.value ?? []).some((v) => compare(c.name, value, v) === 0);
    case 'IS_NULL': return !present;
    case 'IS_NOT_NULL': return present;
    case 'CONTAINS': return present && String(value).toLowerCase().includes(String(first).toLowerCase());
    case 'STARTS_WITH': return present && String(value).toLowerCase().startsWith(String(first).toLowerCase());
    default: throw new QueryError(400, 'GSOBJ_1008', `Invalid operator: ${c.operator}`);
  }
}

/** Evaluates an expression of aliases with AND, OR and parentheses ("A AND (B OR C)"). */
function evaluate(expression: string, truth: Map<string, boolean>): boolean {
  const tokens = expression.match(/\(|\)|[A-Za-z0-9_]+/g) ?? [];
  let at = 0;
  const fail = (): never => { throw new QueryError(400, 'GSOBJ_1009', `Invalid where expression: ${expression}`); };
  const primary = (): boolean => {
    const token = tokens[at++];
    if (token === '(') {
      const value = or();
      if (tokens[at++] !== ')') fail();
      return value;
    }
    if (!token || !truth.has(token)) return fail();
    return truth.get(token)!;
  };
  const and = (): boolean => {
    let value = primary();
    while (tokens[at]?.toUpperCase() === 'AND') { at++; value = primary() && value; }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[at]?.toUpperCase() === 'OR') { at++; value = and() || value; }
    return value;
  };
  const value = or();
  if (at !== tokens.length) fail();
  return value;
}

/** Runs a query body over an object's records, as `POST /v1/data/objects/query/{object}` does. */
export function runQuery(rows: Row[], fields: string[], body: QueryBody): Row[] {
  const known = new Set(fields);
  const unknown = (name: string) => new QueryError(400, 'GSOBJ_1004', `Invalid field name: ${name}`);
  if (!Array.isArray(body.select) || !body.select.length || body.select.some((f) => typeof f !== 'string')) {
    throw new QueryError(400, 'GSOBJ_1003', 'select must list the fields to return');
  }
  const select = body.select as string[];
  for (const f of select) if (!known.has(f)) throw unknown(f);
  const limit = body.limit === undefined ? 100 : Number(body.limit);
  const offset = body.offset === undefined ? 0 : Number(body.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new QueryError(400, 'GSOBJ_1006', `limit must be between 1 and ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0) throw new QueryError(400, 'GSOBJ_1007', 'offset must not be negative');

  const conditions = body.where?.conditions ?? [];
  for (const c of conditions) if (!known.has(c.name)) throw unknown(c.name);
  const aliases = conditions.map((c, i) => c.alias || String.fromCharCode(65 + i));
  const expression = body.where?.expression || aliases.join(' AND ');
  const filtered = conditions.length
    ? rows.filter((row) => evaluate(expression, new Map(conditions.map((c, i) => [aliases[i], matches(row, c)]))))
    : [...rows];

  const order = Object.entries(body.orderBy ?? {});
  for (const [f] of order) if (!known.has(f)) throw unknown(f);
  filtered.sort((a, b) => {
    for (const [f, direction] of order) {
      const nullsLast = (a[f] === null || a[f] === undefined ? 1 : 0) - (b[f] === null || b[f] === undefined ? 1 : 0);
      const by = nullsLast || compare(f, a[f], b[f]);
      if (by) return direction.toLowerCase() === 'desc' ? -by : by;
    }
    return 0;
  });
  return filtered.slice(offset, offset + limit).map((row) => Object.fromEntries(select.map((f) => [f, row[f] ?? null])));
}
