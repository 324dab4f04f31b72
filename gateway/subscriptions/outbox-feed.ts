import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import type { Logger } from '../../core/logger.js';

export interface OutboxEvent {
  /** Place in the published stream: the subscribers' cursor. */
  position: string;
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

/** One publisher at a time, whichever gateway process: positions are handed out once. */
const PUBLISH_LOCK = 7_140_215_001;

/**
 * Publishes what can no longer be preceded: events of transactions below the oldest one of this
 * database still running (or that ended after this statement's snapshot) get the next positions,
 * in (transaction id, seq) order. A transaction that took an earlier id but commits later is
 * waited for, never skipped; transactions of other databases on the server hold nothing back.
 */
export async function publishEvents(db: Db): Promise<void> {
  // One round trip: statements of one simple query run as one transaction (the lock is held to its
  // end, and rolled back with it on an error), each statement with a snapshot of its own, so the
  // update sees what the previous publisher committed. No parameters: a parameter would need the
  // extended protocol, which takes one statement at a time.
  await sql.raw(`
    select pg_advisory_xact_lock(${PUBLISH_LOCK});
    with snapshot as (select pg_current_snapshot() as s),
    elsewhere as (
      select l.transactionid from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'transactionid' and l.mode = 'ExclusiveLock' and a.datname is distinct from current_database()),
    bound as (
      select coalesce((select min(x) from pg_snapshot_xip(s) x where x::xid not in (select transactionid from elsewhere)), pg_snapshot_xmax(s)) as xid
      from snapshot),
    ready as (
      select seq, row_number() over (order by xid, seq) as n from integrations.outbox
      where pos is null and xid < (select xid from bound)),
    base as (select coalesce(max(pos), 0) as p from integrations.outbox)
    update integrations.outbox o set pos = base.p + ready.n from ready, base where o.seq = ready.seq`).execute(db);
}

/** Published events after a position, in order; each with its position, the subscribers' cursor. */
export async function readEvents(db: Db, options: { after: string; tenantId?: string; eventType?: string; limit?: number }): Promise<OutboxEvent[]> {
  const { rows } = await sql<{ pos: string; tenant_id: string; event_type: string; entity_type: string; entity_id: string; payload: Record<string, unknown> }>`
    select pos, tenant_id, event_type, entity_type, entity_id, payload from integrations.outbox
    where pos > ${options.after}::bigint
      ${options.tenantId ? sql`and tenant_id = ${options.tenantId}` : sql``}
      ${options.eventType ? sql`and event_type = ${options.eventType}` : sql``}
    order by pos limit ${options.limit ?? BATCH}`.execute(db);
  return rows.map((r) => ({ position: String(r.pos), tenantId: r.tenant_id, eventType: r.event_type, entityType: r.entity_type, entityId: r.entity_id, payload: r.payload }));
}

/** The oldest position still kept, or null when nothing kept is published. */
export async function oldestRetained(db: Db): Promise<string | null> {
  const { rows: [row] } = await sql<{ seq: string | null }>`select min(pos)::text as seq from integrations.outbox`.execute(db);
  return row.seq;
}

/** The newest position now: a subscriber without a cursor starts after it. */
export async function newestSeq(db: Db): Promise<string> {
  const { rows: [row] } = await sql<{ seq: string }>`select coalesce(max(pos), 0)::text as seq from integrations.outbox`.execute(db);
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
        await publishEvents(this.db);
        for (;;) {
          const events = await readEvents(this.db, { after: this.last });
          for (const event of events) {
            this.last = event.position;
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
