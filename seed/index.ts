import { sql } from 'kysely';
import type { Db } from '../core/db.js';
import { copyRows } from './copy.js';
import { createContext, DAY, type SeedContext, type TableWriter } from './context.js';
import { volumesFor, type Scale } from './scales.js';
import { seedFeatures, seedReleases } from './product.js';
import { seedEngineering } from './engineering.js';
import { seedSales } from './sales.js';
import { seedEndUsers, seedExperiments } from './analytics.js';
import { EVENT_DAYS, seedUsageEvents } from './usage-events.js';
import { rebuildUsageRollups } from './rollups.js';
import { seedFinance } from './finance.js';
import { seedCustomerSuccess } from './customer-success.js';
import { seedIntegrations } from './integrations.js';
import { TENANT_TABLES, VENDOR_TABLES } from './tables.js';

export type { Scale } from './scales.js';
export { SCALE_NAMES } from './scales.js';
export { rebuildUsageRollups, type RollupCounts } from './rollups.js';

export const DEFAULT_TENANTS = ['demo', 'globex'];
export const ROLLUPS_STEP = 'usage rollups';
export const VACUUM_STEP = 'vacuum analyze';

/** Reports a step: rows written and/or seconds spent (null when not measured there). */
type Recorder = (step: string, rows: number | null, seconds: number | null) => void;

export interface SeedOptions {
  /** The database's URL: the big tables are streamed over connections of their own (COPY). */
  url: string;
  scale: Scale;
  /** The first tenant gets the full volume, the others a third. Default: demo, globex. */
  tenants?: string[];
  /** "Now" for the generated data (only its UTC day counts); defaults to the current instant. */
  anchor?: Date;
  /** Called after each table of each tenant (done = total), and every million rows of the big ones. */
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface SeedSummary {
  tenants: string[];
  /** Rows written per table ('schema.table'), over all tenants. */
  rows: Record<string, number>;
  /** Seconds spent per step, over all tenants: a table, the usage rollups (both tables) or the final vacuum analyze. */
  stepSeconds: Record<string, number>;
  seconds: number;
}

/** Whether the tenant has any generated or synced rows. */
export async function hasData(db: Db, tenantId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select exists (
    select 1 from product.features where tenant_id = ${tenantId} union all
    select 1 from sales.companies where tenant_id = ${tenantId} union all
    select 1 from analytics.end_users where tenant_id = ${tenantId} union all
    select 1 from integrations.connections where tenant_id = ${tenantId}) as found`.execute(db);
  return rows[0].found;
}

/** Deletes every row of these tenants from every table, children first, in one transaction. */
export async function resetTenants(db: Db, tenants: string[]): Promise<void> {
  if (!tenants.length) return;
  await db.transaction().execute(async (trx) => {
    for (const table of TENANT_TABLES) await sql`delete from ${sql.table(table)} where tenant_id = any(${tenants})`.execute(trx);
  });
}

/**
 * Fills every domain for each tenant with linked, deterministic data: the same scale, tenants
 * and anchor day give the same rows. Refuses (before writing anything) if a tenant has data.
 */
export async function seedTenants(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const tenants = options.tenants ?? DEFAULT_TENANTS;
  if (new Set(tenants).size !== tenants.length) throw new Error(`Tenants are listed twice: ${tenants.join(', ')}.`);
  const populated = [];
  for (const tenant of tenants) if (await hasData(db, tenant)) populated.push(tenant);
  if (populated.length) throw new Error(`Tenant${populated.length > 1 ? 's' : ''} ${populated.map((t) => `"${t}"`).join(', ')} already ha${populated.length > 1 ? 've' : 's'} data: reset ${populated.length > 1 ? 'them' : 'it'} first (--reset).`);

  const anchor = options.anchor ?? new Date();
  const summary: SeedSummary = { tenants, rows: {}, stepSeconds: {}, seconds: 0 };
  const record: Recorder = (step, rows, seconds) => {
    if (rows !== null) summary.rows[step] = (summary.rows[step] ?? 0) + rows;
    if (seconds !== null) summary.stepSeconds[step] = (summary.stepSeconds[step] ?? 0) + seconds;
  };
  for (const [index, tenant] of tenants.entries()) {
    const write: TableWriter = async (table, columns, rows, expected) => {
      const t0 = performance.now();
      const onProgress = expected && options.onProgress ? (done: number) => { if (done < expected) options.onProgress!(`${tenant}: ${table}`, done, expected); } : undefined;
      const count = await copyRows(options.url, table, columns, rows, { onProgress });
      record(table, count, (performance.now() - t0) / 1000);
      options.onProgress?.(`${tenant}: ${table}`, count, count);
      return count;
    };
    const ctx = createContext(tenant, volumesFor(options.scale, index === 0), anchor, write);
    await seedTenant(db, ctx, (step, rows, seconds) => {
      record(step, rows, seconds);
      if (rows !== null) options.onProgress?.(`${tenant}: ${step}`, rows, rows);
    });
  }
  // Vacuumed as well as analysed: index-only scans of the rollups need the visibility map.
  const t0 = performance.now();
  for (const table of TENANT_TABLES) await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  record(VACUUM_STEP, null, (performance.now() - t0) / 1000);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * The vendor data of one tenant, parents before children, written through `ctx.write`: into
 * tables by the generator, or kept in memory as the world the vendor simulators serve.
 */
export async function generateVendorData(ctx: SeedContext): Promise<void> {
  await seedReleases(ctx);
  await seedFeatures(ctx);
  await seedEngineering(ctx);
  await seedSales(ctx);
  await seedEndUsers(ctx);
  await seedUsageEvents(ctx);
  await seedExperiments(ctx);
  await seedFinance(ctx);
  await seedCustomerSuccess(ctx);
}

/** One tenant: its vendor data, the usage rollups, its connections. `record` reports rows written by plain SQL. */
async function seedTenant(db: Db, ctx: SeedContext, record: Recorder): Promise<void> {
  await sql`select analytics.ensure_usage_partitions(${new Date(ctx.today - EVENT_DAYS * DAY)}, ${ctx.now})`.execute(db);
  await generateVendorData(ctx);
  const t0 = performance.now();
  const rollups = await rebuildUsageRollups(db, ctx.tenant);
  record('analytics.feature_usage_daily', rollups.featureUsageDaily, null);
  record('analytics.user_activity_daily', rollups.userActivityDaily, null);
  record(ROLLUPS_STEP, null, (performance.now() - t0) / 1000);
  await seedIntegrations(ctx, await recordsByVendor(db, ctx.tenant));
}

/** Rows per vendor of a tenant: each connection's `records_synced`. */
async function recordsByVendor(db: Db, tenant: string): Promise<Record<string, number>> {
  const union = sql.join(VENDOR_TABLES.map((t) => sql`select vendor, count(*) as n from ${sql.table(t)} where tenant_id = ${tenant} group by vendor`), sql` union all `);
  const { rows } = await sql<{ vendor: string; n: string }>`select vendor, sum(n)::bigint as n from (${union}) t group by vendor`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.vendor, Number(r.n)]));
}
