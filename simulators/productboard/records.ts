import { createHash } from 'node:crypto';
import type { World } from '../shared/world.js';

/** Productboard features as the simulator keeps them, rendered into API v1 JSON on each request. */

export interface FeatureState {
  id: string;
  name: unknown;
  /** Plain text; served as Productboard's HTML. */
  description: string | null;
  status: string;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  /** Text custom field values by field name. */
  customFields: Record<string, string>;
  /** The releases the feature is assigned to. */
  releaseIds: string[];
}

export type ReleaseStateName = 'upcoming' | 'in-progress' | 'completed';

export interface ReleaseState {
  id: string;
  name: string;
  description: string | null;
  state: ReleaseStateName;
  /** 'YYYY-MM-DD', or null for a release without a timeframe. */
  startDate: string | null;
  endDate: string | null;
}

/** The release group the generated releases belong to. */
export const RELEASE_GROUP = 'Release trains';

export const CUSTOM_FIELDS = ['Key', 'Priority', 'Team'];

/** A stable UUID-looking id for a name (statuses, custom fields, the product). */
export function uuidOf(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join(':')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const releaseIdOf = (tenant: string, releaseRowId: string) => uuidOf(tenant, 'release', releaseRowId);

/**
 * The release trains Productboard's features ship in: the generator's releases that hold one of
 * its features, kept in Productboard too (released ones completed, on their release day).
 */
export function releasesOf(world: World): ReleaseState[] {
  const used = new Set(world.rows('product.features').filter((r) => r.vendor === 'productboard' && r.release_id).map((r) => r.release_id as string));
  const today = world.now.toISOString().slice(0, 10);
  return world.rows('product.releases').filter((r) => used.has(r.id)).map((row) => {
    const endDate = (row.release_date as string | null) ?? null;
    const startDate = endDate ? new Date(Date.parse(endDate) - 14 * 86_400_000).toISOString().slice(0, 10) : null;
    const state = row.released ? 'completed' : startDate && startDate <= today ? 'in-progress' : 'upcoming';
    return { id: releaseIdOf(world.tenant, row.id), name: row.name, description: row.description, state, startDate, endDate };
  });
}

export function featuresOf(world: World): FeatureState[] {
  return world.rows('product.features').filter((r) => r.vendor === 'productboard').map((row) => ({
    id: row.external_id, name: row.name, description: row.description, status: row.raw.status.name, archived: row.status === 'archived',
    createdAt: (row.created_at as Date).getTime(), updatedAt: (row.vendor_updated_at as Date).getTime(), customFields: { ...row.raw.customFields },
    releaseIds: row.release_id ? [releaseIdOf(world.tenant, row.release_id)] : [],
  }));
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderFeature(f: FeatureState, ctx: { api: string; app: string; tenant: string; malformed: boolean; unknownFields: boolean }): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const product = uuidOf(ctx.tenant, 'product');
  return {
    id: f.id, name: f.name, description: f.description === null ? '' : `<p>${escapeHtml(f.description)}</p>`, type: 'feature', archived: f.archived,
    status: { id: uuidOf(ctx.tenant, 'status', f.status), name: f.status },
    parent: { product: { id: product, links: { self: `${ctx.api}/products/${product}` } } },
    timeframe: { startDate: 'none', endDate: 'none', granularity: 'none' },
    owner: null,
    createdAt: iso(f.createdAt),
    updatedAt: ctx.malformed ? 'last week' : iso(f.updatedAt),
    links: { self: `${ctx.api}/features/${f.id}`, html: `${ctx.app}/feature-board/features/${f.id}/detail` },
    ...(ctx.unknownFields ? { beta: { objectives: [], healthUpdates: { status: 'on-track' } } } : {}),
  };
}

export function renderRelease(r: ReleaseState, ctx: { api: string; tenant: string }): Record<string, unknown> {
  const group = uuidOf(ctx.tenant, 'release-group', RELEASE_GROUP);
  return {
    id: r.id, name: r.name, description: r.description === null ? '' : `<p>${escapeHtml(r.description)}</p>`, state: r.state,
    timeframe: r.endDate ? { startDate: r.startDate ?? 'none', endDate: r.endDate, granularity: 'day' } : { startDate: 'none', endDate: 'none', granularity: 'none' },
    releaseGroup: { id: group, links: { self: `${ctx.api}/release-groups/${group}` } },
    links: { self: `${ctx.api}/releases/${r.id}` },
  };
}

/** An assignment as `/feature-release-assignments` lists it. */
export function renderAssignment(featureId: string, releaseId: string, api: string): Record<string, unknown> {
  return {
    feature: { id: featureId, links: { self: `${api}/features/${featureId}` } },
    release: { id: releaseId, links: { self: `${api}/releases/${releaseId}` } },
    assigned: true,
  };
}
