import { sign as githubSign } from '@octokit/webhooks-methods';
import { sql } from 'kysely';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, type ConnectionRow } from '../../sync/connection-store.js';
import { connectors } from '../../sync/connectors.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';
import { receipts, webhookUrl } from '../support/webhooks.js';

const TENANT = 'hooks_intake';
const SECRET = 'intake-secret-0123456789abcdef';

describe('the webhook intake refuses bad input without writing anything', () => {
  let t: TestStack;
  let harness: SyncHarness;
  let github: ConnectionRow;
  let stripe: ConnectionRow;
  let unsigned: ConnectionRow;
  const stripeLib = new Stripe('sk_test_unused');

  /** Rows that any delivery could have written: receipts, outbox events, queued jobs. */
  const footprint = async () => {
    const { rows: [row] } = await sql<{ receipts: number; outbox: number; jobs: number }>`select
      (select count(*)::int from integrations.webhook_receipts where tenant_id = ${TENANT}) as receipts,
      (select count(*)::int from integrations.outbox where tenant_id = ${TENANT}) as outbox,
      (select count(*)::int from graphile_worker.jobs where split_part(key, ':', 2) = any(${connectionIds()})) as jobs`.execute(harness.db);
    return row;
  };
  const connectionIds = () => [github.id, stripe.id];
  const post = (url: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const githubHeaders = async (body: string, event = 'pull_request', delivery: string = crypto.randomUUID()) =>
    ({ 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': await githubSign(SECRET, body) });

  beforeAll(async () => {
    t = await startTestStack();
    harness = await syncHarness(TENANT);
    github = await harness.connect('github', { baseUrl: 'http://127.0.0.1:9', credentials: { token: 'ghp_x', webhookSecret: SECRET }, config: { org: 'acme' } });
    stripe = await harness.connect('stripe', { baseUrl: 'http://127.0.0.1:9', credentials: { token: 'sk_test_x', webhookSecret: SECRET } });
    unsigned = await harness.connect('gainsight', { baseUrl: 'http://127.0.0.1:9', credentials: { key: 'k' } });
  });
  afterAll(async () => {
    await harness?.close();
    await t?.stop();
  });

  it('answers 401, 400, 413 and 404 with a code, and stores nothing', async () => {
    const before = await footprint();
    const url = webhookUrl(t, 'github', github.id);
    const body = JSON.stringify({ action: 'opened', repository: { id: 1, full_name: 'acme/api' } });
    const cases: [string, Promise<Response>, number, string][] = [
      ['a wrong signature', post(url, body, { ...(await githubHeaders(body)), 'x-hub-signature-256': await githubSign('not-the-secret', body) }), 401, 'INVALID_SIGNATURE'],
      ['no signature', post(url, body, { 'x-github-event': 'pull_request', 'x-github-delivery': 'd-1' }), 401, 'INVALID_SIGNATURE'],
      ['a body changed after signing', post(url, `${body} `, await githubHeaders(body)), 401, 'INVALID_SIGNATURE'],
      ['a signed body that is not JSON', post(url, '{"action":', await githubHeaders('{"action":')), 400, 'MALFORMED_JSON'],
      ['a signed body without its delivery id', post(url, body, { 'x-github-event': 'pull_request', 'x-hub-signature-256': await githubSign(SECRET, body) }), 400, 'MALFORMED_EVENT'],
      ['a body over the limit', post(url, Buffer.alloc(6_000_000, 0x20), await githubHeaders('x')), 413, 'PAYLOAD_TOO_LARGE'],
      ['an unknown connection', post(webhookUrl(t, 'github', '00000000-0000-4000-8000-000000000000'), body, await githubHeaders(body)), 404, 'NOT_FOUND'],
      ['a connection of another vendor', post(webhookUrl(t, 'github', stripe.id), body, await githubHeaders(body)), 404, 'NOT_FOUND'],
      ['a vendor that sends no webhooks', post(webhookUrl(t, 'gainsight', unsigned.id), body, {}), 404, 'NOT_FOUND'],
      ['a malformed connection id', post(webhookUrl(t, 'github', 'nope'), body, await githubHeaders(body)), 404, 'NOT_FOUND'],
    ];
    for (const [what, sent, status, code] of cases) {
      const res = await sent;
      expect({ what, status: res.status, body: await res.json() }).toEqual({ what, status, body: { error: { code, message: expect.any(String) } } });
    }
    expect(await footprint()).toEqual(before);
  });

  it('refuses a Stripe event signed more than 300 s ago, and takes the same event freshly signed', async () => {
    const url = webhookUrl(t, 'stripe', stripe.id);
    const body = JSON.stringify({ id: 'evt_intake_1', object: 'event', type: 'customer.subscription.updated', created: Math.floor(Date.now() / 1000), data: { object: { id: 'sub_1' } } });
    const stale = stripeLib.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 301 });
    const before = await footprint();
    const refused = await post(url, body, { 'stripe-signature': stale });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'STALE_TIMESTAMP' } });
    expect(await footprint()).toEqual(before);

    const fresh = stripeLib.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
    const taken = await post(url, body, { 'stripe-signature': fresh });
    expect(taken.status).toBe(202);
    expect(await taken.json()).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
    // Stripe retries: the same event id again is a duplicate and queues nothing more.
    const again = await post(url, body, { 'stripe-signature': stripeLib.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }) });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });
    expect(await footprint()).toEqual({ ...before, receipts: before.receipts + 1, jobs: before.jobs + 1 });
    // No worker here: the queued job is taken out again so that no other worker processes it.
    await sql`delete from graphile_worker._private_jobs where id in (select id from graphile_worker.jobs where split_part(key, ':', 2) = any(${connectionIds()}))`.execute(harness.db);
  });

  it('acknowledges an event type it does not handle, stores it as ignored and queues nothing', async () => {
    const before = await footprint();
    const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
    const res = await post(webhookUrl(t, 'github', github.id), body, await githubHeaders(body, 'ping', 'ping-delivery-1'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 1 });
    expect(await footprint()).toEqual({ ...before, receipts: before.receipts + 1 });
    expect((await receipts(harness.db, TENANT)).find((r) => r.delivery_id === 'ping-delivery-1')).toMatchObject({ event_type: 'ping', status: 'ignored' });
  });

  it('refuses deliveries for a connection without a webhook secret', async () => {
    // One live connection per vendor and tenant: this one takes the GitHub connection's place.
    await harness.db.deleteFrom('integrations.connections').where('id', '=', github.id).execute();
    const plain = await createConnection(harness.db, harness.ring, { tenantId: TENANT, connector: connectors.get('github')!, credentials: { token: 'ghp_x' }, config: { org: 'acme' } });
    const body = '{}';
    const res = await post(webhookUrl(t, 'github', plain.id), body, await githubHeaders(body));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'WEBHOOK_SECRET_MISSING' } });
  });
});
