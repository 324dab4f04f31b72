import { sql } from 'kysely';

/**
 * Every (feature, company) pair of the tenant where a user of the company (end_users.company_id) used the feature on or
 * after `fromDay` (the rollup analytics.feature_usage_daily): the adopting companies behind market fit, associated
 * revenue and revenue by adoption, for all features at once. Columns feature_id, company_id.
 */
export function featureCompanies(tenantId: string, fromDay: string) {
  return sql<{ feature_id: string; company_id: string }>`
    select distinct d.feature_id, u.company_id
    from analytics.feature_usage_daily d
    join analytics.end_users u on u.tenant_id = d.tenant_id and u.id = d.end_user_id
    where d.tenant_id = ${tenantId} and d.day >= ${fromDay}::date and u.company_id is not null`;
}
