import { sql } from 'kysely';
import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { VendorError } from '../../../../sync/errors.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import type { Trx } from '../../../../sync/table-writer.js';
import { seenUsers, upsertSeenUsers, type SeenUsers, type StoredUsers } from './end-users.js';
import { exportFiles } from './export-archive.js';
import { PageFiller, type EventsCursor } from './export-pages.js';
import { resolveFeatureKeys } from '../../../product/feature-keys.js';
import { floorHour, formatHour, HOUR_MS, parseHour } from './hours.js';
import { eventMapping } from './mapping.js';
import { eventRows, storeEvents, type EventRows } from './store-events.js';
import { keepExportFiles } from './keep-export-files.js';

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
 * is already being exported and downloaded: an export takes the vendor seconds to build. Pages
 * run on from one range into the next: a range's last hours do not make a small page of their own.
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

  const page = new PageFiller(pageSize, cursorAt);
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
    const files = response.status === 404 ? [] : exportFiles(response.bytes ?? new Uint8Array());
    if (!files.length) {
      const moved = page.coverEmptyRange(end);
      if (moved) yield moved;
      span = Math.max(span, Math.min(MAX_EMPTY_RANGE_HOURS, span * 2));
    } else {
      // Back to the usual range once data flows; a range that had to be halved stays small.
      span = Math.min(span, base);
      if (end + HOUR_MS <= latest) next = exportOf(end + HOUR_MS, span);
      yield* page.add(files, end);
    }
    start = end + HOUR_MS;
  }
  const rest = page.rest();
  if (rest) yield rest;
}

/** The monthly partitions of the page's events, created if missing (one call a page). */
async function ensurePartitions(db: Trx, events: MappedRecord[]): Promise<void> {
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    const t = (e.columns.occurred_at as Date).getTime();
    if (t < min) min = t;
    if (t > max) max = t;
  }
  await sql`select analytics.ensure_usage_partitions(${new Date(min)}, ${new Date(max)})`.execute(db);
}

/**
 * Raw events -> analytics.usage_events, append-only: an event read again is not stored again.
 * Ahead of each page, while the page before is stored: the months' partitions and the features by
 * key. In the page's transaction: the users seen, then the events with the rollups of those newly
 * stored, and the export files they came in. Payloads
 * are not kept row by row: at millions of events they would outweigh the events many times over;
 * each event's raw record is a line of its file in analytics.usage_event_archives, and what a
 * user's events say of the user lives on in analytics.end_users.raw.
 */
/** Each run's users it has made sure the table holds (see `seenUsers`). */
const storedUsers = new WeakMap<object, StoredUsers>();

/** What each page of events is made into ahead of its transaction. */
interface PreparedEvents {
  users: SeenUsers;
  rows: EventRows;
}

export const eventsStream: Stream<EventsCursor, PreparedEvents> = {
  name: 'events',
  mapping: eventMapping,
  reconcilable: false,
  read: readEvents,
  async prepare(db, tenantId, events, run) {
    await ensurePartitions(db, events);
    await resolveFeatureKeys(db, tenantId, events);
    let stored = storedUsers.get(run);
    if (!stored) storedUsers.set(run, stored = new Map());
    return { users: seenUsers(events, stored), rows: await eventRows(events) };
  },
  beforeWrite: (trx, tenantId, _events, prepared) => upsertSeenUsers(trx, tenantId, prepared.users),
  store: (trx, target, events, prepared) => storeEvents(trx, target, events, prepared?.rows),
  keepPayloads: keepExportFiles,
};
