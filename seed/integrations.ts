import type { Cell } from './copy.js';
import { DAY, HOUR, type SeedContext } from './context.js';

const CONNECTIONS = [
  { vendor: 'jira', domain: 'product', name: 'Jira Cloud', streams: ['issues', 'versions'] },
  { vendor: 'productboard', domain: 'product', name: 'Productboard', streams: ['features'] },
  { vendor: 'github', domain: 'engineering', name: 'GitHub', streams: ['pull_requests', 'deployments'] },
  { vendor: 'amplitude', domain: 'analytics', name: 'Amplitude', streams: ['events', 'user_deletions'] },
  { vendor: 'salesforce', domain: 'sales', name: 'Salesforce', streams: ['accounts', 'opportunities'] },
  { vendor: 'hubspot', domain: 'sales', name: 'HubSpot', streams: ['companies', 'deals'] },
  { vendor: 'stripe', domain: 'finance', name: 'Stripe', streams: ['customers', 'subscriptions', 'invoices'] },
  { vendor: 'gainsight', domain: 'customer_success', name: 'Gainsight CS', streams: ['companies', 'health_scores'] },
] as const;

const FAILING = 'hubspot';
const LAST_ERROR = '429 Too Many Requests: TEN_SECONDLY_ROLLING limit hit on 3 attempts in a row';
const RUNS = 4;
/** Records a run could not map, per vendor: [stream, external id, reason, payload]. */
const RECORD_ERRORS: Record<string, [string, string, string, object][]> = {
  hubspot: [
    ['deals', '14000099991', 'amount: expected a number, got "n/a"', { id: '14000099991', properties: { amount: 'n/a', dealstage: 'closedwon' } }],
    ['deals', '14000099998', 'associations: no company for this deal', { id: '14000099998', properties: { amount: '1200' }, associations: {} }],
  ],
  stripe: [['invoices', 'in_1PzQ0bLkdIwHu7ixQx0NaN0A', 'customer: unknown customer cus_Q4nUnknown0001', { id: 'in_1PzQ0bLkdIwHu7ixQx0NaN0A', object: 'invoice', customer: 'cus_Q4nUnknown0001' }]],
  amplitude: [['events', 'evt-missing-user', 'user_id and device_id are both missing', { event_type: 'feature_used', time: 0 }]],
};

/**
 * One connection per vendor, all active but HubSpot (rate limited on its last runs, so in
 * `error`), a few sync runs each (the oldest a full sync) and some record errors.
 */
export async function seedIntegrations(ctx: SeedContext, rowsSynced: Record<string, number>): Promise<number> {
  const random = ctx.random('integrations');
  const connections: Cell[][] = [];
  const runs: Cell[][] = [];
  const errors: Cell[][] = [];
  for (const { vendor, domain, name, streams } of CONNECTIONS) {
    const id = ctx.id('connection', vendor);
    const failing = vendor === FAILING;
    const latest = ctx.today - random.int(5, 55) * 60_000;
    let lastSuccess = 0;
    for (let r = 0; r < RUNS; r++) {
      const runId = ctx.id('sync-run', `${vendor}-${r}`);
      const startedAt = latest - r * 6 * HOUR;
      const failed = failing && r < 2;
      const full = r === RUNS - 1;
      const bad = r === 0 ? RECORD_ERRORS[vendor] ?? [] : [];
      const read = full ? Math.max(1, rowsSynced[vendor] ?? 0) : failed ? bad.length : random.int(bad.length, 400);
      if (!failed && !lastSuccess) lastSuccess = startedAt;
      runs.push([ctx.tenant, runId, id, streams[r % streams.length], full ? 'full' : 'incremental', failed ? 'failed' : 'succeeded',
        new Date(startedAt), new Date(startedAt + random.int(4, full ? 900 : 120) * 1000), read, failed ? 0 : read - bad.length,
        bad.length, failed ? `gave up after 3 attempts: ${LAST_ERROR}` : null]);
      for (const [e, [stream, externalId, reason, payload]] of bad.entries()) {
        errors.push([ctx.tenant, ctx.id('record-error', `${vendor}-${e}`), id, runId, stream, externalId, reason, payload, new Date(startedAt + 1_000 * (e + 1))]);
      }
    }
    connections.push([ctx.tenant, id, vendor, domain, name, failing ? 'error' : 'active', null, new Date(lastSuccess),
      failing ? LAST_ERROR : null, failing ? new Date(latest + 30_000) : null, rowsSynced[vendor] ?? 0,
      // The next scheduled run: a plan, ahead of "now".
      new Date(ctx.today + (failing ? 60 : 15) * 60_000), new Date(ctx.today - 400 * DAY), new Date(failing ? latest + 30_000 : lastSuccess)]);
  }
  let total = await ctx.write('integrations.connections', ['tenant_id', 'id', 'vendor', 'domain', 'name', 'status', 'base_url', 'last_success_at', 'last_error', 'last_error_at', 'records_synced', 'next_run_at', 'created_at', 'updated_at'], connections);
  total += await ctx.write('integrations.sync_runs', ['tenant_id', 'id', 'connection_id', 'stream', 'kind', 'status', 'started_at', 'finished_at', 'records_read', 'records_written', 'record_errors', 'error'], runs);
  total += await ctx.write('integrations.record_errors', ['tenant_id', 'id', 'connection_id', 'run_id', 'stream', 'external_id', 'reason', 'payload', 'created_at'], errors);
  return total;
}
