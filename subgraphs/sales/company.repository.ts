import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import { anyId } from '../../core/sql.js';
import type { Company, CompanySegment } from './company.type.js';
import type { CompanyIdentity } from './company-identity.type.js';

const COLUMNS = [
  'c.id', 'c.name', 'c.domain', 'c.industry', 'c.employees', 'c.segment', 'c.owner',
  'c.created_at as createdAt', 'c.updated_at as updatedAt', 'c.vendor', 'c.external_id', 'c.url', 'c.synced_at',
] as const;

export type CompanyOrderField = 'name' | 'created_at' | 'updated_at';

export function companyOrdering(field: CompanyOrderField, direction: 'asc' | 'desc'): Ordering {
  return { name: `companies:${field}:${direction}`, keys: [`c.${field}`, 'c.id'], direction };
}

export interface CompanyFilterValues {
  ids?: string[] | null;
  segment?: CompanySegment[] | null;
  search?: string | null;
  domain?: string | null;
}

function scoped(db: Db, tenantId: string) {
  return db.selectFrom('sales.companies as c').where('c.tenant_id', '=', tenantId);
}

export async function companiesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Company[]> {
  return (await scoped(db, tenantId).select(COLUMNS).where(anyId('c.id', ids)).execute()) as Company[];
}

export async function companyPage(db: Db, tenantId: string, filter: CompanyFilterValues, ordering: Ordering, page: PageArgs) {
  let query = scoped(db, tenantId).select(COLUMNS);
  if (filter.ids?.length) query = query.where(anyId('c.id', filter.ids));
  if (filter.segment?.length) query = query.where('c.segment', 'in', filter.segment);
  if (filter.domain) query = query.where('c.domain', '=', filter.domain.trim().toLowerCase());
  if (filter.search) query = query.where(sql<boolean>`c.name ilike ${'%' + filter.search.replace(/[\\%_]/g, '\\$&') + '%'}`);
  return keysetPage<Company>(db, query, ordering, page);
}

export async function identitiesByCompany(db: Db, tenantId: string, companyIds: readonly string[]): Promise<Map<string, CompanyIdentity[]>> {
  const rows = await db.selectFrom('sales.company_identities as i')
    .select(['i.company_id as companyId', 'i.vendor', 'i.external_id as externalId', 'i.domain', 'i.matched_by as matchedBy', 'i.matched_at as matchedAt'])
    .where('i.tenant_id', '=', tenantId).where(anyId('i.company_id', companyIds))
    .orderBy('i.vendor').orderBy('i.external_id')
    .execute();
  const byCompany = new Map<string, CompanyIdentity[]>();
  for (const row of rows as CompanyIdentity[]) {
    if (!byCompany.has(row.companyId)) byCompany.set(row.companyId, []);
    byCompany.get(row.companyId)!.push(row);
  }
  return byCompany;
}

export interface SegmentFilterValues {
  owner?: string | null;
  industry?: string | null;
}

/** Per segment, the ids of its companies that match the filter, ascending: from the index alone when unfiltered. */
export async function companyIdsBySegment(db: Db, tenantId: string, segments: readonly CompanySegment[], filter: SegmentFilterValues): Promise<Map<CompanySegment, string[]>> {
  let query = scoped(db, tenantId).select(['c.id', 'c.segment']).where('c.segment', 'in', [...segments]).orderBy('c.id');
  if (filter.owner) query = query.where('c.owner', '=', filter.owner);
  if (filter.industry) query = query.where('c.industry', '=', filter.industry);
  const bySegment = new Map<CompanySegment, string[]>(segments.map((s) => [s, []]));
  for (const row of await query.execute()) bySegment.get(row.segment as CompanySegment)!.push(row.id);
  return bySegment;
}
