import { sql, type Kysely } from 'kysely';

/**
 * Webhook receipts become the intake's ledger: one row per vendor delivery id (a redelivery
 * finds its row and changes nothing), with what became of it. `pending` waits for its job;
 * `processed` landed; `ignored` is an event type no connector acts on (acknowledged, counted);
 * `skipped` arrived while the connection was paused or needed re-authentication (the next sync
 * reads the change); `failed` could not be processed after its attempts (the error says why).
 */
const statements = [
  `alter table integrations.webhook_receipts
     add column status text not null default 'pending' check (status in ('pending', 'processed', 'ignored', 'skipped', 'failed')),
     add column attempts integer not null default 0,
     add column error text`,
  `create index webhook_receipts_by_status on integrations.webhook_receipts (tenant_id, connection_id, status, received_at desc)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop index integrations.webhook_receipts_by_status`).execute(db);
  await sql.raw(`alter table integrations.webhook_receipts drop column status, drop column attempts, drop column error`).execute(db);
}
