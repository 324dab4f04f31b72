import { sql, type Kysely } from 'kysely';

/**
 * The reports kept per data version (migration 0008) also read, besides adoption's tables, every end user of the
 * tenant (active users and companies of the product) and the tenant's companies (revenue by adoption counts the
 * adopting companies the CRM knows). A new end user, or a company created or deleted, bumps the version too, with the
 * same statement-level function.
 */
const WATCHED: [table: string, events: ('insert' | 'delete')[]][] = [
  ['analytics.end_users', ['insert']],
  ['sales.companies', ['insert', 'delete']],
];

const triggerName = (table: string, event: string) => `adoption_data_${table.split('.')[1]}_${event}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, events] of WATCHED) {
    for (const event of events) {
      await sql.raw(`create trigger ${triggerName(table, event)} after ${event} on ${table}
        referencing ${event === 'delete' ? 'old' : 'new'} table as changed
        for each statement execute function analytics.bump_adoption_data_version()`).execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, events] of WATCHED) for (const event of events) await sql.raw(`drop trigger ${triggerName(table, event)} on ${table}`).execute(db);
}
