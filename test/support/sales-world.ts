import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';

export interface CompanyRow { name: string; segment: 'smb' | 'mid_market' | 'enterprise'; owner?: string | null; industry?: string | null }
export interface DealRow {
  company: string; stage: string; amount: string; currency?: string; closeDate?: string | null;
  isClosed?: boolean; isWon?: boolean; createdAt?: string;
}

/** A tenant's CRM world, written as the connectors write it: companies (ids by name), then their deals. */
export async function writeCrm(db: Db, tenant: string, companies: CompanyRow[], deals: DealRow[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const c of companies) {
    ids[c.name] = randomUUID();
    await sql`insert into sales.companies (tenant_id, id, name, domain, industry, segment, owner, vendor, external_id)
      values (${tenant}, ${ids[c.name]}, ${c.name}, ${`${c.name.toLowerCase()}.example`}, ${c.industry ?? null}, ${c.segment}, ${c.owner ?? null},
              'salesforce', ${`acc-${c.name}`})`.execute(db);
  }
  for (const [i, d] of deals.entries()) {
    await sql`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, currency, close_date, is_closed, is_won, created_at, vendor, external_id)
      values (${tenant}, ${randomUUID()}, ${ids[d.company]}, ${`Deal ${i}`}, ${d.stage}, ${d.amount}, ${d.currency ?? 'USD'}, ${d.closeDate ?? null},
              ${d.isClosed ?? false}, ${d.isWon ?? false}, ${d.createdAt ?? '2025-02-01T12:00:00Z'}, 'salesforce', ${`opp-${i}`})`.execute(db);
  }
  return ids;
}

/** The tenant's vendor connections of `domain` and when each last synced (null: never). */
export async function writeConnections(db: Db, tenant: string, rows: [vendor: string, domain: string, lastSuccessAt: string | null][]) {
  for (const [vendor, domain, at] of rows) {
    await sql`insert into integrations.connections (tenant_id, id, vendor, domain, name, status, last_success_at)
      values (${tenant}, ${randomUUID()}, ${vendor}, ${domain}, ${vendor}, 'active', ${at})`.execute(db);
  }
}
