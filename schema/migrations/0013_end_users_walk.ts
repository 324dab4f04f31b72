import { sql, type Kysely } from 'kysely';

/**
 * A BI tool walks every end user by id asking id, email, lastSeenAt and company: this index holds those columns in
 * id order, so a page of 1,000 users is read from a few index pages instead of a table page per user (ids are random).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index end_users_walk on analytics.end_users (tenant_id, id) include (email, last_seen_at, company_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index analytics.end_users_walk`.execute(db);
}
