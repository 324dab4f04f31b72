import { computed, MappingError, text, timestamp, type MapContext, type TableMapping } from '../../../../sync/mapping.js';
import { versionNumber } from '../version-number.js';
import type { Release } from './releases.js';
import { productboardSettings } from './settings.js';

type FeatureStatus = 'backlog' | 'planned' | 'in_progress' | 'released' | 'archived';
type Priority = 'low' | 'medium' | 'high' | 'critical';

/** Productboard's default feature statuses; a workspace's own names go in `config.statusMap`. */
const STATUS_BY_NAME: Record<string, FeatureStatus> = {
  'new idea': 'backlog', 'candidate': 'backlog', 'planned': 'planned', 'in progress': 'in_progress',
  'released': 'released', 'done': 'released', 'archived': 'archived', "won't do": 'archived',
};
const STATUSES = new Set<string>(['backlog', 'planned', 'in_progress', 'released', 'archived']);
const PRIORITIES: Record<string, Priority> = { highest: 'critical', critical: 'critical', high: 'high', medium: 'medium', low: 'low', lowest: 'low' };

interface Feature { archived?: unknown; status?: { name?: unknown }; customFields?: Record<string, string>; releases?: Release[] }

function status(feature: Feature, ctx: MapContext): FeatureStatus {
  if (feature.archived === true) return 'archived';
  const name = feature.status?.name;
  if (typeof name !== 'string') throw new MappingError('status.name', 'missing');
  const own = ctx.config.statusMap as Record<string, string> | undefined;
  const configured = own && Object.entries(own).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  if (configured && STATUSES.has(configured)) return configured as FeatureStatus;
  const found = STATUS_BY_NAME[name.toLowerCase()];
  if (!found) throw new MappingError('status.name', `"${name.slice(0, 80)}" is not a known status; name it in config.statusMap`);
  return found;
}

const customField = (feature: Feature, name: string) => feature.customFields?.[name]?.trim() || null;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A release's end date, 'YYYY-MM-DD'; Productboard writes 'none' when a release has no timeframe. */
function endDate(release: Release): string | null {
  const value = release.timeframe?.endDate;
  return typeof value === 'string' && DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

const completed = (release: Release) => release.state === 'completed';

/**
 * The release a feature ships in, among those it is assigned to (one per release group): a
 * completed one before the others, then the latest end date.
 */
function shippingRelease(feature: Feature): Release | null {
  const assigned = Array.isArray(feature.releases) ? feature.releases.filter((r) => typeof r?.id === 'string') : [];
  const rank = (r: Release) => [completed(r) ? 1 : 0, endDate(r) ?? ''] as const;
  return assigned.reduce<Release | null>((best, r) => {
    if (!best) return r;
    const [a, b] = [rank(r), rank(best)];
    return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]) ? r : best;
  }, null);
}

/** Productboard's rich-text description (a small HTML subset) as plain text. */
export function plainText(html: string): string {
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|li|h[1-6]|blockquote)>/gi, '\n').replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n').trim();
}

/**
 * Features -> product.features. Productboard has no issue key, priority or team: they come from
 * the workspace's text custom fields named in `config.customFields` ("Key", "Priority", "Team" by
 * default). A feature without a key is kept in record errors until someone gives it one. Its
 * release is the Productboard release it ships in; a released feature in a completed release was
 * released on that release's end date (Productboard keeps no time a feature shipped).
 */
export const featureMapping: TableMapping = {
  table: 'product.features',
  entity: 'Feature',
  externalId: text('id') as TableMapping['externalId'],
  url: text('links.html', { optional: true }),
  updatedAt: timestamp('updatedAt'),
  createdAt: timestamp('createdAt', { optional: true }),
  columns: {
    key: computed((feature: Feature, ctx) => {
      const name = productboardSettings(ctx.config).customFields.key;
      const key = customField(feature, name);
      if (!key) throw new MappingError(`customFields.${name}`, `missing: the feature has no "${name}" custom field value`);
      return key;
    }),
    name: text('name'),
    description: computed((feature: { description?: unknown }) => {
      if (feature.description === null || feature.description === undefined) return null;
      if (typeof feature.description !== 'string') throw new MappingError('description', 'expected rich text');
      return plainText(feature.description) || null;
    }),
    status: computed(status),
    // Seed 002's rule: an unknown or missing priority is medium.
    priority: computed((feature: Feature, ctx) => PRIORITIES[customField(feature, productboardSettings(ctx.config).customFields.priority)?.toLowerCase() ?? ''] ?? 'medium'),
    team: computed((feature: Feature, ctx) => customField(feature, productboardSettings(ctx.config).customFields.team)),
    released_at: computed((feature: Feature, ctx) => {
      const release = shippingRelease(feature);
      const day = release && completed(release) ? endDate(release) : null;
      if (!day) return null;
      try {
        return status(feature, ctx) === 'released' ? new Date(`${day}T00:00:00Z`) : null;
      } catch {
        return null; // the status column reports it
      }
    }),
  },
  refs: { release_id: { from: computed((feature: Feature) => (shippingRelease(feature)?.id as string | undefined) ?? null), table: 'product.releases' } },
};

/**
 * Releases -> product.releases. A completed release was released on its end date, as a released
 * Jira version on its release date; an upcoming one's end date is its planned date. Productboard
 * gives days only: `released_at` stays unset.
 */
export const releaseMapping: TableMapping = {
  table: 'product.releases',
  entity: 'Release',
  externalId: text('id') as TableMapping['externalId'],
  url: text('links.html', { optional: true }),
  columns: {
    name: text('name'),
    version: computed((release: { name?: unknown }) => versionNumber(release.name)),
    description: computed((release: { description?: unknown }) => (typeof release.description === 'string' ? plainText(release.description) || null : null)),
    released: computed((release: Release) => completed(release)),
    release_date: computed((release: Release) => endDate(release)),
  },
};
