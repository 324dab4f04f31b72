import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';

/** One file of an export: the events uploaded in one hour (an hour may come in several parts). */
export interface ExportFile {
  name: string;
  /** The upload hour the file holds (epoch ms), from its name; null when the name does not say. */
  hour: number | null;
  part: number;
  data: Uint8Array;
}

/** `<app>/<app>_2026-10-05_7#0.json.gz`: project, upload day, upload hour (UTC), part. */
const FILE_NAME = /(\d{4})-(\d{2})-(\d{2})_(\d{1,2})#(\d+)\.json(?:\.gz)?$/;

/** The archive's files, oldest upload hour first and each hour's parts in order. */
export function exportFiles(zip: Uint8Array): ExportFile[] {
  const entries = unzipSync(zip, { filter: (file) => !file.name.endsWith('/') });
  return Object.entries(entries).map(([name, data]) => {
    const m = FILE_NAME.exec(name);
    return {
      name, data,
      hour: m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) : null,
      part: m ? Number(m[5]) : 0,
    };
  }).sort((a, b) => (a.hour ?? Infinity) - (b.hour ?? Infinity) || a.part - b.part || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A file's events, one JSON object a line, parsed as they are asked for (the caller can let I/O run
 * between them); a line that is not JSON stays text (and is rejected with its content).
 */
export function* decodeEvents(file: ExportFile): Iterable<unknown> {
  const gzipped = file.data[0] === 0x1f && file.data[1] === 0x8b;
  // zlib's native gunzip: several times faster than a JavaScript one, and this runs for every event. Neither
  // form copies the bytes before decoding them.
  const bytes = gzipped ? gunzipSync(file.data) : Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  for (const line of bytes.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      event = line;
    }
    yield event;
  }
}
