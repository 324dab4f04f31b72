import { sql } from 'kysely';
import type { Db } from '../core/db.js';
import { createContext } from './context.js';
import { volumesFor, type Scale } from './scales.js';
import { seedFeatures, seedReleases } from './product.js';
import { seedEngineering } from './engineering.js';
import { seedSales } from './sales.js';
import { seedEndUsers, seedExperiments, seedUsageEvents } from './analytics.js';
import { rebuildUsageRollups } from './rollups.js';
import { seedFinance } from './finance.js';
import { seedCustomerSuccess } from './customer-success.js';
import { seedIntegrations } from './integrations.js';

export type { Scale } from './scales.js';
export { rebuildUsageRollups } from './rollups.js';

export const DEFAULT_TENANTS = ['demo', 'globex'];

export interface SeedOptions {
  url: string;
  scale: Scale;
  /** The first tenant gets the full volume, the others a third. */
  tenants?: string[];
  /** "Now" for the generated data; defaults to the current instant. */
  anchor?: Date;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface SeedSummary {
  tenants: string[];
  /** Rows written per step, over all tenants. */
  rows: Record<string, number>;
  seconds: number;
}

/** Every table with tenant rows, children before parents. */
const TENANT_TABLES = [
  'integrations.record_errors', 'integrations.sync_runs', 'integrations.sync_cursors', 'integrations.webhook_receipts', 'integrations.outbox', 'integrations.connections',
  'customer_success.feedback', 'customer_success.health_scores',
  'finance.cost_entries', 'finance.invoices', 'finance.subscriptions', 'finance.budgets',
  'analytics.feature_usage_daily', 'analytics.user_activity_daily', 'analytics.usage_events', 'analytics.experiments', 'analytics.end_users',
  'sales.deals', 'sales.company_identities', 'sales.companies',
  'engineering.pull_requests', 'engineering.deployments', 'engineering.repositories',
  'product.feature_requests', 'product.features', 'product.releases',
];

const VENDOR_TABLES = ['product.releases', 'product.features', 'engineering.repositories', 'engineering.deployments', 'engineering.pull_requests',
  'analytics.end_users', 'analytics.usage_events', 'sales.companies', 'sales.deals', 'finance.subscriptions', 'finance.invoices', 'customer_success.health_scores', 'customer_success.feedback'];

export async function hasData(db: Db, tenantId: string): Promise<boolean> {
  const row = await db.selectFrom('product.features').select('id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  return Boolean(row);
}

export async function resetTenants(db: Db, tenants: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of TENANT_TABLES) await sql`delete from ${sql.table(table)} where tenant_id = any(${tenants})`.execute(trx);
  });
}

/** Fills every domain for each tenant with linked, deterministic data; refuses a tenant that has data. */
export async function seedTenants(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const tenants = options.tenants ?? DEFAULT_TENANTS;
  const anchor = options.anchor ?? new Date();
  const rows: Record<string, number> = {};
  for (const [index, tenant] of tenants.entries()) {
    if (await hasData(db, tenant)) throw new Error(`Tenant "${tenant}" already has data: pass --reset to replace it.`);
    const ctx = createContext(tenant, options.url, volumesFor(options.scale, index === 0), anchor);
    const steps: [string, () => Promise<number | void>][] = [
      ['releases', () => seedReleases(ctx)],
      ['features', () => seedFeatures(ctx)],
      ['engineering', () => seedEngineering(ctx)],
      ['companies and deals', () => seedSales(ctx)],
      ['end users', () => seedEndUsers(ctx)],
      ['usage events', () => seedUsageEvents(ctx, db)],
      ['usage rollups', () => rebuildUsageRollups(db, tenant)],
      ['experiments', () => seedExperiments(ctx)],
      ['finance', () => seedFinance(ctx)],
      ['customer success', () => seedCustomerSuccess(ctx)],
      ['integrations', async () => seedIntegrations(ctx, await recordsByVendor(db, tenant))],
    ];
    for (const [i, [step, run]] of steps.entries()) {
      const written = await run();
      if (typeof written === 'number') rows[step] = (rows[step] ?? 0) + written;
      options.onProgress?.(`${tenant}: ${step}`, i + 1, steps.length);
    }
  }
  // Vacuumed as well as analysed: index-only scans of the rollups need the visibility map.
  for (const table of TENANT_TABLES) await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  return { tenants, rows, seconds: (performance.now() - started) / 1000 };
}

async function recordsByVendor(db: Db, tenant: string): Promise<Record<string, number>> {
  const union = sql.join(VENDOR_TABLES.map((t) => sql`select vendor, count(*) as n from ${sql.table(t)} where tenant_id = ${tenant} group by vendor`), sql` union all `);
  const { rows } = await sql<{ vendor: string; n: string }>`select vendor, sum(n)::bigint as n from (${union}) t group by vendor`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.vendor, Number(r.n)]));
}
