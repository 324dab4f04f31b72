import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type SalesforceSimulator } from '../../simulators/salesforce/index.js';
import type { SObject } from '../../simulators/salesforce/records.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

describe('the Salesforce connector against the Salesforce simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let salesforce: SalesforceSimulator;
  let connection: ConnectionRow;
  // SOQL pages of 7 split by the simulator into batches of 5: both `LIMIT` pages and `nextRecordsUrl` are walked.
  const config = { pageSize: 7, requestsPerSecond: 200 };

  const deals = () => harness.rows('sales.deals');
  /** Changes are made a little in the past: the connector leaves the last few seconds, which may still see commits, to the next run. */
  const secondsAgo = (s: number) => new Date(Date.now() - s * 1_000);
  const connectionState = () => harness.db.selectFrom('integrations.connections').select(['status', 'last_error', 'next_run_at'])
    .where('id', '=', connection.id).executeTakeFirstOrThrow();

  /** The company each Salesforce account resolved to, by account id. */
  async function companyOfAccount(): Promise<Map<string, string>> {
    const identities = await harness.rows('sales.company_identities', ['vendor', 'external_id']);
    return new Map(identities.filter((i) => i.vendor === 'salesforce').map((i) => [i.external_id as string, i.company_id as string]));
  }

  /** What the deals table must hold for the simulator's opportunities: every mapped column, the company by its account. */
  async function expectDealsToMatchSimulator() {
    const companyOf = await companyOfAccount();
    const actual = (await deals()).map((d) => [d.external_id, d.name, d.stage, d.amount, d.currency, d.close_date, d.is_closed, d.is_won, d.company_id, d.url]);
    const expected = salesforce.records('Opportunity').map((o: SObject) => [o.Id, o.Name, o.StageName, Number(o.Amount).toFixed(2), 'USD', o.CloseDate, o.IsClosed, o.IsWon,
      companyOf.get(o.AccountId), `https://${world.tenant}.lightning.force.com/lightning/r/Opportunity/${o.Id}/view`]);
    expect(actual.sort()).toEqual(expected.sort());
  }

  beforeAll(async () => {
    harness = await syncHarness('sync-salesforce', { timeoutMs: 1_500 });
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z'), skip: ['analytics.usage_events'] });
    salesforce = await startSalesforceSimulator(world, { batchSize: 5 });
    connection = await harness.connect('salesforce', { baseUrl: salesforce.url, credentials: salesforce.credentials, config: { ...salesforce.config, ...config } });
  });
  afterAll(async () => {
    await salesforce?.close();
    await harness?.close();
  });

  it('a first sync stores every account as a company and every opportunity as a deal, as the generator made them', async () => {
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['accounts', 'succeeded', 0], ['opportunities', 'succeeded', 0]]);

    // Each Salesforce account is a company with the generator's columns (alone, the imported duplicates make their own).
    const worldAccounts = world.rows('sales.company_identities').filter((i) => i.vendor === 'salesforce');
    const companies = await harness.rows('sales.companies');
    expect(companies.map((c) => [c.vendor, c.external_id, c.name, c.domain, c.industry, c.employees, c.segment, c.owner]).sort())
      .toEqual(worldAccounts.map((i) => {
        const c = world.byId('sales.companies', i.company_id)!;
        return ['salesforce', i.external_id, c.name, c.domain, c.industry, c.employees, c.segment, c.owner];
      }).sort());
    const made = world.rows('sales.companies').filter((c) => c.vendor === 'salesforce');
    expect(companies.filter((c) => made.some((m) => m.external_id === c.external_id)).map((c) => c.url).sort()).toEqual(made.map((m) => m.url).sort());
    const identities = await harness.rows('sales.company_identities', ['vendor', 'external_id']);
    expect(identities.map((i) => [i.external_id, i.matched_by])).toEqual(companies.map((c) => [c.external_id, 'created']).sort());

    // Deals: the generator's rows, each attached to the company its account made.
    const byId = new Map(companies.map((c) => [c.id, c.external_id]));
    expect((await deals()).map((d) => [d.external_id, d.name, d.stage, d.amount, d.currency, d.close_date, d.is_closed, d.is_won, byId.get(d.company_id as string), d.url]).sort())
      .toEqual(world.rows('sales.deals').filter((d) => d.vendor === 'salesforce')
        .map((d) => [d.external_id, d.name, d.stage, d.amount, d.currency, d.close_date, d.is_closed, d.is_won, d.raw.AccountId, d.url]).sort());
  });

  it('an incremental sync reads only what changed since its cursor', async () => {
    const [account] = salesforce.records('Account');
    const [opportunity] = salesforce.records('Opportunity').filter((o) => !o.IsClosed);
    const name = `${account.Name} Holdings`;
    salesforce.update('Account', account.Id, { Name: name }, secondsAgo(10));
    salesforce.update('Opportunity', opportunity.Id, { StageName: 'Closed Won', IsClosed: true, IsWon: true, Amount: 120000.5 }, secondsAgo(10));
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.read, r.changed])).toEqual([['accounts', 'succeeded', 1, 1], ['opportunities', 'succeeded', 1, 1]]);
    expect((await harness.rows('sales.companies')).find((c) => c.external_id === account.Id)!.name).toBe(name);
    expect((await deals()).find((d) => d.external_id === opportunity.Id)).toMatchObject({ stage: 'Closed Won', is_won: true, amount: '120000.50' });
  });

  it('pages through many records sharing one SystemModstamp without looping or skipping any', async () => {
    const sameSecond = new Date(Math.floor(Date.now() / 1000) * 1000 - 8_000);
    const touched = salesforce.records('Opportunity').slice(0, 12);
    for (const o of touched) salesforce.update('Opportunity', o.Id, { Name: `${o.Name} (renewed)` }, sameSecond);
    const queriesBefore = salesforce.stats.queries.length;
    const [run] = await harness.sync(connection, 'incremental', ['opportunities']);
    expect(run).toMatchObject({ status: 'succeeded', read: 12, changed: 12 });
    // Pages of 7 cut the second in two: the second page starts after the first page's last Id in that very second.
    expect(salesforce.stats.queries.slice(queriesBefore).some((q) => q.includes(`SystemModstamp = ${sameSecond.toISOString().replace('.000Z', 'Z')} AND Id > '`))).toBe(true);
    await expectDealsToMatchSimulator();
    const [again] = await harness.sync(connection, 'incremental', ['opportunities']);
    expect(again).toMatchObject({ status: 'succeeded', read: 0, changed: 0 });
  });

  it('an incremental sync applies the delete log since its last run', async () => {
    await sql`update integrations.sync_cursors set cursor = jsonb_set(cursor, '{deletedFrom}', to_jsonb(${new Date(Date.now() - 10 * 60_000).toISOString()}::text))
      where connection_id = ${connection.id} and stream = 'opportunities'`.execute(harness.db);
    const [gone] = salesforce.records('Opportunity');
    salesforce.remove('Opportunity', gone.Id, new Date(Date.now() - 5 * 60_000));
    const [run] = await harness.sync(connection, 'incremental', ['opportunities']);
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect((await deals()).some((d) => d.external_id === gone.Id)).toBe(false);
    const { rows: [cursor] } = await sql<{ cursor: { deletedFrom: string } }>`select cursor from integrations.sync_cursors
      where connection_id = ${connection.id} and stream = 'opportunities'`.execute(harness.db);
    expect(Date.parse(cursor.cursor.deletedFrom)).toBe(Math.floor(Date.now() / 60_000) * 60_000);
  });

  it('a reconciliation removes a deal whose opportunity is gone from Salesforce', async () => {
    const [gone] = salesforce.records('Opportunity');
    salesforce.remove('Opportunity', gone.Id);
    const [run] = await harness.sync(connection, 'reconcile', ['opportunities']);
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1 });
    await expectDealsToMatchSimulator();
  });

  it("rides out Salesforce's throttling (403 REQUEST_LIMIT_EXCEEDED, too many at once), honouring Retry-After, without duplicates", async () => {
    const count = (await deals()).length;
    const throttled = salesforce.faults.stats.rateLimited;
    salesforce.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'full', ['opportunities']);
    expect(run.status).toBe('succeeded');
    expect(salesforce.faults.stats.rateLimited - throttled).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect((await deals()).length).toBe(count);
    await expectDealsToMatchSimulator();
  });

  it("stops at once when the org's daily API requests are used up, and before they are, at the connection's ceiling", async () => {
    salesforce.apiUsage.used = salesforce.apiUsage.max;
    const requests = salesforce.faults.stats.requests;
    const [exhausted] = await harness.sync(connection, 'full', ['opportunities']);
    expect(exhausted.status).toBe('failed');
    expect(exhausted.error).toMatch(/daily API requests are used up \(REQUEST_LIMIT_EXCEEDED\)/);
    expect(salesforce.faults.stats.requests - requests).toBe(1);
    let state = await connectionState();
    expect(state.status).toBe('error');
    expect(state.next_run_at!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);

    salesforce.apiUsage.used = Math.ceil(salesforce.apiUsage.max * 0.95);
    const [ceiling] = await harness.sync(connection, 'full', ['opportunities']);
    expect(ceiling).toMatchObject({ status: 'failed', read: 5 });
    expect(ceiling.error).toMatch(/used \d+ of its 100000 daily API requests \(ceiling 90%\)/);
    salesforce.apiUsage.used = 0;
    const [ok] = await harness.sync(connection, 'full', ['opportunities']);
    expect(ok.status).toBe('succeeded');
    state = await connectionState();
    expect([state.status, state.last_error]).toEqual(['active', null]);
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor', async () => {
    salesforce.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 2_500 } });
    const [ok] = await harness.sync(connection, 'full', ['opportunities']);
    expect(ok.status).toBe('succeeded');
    expect(ok.retries).toBeGreaterThanOrEqual(2);

    await harness.db.deleteFrom('sales.deals').where('tenant_id', '=', harness.tenant).execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'opportunities').execute();
    // The first batch lands, then Salesforce fails for good.
    salesforce.faults.set({});
    const requestsBefore = salesforce.faults.stats.requests;
    const failing = harness.sync(connection, 'incremental', ['opportunities']);
    while (salesforce.faults.stats.requests === requestsBefore) await new Promise((r) => setImmediate(r));
    salesforce.faults.set({ serverError: { requests: 1_000 } });
    const [failed] = await failing;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/gave up after 5 attempts: 503 .*SERVER_UNAVAILABLE/);
    const state = await connectionState();
    expect(state.status).toBe('error');
    expect(state.last_error).toMatch(/503/);
    expect((await deals()).length).toBe(5);

    salesforce.faults.set({});
    const [resumed] = await harness.sync(connection, 'incremental', ['opportunities']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.read).toBe(salesforce.records('Opportunity').length - 5);
    await expectDealsToMatchSimulator();
    expect((await connectionState()).status).toBe('active');
  });

  it('keeps a malformed record in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const [bad] = salesforce.records('Opportunity');
    salesforce.faults.set({ malformed: [bad.Id], unknownFields: true });
    const [run] = await harness.sync(connection, 'full', ['opportunities']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: salesforce.records('Opportunity').length - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: bad.Id, reason: 'Amount: expected a number, got "n/a"' }]);
    const other = (await deals()).find((d) => d.external_id !== bad.Id)!;
    expect((other.raw as Record<string, unknown>).Customer_Tier__c).toBe('Platinum');
    salesforce.faults.set({});
  });

  it('keeps a deal whose account is not synced in record errors, saying so, while the rest lands', async () => {
    const [orphan, other] = salesforce.records('Opportunity');
    const accountId = orphan.AccountId as string;
    const before = (await deals()).find((d) => d.external_id === orphan.Id)!;
    salesforce.update('Opportunity', orphan.Id, { AccountId: '001NOTSYNCEDYET0AA', Name: 'Moved to an unknown account' }, secondsAgo(10));
    salesforce.update('Opportunity', other.Id, { Name: 'Renamed beside an orphan' }, secondsAgo(10));
    const [run] = await harness.sync(connection, 'full', ['opportunities']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: salesforce.records('Opportunity').length - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: orphan.Id, reason: 'the company of 001NOTSYNCEDYET0AA is not synced (yet)' }]);
    const after = await deals();
    expect(after.find((d) => d.external_id === orphan.Id)).toEqual(before);
    expect(after.find((d) => d.external_id === other.Id)!.name).toBe('Renamed beside an orphan');

    salesforce.update('Opportunity', orphan.Id, { AccountId: accountId }, secondsAgo(8));
    const [again] = await harness.sync(connection, 'full', ['opportunities']);
    expect(again).toMatchObject({ status: 'succeeded', recordErrors: 0 });
    expect((await deals()).find((d) => d.external_id === orphan.Id)!.name).toBe('Moved to an unknown account');
  });

  it('refreshes an expired session once and carries on', async () => {
    salesforce.authority.expireAll();
    const refreshes = salesforce.authority.refreshes;
    const [account] = salesforce.records('Account');
    salesforce.update('Account', account.Id, { Industry: 'education' }, secondsAgo(10));
    const runs = await harness.sync(connection);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(salesforce.authority.refreshes - refreshes).toBe(1);
    expect((await harness.rows('sales.companies')).find((c) => c.external_id === account.Id)!.industry).toBe('education');
  });

  it('a revoked grant puts the connection in needs_reauth and writes nothing more', async () => {
    salesforce.authority.revokeAll();
    const [account] = salesforce.records('Account');
    salesforce.update('Account', account.Id, { Name: 'Renamed after revocation' });
    const before = await harness.rows('sales.companies');
    const runs = await harness.sync(connection);
    expect(runs[0]).toMatchObject({ status: 'failed' });
    expect(runs[0].error).toMatch(/refused the refresh token \(400 invalid_grant\)/);
    expect(runs[1].status).toBe('skipped');
    expect((await connectionState()).status).toBe('needs_reauth');
    expect(await harness.rows('sales.companies')).toEqual(before);
  });
});
