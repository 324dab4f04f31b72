import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSimulator, type HubSpotSimulator } from '../../simulators/hubspot/index.js';
import type { StoredObject } from '../../simulators/hubspot/records.js';
import { startSalesforceSimulator, type SalesforceSimulator } from '../../simulators/salesforce/index.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import { DEAL_STAGES } from '../../subgraphs/sales/vendors/hubspot/mapping.js';
import { loadConnection, readCredentials, saveCredentials, type ConnectionRow } from '../../sync/connection-store.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

describe('the HubSpot connector against the HubSpot simulator, beside Salesforce', () => {
  let harness: SyncHarness;
  let world: World;
  let hubspot: HubSpotSimulator;
  let salesforce: SalesforceSimulator;
  let connection: ConnectionRow;
  let salesforceConnection: ConnectionRow;
  const config = { pageSize: 10, requestsPerSecond: 200, settleSeconds: 2 };

  const deals = async () => (await harness.rows('sales.deals')).filter((d) => d.vendor === 'hubspot');
  /** Changes are made a little in the past: the connector leaves what search may not have indexed yet to the next run. */
  const secondsAgo = (s: number) => new Date(Date.now() - s * 1_000);
  const connectionState = () => harness.db.selectFrom('integrations.connections').select(['status', 'last_error'])
    .where('id', '=', connection.id).executeTakeFirstOrThrow();

  /** The HubSpot deals table as the simulator's deals say it must be: every mapped column, the company by its HubSpot record. */
  async function expectDealsToMatchSimulator() {
    const identities = await harness.rows('sales.company_identities', ['vendor', 'external_id']);
    const companyOf = new Map(identities.filter((i) => i.vendor === 'hubspot').map((i) => [i.external_id, i.company_id]));
    const actual = (await deals()).map((d) => [d.external_id, d.name, d.stage, d.amount, d.currency, d.close_date, d.is_closed, d.is_won, d.company_id]);
    const expected = hubspot.objects('deals').filter((d) => !d.archived).map((d: StoredObject) => [d.id, d.properties.dealname, DEAL_STAGES[d.properties.dealstage!],
      Number(d.properties.amount).toFixed(2), 'USD', d.properties.closedate!.slice(0, 10), d.properties.hs_is_closed === 'true', d.properties.hs_is_closed_won === 'true', companyOf.get(d.companyId!)]);
    expect(actual.sort()).toEqual(expected.sort());
  }

  beforeAll(async () => {
    harness = await syncHarness('sync-hubspot', { timeoutMs: 1_500 });
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z'), skip: ['analytics.usage_events'] });
    [hubspot, salesforce] = await Promise.all([startHubSpotSimulator(world), startSalesforceSimulator(world)]);
    salesforceConnection = await harness.connect('salesforce', { baseUrl: salesforce.url, credentials: salesforce.credentials, config: { ...salesforce.config, requestsPerSecond: 200 } });
    connection = await harness.connect('hubspot', { baseUrl: hubspot.url, credentials: hubspot.credentials, config: { ...hubspot.config, ...config } });
  });
  afterAll(async () => {
    await Promise.all([hubspot?.close(), salesforce?.close()]);
    await harness?.close();
  });

  it("after Salesforce, HubSpot's records join the companies of their domain: one company per domain, every deal on its company", async () => {
    expect((await harness.sync(salesforceConnection)).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['companies', 'succeeded', 0], ['deals', 'succeeded', 0]]);

    // The generator's companies, one per domain, whichever CRM's record made each.
    const companies = await harness.rows('sales.companies');
    expect(companies.map((c) => [c.domain, c.name, c.industry, c.employees, c.segment, c.owner]).sort())
      .toEqual(world.rows('sales.companies').map((c) => [c.domain, c.name, c.industry, c.employees, c.segment, c.owner]).sort());

    // Every CRM record is an identity of its domain's company: Salesforce came first, so a HubSpot
    // record whose company Salesforce also has joined it by domain; the rest made their own.
    const byDomain = new Map(companies.map((c) => [c.domain, c]));
    const inSalesforce = new Set(world.rows('sales.company_identities').filter((i) => i.vendor === 'salesforce').map((i) => i.company_id));
    const crmIdentities = world.rows('sales.company_identities').filter((i) => i.vendor === 'salesforce' || i.vendor === 'hubspot');
    const identities = (await harness.rows('sales.company_identities', ['vendor', 'external_id'])).filter((i) => i.vendor === 'salesforce' || i.vendor === 'hubspot');
    expect(identities.map((i) => [i.vendor, i.external_id, i.company_id, i.matched_by]).sort())
      .toEqual(crmIdentities.map((i) => [i.vendor, i.external_id, byDomain.get(i.domain)!.id,
        i.vendor === 'hubspot' && inSalesforce.has(i.company_id) ? 'domain' : 'created']).sort());
    expect(identities.filter((i) => i.vendor === 'hubspot' && i.matched_by === 'domain').length).toBeGreaterThan(0);
    for (const c of companies) expect(identities.find((i) => i.company_id === c.id && i.matched_by === 'created')).toMatchObject({ vendor: c.vendor, external_id: c.external_id });

    // Every deal of either CRM is on the company of its account's domain.
    const domainOf = new Map(companies.map((c) => [c.id, c.domain]));
    expect((await harness.rows('sales.deals')).map((d) => [d.vendor, d.external_id, d.name, d.stage, d.amount, d.currency, d.close_date, d.is_closed, d.is_won, domainOf.get(d.company_id as string)]).sort())
      .toEqual(world.rows('sales.deals').map((d) => [d.vendor, d.external_id, d.name, d.stage, d.amount, d.currency, d.close_date, d.is_closed, d.is_won, world.byId('sales.companies', d.company_id)!.domain]).sort());
    expect((await deals()).map((d) => d.url).sort()).toEqual(world.rows('sales.deals').filter((d) => d.vendor === 'hubspot').map((d) => d.url).sort());
  });

  it('an incremental sync reads only what changed, through search', async () => {
    const own = new Set((await harness.rows('sales.companies')).filter((c) => c.vendor === 'hubspot').map((c) => c.external_id));
    const company = hubspot.objects('companies').find((c) => own.has(c.id))!;
    const deal = hubspot.objects('deals').find((d) => d.properties.hs_is_closed === 'false')!;
    hubspot.update('companies', company.id, { name: 'Renamed Inc', numberofemployees: '2500' }, secondsAgo(5));
    hubspot.update('deals', deal.id, { dealstage: 'closedwon', hs_is_closed: 'true', hs_is_closed_won: 'true', amount: '98000.25' }, secondsAgo(5));
    const searches = hubspot.stats.searches;
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.read, r.changed])).toEqual([['companies', 'succeeded', 1, 1], ['deals', 'succeeded', 1, 1]]);
    expect(hubspot.stats.searches - searches).toBe(2);
    expect((await harness.rows('sales.companies')).find((c) => c.external_id === company.id)).toMatchObject({ name: 'Renamed Inc', employees: 2500, segment: 'enterprise' });
    expect((await deals()).find((d) => d.external_id === deal.id)).toMatchObject({ stage: 'Closed Won', is_closed: true, is_won: true, amount: '98000.25' });
    await expectDealsToMatchSimulator();
  });

  it('windows its searches by time: more changes than one search may return, a dozen in one millisecond, none lost, none twice', async () => {
    hubspot.searchCap = 10;
    const all = hubspot.objects('deals');
    const spread = all.slice(0, 25);
    const sameMs = all.slice(25, 37);
    const base = secondsAgo(4).getTime();
    spread.forEach((d, i) => hubspot.update('deals', d.id, { dealname: `${d.properties.dealname} (v2)` }, new Date(base + i * 7)));
    const tie = secondsAgo(3);
    for (const d of sameMs) hubspot.update('deals', d.id, { dealname: `${d.properties.dealname} (v2)` }, tie);
    const [run] = await harness.sync(connection, 'incremental', ['deals']);
    expect(run).toMatchObject({ status: 'succeeded', read: 37, changed: 37 });
    // The changes outnumber what one search may return, yet no search pages past the cap.
    expect(hubspot.stats.overCap).toBeGreaterThan(0);
    expect(hubspot.stats.capRefusals).toBe(0);
    await expectDealsToMatchSimulator();
    const [again] = await harness.sync(connection, 'incremental', ['deals']);
    expect(again).toMatchObject({ status: 'succeeded', read: 0 });
    hubspot.searchCap = 10_000;
  });

  it('a reconciliation removes a deal archived in HubSpot', async () => {
    const [gone] = hubspot.objects('deals');
    hubspot.remove('deals', gone.id);
    const [run] = await harness.sync(connection, 'reconcile', ['deals']);
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1 });
    await expectDealsToMatchSimulator();
  });

  it('rides out a 429 storm (TEN_SECONDLY_ROLLING), honouring Retry-After, without duplicates', async () => {
    const count = (await deals()).length;
    const throttled = hubspot.faults.stats.rateLimited;
    hubspot.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'full', ['deals']);
    expect(run.status).toBe('succeeded');
    expect(hubspot.faults.stats.rateLimited - throttled).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect((await deals()).length).toBe(count);
    await expectDealsToMatchSimulator();
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor', async () => {
    hubspot.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 2_500 } });
    const [ok] = await harness.sync(connection, 'full', ['deals']);
    expect(ok.status).toBe('succeeded');
    expect(ok.retries).toBeGreaterThanOrEqual(2);

    await harness.db.deleteFrom('sales.deals').where('tenant_id', '=', harness.tenant).where('vendor', '=', 'hubspot').execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'deals').execute();
    hubspot.faults.set({});
    const requestsBefore = hubspot.faults.stats.requests;
    const failing = harness.sync(connection, 'incremental', ['deals']);
    while (hubspot.faults.stats.requests === requestsBefore) await new Promise((r) => setImmediate(r));
    hubspot.faults.set({ serverError: { requests: 1_000 } });
    const [failed] = await failing;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/gave up after 5 attempts: 503 .*INTERNAL_ERROR/);
    const state = await connectionState();
    expect(state.status).toBe('error');
    expect(state.last_error).toMatch(/503/);
    expect((await deals()).length).toBe(config.pageSize);

    hubspot.faults.set({});
    const [resumed] = await harness.sync(connection, 'incremental', ['deals']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.read).toBe(hubspot.objects('deals').filter((d) => !d.archived).length - config.pageSize);
    await expectDealsToMatchSimulator();
    expect((await connectionState()).status).toBe('active');
  });

  it('keeps a malformed record in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const bad = hubspot.objects('deals').find((d) => !d.archived)!;
    hubspot.faults.set({ malformed: [bad.id], unknownFields: true });
    const [run] = await harness.sync(connection, 'full', ['deals']);
    const live = hubspot.objects('deals').filter((d) => !d.archived).length;
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: live - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: bad.id, reason: 'properties.amount: expected a number, got "n/a"' }]);
    const other = (await deals()).find((d) => d.external_id !== bad.id)!;
    expect((other.raw as Record<string, unknown>).propertiesWithHistory).toBeDefined();
    hubspot.faults.set({});
  });

  it('refreshes the access token ahead of its expiry, not on a 401; an expired one anyway is refreshed once', async () => {
    const stored = readCredentials(harness.ring, (await loadConnection(harness.db, harness.tenant, connection.id))!);
    await saveCredentials(harness.db, harness.ring, harness.tenant, connection.id, { ...stored, expiresAt: Date.now() + 60_000 });
    let [refreshes, refused] = [hubspot.authority.refreshes, hubspot.stats.unauthorized];
    let runs = await harness.sync(connection);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect([hubspot.authority.refreshes - refreshes, hubspot.stats.unauthorized - refused]).toEqual([1, 0]);
    const saved = readCredentials(harness.ring, (await loadConnection(harness.db, harness.tenant, connection.id))!);
    expect(Number(saved.expiresAt)).toBeGreaterThan(Date.now() + 29 * 60_000);

    hubspot.authority.expireAll();
    [refreshes, refused] = [hubspot.authority.refreshes, hubspot.stats.unauthorized];
    runs = await harness.sync(connection);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect([hubspot.authority.refreshes - refreshes, hubspot.stats.unauthorized - refused]).toEqual([1, 1]);
  });

  it('a revoked grant puts the connection in needs_reauth and writes nothing more', async () => {
    hubspot.authority.revokeAll();
    const [deal] = hubspot.objects('deals').filter((d) => !d.archived);
    hubspot.update('deals', deal.id, { dealname: 'Changed after revocation' }, secondsAgo(5));
    const before = await harness.rows('sales.deals');
    const runs = await harness.sync(connection);
    expect(runs[0]).toMatchObject({ status: 'failed' });
    expect(runs[0].error).toMatch(/refused the refresh token \(400 invalid_grant\)/);
    expect(runs[1].status).toBe('skipped');
    expect((await connectionState()).status).toBe('needs_reauth');
    expect(await harness.rows('sales.deals')).toEqual(before);
  });
});
