import { sql } from 'kysely';
import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { VendorError } from '../../../../sync/errors.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import type { Trx } from '../../../../sync/table-writer.js';
import { upsertSeenUsers } from './end-users.js';
import { decodeEvents, exportFiles, type ExportFile } from './export-archive.js';
import { resolveFeatureKeys } from '../../../product/feature-keys.js';
import { floorHour, formatHour, HOUR_MS, parseHour } from './hours.js';
import { eventMapping } from './mapping.js';
import { storeEvents } from './store-events.js';
import { keepExportFiles } from './keep-export-files.js';

/** Every upload hour before `from` is stored whole: the next run starts there. */
export interface EventsCursor { from: string }

const DEFAULT_HOURS_PER_REQUEST = 24;
/** An empty range (404) doubles the next one up to this, so a long backfill over nothing costs few requests. */
const MAX_EMPTY_RANGE_HOURS = 7 * 24;
/** One export answers at most 365 days. */
const MAX_RANGE_HOURS = 365 * 24;
/** Hours an upload hour takes to be complete in the export: documented as about two after the hour ends. */
const DEFAULT_LAG_HOURS = 3;
/** Events a page, about: the fewer the transactions, the faster a backfill of millions. */
const DEFAULT_PAGE_SIZE = 10_000;

function setting(config: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = Number(config[name]);
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/**
 * Reads the export by upload hour, in ranges of `hoursPerRequest` (default a day). Upload hours
 * become complete only hours after they end, so the cursor never passes the first hour that may
 * still grow: every run reads the recent hours again, and `$insert_id` (the table's key) keeps
 * what was already stored from being stored twice. A range too big for one export (400) is
 * halved; an empty one (404) widens the next. While a range's events are stored, the next range
 * is already being exported and downloaded: an export takes the vendor seconds to build.
 */
async function* readEvents(ctx: ReadContext<EventsCursor>): AsyncIterable<Page<EventsCursor>> {
  const base = setting(ctx.config, 'hoursPerRequest', DEFAULT_HOURS_PER_REQUEST, 1, MAX_RANGE_HOURS);
  const lag = setting(ctx.config, 'lagHours', DEFAULT_LAG_HOURS, 2, 7 * 24);
  const pageSize = setting(ctx.config, 'pageSize', DEFAULT_PAGE_SIZE, 1, 100_000);
  const latest = floorHour(Date.now());
  const unsettled = latest - lag * HOUR_MS;
  const resumeAt = ctx.mode === 'incremental' && ctx.cursor ? parseHour(ctx.cursor.from) : NaN;
  const first = Number.isNaN(resumeAt) ? floorHour(ctx.since.getTime()) : resumeAt;
  const cursorAt = (hour: number): EventsCursor => ({ from: formatHour(Math.max(first, Math.min(hour, unsettled))) });
  const exportOf = (start: number, span: number) => {
    const end = Math.min(start + (span - 1) * HOUR_MS, latest);
    const response = ctx.http.request('GET', 'api/2/export', {
      query: { start: formatHour(start), end: formatHour(end) }, binary: true, accept: [400, 404],
    });
    // Awaited when its turn comes; a failure then fails the run, not the process before.
    response.catch(() => {});
    return { start, end, response };
  };

  let span = base;
  let next: ReturnType<typeof exportOf> | null = null;
  for (let start = first; start <= latest;) {
    const range = next?.start === start ? next : exportOf(start, span);
    next = null;
    const { end } = range;
    const response = await range.response;
    if (response.status === 400) {
      if (end === start) throw new VendorError(`Amplitude refused to export the hour ${formatHour(start)} (400): ${response.text.slice(0, 300)}`, 400, response.text.slice(0, 2_000));
      span = Math.max(1, Math.floor((end - start) / HOUR_MS + 1) >> 1);
      continue;
    }
    if (response.status === 404) {
      yield { records: [], cursor: cursorAt(end + HOUR_MS) };
      span = Math.max(span, Math.min(MAX_EMPTY_RANGE_HOURS, span * 2));
    } else {
      // Back to the usual range once data flows; a range that had to be halved stays small.
      span = Math.min(span, base);
      if (end + HOUR_MS <= latest) next = exportOf(end + HOUR_MS, span);
      yield* pagesOf(exportFiles(response.bytes ?? new Uint8Array()), pageSize, cursorAt, end);
    }
    start = end + HOUR_MS;
  }
}

/**
 * An export's events in pages of about `pageSize` (whole upload hours, decompressed only when
 * their turn comes; an hour bigger than a page is split), each page's cursor after its last whole hour.
 * An hour's files go with the first page of its events, as payloads: kept whole before the cursor
 * passes the hour, and kept again when the hour is read again.
 */
function* pagesOf(files: ExportFile[], pageSize: number, cursorAt: (hour: number) => EventsCursor, end: number): Iterable<Page<EventsCursor>> {
  let records: unknown[] = [];
  let payloads: ExportFile[] = [];
  for (let i = 0; i < files.length;) {
    const hour = files[i].hour;
    let j = i + 1;
    while (hour !== null && j < files.length && files[j].hour === hour) j++;
    const group = files.slice(i, j);
    payloads.push(...group);
    for (const file of group) {
      for (const event of decodeEvents(file)) {
        records.push(event);
        // Mid-hour, a full page carries no cursor: a resumed run reads that hour again.
        if (records.length >= pageSize * 2) {
          yield { records, cursor: null, payloads };
          records = [];
          payloads = [];
        }
      }
    }
    i = j;
    if (i === files.length) break;
    if (records.length >= pageSize) {
      yield { records, cursor: hour !== null ? cursorAt(hour + HOUR_MS) : null, payloads };
      records = [];
      payloads = [];
    }
  }
  yield { records, cursor: cursorAt(end + HOUR_MS), payloads };
}

/** The monthly partitions of the page's events, created in the page's transaction if missing (one call a page). */
async function ensurePartitions(trx: Trx, events: MappedRecord[]): Promise<void> {
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    const t = (e.columns.occurred_at as Date).getTime();
    if (t < min) min = t;
    if (t > max) max = t;
  }
  await sql`select analytics.ensure_usage_partitions(${new Date(min)}, ${new Date(max)})`.execute(trx);
}

/**
 * Raw events -> analytics.usage_events, append-only: an event read again is not stored again.
 * In each page's transaction: the months' partitions, the features by key, the users seen, then
 * the events with the rollups of those newly stored, and the export files they came in. Payloads
 * are not kept row by row: at millions of events they would outweigh the events many times over;
 * each event's raw record is a line of its file in analytics.usage_event_archives, and what a
 * user's events say of the user lives on in analytics.end_users.raw.
 */
export const eventsStream: Stream<EventsCursor> = {
  name: 'events',
  mapping: eventMapping,
  reconcilable: false,
  read: readEvents,
  async beforeWrite(trx, tenantId, events) {
    await ensurePartitions(trx, events);
    await resolveFeatureKeys(trx, tenantId, events);
    await upsertSeenUsers(trx, tenantId, events);
  },
  store: storeEvents,
  keepPayloads: keepExportFiles,
};
