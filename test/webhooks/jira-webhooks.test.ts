import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraSimulator, type JiraSimulator } from '../../simulators/jira/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import { hubSigner } from '../../simulators/shared/webhook-signers.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { enqueueStream, startSyncWorker, type SyncWorker } from '../../sync/queue.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { subscribe } from '../support/subscriptions.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';
import { receipts as receiptsOf, settled as settledOf, startWebhookWorker, until, webhookUrl } from '../support/webhooks.js';

const TENANT = 'hooks_jira';
const SECRET = 'jira-webhook-secret-0123456789';

/** Fields of three subgraphs: product (name, status), analytics (adoption), engineering (delivery). */
const RELEASED = `subscription { featureReleased { id name status adoption { activeUsers } delivery { pullRequests { totalCount } } } }`;


describe('Jira webhooks through the gateway', () => {
  let t: TestStack;
  let harness: SyncHarness;
  let jira: JiraSimulator;
  let connection: ConnectionRow;
  let worker: SyncWorker;

  const feature = (externalId: string) => harness.db.selectFrom('product.features').selectAll()
    .where('tenant_id', '=', TENANT).where('vendor', '=', 'jira').where('external_id', '=', externalId).executeTakeFirst();
  const receipts = () => receiptsOf(harness.db, TENANT);
  const settled = () => settledOf(jira.webhooks, harness.db, TENANT);
  const unreleased = () => [...jira.issues.values()].filter((i) => i.status.category !== 'done');

  beforeAll(async () => {
    t = await startTestStack();
    harness = await syncHarness(TENANT);
    const world = await buildWorld({ tenant: TENANT, scale: 'small', skip: ['analytics.usage_events'] });
    jira = await startJiraSimulator(world);
    connection = await harness.connect('jira', { baseUrl: jira.url, credentials: { ...jira.credentials, webhookSecret: SECRET }, config: jira.config });
    const runs = await harness.sync(connection);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    worker = await startWebhookWorker(t, harness);
  });
  afterAll(async () => {
    await worker?.stop();
    await jira?.close();
    await harness?.close();
    await t?.stop();
  });

  const hookUrl = () => webhookUrl(t, 'jira', connection.id);

  it('a signed release reaches a subscriber with fields of three subgraphs, once, though Jira delivered it twice', async () => {
    const subscriber = await subscribe(t.url, await t.token(TENANT), RELEASED);
    jira.webhooks.configure({ url: hookUrl(), secret: SECRET }, { duplicates: 1 });
    const issue = unreleased()[0];
    jira.updateIssue(issue.id, { status: { name: 'Done', category: 'done' }, resolved: Date.now() });
    await settled();
    expect(jira.webhooks.stats.statuses).toEqual([202, 202]);

    await subscriber.next(1);
    const stored = await feature(issue.id);
    expect(subscriber.events[0].data).toEqual({
      featureReleased: { id: stored!.id, name: issue.summary, status: 'RELEASED', adoption: { activeUsers: 0 }, delivery: { pullRequests: { totalCount: expect.any(Number) } } },
    });
    // The duplicate changed nothing: one receipt, processed; no second event.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(subscriber.events).toHaveLength(1);
    const mine = (await receipts()).filter((r) => r.event_type === 'jira:issue_updated');
    expect(mine).toHaveLength(1);
    expect(mine[0].status).toBe('processed');
    await subscriber.stop();
  });

  it('deliveries arriving newest first end in the newest state, not the last arrival', async () => {
    jira.webhooks.configure({ url: hookUrl(), secret: SECRET }, { burst: 3, reorder: true });
    const issue = unreleased()[0];
    const base = Date.now() - 60_000;
    jira.updateIssue(issue.id, { summary: 'Rename one' }, new Date(base));
    jira.updateIssue(issue.id, { summary: 'Rename two' }, new Date(base + 1_000));
    jira.updateIssue(issue.id, { summary: 'Rename three' }, new Date(base + 2_000));
    await settled();
    const arrived = (await receipts()).slice(-3);
    expect(arrived.map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
    const stored = await feature(issue.id);
    expect(stored!.name).toBe('Rename three');
    expect(stored!.vendor_updated_at!.getTime()).toBe(base + 2_000);
  });

  it('an issue naming a release we never saw fetches the release, and a deleted issue is removed', async () => {
    jira.webhooks.configure(null);
    const version = jira.addVersion({ id: '77001', name: 'v9.9.0', description: 'Hotfix train', archived: false, released: true, releaseDate: '2026-11-20' });
    jira.webhooks.configure({ url: hookUrl(), secret: SECRET });
    const added = jira.addIssue({
      id: '99001', key: 'PG-9001', summary: 'Webhook-born epic', description: null, status: { name: 'Done', category: 'done' },
      priority: 'High', labels: ['platform'], fixVersionIds: [version.id], resolved: Date.now(),
    });
    await settled();
    const stored = await feature(added.id);
    expect(stored).toMatchObject({ name: 'Webhook-born epic', status: 'released', priority: 'high' });
    const release = await harness.db.selectFrom('product.releases').selectAll().where('id', '=', stored!.release_id!).executeTakeFirstOrThrow();
    expect(release).toMatchObject({ external_id: '77001', name: 'v9.9.0', version: '9.9.0', description: 'Hotfix train', released: true });

    jira.removeIssue(added.id);
    await settled();
    expect(await feature(added.id)).toBeUndefined();
  });

  it('a burst of deliveries posted at once lands in parallel, each on its first attempt', async () => {
    jira.webhooks.configure(null);
    const issues = unreleased().slice(0, 20);
    const sign = hubSigner('x-hub-signature');
    const sent = await Promise.all(issues.map(async (issue, i) => {
      const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { id: issue.id } });
      const res = await fetch(hookUrl(), { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': `burst-${i}`, ...sign(body, hookUrl(), SECRET, new Date()) } });
      return res.status;
    }));
    expect(sent).toEqual(issues.map(() => 202));
    await settled();
    const burst = (await receipts()).filter((r) => r.delivery_id.startsWith('burst-'));
    // Each event named its issue only: each was fetched, and all landed at once, without deadlocks or retries.
    expect(burst.map((r) => [r.status, r.attempts, r.error])).toEqual(issues.map(() => ['processed', 1, null]));
  });

  it('a delivery is processed while a long sync holds every sync slot', async () => {
    await worker.stop();
    // One sync at a time, its first vendor request answered after 4 s.
    const busy = await startSyncWorker({ url: t.databaseUrl, deps: harness.deps, concurrency: 1, pollIntervalMs: 50, schedule: null });
    try {
      jira.faults.set({ slow: { requests: 1, ms: 4_000 } });
      await enqueueStream(busy.utils, { tenantId: TENANT, connectionId: connection.id, stream: 'issues', mode: 'incremental' });
      await until(async () => jira.faults.stats.slowed > 0);
      jira.webhooks.configure({ url: hookUrl(), secret: SECRET });
      const issue = unreleased()[0];
      jira.updateIssue(issue.id, { summary: 'Renamed during a long sync' });
      await settled();
      expect((await feature(issue.id))!.name).toBe('Renamed during a long sync');
      // The sync is still waiting for its vendor: the delivery did not wait for it.
      const running = await harness.db.selectFrom('integrations.sync_runs').select('status')
        .where('tenant_id', '=', TENANT).where('connection_id', '=', connection.id).where('status', '=', 'running').execute();
      expect(running).toHaveLength(1);
      await until(async () => (await harness.db.selectFrom('integrations.sync_runs').select('status')
        .where('tenant_id', '=', TENANT).where('connection_id', '=', connection.id).where('status', '=', 'running').execute()).length === 0, 15_000);
    } finally {
      jira.faults.set({});
      await busy.stop();
      worker = await startWebhookWorker(t, harness);
    }
  });

  it('a paused connection takes deliveries but writes nothing; its receipts say why', async () => {
    await sql`update integrations.connections set status = 'paused' where id = ${connection.id}`.execute(harness.db);
    jira.webhooks.configure({ url: hookUrl(), secret: SECRET });
    const issue = unreleased()[0];
    const before = await feature(issue.id);
    jira.updateIssue(issue.id, { summary: 'Edited while paused' });
    await settled();
    expect((await feature(issue.id))!.name).toBe(before!.name);
    const last = (await receipts()).at(-1)!;
    expect(last).toMatchObject({ status: 'skipped', error: expect.stringMatching(/paused/) });
    await sql`update integrations.connections set status = 'active' where id = ${connection.id}`.execute(harness.db);
  });

  it('the connection reports its deliveries through the graph, counted once per delivery id', async () => {
    const res = await t.query(`query($id: ID!) { connection(id: $id) { webhooks { received pending processed ignored skipped failed lastReceivedAt } } }`, { id: connection.id }, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const all = await receipts();
    const count = (status: string) => all.filter((r) => r.status === status).length;
    expect(res.body.data.connection.webhooks).toEqual({
      received: all.length, pending: 0, processed: count('processed'), ignored: 0, skipped: 1, failed: 0, lastReceivedAt: expect.any(String),
    });
    expect(count('processed')).toBeGreaterThanOrEqual(6);
  });
});
