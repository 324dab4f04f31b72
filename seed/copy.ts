import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type Cell = string | number | bigint | boolean | Date | null | undefined | object;

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format (dates as ISO UTC, objects as JSON). */
function encode(value: Cell): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]) : text;
}

const BATCH_ROWS = 2_000;

export interface CopyOptions {
  /** Called with the rows sent so far, every `every` rows. */
  onProgress?: (rows: number) => void;
  every?: number;
}

/**
 * Streams rows into `table` with COPY on a connection of its own: rows are generated as they
 * are sent (an iterator is pulled only as fast as Postgres takes them), never held in memory.
 */
export async function copyRows(url: string, table: string, columns: readonly string[], rows: Iterable<Cell[]>, options: CopyOptions = {}): Promise<number> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC', application_name: 'product-graph-seed' });
  await client.connect();
  let count = 0;
  const every = options.every ?? 1_000_000;
  try {
    const chunks = function* (): Generator<string> {
      let buffer = '';
      let n = 0;
      for (const row of rows) {
        let line = encode(row[0]);
        for (let i = 1; i < row.length; i++) line += '\t' + encode(row[i]);
        buffer += line + '\n';
        count++;
        if (options.onProgress && count % every === 0) options.onProgress(count);
        if (++n === BATCH_ROWS) { yield buffer; buffer = ''; n = 0; }
      }
      if (buffer) yield buffer;
    };
    const target = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
    await pipeline(Readable.from(chunks(), { objectMode: false }), target);
  } finally {
    await client.end();
  }
  return count;
}
