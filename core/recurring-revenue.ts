import { sql } from 'kysely';
import type { Db } from './db.js';
import { anyId } from './sql.js';
import { fromCents, toCents } from './decimal.js';

// Recurring revenue as finance states it (Company.mrr, Company.arr), for every subgraph that reads it from the
// subscriptions without asking finance for one company at a time.

/** A yearly price per month, rounded to cents in SQL (numeric): never through a float. Over finance.subscriptions as s. */
export const MONTHLY_AMOUNT = sql<string>`case when s.billing_interval = 'year' then round(s.amount / 12, 2) else s.amount end`;

/** Per company: the monthly amounts of its active and past-due subscriptions, summed exactly. */
export async function monthlyRecurringRevenue(db: Db, tenantId: string, companyIds: readonly string[]): Promise<Map<string, { amount: string; currency: string }>> {
  const rows = await db.selectFrom('finance.subscriptions as s')
    .select(['s.company_id', sql<string>`sum(${MONTHLY_AMOUNT})`.as('amount'), sql<string>`min(s.currency)`.as('currency')])
    .where('s.tenant_id', '=', tenantId).where(anyId('s.company_id', companyIds)).where('s.status', 'in', ['active', 'past_due'])
    .groupBy('s.company_id').execute();
  return new Map(rows.map((r) => [r.company_id!, { amount: r.amount, currency: r.currency }]));
}

/** Annual recurring revenue in cents: 12 x a monthly amount, exactly. */
export function annualCents(monthly: string): bigint {
  return toCents(monthly) * 12n;
}

/** Annual recurring revenue: 12 x a monthly amount, exactly. */
export function annualFromMonthly(monthly: string): string {
  return fromCents(annualCents(monthly));
}
