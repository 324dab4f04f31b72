import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { listPageSize, modifiedAt, type HubSpotObject, type HubSpotPage, type ObjectType } from './objects.js';
import { searchChanges } from './search.js';

/**
 * Where a HubSpot stream resumes: inside the full listing (its `after` token), or after the last
 * change read through search: everything modified before `since` is stored, and at `since`
 * itself every object up to id `afterId` ('' none yet; null all of them).
 */
export type HubSpotCursor =
  | { phase: 'list'; after: string | null; listedAt: number }
  | { phase: 'search'; since: number; afterId: string | null };

/** Completes a page's records before they are stored (owner names, associations search leaves out). */
export type Enricher = (records: HubSpotObject[], from: 'list' | 'search') => Promise<void>;

export interface HubSpotObjectSpec {
  objectType: ObjectType;
  properties: string[];
  /** Associated objects the listing returns with each record (`associations=companies`). */
  associations?: string;
  /** A first or full sync keeps only records changed since the backfill window (deals); companies are read whole. */
  backfillFromSince: boolean;
  /** Called once a run, before the first page: returns how that run's pages are completed. */
  prepare?: (ctx: ReadContext<HubSpotCursor>) => Promise<Enricher>;
}

/** Our clock and HubSpot's may differ: the first search after a listing looks back this far (re-reading is harmless). */
const CLOCK_MARGIN_MS = 60_000;

/**
 * A HubSpot object stream: a first sync, a full sync and a reconciliation walk the listing
 * (`GET /crm/v3/objects/{type}`, `after` tokens, no result cap); incremental syncs read changes
 * since through the search API (search.ts).
 */
export function objectRead(spec: HubSpotObjectSpec): Stream<HubSpotCursor>['read'] {
  return async function* read(ctx) {
    const enrich = spec.prepare ? await spec.prepare(ctx) : async () => {};
    const cursor = ctx.cursor;
    if (ctx.mode === 'incremental' && cursor?.phase === 'search') {
      yield* searchChanges(ctx, spec, enrich, cursor);
      return;
    }
    const resume = cursor?.phase === 'list' ? cursor : null;
    yield* list(ctx, spec, enrich, resume?.after ?? null, resume?.listedAt ?? Date.now() - CLOCK_MARGIN_MS);
  };
}

async function* list(ctx: ReadContext<HubSpotCursor>, spec: HubSpotObjectSpec, enrich: Enricher, after: string | null, listedAt: number): AsyncIterable<Page<HubSpotCursor>> {
  const floor = spec.backfillFromSince && ctx.mode !== 'reconcile' ? ctx.since.getTime() : null;
  for (;;) {
    const body = await ctx.http.get<HubSpotPage>(`/crm/v3/objects/${spec.objectType}`, {
      limit: listPageSize(ctx.config), after: after ?? undefined, properties: spec.properties.join(','), associations: spec.associations, archived: false,
    });
    const records = floor === null ? body.results : body.results.filter((r) => (modifiedAt(r) ?? floor) >= floor);
    await enrich(records, 'list');
    const next = body.paging?.next?.after;
    yield { records, cursor: next ? { phase: 'list', after: next, listedAt } : { phase: 'search', since: listedAt, afterId: null } };
    if (!next) return;
    after = next;
  }
}
