import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import type { Logger } from '../../core/logger.js';

export interface OutboxEvent {
  seq: string;
  tenantId: string;
  eventType: string;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
}

type Listener = (event: OutboxEvent) => void;

/** Events a read hands over at most; the next read goes on from the last. */
const BATCH = 1_000;
/** A notification can be lost with its connection: the feed also looks every so often. */
const POLL_MS = 2_000;
const RECONNECT_MS = 1_000;

/**
 * Only events of finished transactions, below the oldest one still running that may hold an
 * event: a transaction that took a lower sequence number but commits later is waited for, never
 * skipped. Running transactions known to have written no event (holding no insert lock on the
 * outbox) are not waited for: whatever they write later takes a higher number than anything
 * read now. So a long transaction elsewhere (another table, another database on the server)
 * does not hold events back; one that ended after this statement's snapshot is waited for.
 */
export async function readEvents(db: Db, options: { after: string; tenantId?: string; eventType?: string; limit?: number }): Promise<OutboxEvent[]> {
  const { rows } = await sql<{ seq: string; tenant_id: string; event_type: string; entity_type: string; entity_id: string; payload: Record<string, unknown> }>`
    with snapshot as (select pg_current_snapshot() as s),
    -- Sessions that have inserted into the outbox and not yet ended.
    writers as (
      select pid from pg_locks where locktype = 'relation' and relation = 'integrations.outbox'::regclass and mode = 'RowExclusiveLock'
        and database = (select oid from pg_database where datname = current_database())),
    -- Transactions still running that have written no event: nothing of theirs can precede what we read.
    bystanders as (
      select transactionid from pg_locks where locktype = 'transactionid' and mode = 'ExclusiveLock' and pid not in (select pid from writers)),
    bound as (
      select coalesce((select min(x) from pg_snapshot_xip(s) x where x::xid not in (select transactionid from bystanders)), pg_snapshot_xmax(s)) as xid
      from snapshot)
    select seq, tenant_id, event_type, entity_type, entity_id, payload from integrations.outbox
    where seq > ${options.after}::bigint and xid < (select xid from bound)
      ${options.tenantId ? sql`and tenant_id = ${options.tenantId}` : sql``}
      ${options.eventType ? sql`and event_type = ${options.eventType}` : sql``}
    order by seq limit ${options.limit ?? BATCH}`.execute(db);
  return rows.map((r) => ({ seq: String(r.seq), tenantId: r.tenant_id, eventType: r.event_type, entityType: r.entity_type, entityId: r.entity_id, payload: r.payload }));
}

/** The oldest sequence number still kept, or null when the outbox is empty. */
export async function oldestRetained(db: Db): Promise<string | null> {
  const { rows: [row] } = await sql<{ seq: string | null }>`select min(seq)::text as seq from integrations.outbox`.execute(db);
  return row.seq;
}

/** The newest sequence number now: a subscriber without a cursor starts after it. */
export async function newestSeq(db: Db): Promise<string> {
  const { rows: [row] } = await sql<{ seq: string }>`select coalesce(max(seq), 0)::text as seq from integrations.outbox`.execute(db);
  return row.seq;
}

/**
 * The outbox as one live stream per gateway process: a dedicated connection LISTENs, and each
 * notification (or poll) reads what finished since the last read and hands it to every listener
 * in sequence order. Several gateway processes each run their own feed over the same outbox.
 */
export class OutboxFeed {
  private listeners = new Set<Listener>();
  private client: pg.Client | null = null;
  private last = '0';
  private reading: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private poll: NodeJS.Timeout | null = null;
  private cleanup: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db, private readonly url: string, private readonly log: Logger, private readonly retentionHours: number) {}

  async start(): Promise<void> {
    this.last = await newestSeq(this.db);
    await this.connect();
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.poll.unref();
    this.cleanup = setInterval(() => void this.prune(), 10 * 60_000);
    this.cleanup.unref();
  }

  /** Where the live stream stands: events after this are yet to be handed over. */
  get position(): string {
    return this.last;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads now (tests and writers in this process need not wait for the notification). */
  wake(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.drain().finally(() => { this.reading = null; });
    return this.reading;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    if (this.cleanup) clearInterval(this.cleanup);
    await this.reading?.catch(() => {});
    await this.client?.end().catch(() => {});
    this.listeners.clear();
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const events = await readEvents(this.db, { after: this.last });
          for (const event of events) {
            this.last = event.seq;
            for (const listener of this.listeners) listener(event);
          }
          if (events.length < BATCH) break;
        }
      } catch (error) {
        if (!this.closed) this.log.warn({ err: (error as Error).message }, 'reading the outbox failed; retrying');
        return;
      }
    } while (this.again && !this.closed);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => void this.wake());
    client.on('error', (error) => {
      this.log.warn({ err: error.message }, 'the outbox listener lost its connection; reconnecting');
      this.client = null;
      if (!this.closed) setTimeout(() => void this.connect().catch(() => {}), RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query('listen integrations_outbox');
    this.client = client;
    // Whatever happened while no one listened.
    void this.wake();
  }

  private async prune(): Promise<void> {
    await sql`delete from integrations.outbox where created_at < now() - make_interval(hours => ${this.retentionHours})`.execute(this.db)
      .catch((error) => this.log.warn({ err: (error as Error).message }, 'pruning the outbox failed'));
  }
}
