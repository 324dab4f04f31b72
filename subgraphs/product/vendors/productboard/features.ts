import { linkDelivery } from '../link-delivery.js';
import type { Page, Stream } from '../../../../sync/connector.js';
import { customFieldValues } from './custom-fields.js';
import { featureMapping } from './mapping.js';
import { releasesByFeature } from './releases.js';
import { productboardSettings } from './settings.js';

/** The next page of the listing under way (Productboard's own `links.next`); null once a listing is complete. */
export interface FeatureCursor { next: string | null }

interface FeaturePage { data?: unknown[]; links?: { next?: string | null } }

/**
 * Features. Productboard cannot filter by modification time, so every run lists them all,
 * following `links.next`; newest-wins and unchanged-row detection keep that cheap (a row is
 * rewritten only when it changed). A run that stopped mid-listing resumes at the page it was
 * on; a completed listing starts over. Each feature is stored with its custom field values
 * (`customFields`, by field name) and the releases it is assigned to (`releases`, as the
 * releases listing has them), both read first from their own endpoints.
 */
export const features: Stream<FeatureCursor> = {
  name: 'features',
  mapping: featureMapping,
  afterWrite: linkDelivery,
  async *read(ctx): AsyncIterable<Page<FeatureCursor>> {
    const settings = productboardSettings(ctx.config);
    const values = await customFieldValues(ctx, settings);
    const assigned = await releasesByFeature(ctx);
    let next: string | null = ctx.cursor?.next ?? `/features?pageLimit=${settings.pageSize}`;
    while (next) {
      const page: FeaturePage = await ctx.http.get<FeaturePage>(next);
      const records = (page.data ?? []).map((feature) => {
        const id = (feature as { id?: unknown } | null)?.id;
        return feature && typeof feature === 'object' && typeof id === 'string' ? { ...feature, customFields: values.get(id) ?? {}, releases: assigned.get(id) ?? [] } : feature;
      });
      next = page.links?.next ?? null;
      yield { records, cursor: { next } };
    }
  },
};
