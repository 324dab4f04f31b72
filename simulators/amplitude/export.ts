import { gzipSync } from 'node:zlib';
import { zipSync, type ZipOptions } from 'fflate';
import { HOUR_MS, type EventStore } from './event-store.js';
import { renderEvent, type RenderOptions } from './render.js';

/** An upload hour is exportable this long after it starts: it ends, then about two hours pass. */
export const AVAILABLE_AFTER_MS = 3 * HOUR_MS;

export type ExportAnswer =
  | { status: 200; zip: Uint8Array; events: number }
  | { status: 400; message: string }
  | { status: 404; message: string };

export interface ExportLimits {
  /** Events in one hour's file before the next part begins. */
  eventsPerFile: number;
  /** Stands in for the 4 GB limit of one export. */
  maxEventsPerExport: number;
}

/**
 * The export of upload hours `from`..`to` (both included, hour numbers since the epoch) as seen
 * at `now`: a zip with a folder named by the project holding `<app>_<YYYY-MM-DD>_<H>#<part>.json.gz`
 * files, each hour compressed only when asked for.
 */
export function exportHours(store: EventStore, from: number, to: number, now: number, limits: ExportLimits, render: RenderOptions): ExportAnswer {
  const hours: number[] = [];
  let events = 0;
  for (let hour = from; hour <= to; hour++) {
    const bucket = store.hours.get(hour);
    if (!bucket?.count || hour * HOUR_MS + AVAILABLE_AFTER_MS > now) continue;
    hours.push(hour);
    events += bucket.count;
  }
  if (!events) return { status: 404, message: 'No data available for the requested time range.' };
  if (events > limits.maxEventsPerExport) {
    return { status: 400, message: 'Raw data files were too large. Please choose a smaller time range. The size limit is 4GB.' };
  }
  const folder: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const hour of hours) {
    const bucket = store.hours.get(hour)!;
    const start = new Date(hour * HOUR_MS);
    const name = `${render.projectId}_${start.toISOString().slice(0, 10)}_${start.getUTCHours()}`;
    for (let part = 0; part * limits.eventsPerFile < bucket.count; part++) {
      const lines: string[] = [];
      for (let i = part * limits.eventsPerFile; i < Math.min(bucket.count, (part + 1) * limits.eventsPerFile); i++) lines.push(renderEvent(store, bucket, i, render));
      // zlib's native gzip: millions of events make gigabytes of JSON.
      folder[`${name}#${part}.json.gz`] = [gzipSync(`${lines.join('\n')}\n`, { level: 1 }), { mtime: start }];
    }
  }
  // The parts are compressed already: stored as they are.
  const zip = zipSync({ [String(render.projectId)]: folder }, { level: 0 });
  return { status: 200, zip, events };
}
