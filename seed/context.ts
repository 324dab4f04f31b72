import { Random } from './random.js';
import { stableId } from '../core/stable-id.js';
import type { Cell } from './copy.js';
import type { Volumes } from './scales.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Writes rows into a table (COPY) and reports them: the one way a generator step stores rows. */
export type TableWriter = (table: string, columns: readonly string[], rows: Iterable<Cell[]>, expected?: number) => Promise<number>;

export interface SeedFeature {
  id: string;
  key: string;
  status: string;
  releasedAt: Date | null;
  team: string;
}

export interface SeedCompany {
  id: string;
  name: string;
  domain: string;
  crm: 'salesforce' | 'hubspot';
}

/** What every generator step of one tenant shares: its volumes, clock and the entities made so far. */
export interface SeedContext {
  tenant: string;
  volumes: Volumes;
  /**
   * "Now" for the data: midnight UTC of the anchor's day. Everything that happened lies at or
   * before it (so never after the anchor instant), and the same anchor day gives the same rows.
   */
  now: Date;
  /** `now` in epoch milliseconds. */
  today: number;
  random(kind: string): Random;
  id(kind: string, n: number | string): string;
  write: TableWriter;
  releases: { id: string; releasedAt: Date | null }[];
  features: SeedFeature[];
  repositories: { id: string; fullName: string }[];
  companies: SeedCompany[];
  endUsers: { id: string; companyId: string | null }[];
}

export function createContext(tenant: string, volumes: Volumes, anchor: Date, write: TableWriter): SeedContext {
  const today = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const day = isoDay(today);
  return {
    tenant, volumes, write, today,
    now: new Date(today),
    random: (kind) => new Random(`${tenant}:${kind}:${day}`),
    id: (kind, n) => stableId(tenant, kind, n),
    releases: [], features: [], repositories: [], companies: [], endUsers: [],
  };
}

/** A moment `days` (fractional) before the data's "now", never after it. */
export function daysAgo(ctx: SeedContext, days: number): Date {
  return new Date(ctx.today - Math.max(0, days) * DAY);
}

/** An epoch-ms moment capped at the data's "now". */
export function atMost(ctx: SeedContext, ms: number): Date {
  return new Date(Math.min(ctx.today, ms));
}

/** 'YYYY-MM-DD' of an epoch-ms moment, in UTC. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Where a vendor-backed row came from; its vendor's updated time is also the row's `updated_at`. */
export interface Source {
  vendor: string;
  externalId: string;
  url: string | null;
  createdAt: Date;
  updatedAt: Date;
  raw: object | null;
}

/** The source columns of a vendor-backed row, then its created/updated timestamps: always last. */
export const SOURCE_COLUMNS = ['vendor', 'external_id', 'url', 'synced_at', 'vendor_updated_at', 'raw', 'created_at', 'updated_at'] as const;

/** The cells for SOURCE_COLUMNS: synced at the data's "now". */
export function sourceCells(ctx: SeedContext, s: Source): Cell[] {
  return [s.vendor, s.externalId, s.url, ctx.now, s.updatedAt, s.raw, s.createdAt, s.updatedAt];
}
