import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import type { TableMapping } from '../../../../sync/mapping.js';
import type { WebhookChange } from '../../../../sync/webhooks/webhook.js';

/** Stripe keeps events 30 days; a cursor older than this (with an hour's margin) falls back to a full listing. */
const EVENT_RETENTION_SECONDS = 30 * 86_400 - 3_600;

/** When we saw this state of an object: the listing's start, or the event's creation. Not serialised into `raw`. */
export const OBSERVED_AT = Symbol('observedAt');

/** Marks an object a deletion event carried, for streams that store deletions themselves. */
export const DELETED = Symbol('deleted');

export type StripeCursor =
  | { phase: 'list'; startingAfter: string | null; listedAt: number }
  | { phase: 'events'; created: number; seen: string[] };

interface StripeStreamSpec {
  name: string;
  /** The list endpoint, e.g. '/v1/subscriptions'. */
  path: string;
  listQuery?: Record<string, string>;
  /** Events whose `data.object` is a new state of this stream's objects. */
  eventTypes: string[];
  /** Events that mean the object is gone (its id lands in `page.deleted`). */
  deletedTypes?: string[];
  /** Hand deletions to `store` as records marked DELETED instead of `page.deleted` (the target has no rows of its own). */
  deletionsAsRecords?: boolean;
  mapping: TableMapping;
  store?: Stream['store'];
  reconcilable?: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function stamp(object: Record<string | symbol, unknown>, at: number): unknown {
  object[OBSERVED_AT] = at;
  return object;
}

/**
 * A Stripe object stream. Lists cannot filter by modification time and objects carry no
 * `updated` field, so: a first sync (and a full or reconcile run) walks the list with
 * `starting_after`, then incremental syncs apply `GET /v1/events` since the listing began,
 * oldest first, each object's version being its event's `created`. Events live 30 days: an
 * older cursor lists everything again instead of silently missing changes.
 */
/** A Stripe stream, which also says what one of its events changes (read from /v1/events or pushed as a webhook). */
export interface StripeStream extends Stream<StripeCursor> {
  /** Whether events of this type change this stream's objects. */
  handles(type: string): boolean;
  eventChange(event: StripeEvent): WebhookChange | null;
}

export function stripeStream(spec: StripeStreamSpec): StripeStream {
  return {
    handles: (type) => spec.eventTypes.includes(type) || (spec.deletedTypes?.includes(type) ?? false),
    eventChange: (event) => eventChange(spec, event),
    name: spec.name,
    mapping: spec.mapping,
    store: spec.store,
    reconcilable: spec.reconcilable,
    async *read(ctx: ReadContext<StripeCursor>): AsyncIterable<Page<StripeCursor>> {
      const cursor = ctx.cursor;
      if (ctx.mode === 'incremental' && cursor?.phase === 'events' && cursor.created > nowSeconds() - EVENT_RETENTION_SECONDS) {
        yield* events(ctx, spec, cursor);
        return;
      }
      const resume = cursor?.phase === 'list' ? cursor : null;
      yield* list(ctx, spec, resume?.startingAfter ?? null, resume?.listedAt ?? nowSeconds());
    },
  };
}

function pageSize(ctx: ReadContext<unknown>): number {
  return Math.min(100, Math.max(1, Number(ctx.config.pageSize) || 100));
}

async function* list(ctx: ReadContext<StripeCursor>, spec: StripeStreamSpec, startingAfter: string | null, listedAt: number): AsyncIterable<Page<StripeCursor>> {
  for (let after = startingAfter; ;) {
    const body = await ctx.http.get<{ data: Record<string, unknown>[]; has_more: boolean }>(spec.path, { ...spec.listQuery, limit: pageSize(ctx), starting_after: after ?? undefined });
    const last = body.data.at(-1)?.id as string | undefined;
    const more = body.has_more && !!last;
    yield {
      records: body.data.map((o) => stamp(o, listedAt)),
      cursor: more ? { phase: 'list', startingAfter: last!, listedAt } : { phase: 'events', created: listedAt, seen: [] },
    };
    if (!more) return;
    after = last!;
  }
}

export interface StripeEvent { id: string; type: string; created: number; data: { object: Record<string, unknown> } }

async function* events(ctx: ReadContext<StripeCursor>, spec: StripeStreamSpec, cursor: Extract<StripeCursor, { phase: 'events' }>): AsyncIterable<Page<StripeCursor>> {
  // Events come newest first; collect those since the cursor, then apply them oldest first.
  const types = [...spec.eventTypes, ...(spec.deletedTypes ?? [])].map((t) => `types[]=${encodeURIComponent(t)}`).join('&');
  const collected: StripeEvent[] = [];
  for (let after: string | undefined; ;) {
    const body = await ctx.http.get<{ data: StripeEvent[]; has_more: boolean }>(`/v1/events?${types}`, { 'created[gte]': cursor.created, limit: 100, starting_after: after });
    collected.push(...body.data);
    if (!body.has_more || !body.data.length) break;
    after = body.data.at(-1)!.id;
  }
  const seen = new Set(cursor.seen);
  const pending = collected.filter((e) => !seen.has(e.id)).reverse();
  for (let i = 0; i < pending.length; i += pageSize(ctx)) {
    const chunk = pending.slice(i, i + pageSize(ctx));
    const last = chunk.at(-1)!;
    const sameSecond = [...(last.created === cursor.created ? cursor.seen : []), ...pending.slice(0, i + chunk.length).filter((e) => e.created === last.created).map((e) => e.id)];
    const changes = chunk.map((e) => eventChange(spec, e)).filter((c): c is WebhookChange => !!c);
    yield {
      records: changes.flatMap((c) => c.records),
      deleted: changes.flatMap((c) => c.deleted ?? []),
      cursor: { phase: 'events', created: last.created, seen: [...new Set(sameSecond)] },
    };
  }
}

/**
 * What one event changes: the new state of its object, stamped with the event's time (Stripe
 * objects carry no modification time: the newest event wins), or the id of an object gone.
 */
function eventChange(spec: StripeStreamSpec, event: StripeEvent): WebhookChange | null {
  const gone = spec.deletedTypes?.includes(event.type) ?? false;
  if (!gone && !spec.eventTypes.includes(event.type)) return null;
  const object = event.data.object;
  if (gone && !spec.deletionsAsRecords) return { stream: spec.name, records: [], deleted: [object.id as string] };
  return { stream: spec.name, records: [Object.assign(stamp(object, event.created) as object, gone ? { [DELETED]: true } : {})] };
}
