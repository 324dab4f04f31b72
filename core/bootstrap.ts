import path from 'node:path';
import { config } from './config.js';
import { createDb, type Db } from './db.js';
import { databaseUrl, ensureDatabase, startPostgres, type PostgresHandle } from './postgres.js';
import { migrateToLatest } from '../schema/migrate.js';

export const DEFAULT_DATABASE = 'product_graph';

export interface OpenDatabase {
  db: Db;
  url: string;
  postgres: PostgresHandle;
  close(): Promise<void>;
}

/**
 * The database every entry point uses: DATABASE_URL when set, else an embedded Postgres
 * with its data in DATA_DIR; created if missing and migrated to the newest schema.
 */
export async function openDatabase(options: { database?: string } = {}): Promise<OpenDatabase> {
  const cfg = config();
  const postgres = await startPostgres({ databaseUrl: cfg.DATABASE_URL, dataDir: path.join(cfg.DATA_DIR, 'postgres') });
  const database = options.database ?? (cfg.DATABASE_URL ? decodeURIComponent(new URL(cfg.DATABASE_URL).pathname.slice(1)) || DEFAULT_DATABASE : DEFAULT_DATABASE);
  try {
    await ensureDatabase(postgres.serverUrl, database);
    const url = databaseUrl(postgres.serverUrl, database);
    const db = createDb({ url, poolSize: cfg.DATABASE_POOL_SIZE, keepOpen: cfg.DATABASE_POOL_MIN });
    await migrateToLatest(db);
    return { db, url, postgres, close: async () => { await db.destroy(); await postgres.stop(); } };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
