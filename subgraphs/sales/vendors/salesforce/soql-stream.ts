import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import type { VendorResponse } from '../../../../sync/http-client.js';
import { checkApiUsage } from './api-usage.js';
import { API_VERSION, dateTimeLiteral, keysetQuery } from './soql.js';

/**
 * Where a Salesforce stream resumes: after the record (stamp, id) in SystemModstamp, Id order,
 * and from when deletions have not been asked for yet.
 */
export interface SalesforceCursor {
  stamp: string | null;
  id: string | null;
  deletedFrom: string;
}

interface QueryResult {
  totalSize: number;
  done: boolean;
  records: SalesforceRecord[];
  nextRecordsUrl?: string;
}

interface SalesforceRecord { Id?: unknown; SystemModstamp?: unknown }

interface DeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  earliestDateAvailable?: string;
  latestDateCovered?: string;
}

export interface SoqlStreamSpec {
  object: 'Account' | 'Opportunity';
  fields: string[];
  /** A first or full sync reads only records changed since the backfill window (deals); accounts are read whole. */
  backfillFromSince: boolean;
}

/** The delete log keeps 15 days; asking further back is refused, so older deletions are left to reconciliation. */
const DELETE_LOG_MS = 15 * 86_400_000 - 3_600_000;

/** How long a SystemModstamp second may still receive commits (connection config `settleSeconds`). */
function settledBefore(config: Record<string, unknown>): Date {
  const settle = config.settleSeconds === undefined ? 5 : Number(config.settleSeconds) || 0;
  return new Date(Math.floor(Date.now() / 1000) * 1000 - settle * 1000);
}

function pageSize(config: Record<string, unknown>): number {
  return Math.min(2_000, Math.max(1, Number(config.pageSize) || 2_000));
}

/**
 * Reads an object with keyset SOQL queries (`LIMIT pageSize`, following `nextRecordsUrl` when
 * Salesforce splits a result into batches): each page's cursor is its last (SystemModstamp, Id),
 * so a run resumes exactly there, whatever the query locators' fate. Incremental runs end with
 * the object's delete log since the last run (`/sobjects/{type}/deleted/`).
 */
export function soqlRead(spec: SoqlStreamSpec): Stream<SalesforceCursor>['read'] {
  return async function* read(ctx: ReadContext<SalesforceCursor>): AsyncIterable<Page<SalesforceCursor>> {
    const first = ctx.cursor === null;
    let cursor: SalesforceCursor = ctx.cursor ?? { stamp: null, id: null, deletedFrom: new Date().toISOString() };
    // Until a first record is stored, a backfill reads no further back than the window.
    const since = cursor.stamp === null && spec.backfillFromSince && ctx.mode !== 'reconcile' ? ctx.since : null;
    // A reconciliation must see every record, the newest too: it deletes what it did not see.
    const until = ctx.mode === 'reconcile' ? null : settledBefore(ctx.config);
    const limit = pageSize(ctx.config);
    for (;;) {
      const soql = keysetQuery({ object: spec.object, fields: spec.fields, limit, since, until, after: cursor.stamp && cursor.id ? { stamp: cursor.stamp, id: cursor.id } : null });
      let response = await ctx.http.request('GET', `/services/data/${API_VERSION}/query`, { query: { q: soql } });
      let read = 0;
      const before = cursor;
      for (;;) {
        const body = response.json<QueryResult>();
        read += body.records.length;
        cursor = advance(cursor, body.records);
        yield { records: body.records, cursor };
        checkApiUsage(response, ctx.config);
        if (body.done || !body.nextRecordsUrl) break;
        response = await ctx.http.request('GET', body.nextRecordsUrl);
      }
      if (read < limit) break;
      if (cursor.stamp === before.stamp && cursor.id === before.id) throw new Error(`${spec.object} query returned ${read} records without an Id and SystemModstamp to continue after`);
    }
    if (ctx.mode === 'incremental' && !first) yield await deletions(ctx, spec.object, cursor);
  };
}

/** The cursor after a batch: its last record that has an id and a stamp. */
function advance(cursor: SalesforceCursor, records: SalesforceRecord[]): SalesforceCursor {
  for (let i = records.length - 1; i >= 0; i--) {
    const { Id, SystemModstamp } = records[i];
    if (typeof Id === 'string' && typeof SystemModstamp === 'string' && !Number.isNaN(Date.parse(SystemModstamp))) {
      return { ...cursor, stamp: new Date(SystemModstamp).toISOString(), id: Id };
    }
  }
  return cursor;
}

async function deletions(ctx: ReadContext<SalesforceCursor>, object: string, cursor: SalesforceCursor): Promise<Page<SalesforceCursor>> {
  const end = new Date();
  const oldest = new Date(end.getTime() - DELETE_LOG_MS);
  let start = new Date(cursor.deletedFrom);
  if (start < oldest) {
    ctx.log.warn({ object, deletedFrom: cursor.deletedFrom }, 'deletions older than Salesforce keeps are left to the next reconciliation');
    start = oldest;
  }
  const response: VendorResponse = await ctx.http.request('GET', `/services/data/${API_VERSION}/sobjects/${object}/deleted/`, {
    query: { start: dateTimeLiteral(start), end: dateTimeLiteral(end) },
  });
  const body = response.json<DeletedResult>();
  if (body.earliestDateAvailable && new Date(body.earliestDateAvailable) > start) {
    ctx.log.warn({ object, earliestDateAvailable: body.earliestDateAvailable }, 'the delete log was purged past our last run: the next reconciliation finds what it dropped');
  }
  // Salesforce answers to the minute: the next run starts where this one was covered, not at `end`.
  const covered = body.latestDateCovered && !Number.isNaN(Date.parse(body.latestDateCovered)) ? new Date(body.latestDateCovered) : start;
  return { records: [], deleted: body.deletedRecords.map((r) => r.id), cursor: { ...cursor, deletedFrom: covered.toISOString() } };
}
