import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema/database.js';

export type Db = Kysely<Database>;

// `date` stays 'YYYY-MM-DD': parsing it into a Date would shift it by the process's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DbOptions {
  url: string;
  poolSize?: number;
  /** Called once per statement sent: tests count statements with it. */
  onQuery?: (sql: string) => void;
  applicationName?: string;
  /** Serving pools cap every statement; bulk loads (the generator) leave it unset. */
  statementTimeoutMs?: number;
}

export function createDb(options: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'product-graph',
    // Timestamps render and compare in UTC whatever the server's default zone is.
    options: '-c TimeZone=UTC',
    statement_timeout: options.statementTimeoutMs || undefined,
  });
  // An idle client's connection can drop (server restart); pg emits that on the pool.
  pool.on('error', () => {});
  const onQuery = options.onQuery;
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: onQuery ? (event) => { if (event.level === 'query') onQuery(event.query.sql); } : undefined,
  });
}
