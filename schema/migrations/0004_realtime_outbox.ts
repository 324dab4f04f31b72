import { sql, type Kysely } from 'kysely';

/**
 * The outbox as the subscription feed. Each event keeps the id of the transaction that wrote it,
 * so a reader can stop below the oldest transaction still running: a lower sequence number
 * committed late is never skipped. Each insert statement wakes the gateways (NOTIFY), and the
 * domain events subscribers follow are written by triggers, in the transaction that changes the
 * data, whoever writes it (sync, webhooks, the generator).
 */
const statements = [
  `alter table integrations.outbox add column xid xid8 not null default pg_current_xact_id()`,
  `create index outbox_by_created on integrations.outbox (created_at)`,

  `create function integrations.notify_outbox() returns trigger language plpgsql as $$
   begin
     perform pg_notify('integrations_outbox', '');
     return null;
   end $$`,
  `create trigger outbox_notify after insert on integrations.outbox for each statement execute function integrations.notify_outbox()`,

  // A feature becomes released (or is first seen released).
  `create function product.feature_release_event() returns trigger language plpgsql as $$
   begin
     if new.status = 'released' and (tg_op = 'INSERT' or old.status is distinct from 'released') then
       insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
       values (new.tenant_id, 'feature_release', 'Feature', new.id, jsonb_build_object('releasedAt', new.released_at));
     end if;
     return null;
   end $$`,
  `create trigger feature_release_event after insert or update of status on product.features
     for each row execute function product.feature_release_event()`,

  // A connection's status changes (active, error, needs_reauth, paused, disconnected).
  `create function integrations.connection_status_event() returns trigger language plpgsql as $$
   begin
     if new.status is distinct from old.status then
       insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
       values (new.tenant_id, 'connection_status', 'Connection', new.id, jsonb_build_object('from', old.status, 'to', new.status));
     end if;
     return null;
   end $$`,
  `create trigger connection_status_event after update of status on integrations.connections
     for each row execute function integrations.connection_status_event()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop trigger connection_status_event on integrations.connections`).execute(db);
  await sql.raw(`drop function integrations.connection_status_event()`).execute(db);
  await sql.raw(`drop trigger feature_release_event on product.features`).execute(db);
  await sql.raw(`drop function product.feature_release_event()`).execute(db);
  await sql.raw(`drop trigger outbox_notify on integrations.outbox`).execute(db);
  await sql.raw(`drop function integrations.notify_outbox()`).execute(db);
  await sql.raw(`drop index integrations.outbox_by_created`).execute(db);
  await sql.raw(`alter table integrations.outbox drop column xid`).execute(db);
}
