import type { Page, ReadContext } from '../../../../sync/connector.js';
import type { HubSpotCursor, Enricher, HubSpotObjectSpec } from './object-stream.js';
import { MODIFIED, modifiedAt, searchPageSize, type HubSpotObject, type HubSpotPage } from './objects.js';

interface Filter { propertyName: string; operator: 'EQ' | 'GT' | 'LT'; value: string }

/** Search indexes a change a little after it happens (connection config `settleSeconds`, default 30): newer changes wait for the next run. */
function settledBefore(config: Record<string, unknown>): number {
  const settle = config.settleSeconds === undefined ? 30 : Number(config.settleSeconds) || 0;
  return Date.now() - settle * 1_000;
}

async function searchPage(ctx: ReadContext<HubSpotCursor>, spec: HubSpotObjectSpec, filters: Filter[], sortBy: string): Promise<HubSpotPage> {
  return ctx.http.post<HubSpotPage>(`/crm/v3/objects/${spec.objectType}/search`, {
    filterGroups: [{ filters }],
    sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }],
    properties: spec.properties,
    limit: searchPageSize(ctx.config),
  });
}

/**
 * Changes since the cursor through the search API. Search answers at most 10,000 results per
 * query (an `after` beyond answers 400) and its `after` is an offset that shifts when a record
 * changes mid-read, so it is never paged: every request is a new time window starting after the
 * last record stored. A page ends before its last timestamp (the rest of that millisecond may be
 * on the next page); a page that is one single millisecond is walked by object id instead. Only
 * changes the search index has surely seen are read, so the cursor never passes one it has not.
 */
export async function* searchChanges(ctx: ReadContext<HubSpotCursor>, spec: HubSpotObjectSpec, enrich: Enricher,
  cursor: Extract<HubSpotCursor, { phase: 'search' }>): AsyncIterable<Page<HubSpotCursor>> {
  const limit = searchPageSize(ctx.config);
  const until = String(settledBefore(ctx.config));
  let { since, afterId } = cursor;
  const emit = async (records: HubSpotObject[]): Promise<Page<HubSpotCursor>> => {
    await enrich(records, 'search');
    return { records, cursor: { phase: 'search', since, afterId } };
  };
  for (;;) {
    if (afterId !== null) {
      // Inside one millisecond: by id, after the last id stored.
      const filters: Filter[] = [{ propertyName: MODIFIED, operator: 'EQ', value: String(since) }];
      if (afterId) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: afterId });
      const { results } = await searchPage(ctx, spec, filters, 'hs_object_id');
      if (results.length) {
        afterId = results.at(-1)!.id;
        yield await emit(results);
      }
      if (results.length < limit) afterId = null;
      continue;
    }
    const { results } = await searchPage(ctx, spec, [{ propertyName: MODIFIED, operator: 'GT', value: String(since) }, { propertyName: MODIFIED, operator: 'LT', value: until }], MODIFIED);
    if (!results.length) return;
    const stamps = results.map((r) => modifiedAt(r) ?? since);
    if (results.length < limit) {
      since = Math.max(since, ...stamps);
      yield await emit(results);
      return;
    }
    const last = stamps.at(-1)!;
    const head = results.filter((_, i) => stamps[i] < last);
    if (!head.length) {
      since = last;
      afterId = '';
      continue;
    }
    since = Math.max(since, ...stamps.slice(0, head.length));
    yield await emit(head);
  }
}
