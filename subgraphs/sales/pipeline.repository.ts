import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, type Ordering, type PageArgs } from '../../core/pagination.js';
import type { CompanySegment } from './company.type.js';
import type { PipelineStage } from './pipeline.type.js';

export const PIPELINE_ORDERING: Ordering = { name: 'pipeline:stage:asc', keys: ['d.stage', 'd.currency'], direction: 'asc' };

export interface PipelineFilterValues {
  createdFrom?: string | null;
  createdTo?: string | null;
  closeFrom?: string | null;
  closeTo?: string | null;
  segment?: CompanySegment[] | null;
  owner?: string | null;
}

/** The filter as one condition over a deal `d` and its company `c`; days of `createdFrom`/`createdTo` start in `timeZone`. */
function matches(filter: PipelineFilterValues, timeZone: string): RawBuilder<boolean> {
  const dayStart = (day: string) => sql`(${day}::date::timestamp at time zone ${timeZone})`;
  const conditions: RawBuilder<unknown>[] = [];
  if (filter.createdFrom) conditions.push(sql`d.created_at >= ${dayStart(filter.createdFrom)}`);
  if (filter.createdTo) conditions.push(sql`d.created_at < ${dayStart(filter.createdTo)}`);
  if (filter.closeFrom) conditions.push(sql`d.close_date >= ${filter.closeFrom}::date`);
  if (filter.closeTo) conditions.push(sql`d.close_date < ${filter.closeTo}::date`);
  if (filter.segment?.length) conditions.push(sql`c.segment = any(${[...filter.segment]}::text[])`);
  if (filter.owner) conditions.push(sql`c.owner = ${filter.owner}`);
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : sql<boolean>`true`;
}

/**
 * One page of the open pipeline: a row per stage and currency of the tenant's open deals (all of them, so a stage
 * keeps its row when the filter leaves it none), counting and summing the deals that match the filter.
 */
export async function pipelinePage(db: Db, tenantId: string, filter: PipelineFilterValues, timeZone: string, page: PageArgs) {
  const hit = matches(filter, timeZone);
  const query = db.selectFrom('sales.deals as d')
    .innerJoin('sales.companies as c', (join) => join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.company_id'))
    .where('d.tenant_id', '=', tenantId)
    .where('d.is_closed', '=', false)
    .select([
      'd.stage',
      'd.currency',
      sql<number>`(count(*) filter (where ${hit}))::int`.as('deals'),
      sql<number>`(count(distinct d.company_id) filter (where ${hit}))::int`.as('companies'),
      sql<string>`coalesce(sum(d.amount) filter (where ${hit}), 0)::text`.as('totalValue'),
    ])
    .groupBy(['d.stage', 'd.currency']);
  return keysetPage<PipelineStage>(db, query, PIPELINE_ORDERING, page);
}
