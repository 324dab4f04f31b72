import { sql } from 'kysely';
import { expect, inject } from 'vitest';
import { createDb, type Db } from '../../core/db.js';
import { logger } from '../../core/logger.js';
import { resetTenants } from '../../seed/index.js';
import type { Credentials } from '../../sync/auth.js';
import type { SyncMode } from '../../sync/connector.js';
import { connectors } from '../../sync/connectors.js';
import { createConnection, type ConnectionRow } from '../../sync/connection-store.js';
import { DEVELOPMENT_CREDENTIALS_KEYS, parseKeyRing, type KeyRing } from '../../sync/credentials.js';
import type { RetryPolicy } from '../../sync/retry.js';
import { TEST_RETRY } from './sync-retry.js';
import { runStream, type RunSummary, type SyncDeps } from '../../sync/run-stream.js';
import type { World } from '../../simulators/shared/world.js';

export { TEST_RETRY } from './sync-retry.js';

export interface SyncHarness {
  db: Db;
  ring: KeyRing;
  deps: SyncDeps;
  tenant: string;
  /** A connection of this tenant to `vendor` at `baseUrl` (a simulator). */
  connect(vendor: string, options: { baseUrl: string; credentials: Credentials; config?: Record<string, unknown> }): Promise<ConnectionRow>;
  /** Runs the connection's streams in order (all by default) in `mode`; returns each run's summary. */
  sync(connection: ConnectionRow, mode?: SyncMode, streams?: string[]): Promise<RunSummary[]>;
  /** Every row of a table for this tenant, ordered by (vendor, external_id) or the given columns. */
  rows(table: string, orderBy?: string[]): Promise<Record<string, unknown>[]>;
  /** Deletes every row of this tenant (connections included). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The sync engine against the test database, for one tenant of the test's own: connectors run
 * for real against simulators over HTTP, rows land in real Postgres.
 */
export async function syncHarness(tenant: string, options: { retry?: RetryPolicy; timeoutMs?: number; backfillDays?: number; recordsPerCommit?: number } = {}): Promise<SyncHarness> {
  const db = createDb({ url: inject('databaseUrl'), poolSize: 6 });
  const ring = parseKeyRing(DEVELOPMENT_CREDENTIALS_KEYS);
  const deps: SyncDeps = {
    db, ring, connectors, log: logger(), backfillDays: options.backfillDays ?? 3_650,
    retry: options.retry ?? TEST_RETRY, timeoutMs: options.timeoutMs ?? 5_000, recordsPerCommit: options.recordsPerCommit,
  };
  await resetTenants(db, [tenant]);
  return {
    db, ring, deps, tenant,
    async connect(vendor, { baseUrl, credentials, config }) {
      const connector = connectors.get(vendor);
      if (!connector) throw new Error(`no connector for ${vendor}`);
      return createConnection(db, ring, { tenantId: tenant, connector, baseUrl, credentials, config });
    },
    async sync(connection, mode = 'incremental', streams) {
      const connector = connectors.get(connection.vendor)!;
      const summaries: RunSummary[] = [];
      for (const stream of connector.streams) {
        if (streams && !streams.includes(stream.name)) continue;
        if (mode === 'reconcile' && stream.reconcilable === false) continue;
        summaries.push(await runStream(deps, { tenantId: tenant, connectionId: connection.id, stream: stream.name, mode }));
      }
      return summaries;
    },
    async rows(table, orderBy = ['vendor', 'external_id']) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${tenant} order by ${sql.join(orderBy.map((c) => sql.ref(c)))}`.execute(db);
      return rows;
    },
    reset: () => resetTenants(db, [tenant]),
    async close() {
      await resetTenants(db, [tenant]);
      await db.destroy();
    },
  };
}

/**
 * The world's CRM companies and their 'created' identities, as a CRM sync would have left them:
 * for tests of the tools whose records resolve to those companies (billing, customer success).
 */
export async function seedCrmCompanies(harness: SyncHarness, world: World): Promise<void> {
  const companies = world.rows('sales.companies').map((c) => ({ id: c.id, name: c.name, domain: c.domain, vendor: c.vendor, external_id: c.external_id }));
  await sql`insert into sales.companies (tenant_id, id, name, domain, segment, vendor, external_id)
    select ${harness.tenant}, x.id::uuid, x.name, x.domain, 'smb', x.vendor, x.external_id
    from jsonb_to_recordset(${JSON.stringify(companies)}::jsonb) as x(id text, name text, domain text, vendor text, external_id text)`.execute(harness.db);
  const created = world.rows('sales.company_identities').filter((i) => i.matched_by === 'created')
    .map((i) => ({ vendor: i.vendor, external_id: i.external_id, company_id: i.company_id, domain: i.domain }));
  await sql`insert into sales.company_identities (tenant_id, vendor, external_id, company_id, domain, matched_by)
    select ${harness.tenant}, x.vendor, x.external_id, x.company_id::uuid, x.domain, 'created'
    from jsonb_to_recordset(${JSON.stringify(created)}::jsonb) as x(vendor text, external_id text, company_id text, domain text)`.execute(harness.db);
}

/** A run that gave up on a persistent 5xx: failed in its summary, in sync_runs and on the connection, each saying why. */
export async function expectVisibleFailure(harness: SyncHarness, run: RunSummary, status = 503): Promise<void> {
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(new RegExp(`gave up after \\d+ attempts: ${status}`));
  const stored = await harness.db.selectFrom('integrations.sync_runs').select(['status', 'error']).where('id', '=', run.runId!).executeTakeFirstOrThrow();
  expect(stored).toMatchObject({ status: 'failed', error: expect.stringMatching(String(status)) });
  const connection = await harness.db.selectFrom('integrations.connections').select(['status', 'last_error']).where('tenant_id', '=', harness.tenant)
    .where('last_error', 'is not', null).orderBy('last_error_at', 'desc').executeTakeFirstOrThrow();
  expect(connection).toMatchObject({ status: 'error', last_error: expect.stringMatching(String(status)) });
}
