import type { Logger } from '../core/logger.js';
import type { AuthScheme } from './auth.js';
import type { VendorHttp } from './http-client.js';
import type { RateLimitSignals } from './retry.js';
import type { MappedRecord, TableMapping } from './mapping.js';
import type { Trx, WriteResult, WriteTarget } from './table-writer.js';
import type { WebhookSpec } from './webhooks/webhook.js';

export type Domain = 'product' | 'engineering' | 'analytics' | 'sales' | 'finance' | 'customer_success';

/**
 * How a stream is read:
 * - `incremental` picks up from the stream's cursor (a first run backfills from `since`);
 * - `full` re-reads everything within the backfill window, cursor ignored, then stores a fresh one;
 * - `reconcile` lists every record the vendor still has: rows the run did not see are deleted.
 */
export type SyncMode = 'incremental' | 'full' | 'reconcile';

/** What a stream's reader gets: the HTTP client (auth, retries, budget all inside) and where to start. */
export interface ReadContext<Cursor> {
  http: VendorHttp;
  mode: SyncMode;
  /** The committed cursor of this stream; null on a first sync and in full or reconcile mode until a page commits. */
  cursor: Cursor | null;
  /** The oldest moment a first sync or a full sync reads back to. */
  since: Date;
  /** The connection's own settings (site, project, repositories, ...), as stored. */
  config: Record<string, unknown>;
  log: Logger;
  signal: AbortSignal;
}

/** One page of vendor records and the cursor that is true once the page is stored. */
export interface Page<Cursor> {
  records: unknown[];
  /** Where the next run resumes if this is the last page stored; null keeps the previous cursor. */
  cursor: Cursor | null;
  /** External ids the vendor reported deleted (an events feed, a deleted-records endpoint). */
  deleted?: string[];
  /** The vendor's payloads of these records as it sent them, for a stream that keeps them so (`keepPayloads`). */
  payloads?: unknown[];
}

/** `Prepared`: what the stream's `prepare` makes of a page ahead of its transaction, handed to its hooks. */
export interface Stream<Cursor = unknown, Prepared = void> {
  /** Stable name, part of the job key and the cursor key: e.g. "issues". */
  name: string;
  /** How each record lands in our tables. */
  mapping: TableMapping;
  /**
   * Pages in the order they must be stored. The engine commits each page with its cursor before
   * asking for the next, so a stream must be resumable from any cursor it yielded.
   */
  read(ctx: ReadContext<Cursor>): AsyncIterable<Page<Cursor>>;
  /** False for append-only streams (usage events): reconciliation never deletes their rows. */
  reconcilable?: boolean;
  /**
   * Stores a page instead of the standard upsert into `mapping.table`: for records that land
   * somewhere else than a row of their own (a billing customer is an identity of a company).
   */
  store?: (trx: Trx, target: WriteTarget, records: MappedRecord[], prepared: Prepared | undefined) => Promise<WriteResult>;
  /**
   * Work on a page's records that needs no transaction of their own (partitions for new months,
   * lookups by key, the statement's document): done ahead, while the page before is being stored,
   * on another connection. It may run for a page that is then not stored; a delivery not read
   * ahead runs it in its transaction. Not called for a page without records. `run` is the same object
   * for every page of one run, a new one for each delivery: a key for what the stream may remember
   * from one page to the next.
   */
  prepare?: (db: Trx, tenantId: string, records: MappedRecord[], run: object) => Promise<Prepared>;
  /** Work before a page's rows are written, in the page's transaction (the users its events name). */
  beforeWrite?: (trx: Trx, tenantId: string, records: MappedRecord[], prepared: Prepared) => Promise<void>;
  /** Work after a page's rows are written, in the page's transaction (rollups, identities). */
  afterWrite?: (trx: Trx, written: WrittenPage) => Promise<void>;
  /**
   * Keeps a page's payloads as the vendor sent them (`Page.payloads`), in the page's transaction: for
   * records whose raw payload is not kept row by row (an export archive's files, already compressed).
   */
  keepPayloads?: (trx: Trx, owner: PayloadOwner, payloads: unknown[]) => Promise<void>;
}

export interface PayloadOwner {
  tenantId: string;
  connectionId: string;
}

export interface WrittenPage {
  tenantId: string;
  connectionId: string;
  /** The rows inserted or changed by this page: id and every mapped column. */
  rows: Record<string, unknown>[];
}

/**
 * A vendor connector: a small declarative description that the shared engine runs. Streams are
 * listed parents first (a deal's company is stored before the deal).
 */
export interface Connector {
  vendor: string;
  domain: Domain;
  /** The vendor's product name, as people call it. */
  title: string;
  /** The real vendor's API base; a connection may point elsewhere (a simulator, a sandbox). */
  defaultBaseUrl: string;
  auth: AuthScheme;
  /** The vendor's rate-limit and retry signals beyond the standard 429/5xx/Retry-After. */
  signals?: RateLimitSignals;
  /** Requests per second one connection may send: the vendor's documented limit, with room (a connection's `config.requestsPerSecond` overrides it). */
  requestsPerSecond: number;
  /** Headers every request carries (e.g. Productboard's X-Version). */
  headers?: Record<string, string>;
  streams: Stream<any, any>[];
  /** How the vendor pushes changes, when it does (Salesforce, Amplitude and Gainsight are polled). */
  webhooks?: WebhookSpec;
}
