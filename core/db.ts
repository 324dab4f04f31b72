import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema/database.js';
import { APP_ROLE } from '../schema/migrations/0002_row_level_security.js';

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

function createPool(options: DbOptions): pg.Pool {
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
  return pool;
}

/** Sets a reserved connection's role and tenant: connection setup, not one of a request's statements. */
const RESERVE_FOR_TENANT = `select set_config('role', '${APP_ROLE}', false), set_config('app.tenant_id', $1, false)`;

function kysely(pool: pg.Pool, options: DbOptions, onReserveConnection?: PostgresDialectHook): Db {
  const onQuery = options.onQuery;
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool, onReserveConnection }),
    log: onQuery
      ? (event) => { if (event.level === 'query' && event.query.sql !== RESERVE_FOR_TENANT) onQuery(event.query.sql); }
      : undefined,
  });
}

type PostgresDialectHook = NonNullable<ConstructorParameters<typeof PostgresDialect>[0]['onReserveConnection']>;

/** The owner's connections: migrations, the generator, administration. Row-level security does not apply. */
export function createDb(options: DbOptions): Db {
  return kysely(createPool(options), options);
}

/** Connections for serving requests, one database handle per tenant over one pool. */
export interface TenantDatabases {
  forTenant(tenantId: string): Db;
  destroy(): Promise<void>;
}

/**
 * Every connection taken for a tenant first becomes the serving role and carries the tenant
 * (one round trip), so Postgres row-level security admits only that tenant's rows, even to a
 * query that forgets its `where tenant_id`.
 */
export function createTenantDatabases(options: DbOptions): TenantDatabases {
  const pool = createPool(options);
  const handles = new Map<string, Db>();
  return {
    forTenant(tenantId) {
      let handle = handles.get(tenantId);
      if (!handle) {
        handle = kysely(pool, options, (connection) =>
          connection.executeQuery(CompiledQuery.raw(RESERVE_FOR_TENANT, [tenantId])).then(() => {}),
        );
        if (handles.size > 10_000) handles.clear();
        handles.set(tenantId, handle);
      }
      return handle;
    },
    destroy: () => pool.end(),
  };
}
