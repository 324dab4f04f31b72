import { Random, stableId } from './random.js';
import type { Volumes } from './scales.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** What every generator step of one tenant shares: its volumes, clock and the entities made so far. */
export interface SeedContext {
  tenant: string;
  url: string;
  volumes: Volumes;
  /** The instant "now" is for this data; nothing happens after it. */
  anchor: Date;
  /** Midnight UTC of the anchor's day. */
  today: number;
  random(kind: string): Random;
  id(kind: string, n: number | string): string;
  releases: { id: string; releasedAt: Date | null }[];
  features: { id: string; key: string; releasedAt: Date | null; team: string }[];
  repositories: { id: string; fullName: string }[];
  companies: { id: string; domain: string }[];
  endUsers: { id: string; companyId: string | null }[];
}

export function createContext(tenant: string, url: string, volumes: Volumes, anchor: Date): SeedContext {
  const today = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const day = new Date(today).toISOString().slice(0, 10);
  return {
    tenant, url, volumes, anchor, today,
    random: (kind) => new Random(`${tenant}:${kind}:${day}`),
    id: (kind, n) => stableId(tenant, kind, n),
    releases: [], features: [], repositories: [], companies: [], endUsers: [],
  };
}

/** A moment `days` (fractional) before the anchor, never after it. */
export function daysAgo(ctx: SeedContext, days: number): Date {
  return new Date(Math.min(ctx.anchor.getTime(), ctx.anchor.getTime() - days * DAY));
}

export const SOURCE_COLUMNS = ['vendor', 'external_id', 'url', 'synced_at', 'vendor_updated_at', 'raw'];
