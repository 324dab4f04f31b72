import { sql, type Kysely } from 'kysely';

/**
 * Outbox events get their place in the subscribers' stream when they are published, not when
 * they are inserted: `pos` is stamped in (transaction id, seq) order once every transaction of
 * this database that could still add an earlier event has ended. Insertion order (`seq`) is not
 * commit order: a transaction that took a higher transaction id may insert its event first.
 * Events already kept are published at their sequence number.
 */
const statements = [
  `alter table integrations.outbox add column pos bigint`,
  `update integrations.outbox set pos = seq`,
  `create unique index outbox_by_pos on integrations.outbox (pos) where pos is not null`,
  `create index outbox_unpublished on integrations.outbox (xid, seq) where pos is null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop index integrations.outbox_unpublished`).execute(db);
  await sql.raw(`drop index integrations.outbox_by_pos`).execute(db);
  await sql.raw(`alter table integrations.outbox drop column pos`).execute(db);
}
