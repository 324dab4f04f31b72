import type { ReadContext } from '../../../../sync/connector.js';
import { NeedsReauthError, VendorError } from '../../../../sync/errors.js';

/** One condition of a query's `where`: the alias is assigned when the query is built. */
export interface Condition {
  name: string;
  operator: 'EQ' | 'NE' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'IN';
  value: unknown[];
}

export interface Query {
  select: string[];
  /** AND-joined. */
  where?: Condition[];
  /** Field -> 'asc' | 'desc', in order of precedence. */
  orderBy?: Record<string, 'asc' | 'desc'>;
  limit: number;
  offset?: number;
}

export type GainsightRecord = Record<string, unknown>;

interface Reply {
  result?: boolean;
  errorCode?: string | null;
  errorDesc?: string | null;
  data?: unknown;
}

/** "No data found for given criteria" comes back as a failure (HTTP 400, GSOBJ_1011): it means an empty page. */
const NO_DATA_CODES = new Set(['GSOBJ_1011']);
const NO_DATA_TEXT = /no data found for given criteria|no entity matches the given criteria/i;
/** A bad access key may also answer 400 with one of these codes instead of a 401. */
const AUTH_CODES = new Set(['GS_APIG_2401', 'GSOBJ_1024']);

/** A DATETIME filter value as the query API reads it: `yyyy-MM-dd HH:mm:ss` in UTC, whole seconds. */
export function filterTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** `POST /v1/data/objects/query/{object}`: the records of one page, however Gainsight phrases an empty one. */
export async function queryObject(ctx: ReadContext<unknown>, object: string, query: Query): Promise<GainsightRecord[]> {
  const where = query.where?.length ? {
    conditions: query.where.map((c, i) => ({ name: c.name, alias: alias(i), value: c.value, operator: c.operator })),
    expression: query.where.map((_, i) => alias(i)).join(' AND '),
  } : undefined;
  const body = { select: query.select, where, orderBy: query.orderBy, limit: query.limit, offset: query.offset ?? 0 };
  const path = `/v1/data/objects/query/${encodeURIComponent(object)}`;
  const response = await ctx.http.request('POST', path, { json: body, accept: [400] });
  const reply = response.json<Reply>();
  if (reply?.result === false || response.status >= 400) {
    const code = reply?.errorCode ?? '';
    const text = `${code} ${reply?.errorDesc ?? ''}`.trim();
    if (NO_DATA_CODES.has(code) || NO_DATA_TEXT.test(text)) return [];
    if (AUTH_CODES.has(code)) throw new NeedsReauthError(`Gainsight refused the access key (${text}): reconnect with a valid key`);
    throw new VendorError(`Gainsight refused the query on ${object} (${response.status}): ${text || response.text.slice(0, 300)}`, response.status, response.text.slice(0, 2_000));
  }
  return records(reply.data, object);
}

/** The documentation shows both `data: [...]` and `data: { records: [...] }`. */
function records(data: unknown, object: string): GainsightRecord[] {
  if (data === null || data === undefined) return [];
  if (Array.isArray(data)) return data as GainsightRecord[];
  const list = (data as { records?: unknown }).records;
  if (list === null || list === undefined) return [];
  if (Array.isArray(list)) return list as GainsightRecord[];
  throw new VendorError(`Gainsight answered the query on ${object} with an unexpected shape: ${JSON.stringify(data).slice(0, 300)}`, 200);
}

function alias(i: number): string {
  return String.fromCharCode(65 + i);
}
