import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../core/db.js';
import { databaseUrl, dropDatabase, ensureDatabase } from '../../core/postgres.js';
import { migrateToLatest } from '../../schema/migrate.js';

const TENANT = 'gap_plans';
const ROLLUPS = ['analytics.user_activity_daily', 'analytics.feature_usage_daily'] as const;

/** Rows of both rollups for users `from`..`to` - 1 (ids made from the number), on `days` days from 2025-01-01. */
async function addDays(db: Db, from: number, to: number, days: number[]): Promise<void> {
  const user = sql`('00000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid`;
  const day = sql`'2025-01-01'::date + d`;
  await sql`insert into analytics.user_activity_daily (tenant_id, day, end_user_id, event_count)
    select ${TENANT}, ${day}, ${user}, 1 from generate_series(${from}::int, ${to - 1}::int) u, unnest(${days}::int[]) d`.execute(db);
  await sql`insert into analytics.feature_usage_daily (tenant_id, feature_id, day, end_user_id, event_count)
    select ${TENANT}, '00000000-0000-4000-8000-00000000f00d', ${day}, ${user}, 1 from generate_series(${from}::int, ${to - 1}::int) u, unnest(${days}::int[]) d`.execute(db);
}

/**
 * The per-day gap counts' triggers read a changed user's neighbouring days by index, however the rollups have grown
 * since the session first wrote them: a sync's connection often first writes them while they are empty, by a
 * statement that changes no row, then thousands of pages as they grow. A plan kept from that first write scanned a
 * whole rollup for every page after.
 */
describe('the gap counts\' triggers as a backfill grows the rollups', () => {
  const database = `product_graph_gap_plans_${process.pid}`;
  const serverUrl = inject('databaseUrl').replace(/\/[^/]*$/, '');
  let db: Db;

  beforeAll(async () => {
    // A database of its own: the rollups start empty, as on a new install.
    await ensureDatabase(serverUrl, database);
    db = createDb({ url: databaseUrl(serverUrl, database), poolSize: 2 });
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(serverUrl, database);
  });

  it('read each changed user\'s days through the index, not a scan of the rollup, in a session that first wrote them empty', async () => {
    // Statistics that say "empty", as autovacuum leaves them once a table's rows are deleted.
    for (const table of ROLLUPS) await sql`vacuum analyze ${sql.table(table)}`.execute(db);
    const scans = await db.connection().execute(async (session) => {
      // The session's first write of the rollups changes no row, as a sync's deletions stream often does: the
      // triggers still run, over empty rollups.
      for (const table of ROLLUPS) await sql`delete from ${sql.table(table)} where tenant_id = ${TENANT}`.execute(session);
      await addDays(session, 0, 3_000, [0, 3, 9]);
      return session.transaction().execute(async (trx) => {
        await addDays(trx, 0, 300, [5]);
        const { rows } = await sql<{ relname: string; seq_tup_read: number; idx_scan: number }>`
          select relname, seq_tup_read::int, idx_scan::int from pg_stat_xact_user_tables
          where relid = any(${[...ROLLUPS]}::regclass[]) order by relname`.execute(trx);
        return rows;
      });
    });
    expect(scans).toHaveLength(2);
    for (const table of scans) {
      // No row read by scanning the table (Postgres may count scans that read nothing).
      expect(table.seq_tup_read, table.relname).toBe(0);
      // The neighbours before and after each of the 300 users' new day, and the days between.
      expect(table.idx_scan, table.relname).toBeGreaterThanOrEqual(300);
    }
    // And the counts are right: on 2025-01-06 the 300 users came back after 2 days (their 2025-01-04); on 2025-01-10
    // they came back after 4 days, the 2,700 others after 6.
    for (const table of ['analytics.user_activity_gaps', 'analytics.feature_usage_gaps']) {
      const { rows } = await sql<{ day: string; gap: number; users: number }>`
        select day::text, gap::int, users from ${sql.table(table)} where tenant_id = ${TENANT} and day in ('2025-01-06', '2025-01-10')
        order by day, gap`.execute(db);
      expect(rows, table).toEqual([
        { day: '2025-01-06', gap: 2, users: 300 },
        { day: '2025-01-10', gap: 4, users: 300 }, { day: '2025-01-10', gap: 6, users: 2_700 },
      ]);
    }
  });
});
