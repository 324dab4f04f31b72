import { sql } from 'kysely';
import type { Db } from '../core/db.js';

/**
 * Before a timed run: the rows an earlier run deleted are vacuumed away (a reset leaves them behind, and
 * autovacuum may be off or late: every insert would step over the dead versions of its key), and a
 * checkpoint writes out what is dirty, so that no run pays for another's writes.
 */
export async function settle(db: Db, tables: string[]): Promise<void> {
  for (const table of tables) await sql`vacuum ${sql.table(table)}`.execute(db);
  await sql`checkpoint`.execute(db);
}
