import { sql, type Kysely } from 'kysely';

/**
 * The issue keys a pull request names (`PG-123` in its title, then its head branch), kept with the row: a feature
 * synced after the pull requests naming it is linked to them through an index of the unlinked ones' keys, instead of
 * a scan of every unlinked pull request of the tenant for each feature that arrives (a Jira or Productboard webhook).
 * The pull request's feature is its first key that is a feature's key (engineering/vendors/github/links.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function engineering.issue_keys(text) returns text[] language sql immutable parallel safe as $$
    select coalesce(array_agg(upper(m[1]) order by n), '{}') from regexp_matches($1, '([A-Za-z][A-Za-z0-9_]+-[0-9]+)', 'g') with ordinality as x(m, n)
  $$`.execute(db);
  await sql`alter table engineering.pull_requests add column issue_keys text[] not null
    generated always as (engineering.issue_keys(title || ' ' || coalesce(raw #>> '{head,ref}', ''))) stored`.execute(db);
  await sql`create index pull_requests_unlinked_by_issue_key on engineering.pull_requests using gin (issue_keys) where feature_id is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index engineering.pull_requests_unlinked_by_issue_key`.execute(db);
  await sql`alter table engineering.pull_requests drop column issue_keys`.execute(db);
  await sql`drop function engineering.issue_keys(text)`.execute(db);
}
