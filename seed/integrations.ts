import { copyRows } from './copy.js';
import { HOUR, daysAgo, type SeedContext } from './context.js';

const CONNECTIONS = [
  ['jira', 'product', 'Jira Cloud'], ['productboard', 'product', 'Productboard'], ['github', 'engineering', 'GitHub'],
  ['amplitude', 'analytics', 'Amplitude'], ['salesforce', 'sales', 'Salesforce'], ['hubspot', 'sales', 'HubSpot'],
  ['stripe', 'finance', 'Stripe'], ['gainsight', 'customer_success', 'Gainsight CS'],
] as const;

/** One connection per vendor (HubSpot failing its last runs), a few runs each and some record errors. */
export async function seedIntegrations(ctx: SeedContext, rowsSynced: Record<string, number>): Promise<number> {
  const random = ctx.random('integrations');
  const connectionRows = [];
  const runRows = [];
  const errorRows = [];
  for (const [vendor, domain, name] of CONNECTIONS) {
    const id = ctx.id('connection', vendor);
    const failing = vendor === 'hubspot';
    const lastSuccess = daysAgo(ctx, failing ? 2 : random.int(1, 30) / 1440);
    connectionRows.push([ctx.tenant, id, vendor, domain, name, failing ? 'error' : 'active', null,
      lastSuccess, failing ? '429 Too Many Requests: TEN_SECONDLY_ROLLING limit hit 3 times in a row' : null, failing ? daysAgo(ctx, 0.05) : null,
      rowsSynced[vendor] ?? 0, new Date(ctx.anchor.getTime() + 15 * 60_000), daysAgo(ctx, 400), ctx.anchor]);
    for (let r = 0; r < 3; r++) {
      const runId = ctx.id('sync-run', `${vendor}-${r}`);
      const startedAt = new Date(lastSuccess.getTime() - r * 6 * HOUR);
      const failed = failing && r === 0;
      runRows.push([ctx.tenant, runId, id, vendor === 'amplitude' ? 'events' : 'records', r === 2 ? 'full' : 'incremental', failed ? 'failed' : 'succeeded',
        startedAt, new Date(startedAt.getTime() + random.int(5, 300) * 1000), random.int(10, 5_000), random.int(10, 5_000), failed ? 2 : 0, failed ? 'gave up after 3 attempts: 429' : null]);
      if (failed) {
        for (let e = 0; e < 2; e++) {
          errorRows.push([ctx.tenant, ctx.id('record-error', `${vendor}-${e}`), id, runId, 'records', String(9_000 + e), 'amount: expected a number, got "n/a"', { id: String(9_000 + e), properties: { amount: 'n/a' } }, startedAt]);
        }
      }
    }
  }
  let total = await copyRows(ctx.url, 'integrations.connections', ['tenant_id', 'id', 'vendor', 'domain', 'name', 'status', 'base_url', 'last_success_at', 'last_error', 'last_error_at', 'records_synced', 'next_run_at', 'created_at', 'updated_at'], connectionRows);
  total += await copyRows(ctx.url, 'integrations.sync_runs', ['tenant_id', 'id', 'connection_id', 'stream', 'kind', 'status', 'started_at', 'finished_at', 'records_read', 'records_written', 'record_errors', 'error'], runRows);
  total += await copyRows(ctx.url, 'integrations.record_errors', ['tenant_id', 'id', 'connection_id', 'run_id', 'stream', 'external_id', 'reason', 'payload', 'created_at'], errorRows);
  return total;
}
