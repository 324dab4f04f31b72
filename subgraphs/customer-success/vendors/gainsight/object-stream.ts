import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { VendorError } from '../../../../sync/errors.js';
import type { TableMapping } from '../../../../sync/mapping.js';
import { filterTime, queryObject, type GainsightRecord } from './query.js';

/**
 * Where a stream stands. `from` (epoch seconds): every record modified before that second has
 * been read. `drain`: inside second `second`, records up to Gsid `after` have been read.
 * `deletesFrom`: the delete log has been applied up to that second.
 */
export interface GainsightCursor {
  from: number | null;
  drain?: { second: number; after: string | null };
  deletesFrom: number;
}

/** Gainsight keeps deleted record ids 15 days. */
const DELETE_LOG_DAYS = 15;
/** The documented maximum rows per query call. */
const MAX_PAGE = 5_000;
/** How long a second may still receive records (writes in flight, clocks apart). */
const SETTLE_SECONDS = 5;

/** Marks the id of a record the delete log reported, for streams that store deletions themselves. */
export const DELETED = Symbol('deleted');

interface ObjectStreamSpec {
  name: string;
  /** The object's API name: 'Company', or a custom object like 'CompanyHealthSnapshot__gc'. */
  object: string | ((config: Record<string, unknown>) => string);
  select: string[];
  mapping: TableMapping;
  store?: Stream['store'];
  reconcilable?: boolean;
  /** Hand deletions to `store` as `{ Gsid, [DELETED]: true }` records instead of `page.deleted`. */
  deletionsAsRecords?: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The whole second a record was last modified in (the query API returns epoch milliseconds). */
function secondOf(record: GainsightRecord): number | null {
  const value = record.ModifiedDate;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

function pageSize(ctx: ReadContext<unknown>): number {
  return Math.min(MAX_PAGE, Math.max(1, Number(ctx.config.pageSize) || MAX_PAGE));
}

/**
 * A Gainsight object read with the query API by `ModifiedDate`. Offset paging over a changing
 * result skips a record whenever an earlier one is edited or deleted between pages, and filters
 * only take whole seconds while records carry milliseconds, so pages are keyed instead: scan
 * `ModifiedDate GTE from` ordered by (ModifiedDate, Gsid); every record in a second before the
 * page's last one is complete; the last second is then drained by Gsid (`GTE s AND LT s+1 AND
 * Gsid GT g`) before the scan moves on. Incremental runs then apply the delete log
 * (`record_delete_log`, kept 15 days) since the previous run; only a reconciliation notices
 * deletions older than that.
 */
export function objectStream(spec: ObjectStreamSpec): Stream<GainsightCursor> {
  return {
    name: spec.name,
    mapping: spec.mapping,
    store: spec.store,
    reconcilable: spec.reconcilable,
    async *read(ctx) {
      const object = typeof spec.object === 'function' ? spec.object(ctx.config) : spec.object;
      const stored = ctx.cursor;
      const startedAt = nowSeconds();
      let cursor: GainsightCursor;
      if (ctx.mode === 'incremental' && stored) cursor = stored;
      else if (ctx.mode === 'reconcile') cursor = stored ?? { from: null, deletesFrom: startedAt };
      else cursor = { from: Math.floor(ctx.since.getTime() / 1000), deletesFrom: startedAt };

      for await (const page of scan(ctx, spec, object, cursor)) {
        cursor = page.cursor!;
        yield page;
      }
      if (ctx.mode === 'incremental' && stored) yield* deletions(ctx, spec, object, cursor);
    },
  };
}

async function* scan(ctx: ReadContext<GainsightCursor>, spec: ObjectStreamSpec, object: string, start: GainsightCursor): AsyncIterable<Page<GainsightCursor>> {
  const limit = pageSize(ctx);
  const select = [...new Set([...spec.select, 'Gsid', 'ModifiedDate'])];
  let { from, drain } = start;
  const { deletesFrom } = start;
  // The newest second this run has read records of: where the next run begins.
  const seen = { last: null as number | null };
  const saw = (rows: GainsightRecord[]) => {
    for (const r of rows) {
      const second = secondOf(r);
      if (second !== null && (seen.last === null || second > seen.last)) seen.last = second;
    }
  };
  for (;;) {
    if (drain) {
      const { second, after } = drain;
      const rows = await queryObject(ctx, object, {
        select, limit, orderBy: { Gsid: 'asc' },
        where: [
          { name: 'ModifiedDate', operator: 'GTE', value: [filterTime(second)] },
          { name: 'ModifiedDate', operator: 'LT', value: [filterTime(second + 1)] },
          ...(after ? [{ name: 'Gsid', operator: 'GT' as const, value: [after] }] : []),
        ],
      });
      saw(rows);
      const full = rows.length >= limit;
      drain = full ? { second, after: String(rows.at(-1)!.Gsid) } : undefined;
      let cursor: GainsightCursor;
      if (!drain) cursor = { from: settled((from = second + 1)), deletesFrom };
      else if (second <= nowSeconds() - SETTLE_SECONDS) cursor = { from: second, drain, deletesFrom };
      // Resuming inside a second is exact only once that second is over; until then it is read again whole.
      else cursor = { from: settled(second), deletesFrom };
      yield { records: rows, cursor };
      continue;
    }
    const rows = await queryObject(ctx, object, {
      select, limit, orderBy: { ModifiedDate: 'asc', Gsid: 'asc' },
      where: from === null ? [] : [{ name: 'ModifiedDate', operator: 'GTE', value: [filterTime(from)] }],
    });
    const seconds = rows.map(secondOf).filter((t): t is number => t !== null);
    const last = seconds.length ? Math.max(...seconds) : null;
    if (rows.length < limit) {
      saw(rows);
      // The next run starts again at the last second seen: a record modified later within it is not lost.
      yield { records: rows, cursor: { from: seen.last ?? from, deletesFrom } };
      return;
    }
    if (last === null) throw new VendorError(`Gainsight returned a page of ${object} without a readable ModifiedDate: cannot page on`, 200);
    const done = rows.filter((r) => (secondOf(r) ?? -Infinity) < last);
    saw(done);
    yield { records: done, cursor: { from: settled(last), deletesFrom } };
    drain = { second: last, after: null };
  }
}

/**
 * A resume point no later than a few seconds ago: a second that has only just begun (or that
 * the vendor's clock has not finished) may still receive records after we drained it.
 */
function settled(from: number | null): number | null {
  return from === null ? null : Math.min(from, nowSeconds() - SETTLE_SECONDS);
}

async function* deletions(ctx: ReadContext<GainsightCursor>, spec: ObjectStreamSpec, object: string, cursor: GainsightCursor): AsyncIterable<Page<GainsightCursor>> {
  if (cursor.deletesFrom < nowSeconds() - DELETE_LOG_DAYS * 86_400) {
    ctx.log.warn({ object, since: new Date(cursor.deletesFrom * 1000).toISOString() }, 'Gainsight keeps deletions 15 days: older ones are removed by the next reconciliation');
  }
  const limit = pageSize(ctx);
  let deletesFrom = cursor.deletesFrom;
  for (let offset = 0; ; offset += limit) {
    // The delete log is append-only, so offsets over it stay put.
    const rows = await queryObject(ctx, 'record_delete_log', {
      select: ['RecordId', 'ObjectName', 'DeletedOn'], limit, offset, orderBy: { DeletedOn: 'asc', RecordId: 'asc' },
      where: [{ name: 'ObjectName', operator: 'EQ', value: [object] }, { name: 'DeletedOn', operator: 'GTE', value: [filterTime(cursor.deletesFrom)] }],
    });
    for (const row of rows) {
      const at = typeof row.DeletedOn === 'number' ? row.DeletedOn : Date.parse(String(row.DeletedOn));
      if (Number.isFinite(at)) deletesFrom = Math.max(deletesFrom, Math.floor(at / 1000));
    }
    const ids = rows.map((r) => String(r.RecordId));
    const next = { ...cursor, deletesFrom };
    yield spec.deletionsAsRecords
      ? { records: ids.map((Gsid) => ({ Gsid, [DELETED]: true })), cursor: next }
      : { records: [], deleted: ids, cursor: next };
    if (rows.length < limit) return;
  }
}
