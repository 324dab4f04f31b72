import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
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
  /** Connections opened at once and never closed for idleness: see keepConnectionsOpen. */
  keepOpen?: number;
}

/**
 * Serving statements are short, and a report's plan can be costed high enough for Postgres to JIT-compile it, which
 * then costs more than it saves (about 0.8 s on usage counted in a time zone): serving connections do not JIT.
 */
const SERVING_SETTINGS = '-c jit=off';

function createPool(options: DbOptions, settings = ''): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'product-graph',
    // Timestamps render and compare in UTC whatever the server's default zone is.
    options: `-c TimeZone=UTC ${settings}`.trim(),
    statement_timeout: options.statementTimeoutMs || undefined,
    min: options.keepOpen ?? 0,
  });
  // An idle client's connection can drop (server restart); pg emits that on the pool.
  pool.on('error', () => {});
  keepConnectionsOpen(pool, options.keepOpen ?? 0);
  return pool;
}

/**
 * Opens `count` connections now; the pool keeps them when idle (its `min`). A pool otherwise
 * closes a connection idle for 10 s, so a burst after a quiet spell (webhooks, subscription
 * events) would wait for new server processes, about 20 ms each, before its first statement.
 */
export function keepConnectionsOpen(pool: pg.Pool, count: number): void {
  for (let i = 0; i < count; i++) pool.connect().then((client) => client.release(), () => {});
}

function kysely(pool: PostgresPool, options: DbOptions): Db {
  const onQuery = options.onQuery;
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: onQuery ? (event) => { if (event.level === 'query') onQuery(event.query.sql); } : undefined,
  });
}

/** The owner's connections: migrations, the generator, administration. Row-level security does not apply. */
export function createDb(options: DbOptions): Db {
  return kysely(createPool(options), options);
}

/** Connections for serving requests, one database handle per tenant over one pool. */
export interface TenantDatabases {
  forTenant(tenantId: string): Db;
  destroy(): Promise<void>;
}

/** The tenant a pooled connection currently carries (its session settings outlive each checkout). */
const CARRIES = Symbol('tenant');

/**
 * Every connection taken for a tenant is the serving role and carries the tenant
 * (`app.tenant_id`), so Postgres row-level security admits only that tenant's rows, even to a
 * query that forgets its `where tenant_id`. Setting them costs a round trip, paid only when the
 * connection last carried another tenant.
 */
export function createTenantDatabases(options: DbOptions): TenantDatabases {
  const pool = createPool(options, SERVING_SETTINGS);
  const handles = new Map<string, Db>();
  const forTenant = (tenantId: string): PostgresPool => ({
    async connect() {
      const client = (await pool.connect()) as pg.PoolClient & { [CARRIES]?: string };
      if (client[CARRIES] !== tenantId) {
        try {
          await client.query(`select set_config('role', '${APP_ROLE}', false), set_config('app.tenant_id', $1, false)`, [tenantId]);
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        client[CARRIES] = tenantId;
      }
      return client as unknown as PostgresPoolClient;
    },
    // The shared pool ends with destroy() below, not with one tenant's handle.
    end: async () => {},
  });
  return {
    forTenant(tenantId) {
      let handle = handles.get(tenantId);
      if (!handle) {
        handle = kysely(forTenant(tenantId), options);
        if (handles.size > 10_000) handles.clear();
        handles.set(tenantId, handle);
      }
      return handle;
    },
    destroy: () => pool.end(),
  };
}
