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
}

export const CUSTOM_FIELDS = ['Key', 'Priority', 'Team'];

/** A stable UUID-looking id for a name (statuses, custom fields, the product). */
export function uuidOf(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join(':')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function featuresOf(world: World): FeatureState[] {
  return world.rows('product.features').filter((r) => r.vendor === 'productboard').map((row) => ({
    id: row.external_id, name: row.name, description: row.description, status: row.raw.status.name, archived: row.status === 'archived',
    createdAt: (row.created_at as Date).getTime(), updatedAt: (row.vendor_updated_at as Date).getTime(), customFields: { ...row.raw.customFields },
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
