import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { listAll, listPages } from './listing.js';
import { releaseMapping } from './mapping.js';

/** A release as Productboard lists it: `{ id, name, description, state, timeframe: { startDate, endDate, granularity }, releaseGroup, links }`. */
export interface Release { id?: unknown; state?: unknown; timeframe?: { endDate?: unknown } }

interface Assignment { feature?: { id?: unknown }; release?: { id?: unknown }; assigned?: unknown }

/**
 * Releases. Productboard cannot filter them by modification time, and a workspace has few, so
 * every run lists them all (`links.next`); only rows that changed are rewritten, and
 * reconciliation removes deleted ones.
 */
export const releases: Stream<null> = {
  name: 'releases',
  mapping: releaseMapping,
  async *read(ctx): AsyncIterable<Page<null>> {
    for await (const records of listPages(ctx, '/releases')) yield { records, cursor: null };
  },
};

/**
 * The releases each feature is assigned to, by feature id, as the releases listing describes
 * them (state and timeframe decide the feature's release date). The assignments listing holds
 * only existing assignments; one naming a release the listing does not have is left out.
 */
export async function releasesByFeature(ctx: ReadContext<unknown>): Promise<Map<string, Release[]>> {
  const byId = new Map((await listAll<Release>(ctx, '/releases')).filter((r) => typeof r?.id === 'string').map((r) => [r.id as string, r]));
  const byFeature = new Map<string, Release[]>();
  for (const assignment of await listAll<Assignment>(ctx, '/feature-release-assignments')) {
    const feature = assignment.feature?.id;
    const release = typeof assignment.release?.id === 'string' ? byId.get(assignment.release.id) : undefined;
    if (typeof feature !== 'string' || !release || assignment.assigned === false) continue;
    byFeature.set(feature, [...(byFeature.get(feature) ?? []), release]);
  }
  return byFeature;
}
