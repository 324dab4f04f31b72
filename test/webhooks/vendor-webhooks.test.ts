import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../simulators/github/index.js';
import { startHubSpotSimulator, type HubSpotSimulator } from '../../simulators/hubspot/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import { startStripeSimulator, type StripeSimulator } from '../../simulators/stripe/index.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import type { SyncWorker } from '../../sync/queue.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { seedCrmCompanies, syncHarness, type SyncHarness } from '../support/sync.js';
import { receipts, settled, startWebhookWorker, webhookUrl } from '../support/webhooks.js';

const SECRET = 'vendor-webhook-secret-0123456789';

/** A vendor's simulator synced into a tenant of its own, its webhooks pointed at the gateway. */
async function connected<S extends { url: string; credentials: Record<string, unknown>; config: Record<string, unknown> }>(
  t: TestStack, tenant: string, vendor: string, start: (world: Awaited<ReturnType<typeof buildWorld>>) => Promise<S>, options: { crm?: boolean } = {},
) {
  const harness = await syncHarness(tenant, { timeoutMs: 2_000 });
  const world = await buildWorld({ tenant, scale: 'small', skip: ['analytics.usage_events'] });
  const simulator = await start(world);
  if (options.crm) await seedCrmCompanies(harness, world);
  const connection = await harness.connect(vendor, { baseUrl: simulator.url, credentials: { ...simulator.credentials as Record<string, string>, webhookSecret: SECRET }, config: { ...simulator.config, requestsPerSecond: 500 } });
  const runs = await harness.sync(connection);
  expect(runs.map((r) => r.status).every((s) => s === 'succeeded')).toBe(true);
  return { harness, simulator, connection, url: webhookUrl(t, vendor, connection.id) };
}

describe('GitHub, Stripe and HubSpot webhooks land through the connectors', () => {
  let t: TestStack;
  let worker: SyncWorker;
  let gh: { harness: SyncHarness; simulator: GitHubSimulator; connection: ConnectionRow; url: string };
  let st: { harness: SyncHarness; simulator: StripeSimulator; connection: ConnectionRow; url: string };
  let hs: { harness: SyncHarness; simulator: HubSpotSimulator; connection: ConnectionRow; url: string };

  beforeAll(async () => {
    t = await startTestStack();
    gh = await connected(t, 'hooks_github', 'github', (world) => startGitHubSimulator(world));
    st = await connected(t, 'hooks_stripe', 'stripe', (world) => startStripeSimulator(world), { crm: true });
    hs = await connected(t, 'hooks_hubspot', 'hubspot', (world) => startHubSpotSimulator(world));
    worker = await startWebhookWorker(t, gh.harness);
  });
  afterAll(async () => {
    await worker?.stop();
    for (const v of [gh, st, hs]) {
      await v?.simulator.close();
      await v?.harness.close();
    }
    await t?.stop();
  });

  it('GitHub: a merged pull request and a new deployment land with what the sync would fetch; a redelivery changes nothing', async () => {
    const { harness, simulator } = gh;
    simulator.webhooks.configure({ url: gh.url, secret: SECRET }, { duplicates: 2 });
    const open = [...simulator.pullRequests.values()].find((p) => p.record.state === 'open')!;
    simulator.mergePullRequest(open.record.id as number);
    const repository = simulator.repositories.get(open.repositoryId)!.record.full_name as string;
    const deployment = simulator.addDeployment(repository, { environment: 'production', state: 'success' });
    await settled(simulator.webhooks, harness.db, harness.tenant);

    expect(simulator.webhooks.stats.statuses).toEqual([202, 202, 202, 202, 202, 202]);
    expect((await receipts(harness.db, harness.tenant)).map((r) => [r.event_type, r.status])).toEqual([['pull_request', 'processed'], ['deployment_status', 'processed']]);
    const pull = await harness.db.selectFrom('engineering.pull_requests').selectAll().where('tenant_id', '=', harness.tenant).where('external_id', '=', String(open.record.id)).executeTakeFirstOrThrow();
    expect(pull).toMatchObject({ state: 'merged', merged_at: new Date(open.record.merged_at as string), additions: open.record.additions, first_commit_at: new Date(open.firstCommitAt) });
    const stored = await harness.db.selectFrom('engineering.deployments').selectAll().where('tenant_id', '=', harness.tenant).where('external_id', '=', String(deployment.id)).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ environment: 'production', status: 'success' });
  });

  it('Stripe: events delivered newest first end in the newest state', async () => {
    const { harness, simulator } = st;
    simulator.webhooks.configure({ url: st.url, secret: SECRET }, { burst: 2, reorder: true });
    const sub = [...simulator.objects.get('subscription')!.values()].find((s) => s.status === 'active')!;
    simulator.update('subscription', sub.id, { status: 'past_due' });
    // Stripe stamps events to the second: the second change is a second later.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    simulator.update('subscription', sub.id, { status: 'unpaid' });
    await settled(simulator.webhooks, harness.db, harness.tenant);
    const row = await harness.db.selectFrom('finance.subscriptions').selectAll().where('tenant_id', '=', harness.tenant).where('external_id', '=', sub.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('unpaid');
    expect((await receipts(harness.db, harness.tenant)).map((r) => r.status)).toEqual(['processed', 'processed']);
  });

  it('HubSpot: a batch of property changes fetches the deal as it is now; a deletion removes it', async () => {
    const { harness, simulator } = hs;
    simulator.webhooks.configure({ url: hs.url, secret: SECRET });
    const deal = simulator.objects('deals').find((d) => !d.archived && d.properties.hs_is_closed !== 'true')!;
    simulator.update('deals', deal.id, { amount: '123456.78', dealstage: 'closedwon', hs_is_closed: 'true', hs_is_closed_won: 'true' });
    await settled(simulator.webhooks, harness.db, harness.tenant);
    const deals = () => harness.db.selectFrom('sales.deals').selectAll().where('tenant_id', '=', harness.tenant).where('vendor', '=', 'hubspot').where('external_id', '=', deal.id).executeTakeFirst();
    expect(await deals()).toMatchObject({ amount: '123456.78', is_closed: true, is_won: true });
    expect((await receipts(harness.db, harness.tenant)).map((r) => [r.event_type, r.status])).toEqual(Array(4).fill(['deal.propertyChange', 'processed']));

    simulator.remove('deals', deal.id);
    await settled(simulator.webhooks, harness.db, harness.tenant);
    expect(await deals()).toBeUndefined();
  });
});
