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
 * the rollups): features released in the last 90 days; distinct users of each in the window;
 * users active with it on >= 3 distinct days; positive deal amounts of the companies of those
 * users, each deal once.
 */
export const adoptionReportSql = (tenant: string) => sql<{
  id: string; name: string; active_users: string; product_users: string; power_users: string; revenue: string;
}>`
  with w as (select ((current_date - 90)::timestamp at time zone 'UTC') as start),
  product_users as (
    select count(distinct e.end_user_id) as n from analytics.usage_events e, w
    where e.tenant_id = ${tenant} and e.occurred_at >= w.start),
  feature_users as (
    select e.feature_id, e.end_user_id, count(distinct (e.occurred_at at time zone 'UTC')::date) as days
    from analytics.usage_events e, w
    where e.tenant_id = ${tenant} and e.occurred_at >= w.start and e.feature_id is not null
    group by 1, 2),
  feature_companies as (
    select distinct fu.feature_id, u.company_id from feature_users fu
    join analytics.end_users u on u.tenant_id = ${tenant} and u.id = fu.end_user_id
    where u.company_id is not null),
  revenue as (
    select fc.feature_id, sum(d.amount) filter (where d.amount > 0) as amount from feature_companies fc
    join sales.deals d on d.tenant_id = ${tenant} and d.company_id = fc.company_id
    group by 1)
  select f.id, f.name,
    count(fu.end_user_id) as active_users,
    p.n as product_users,
    count(fu.end_user_id) filter (where fu.days >= 3) as power_users,
    coalesce(r.amount, 0)::numeric(18, 2)::text as revenue
  from product.features f
  cross join w cross join product_users p
  left join feature_users fu on fu.feature_id = f.id
  left join revenue r on r.feature_id = f.id
  where f.tenant_id = ${tenant} and f.released_at >= w.start
  group by f.id, f.name, p.n, r.amount
  order by coalesce(r.amount, 0) desc, f.id`;

