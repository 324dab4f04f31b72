import { sql } from 'kysely';

/** Seed 000's feature adoption ROI query, as one federated GraphQL query. */
export const ADOPTION_QUERY = `
  query Adoption($after: String) {
    features(filter: { releasedWithinDays: 90 }, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id name releasedAt
        adoption(days: 90) { activeUsers productActiveUsers adoptionRate powerUsers }
        associatedRevenue { amount currency }
      } }
    }
  }`;

/**
 * The same question answered by one hand-written SQL over the raw tables (usage events, not
 * the rollups): features released in the last `days` (90 by default); distinct users of each in
 * the window; users active with it on >= 3 distinct days; positive deal amounts of the companies
 * of those users (of the last 90 days, as Feature.associatedRevenue), each deal once; the cost
 * ledger's total per feature, all time.
 */
export const adoptionReportSql = (tenant: string, days = 90) => sql<{
  id: string; name: string; released_at: Date; active_users: string; product_users: string; power_users: string; revenue: string; cost: string;
}>`
  with w as (select (((now() at time zone 'UTC')::date - ${days}::int)::timestamp at time zone 'UTC') as start),
  rw as (select (((now() at time zone 'UTC')::date - 90)::timestamp at time zone 'UTC') as start),
  product_users as (
    select count(distinct e.end_user_id) as n from analytics.usage_events e, w
    where e.tenant_id = ${tenant} and e.occurred_at >= w.start),
  feature_users as (
    select e.feature_id, e.end_user_id, count(distinct (e.occurred_at at time zone 'UTC')::date) as days
    from analytics.usage_events e, w
    where e.tenant_id = ${tenant} and e.occurred_at >= w.start and e.feature_id is not null
    group by 1, 2),
  feature_companies as (
    select distinct e.feature_id, u.company_id from analytics.usage_events e
    cross join rw
    join analytics.end_users u on u.tenant_id = ${tenant} and u.id = e.end_user_id
    where e.tenant_id = ${tenant} and e.occurred_at >= rw.start and e.feature_id is not null and u.company_id is not null),
  revenue as (
    select fc.feature_id, sum(d.amount) filter (where d.amount > 0) as amount from feature_companies fc
    join sales.deals d on d.tenant_id = ${tenant} and d.company_id = fc.company_id
    group by 1),
  cost as (
    select c.feature_id, sum(c.amount) as amount from finance.cost_entries c
    where c.tenant_id = ${tenant} and c.feature_id is not null group by 1)
  select f.id, f.name, f.released_at,
    count(fu.end_user_id) as active_users,
    p.n as product_users,
    count(fu.end_user_id) filter (where fu.days >= 3) as power_users,
    coalesce(r.amount, 0)::numeric(18, 2)::text as revenue,
    coalesce(c.amount, 0)::numeric(18, 2)::text as cost
  from product.features f
  cross join w cross join product_users p
  left join feature_users fu on fu.feature_id = f.id
  left join revenue r on r.feature_id = f.id
  left join cost c on c.feature_id = f.id
  where f.tenant_id = ${tenant} and f.released_at >= w.start
  group by f.id, f.name, f.released_at, p.n, r.amount, c.amount
  order by coalesce(r.amount, 0) desc, f.id`;

