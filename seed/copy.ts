import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type Cell = string | number | boolean | Date | null | undefined | object;

function encode(value: Cell): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Streams rows into `table` with COPY: the rows are generated as they are sent, never held in memory. */
export async function copyRows(url: string, table: string, columns: string[], rows: Iterable<Cell[]>): Promise<number> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  let count = 0;
  try {
    const chunks = function* () {
      let buffer: string[] = [];
      for (const row of rows) {
        buffer.push(row.map(encode).join('\t'));
        count++;
        if (buffer.length === 2_000) { yield buffer.join('\n') + '\n'; buffer = []; }
      }
      if (buffer.length) yield buffer.join('\n') + '\n';
    };
    const target = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
    await pipeline(Readable.from(chunks()), target);
  } finally {
    await client.end();
  }
  return count;
}
