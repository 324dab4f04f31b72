import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../core/auth.js';
import { startSimulators, type SimulatedVendor } from '../../simulators/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

const TENANT = 'sync-secrets';

describe('vendor credentials never leak', () => {
  let harness: SyncHarness;
  let stack: TestStack;
  let simulator: SimulatedVendor;
  const logs: string[] = [];

  beforeAll(async () => {
    harness = await syncHarness(TENANT);
    // Everything the engine says, at the chattiest level.
    harness.deps.log = pino({ level: 'trace' }, new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }));
    stack = await startTestStack();
    const world = await buildWorld({ tenant: TENANT, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    [simulator] = await startSimulators(world, 0, ['stripe']);
  });
  afterAll(async () => {
    await simulator?.close();
    await stack?.stop();
    await harness?.close();
  });

  it('not in logs, run errors, connection errors or any response, through retries, failures and a refused key', async () => {
    const admin = await stack.token(TENANT, [Scope.Read, Scope.IntegrationsAdmin]);
    const connected = await stack.query(`mutation($input: ConnectVendorInput!) { connectVendor(input: $input) { id } }`,
      { input: { vendor: 'stripe', baseUrl: simulator.url, credentials: simulator.credentials } }, { token: admin });
    const id = connected.body.data.connectVendor.id as string;
    const connection = await harness.db.selectFrom('integrations.connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    simulator.faults.set({ flaky: { every: 3 }, rateLimit: { requests: 1, retryAfterSeconds: 1 } });
    await harness.sync(connection);
    simulator.faults.set({ serverError: { requests: 1_000 } });
    await harness.sync(connection, 'full');
    simulator.faults.set({});
    (simulator as unknown as { revokeKey(): void }).revokeKey();
    await harness.sync(connection, 'full');

    const responses = await stack.query(`query { connections { id status lastError recordsSynced runs(first: 50) { edges { node { stream status error } } }
      recordErrors(first: 50) { edges { node { reason externalId } } } } }`, {}, { token: admin });
    const stored = await sql<{ text: string }>`
      select coalesce(string_agg(error, ' '), '') as text from integrations.sync_runs where tenant_id = ${TENANT}
      union all select coalesce(string_agg(coalesce(last_error, '') || ' ' || encode(credentials, 'escape'), ' '), '') from integrations.connections where tenant_id = ${TENANT}`.execute(harness.db);
    const haystacks = { logs: logs.join('\n'), responses: JSON.stringify([connected.body, responses.body]), database: stored.rows.map((r) => r.text).join(' ') };
    expect(logs.length).toBeGreaterThan(5);
    expect(haystacks.database).toMatch(/401|needs|refused/i);
    const secrets = Object.values(simulator.credentials).filter((v): v is string => typeof v === 'string');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(haystacks)) expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
    }
  }, 60_000);
});
