import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../core/auth.js';
import { startSimulators, type SimulatedVendor } from '../../simulators/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import { runStream } from '../../sync/run-stream.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

const TENANT = 'sync-admin';
const VENDOR = 'stripe';
const CONNECTION = 'id vendor domain status lastSuccessAt lastError lagSeconds recordsSynced nextRunAt';

describe('managing connections through the graph', () => {
  let stack: TestStack;
  let harness: SyncHarness;
  let simulator: SimulatedVendor;
  let admin: string;

  beforeAll(async () => {
    harness = await syncHarness(TENANT);
    stack = await startTestStack();
    const world = await buildWorld({ tenant: TENANT, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    [simulator] = await startSimulators(world, 0, [VENDOR]);
    admin = await stack.token(TENANT, [Scope.Read, Scope.IntegrationsAdmin]);
  });
  afterAll(async () => {
    await simulator?.close();
    await stack?.stop();
    await harness?.close();
  });

  const connect = (token: string, credentials: Record<string, unknown>, vendor = VENDOR) => stack.query(
    `mutation($input: ConnectVendorInput!) { connectVendor(input: $input) { ${CONNECTION} } }`,
    { input: { vendor, baseUrl: simulator.url, config: simulator.config, credentials } }, { token });
  const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${TENANT}`.execute(harness.db)).rows[0].n);

  it('refuses callers without integrations.admin, unknown vendors and missing credentials, writing nothing', async () => {
    const reader = await stack.token(TENANT, [Scope.Read]);
    const denied = await connect(reader, simulator.credentials);
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = await connect(admin, simulator.credentials, 'myspace');
    expect(unknown.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await connect(admin, {});
    expect(missing.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing.body.errors?.[0].message).toMatch(/missing/);
    expect(await count('integrations.connections')).toBe(0);
  });

  it('connects, pauses (no writes), resumes and disconnects (cached data deleted); secrets never come back', async () => {
    const connected = await connect(admin, simulator.credentials);
    expect(connected.body.errors).toBeUndefined();
    const connection = connected.body.data.connectVendor;
    expect(connection).toMatchObject({ vendor: VENDOR, domain: 'FINANCE', status: 'ACTIVE', recordsSynced: 0 });
    const secrets = Object.values(simulator.credentials).filter((v): v is string => typeof v === 'string' && v.length >= 8);
    for (const secret of secrets) expect(JSON.stringify(connected.body)).not.toContain(secret);
    const stored = await sql<{ raw: string }>`select encode(credentials, 'hex') as raw from integrations.connections where id = ${connection.id}`.execute(harness.db);
    for (const secret of secrets) expect(stored.rows[0].raw).not.toContain(Buffer.from(secret).toString('hex'));

    const again = await connect(admin, simulator.credentials);
    expect(again.body.errors?.[0].message).toMatch(/already connected/);

    const row = await harness.db.selectFrom('integrations.connections').selectAll().where('id', '=', connection.id).executeTakeFirstOrThrow();
    const runs = await harness.sync(row);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const synced = await count('finance.subscriptions');
    expect(synced).toBeGreaterThan(0);

    const paused = await stack.query(`mutation($id: ID!) { pauseConnection(id: $id) { status } }`, { id: connection.id }, { token: admin });
    expect(paused.body.data.pauseConnection.status).toBe('PAUSED');
    const skipped = await runStream(harness.deps, { tenantId: TENANT, connectionId: connection.id, stream: runs[0].stream, mode: 'full' });
    expect(skipped).toMatchObject({ status: 'skipped', runId: null });
    const syncPaused = await stack.query(`mutation($id: ID!) { syncConnection(id: $id) { status } }`, { id: connection.id }, { token: admin });
    expect(syncPaused.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const resumed = await stack.query(`mutation($id: ID!) { resumeConnection(id: $id) { status nextRunAt } }`, { id: connection.id }, { token: admin });
    expect(resumed.body.data.resumeConnection.status).toBe('ACTIVE');
    expect(Date.parse(resumed.body.data.resumeConnection.nextRunAt)).toBeLessThanOrEqual(Date.now() + 1_000);

    const gone = await stack.query(`mutation($id: ID!) { disconnectConnection(id: $id) { rowsDeleted connection { status recordsSynced } } }`, { id: connection.id }, { token: admin });
    expect(gone.body.errors).toBeUndefined();
    expect(gone.body.data.disconnectConnection.rowsDeleted).toBeGreaterThanOrEqual(synced);
    expect(gone.body.data.disconnectConnection.connection.status).toBe('DISCONNECTED');
    expect(await count('finance.subscriptions')).toBe(0);
    expect(await count('integrations.sync_cursors')).toBe(0);
    const after = await harness.db.selectFrom('integrations.connections').select('credentials').where('id', '=', connection.id).executeTakeFirstOrThrow();
    expect(after.credentials).toBeNull();
    // Another tenant cannot touch it.
    const other = await stack.query(`mutation($id: ID!) { pauseConnection(id: $id) { status } }`, { id: connection.id }, { token: await stack.token('demo', [Scope.IntegrationsAdmin]) });
    expect(other.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
